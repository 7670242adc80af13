"""HTML ticket bodies: safe text conversion and findings on the text form."""

from __future__ import annotations

import pytest

from plugin.classify import Classifier, field_text, html_to_text

CASES = [
    ("<p>Hej&nbsp;Jens &amp; co</p>", "Hej Jens & co"),
    ("<div>linje<br>to</div>", "linje\nto"),
    ("<p>a</p><p>b</p>", "a\n\nb"),
    ("<ul><li>en</li><li>to</li></ul>", "en\n\nto"),
    ("<script>alert('cpr 150372-1003')</script><style>p{}</style>ok", "ok"),
    ("<html><head><title>t</title></head><body>krop</body></html>", "krop"),
    ("plain &lt;b&gt; text", "plain <b> text"),
    ("<b>fed</b><i>kursiv</i>", "fedkursiv"),
    ("<p>unclosed <b>tag", "unclosed tag"),
    ("", ""),
    ("   ", ""),
]


@pytest.mark.parametrize(("html", "text"), CASES)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_bytes_html_is_decoded_leniently() -> None:
    assert html_to_text(b"<p>K\xf8benhavn \xc3\xa6</p>") == "K\ufffdbenhavn æ"


def test_classify_field_on_html_maps_to_the_text_form() -> None:
    html = (
        "<div><p>Hej,</p><p>Mit cpr er <b>150372-1003</b> og mail "
        "<a href='mailto:x@y.dk'>jens@example.dk</a></p>"
        "<script>var cpr='280891-1003'</script></div>"
    )
    findings = Classifier().classify_field("description", html, is_html=True)
    text = field_text(html, is_html=True)
    assert [(f.type, f.value_in(text)) for f in findings] == [
        ("cpr", "150372-1003"),
        ("email", "jens@example.dk"),
    ]
    assert {f.field for f in findings} == {"description"}
    assert findings[0].to_dict()["field"] == "description"


def test_classify_field_plain_text() -> None:
    (finding,) = Classifier().classify_field("subject", "tlf. 20123456")
    assert (finding.field, finding.type, finding.start, finding.end) == ("subject", "phone", 5, 13)
