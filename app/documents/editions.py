"""Editions (Gesamtfassungen): named, published states of the whole document, and their comparison."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from app import audit
from app.accounts.models import User
from app.db import utcnow
from app.documents import service
from app.documents.models import Document, Edition, EditionSection, Paragraph, Section, SectionVersion
from app.documents.schemas import EditionIn
from app.errors import Conflict, NotFound
from app.web.i18n import gettext as _


@dataclass
class EditionEntry:
    row: EditionSection
    version: SectionVersion
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass
class EditionChapter:
    title: str
    number: str
    entries: list[EditionEntry]


@dataclass
class EditionView:
    edition: Edition
    document: Document
    publisher: User | None
    chapters: list[EditionChapter]

    @property
    def entries(self) -> list[EditionEntry]:
        return [e for c in self.chapters for e in c.entries]


@dataclass
class SectionChange:
    section_id: int
    label: str
    title: str
    status: str  # unchanged | changed | added | removed
    old: EditionEntry | None
    new: EditionEntry | None
    diff: service.DiffResult | None = None


def publish_edition(session: Session, *, actor: User, data: EditionIn, now: datetime | None = None) -> Edition:
    """Freeze the current version of every published section under a title, e.g. "Entwurf 2 – März 2023"."""
    document = service.get_document(session, data.document)
    content = service.outline(session, slug=document.slug, with_content=True, with_paragraphs=False)
    entries = [e for e in content.entries if e.version is not None]
    if not entries:
        raise Conflict(_("Es gibt noch keinen veröffentlichten Abschnitt; eine Gesamtfassung wäre leer."))
    number = (session.exec(select(func.max(Edition.number)).where(Edition.document_id == document.id)).one()
              or 0) + 1
    edition = Edition(document_id=document.id, number=number, title=data.title, published_by_id=actor.id,
                      published_at=now or utcnow())
    session.add(edition)
    session.flush()
    chapter_titles = {c.chapter.id: c.chapter.title for c in content.chapters}
    for position, entry in enumerate(entries, start=1):
        session.add(EditionSection(edition_id=edition.id, section_id=entry.section.id, version_id=entry.version.id,
                                   label=entry.label, chapter_title=chapter_titles[entry.section.chapter_id],
                                   position=position))
    audit.record(session, actor_id=actor.id, action="edition.publish", target_type="edition",
                 target_id=edition.id, summary=f"{document.slug}: {edition.title} ({len(entries)} Abschnitte)")
    session.commit()
    return edition


def list_editions(session: Session, *, document_slug: str | None = None) -> list[tuple[Edition, Document]]:
    query = select(Edition, Document).join(Document, Document.id == Edition.document_id)
    if document_slug:
        query = query.where(Document.slug == document_slug)
    return list(session.exec(query.order_by(col(Edition.published_at).desc(), col(Edition.id).desc())).all())


def read_edition(session: Session, *, edition_id: int, with_paragraphs: bool = True) -> EditionView:
    edition = session.get(Edition, edition_id)
    if edition is None:
        raise NotFound(_("Diese Gesamtfassung gibt es nicht."))
    document = session.get(Document, edition.document_id)
    rows = session.exec(select(EditionSection, SectionVersion)
                        .join(SectionVersion, SectionVersion.id == EditionSection.version_id)
                        .where(EditionSection.edition_id == edition.id).order_by(EditionSection.position)).all()
    paragraphs: dict[int, list[Paragraph]] = {}
    if with_paragraphs and rows:
        for p in session.exec(select(Paragraph).where(col(Paragraph.version_id).in_([v.id for _r, v in rows]))
                              .order_by(Paragraph.position)).all():
            paragraphs.setdefault(p.version_id, []).append(p)
    chapters: list[EditionChapter] = []
    for row, version in rows:
        number = row.label.split(".")[0]
        if not chapters or chapters[-1].number != number:
            chapters.append(EditionChapter(title=row.chapter_title, number=number, entries=[]))
        chapters[-1].entries.append(EditionEntry(row=row, version=version, paragraphs=paragraphs.get(version.id, [])))
    publisher = session.get(User, edition.published_by_id) if edition.published_by_id else None
    return EditionView(edition=edition, document=document, publisher=publisher, chapters=chapters)


def compare_editions(session: Session, *, from_id: int, to_id: int) -> tuple[EditionView, EditionView,
                                                                              list[SectionChange]]:
    """Section by section: which sections changed between two editions, with their diffs."""
    old = read_edition(session, edition_id=from_id, with_paragraphs=False)
    new = read_edition(session, edition_id=to_id, with_paragraphs=False)
    if old.document.id != new.document.id:
        raise Conflict(_("Die beiden Gesamtfassungen gehören zu verschiedenen Dokumenten."))
    old_by = {e.row.section_id: e for e in old.entries}
    new_by = {e.row.section_id: e for e in new.entries}
    sections = {s.id: s for s in session.exec(select(Section).where(
        col(Section.id).in_(set(old_by) | set(new_by)))).all()}
    changes = []
    order = [e.row.section_id for e in new.entries] + [s for s in old_by if s not in new_by]
    for section_id in order:
        a, b = old_by.get(section_id), new_by.get(section_id)
        shown = b or a
        if a and b and a.version.id == b.version.id:
            status, diff = "unchanged", None
        elif a and b:
            status, diff = "changed", service.diff_versions(sections[section_id], a.version, b.version)
        else:
            status, diff = ("added" if b else "removed"), None
        changes.append(SectionChange(section_id=section_id, label=shown.row.label, title=shown.version.title,
                                     status=status, old=a, new=b, diff=diff))
    return old, new, changes
