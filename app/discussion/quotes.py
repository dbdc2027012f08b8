"""Quoted passages highlighted in their paragraph (issue 16): <mark id="zitat-N"> around the first place the
quote occurs in the paragraph's HTML, so that the comment can link to it. Spacing does not matter; a quote that
runs across formatting (e.g. into a bold part) is not marked (the comment still shows it)."""

import re
from html import escape, unescape

_TAG = re.compile(r"(<[^>]*>)")


def mark(html: str, quote: str, mark_id: str) -> str | None:
    """The paragraph's HTML with the quote marked, or None when it does not occur within one run of text."""
    words = quote.split()
    if not words:
        return None
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    parts = _TAG.split(html)
    inside_mark = False
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            inside_mark = part.startswith("<mark") or (inside_mark and part != "</mark>")
            continue
        if not part or inside_mark:
            continue
        text = unescape(part)
        found = pattern.search(text)
        if found:
            parts[i] = (escape(text[:found.start()], quote=False) + f'<mark id="{escape(mark_id)}">'
                        + escape(found.group(0), quote=False) + "</mark>" + escape(text[found.end():], quote=False))
            return "".join(parts)
    return None


def mark_all(paragraph_html: dict[str, str], quotes: list[tuple[int, str, str]]
             ) -> tuple[dict[str, str], dict[int, str]]:
    """For (comment id, anchor, quote) in page order: {anchor: marked HTML} and {comment id: mark id}. Comments
    quoting the same passage of a paragraph share its mark."""
    marked: dict[str, str] = {}
    ids: dict[int, str] = {}
    seen: dict[tuple[str, str], str] = {}
    for comment_id, anchor, quote in quotes:
        if anchor not in paragraph_html:
            continue
        key = (anchor, " ".join(quote.split()))
        if key in seen:
            ids[comment_id] = seen[key]
            continue
        mark_id = f"zitat-{comment_id}"
        html = mark(marked.get(anchor, paragraph_html[anchor]), quote, mark_id)
        if html is not None:
            marked[anchor] = html
            ids[comment_id] = seen[key] = mark_id
    return marked, ids
