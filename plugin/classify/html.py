"""HTML ticket bodies to plain text: scripts dropped, blocks as newlines, entities decoded."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

_DROP = ("script", "style", "noscript", "template", "head", "iframe", "object", "svg")
_BLOCKS = (
    "p,div,br,li,tr,h1,h2,h3,h4,h5,h6,blockquote,pre,table,ul,ol,section,article,"
    "header,footer,hr,dd,dt,address,td,th,form,fieldset,figure,nav,aside,main"
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*\n+")


def html_to_text(html: str | bytes) -> str:
    """Return the readable text of an HTML fragment or document.

    Findings on an HTML field are offsets into this text form; the tokenised write-back
    therefore rewrites the field with the (tokenised) text form, not the original markup.
    """
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if not html.strip():
        return ""
    tree = LexborHTMLParser(html)
    for node in tree.css(",".join(_DROP)):
        node.decompose()
    for node in tree.css(_BLOCKS):
        # A newline before and after every block keeps words of adjacent blocks apart.
        node.insert_before("\n")
        if node.tag not in ("br", "hr"):
            node.insert_after("\n")
    root = tree.body or tree.root
    text = root.text(deep=True, separator="") if root is not None else ""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
