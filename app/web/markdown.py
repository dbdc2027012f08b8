"""One Markdown renderer for every domain: markdown-it-py (CommonMark + tables), sanitised with nh3.

Raw HTML in the source is shown as text, and whatever comes out is cleaned again by nh3, so
script elements, on* attributes and `javascript:` links are inert. Links get rel="nofollow noopener".
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "del", "s",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"scope"}, "td": set()}
URL_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    return md


def sanitize(html: str) -> str:
    """Clean HTML with nh3: only the allowed tags and attributes, safe URL schemes, rel on links."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="nofollow noopener", strip_comments=True)


def _shift_headings(html: str) -> str:
    # Headings inside user text start below the page's own h1/h2 so the outline stays in order.
    for level in (2, 1):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    return html


# A star between two letters is the German gender star (Bürger*innen), never emphasis.
_GENDER_STAR = re.compile(r"(?<=\w)\*(?=\w)")


def render(text: str) -> str:
    """Markdown source → safe HTML."""
    return sanitize(_shift_headings(_parser().render(_GENDER_STAR.sub(r"\\*", text or ""))))


@dataclass(frozen=True)
class Block:
    """One top-level block of a Markdown text (a paragraph, list, table, heading, quote, code)."""

    text: str
    html: str


def blocks(text: str) -> list[Block]:
    """Split Markdown into its top-level blocks, each with its own source and rendered HTML."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    result: list[Block] = []
    for token in _parser().parse("\n".join(lines)):
        if token.level != 0 or token.map is None or token.nesting == -1:
            continue
        start, end = token.map
        source = "\n".join(lines[start:end]).strip()
        if source:
            result.append(Block(text=source, html=render(source)))
    return result


render_markdown = render  # alias for callers that prefer the longer name
