"""Exports of the current document or an edition: Markdown text and the data for a self-contained HTML file."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from app.documents import editions, service
from app.web import i18n
from app.web.i18n import gettext as _


@dataclass
class ExportSection:
    label: str
    title: str
    version_number: int
    published_at: datetime
    body: str
    html: str
    anchors: list[tuple[str, str]] = field(default_factory=list)  # (anchor, html)


@dataclass
class ExportChapter:
    number: str
    title: str
    sections: list[ExportSection]


@dataclass
class Export:
    title: str
    subtitle: str
    description: str
    filename: str
    chapters: list[ExportChapter]


def current_document(session: Session, *, slug: str) -> Export:
    content = service.outline(session, slug=slug, with_content=True)
    chapters = []
    for c in content.chapters:
        sections = [ExportSection(label=e.label, title=e.version.title, version_number=e.version.number,
                                  published_at=e.version.published_at, body=e.version.body, html=e.version.html,
                                  anchors=[(p.anchor, p.html) for p in e.paragraphs])
                    for e in c.sections if e.version is not None]
        if sections:
            chapters.append(ExportChapter(number=str(c.number), title=c.chapter.title, sections=sections))
    return Export(title=content.document.title, subtitle=_("Aktueller Stand"),
                  description=content.document.description, filename=content.document.slug, chapters=chapters)


def edition(session: Session, *, edition_id: int) -> Export:
    view = editions.read_edition(session, edition_id=edition_id)
    chapters = [ExportChapter(number=c.number, title=c.title, sections=[
        ExportSection(label=e.row.label, title=e.version.title, version_number=e.version.number,
                      published_at=e.version.published_at, body=e.version.body, html=e.version.html,
                      anchors=[(p.anchor, p.html) for p in e.paragraphs]) for e in c.entries])
        for c in view.chapters]
    return Export(title=view.document.title, subtitle=view.edition.title, description=view.document.description,
                  filename=f"{view.document.slug}-gesamtfassung-{view.edition.number}", chapters=chapters)


def markdown(export: Export) -> str:
    """The document as one Markdown file, in the same format as the demo source (% title, # chapter, ## section)."""
    lines = [f"% {export.title}", f"% {export.subtitle}", ""]
    if export.description:
        lines += [export.description.strip(), ""]
    for chapter in export.chapters:
        lines += [f"# {chapter.number} {chapter.title}", ""]
        for s in chapter.sections:
            lines += [f"## {s.label} {s.title}", "",
                      f"*{_('Fassung')} {s.version_number}, {i18n.format_date(s.published_at)}*", "",
                      s.body.strip(), ""]
    return "\n".join(lines).rstrip() + "\n"
