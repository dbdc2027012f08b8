"""What a person reads on a page: the text of HTML without its tags, laid out roughly as a browser does."""

import re
from html.parser import HTMLParser

BLOCKS = {"address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt", "fieldset",
          "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
          "main", "nav", "ol", "p", "section", "summary", "table", "td", "th", "tr", "ul"}
HIDDEN = {"script", "style", "template", "title", "head"}
BREAK = "\x00"  # where a block starts or ends; line breaks in the source are only white space


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self.hidden += 1
        elif tag in BLOCKS:
            self.parts.append(BREAK)

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCKS:
            self.parts.append(BREAK)

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def page_text(html: str) -> str:
    """Inline tags join their text (as on screen); blocks become lines; runs of white space become one space."""
    parser = _Text()
    parser.feed(html)
    lines = (re.sub(r"\s+", " ", line).strip() for line in "".join(parser.parts).split(BREAK))
    return "\n".join(line for line in lines if line)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Lang(HTMLParser):
    def __init__(self, needle: str) -> None:
        super().__init__(convert_charrefs=True)
        self.needle, self.stack, self.found = needle, [], None

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        lang = dict(attrs).get("lang")
        self.stack.append((tag, lang if lang is not None else (self.stack[-1][1] if self.stack else None)))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        inside = {tag for tag, _lang in self.stack}
        if self.found is None and self.needle in data and not inside & HIDDEN:
            self.found = self.stack[-1][1] if self.stack else None


def language_of(html: str, needle: str) -> str | None:
    """The language (the nearest lang attribute) a screen reader uses for the first text `needle` in the page's
    body (the <title> cannot mark a part of itself, so it does not count)."""
    parser = _Lang(needle)
    parser.feed(html)
    assert parser.found is not None, f"{needle!r} not on the page (or without any lang)"
    return parser.found
