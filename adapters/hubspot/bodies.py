"""E-mail and note bodies: HubSpot keeps an e-mail's body as HTML and as text."""

from __future__ import annotations

import html
import re

from selectolax.lexbor import LexborHTMLParser

_BLOCKS = "p,div,li,tr,h1,h2,h3,h4,h5,h6,blockquote,pre,table,ul,ol"
_BLANK_LINES = re.compile(r"\n\s*\n\s*\n+")


def text_as_html(text: str) -> str:
    """A text-only e-mail body as HTML (escaped, line breaks kept), so that every e-mail is
    read, tokenised and written back in one form."""
    if not text.strip():
        return ""
    return html.escape(text, quote=False).replace("\r\n", "\n").replace("\n", "<br>")


def html_as_text(body: str) -> str:
    """The text form of an HTML body, for `hs_email_text` beside the rewritten HTML."""
    if not body.strip():
        return ""
    tree = LexborHTMLParser(body)
    for node in tree.css("script,style"):
        node.decompose()
    for node in tree.css("br"):
        node.insert_before("\n")
    for node in tree.css(_BLOCKS):
        node.insert_after("\n\n")
    root = tree.body or tree.root
    text = root.text(deep=True, separator="") if root is not None else ""
    lines = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", lines).strip()
