"""Reads of the document that pages, the API and other domains share; a fixed number of queries each."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import Integer, String, and_, bindparam, cast, func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.documents.models import Chapter, Document, Paragraph, Section, SectionVersion, VersionAddress
from app.errors import NotFound
from app.web.i18n import gettext as _


@dataclass
class SectionEntry:
    section: Section
    label: str
    version: SectionVersion | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    publisher: User | None = None


@dataclass
class ChapterEntry:
    chapter: Chapter
    number: int
    sections: list[SectionEntry]


@dataclass
class Outline:
    document: Document
    chapters: list[ChapterEntry]

    @property
    def entries(self) -> list[SectionEntry]:
        return [s for c in self.chapters for s in c.sections]


@dataclass
class SectionChoice:
    id: int
    label: str
    title: str
    document_slug: str


@dataclass
class SectionView:
    """Everything the section page shows, loaded with a fixed number of queries."""

    section: Section
    chapter: Chapter
    document: Document
    label: str
    version: SectionVersion | None
    paragraphs: list[Paragraph]
    publisher: User | None
    addresses: list[int]
    is_current: bool


@dataclass
class VersionEntry:
    version: SectionVersion
    publisher: User | None
    addresses: list[int]


# --- simple reads (also for other domains) -----------------------------------------------------

def get_document(session: Session, slug: str) -> Document:
    document = session.exec(select(Document).where(Document.slug == slug)).first()
    if document is None:
        raise NotFound(_("Dieses Dokument gibt es nicht."))
    return document


def list_documents(session: Session) -> list[Document]:
    return list(session.exec(select(Document).order_by(Document.id)).all())


def default_document(session: Session) -> Document | None:
    """The Rahmenkonzeption if it exists, else the oldest document."""
    return (session.exec(select(Document).where(Document.slug == "rahmenkonzeption")).first()
            or session.exec(select(Document).order_by(Document.id)).first())


def get_chapter(session: Session, chapter_id: int) -> Chapter:
    chapter = session.get(Chapter, chapter_id)
    if chapter is None:
        raise NotFound(_("Dieses Kapitel gibt es nicht."))
    return chapter


def get_section(session: Session, section_id: int) -> Section:
    section = session.get(Section, section_id)
    if section is None:
        raise NotFound(_("Diesen Abschnitt gibt es nicht."))
    return section


def current_version(session: Session, section_id: int) -> SectionVersion | None:
    """The section's current published version, or None before the first one."""
    section = get_section(session, section_id)
    if section.current_number == 0:
        return None
    return _version(session, section_id, section.current_number)


def section_and_current_query(section_id: int):
    """Rows of (section, its current version or None)."""
    return (select(Section, SectionVersion)
            .outerjoin(SectionVersion, (SectionVersion.section_id == Section.id)
                       & (SectionVersion.number == Section.current_number))
            .where(Section.id == section_id))


def section_and_current(session: Session, section_id: int) -> tuple[Section, SectionVersion | None]:
    """The section and its current version (None before the first one) in one query."""
    row = session.exec(section_and_current_query(section_id)).first()
    if row is None:
        raise NotFound(_("Diesen Abschnitt gibt es nicht."))
    return row[0], row[1]


def _version(session: Session, section_id: int, number: int) -> SectionVersion | None:
    return session.exec(select(SectionVersion).where(SectionVersion.section_id == section_id,
                                                     SectionVersion.number == number)).first()


def get_version(session: Session, section_id: int, number: int) -> SectionVersion:
    version = _version(session, section_id, number)
    if version is None:
        raise NotFound(_("Diese Fassung gibt es nicht."))
    return version


def _chapter_number(session: Session, chapter: Chapter) -> int:
    ids = session.exec(select(Chapter.id).where(Chapter.document_id == chapter.document_id)
                       .order_by(Chapter.position, Chapter.id)).all()
    return list(ids).index(chapter.id) + 1


def _section_number(session: Session, section: Section) -> int:
    ids = session.exec(select(Section.id).where(Section.chapter_id == section.chapter_id)
                       .order_by(Section.position, Section.id)).all()
    return list(ids).index(section.id) + 1


def section_label(session: Session, section_id: int) -> str:
    """The section's number in the document, e.g. "2.3"."""
    section = get_section(session, section_id)
    chapter = get_chapter(session, section.chapter_id)
    return f"{_chapter_number(session, chapter)}.{_section_number(session, section)}"


def outline(session: Session, *, slug: str, with_content: bool = False, with_paragraphs: bool = True,
            drafts: bool = False) -> Outline:
    """The document's numbered chapters and sections; with_content adds current versions (and paragraphs).

    Without `drafts` (what the public sees): only sections with a published version, and only chapters that
    have one; the numbers stay those of the full outline, so "2.3" names the same section for everyone."""
    document = get_document(session, slug)
    chapters = session.exec(select(Chapter).where(Chapter.document_id == document.id)
                            .order_by(Chapter.position, Chapter.id)).all()
    sections = session.exec(select(Section).join(Chapter, Chapter.id == Section.chapter_id)
                            .where(Chapter.document_id == document.id)
                            .order_by(Section.position, Section.id)).all()
    versions: dict[int, SectionVersion] = {}
    paragraphs: dict[int, list[Paragraph]] = {}
    people: dict[int, User] = {}
    if with_content and sections:
        rows = session.exec(select(SectionVersion).join(Section, (Section.id == SectionVersion.section_id)
                                                        & (Section.current_number == SectionVersion.number))
                            .where(col(Section.id).in_([s.id for s in sections]))).all()
        versions = {v.section_id: v for v in rows}
        if versions and with_paragraphs:
            for p in session.exec(select(Paragraph).where(col(Paragraph.version_id).in_(
                    [v.id for v in versions.values()])).order_by(Paragraph.position)).all():
                paragraphs.setdefault(p.version_id, []).append(p)
        if versions:
            people = _people(session, {v.published_by_id for v in versions.values()})
    by_chapter: dict[int, list[Section]] = {}
    for s in sections:
        by_chapter.setdefault(s.chapter_id, []).append(s)
    result = []
    for n, chapter in enumerate(chapters, start=1):
        entries = []
        for m, s in enumerate(by_chapter.get(chapter.id, []), start=1):
            if not drafts and s.current_number == 0:
                continue
            v = versions.get(s.id)
            entries.append(SectionEntry(section=s, label=f"{n}.{m}", version=v,
                                        paragraphs=paragraphs.get(v.id, []) if v else [],
                                        publisher=people.get(v.published_by_id) if v else None))
        if drafts or entries:
            result.append(ChapterEntry(chapter=chapter, number=n, sections=entries))
    return Outline(document=document, chapters=result)


def list_sections(session: Session, document_slug: str | None = None, *,
                  drafts: bool = False) -> list[SectionChoice]:
    """Every published section (with `drafts`: every section) in document order, for dropdowns."""
    documents = [get_document(session, document_slug)] if document_slug else list_documents(session)
    choices = []
    for document in documents:
        for entry in outline(session, slug=document.slug, drafts=drafts).entries:
            choices.append(SectionChoice(id=entry.section.id, label=entry.label, title=entry.section.title,
                                         document_slug=document.slug))
    return choices


def _people(session: Session, ids: Iterable[int | None]) -> dict[int, User]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {u.id: u for u in session.exec(select(User).where(col(User.id).in_(wanted))).all()}


def _addresses(session: Session, version_ids: list[int]) -> dict[int, list[int]]:
    result: dict[int, list[int]] = {}
    if version_ids:
        for row in session.exec(select(VersionAddress).where(col(VersionAddress.version_id).in_(version_ids))
                                .order_by(VersionAddress.comment_id)).all():
            result.setdefault(row.version_id, []).append(row.comment_id)
    return result


def paragraphs_of(session: Session, version_id: int) -> list[Paragraph]:
    """The paragraphs of a version, read once per session (a published version's paragraphs never change)."""
    known = session.info.setdefault("qw_paragraphs", {})
    if version_id not in known:
        known[version_id] = list(session.exec(_paragraphs_query(), params={"version_id": version_id}).all())
    return known[version_id]


@lru_cache
def _paragraphs_query():
    """Built once: building a statement costs about as much as running this one."""
    return select(Paragraph).where(Paragraph.version_id == bindparam("version_id")).order_by(Paragraph.position)


@lru_cache
def _section_view_query():
    """Section, chapter, document, the wanted version (the current one without :number), its publisher, the
    section's numbers in the document and the comments the version takes up: one query, built once."""
    other_chapter, other_section, publisher = aliased(Chapter), aliased(Section), aliased(User)
    chapter_number = (select(func.count()).select_from(other_chapter).where(
        other_chapter.document_id == Chapter.document_id,
        or_(other_chapter.position < Chapter.position,
            and_(other_chapter.position == Chapter.position, other_chapter.id <= Chapter.id))).scalar_subquery())
    section_number = (select(func.count()).select_from(other_section).where(
        other_section.chapter_id == Section.chapter_id,
        or_(other_section.position < Section.position,
            and_(other_section.position == Section.position, other_section.id <= Section.id))).scalar_subquery())
    addresses = (select(func.aggregate_strings(cast(VersionAddress.comment_id, String), ","))
                 .where(VersionAddress.version_id == SectionVersion.id).scalar_subquery())
    wanted = func.coalesce(bindparam("number", type_=Integer), Section.current_number)
    return (sa_select(Section, Chapter, Document, SectionVersion, publisher, chapter_number, section_number, addresses)
            .join(Chapter, Chapter.id == Section.chapter_id).join(Document, Document.id == Chapter.document_id)
            .outerjoin(SectionVersion, (SectionVersion.section_id == Section.id) & (SectionVersion.number == wanted))
            .outerjoin(publisher, publisher.id == SectionVersion.published_by_id)
            .where(Section.id == bindparam("section_id")))


def section_view(session: Session, *, section_id: int, number: int | None = None,
                 drafts: bool = True) -> SectionView:
    """The section with one version (the current one unless `number` is given): two queries. Without
    `drafts` (what the public sees), a section without a published version is not found."""
    row = session.execute(_section_view_query(), {"section_id": section_id, "number": number}).first()
    if row is None:
        raise NotFound(_("Diesen Abschnitt gibt es nicht."))
    section, chapter, document, version, publisher, chapter_number, section_number, addresses = row
    if not drafts and section.current_number == 0:
        raise NotFound(_("Dieser Abschnitt ist noch nicht veröffentlicht."))
    if version is None and number is not None:
        raise NotFound(_("Diese Fassung gibt es nicht."))
    return SectionView(section=section, chapter=chapter, document=document, label=f"{chapter_number}.{section_number}",
                       version=version, paragraphs=paragraphs_of(session, version.id) if version else [],
                       publisher=publisher, addresses=sorted(int(a) for a in addresses.split(",")) if addresses else [],
                       is_current=version is not None and version.number == section.current_number)


def list_versions(session: Session, *, section_id: int) -> list[VersionEntry]:
    """All versions of a section, newest first, with their publishers and the comments they take up."""
    get_section(session, section_id)
    versions = list(session.exec(select(SectionVersion).where(SectionVersion.section_id == section_id)
                                 .order_by(col(SectionVersion.number).desc())).all())
    people = _people(session, (v.published_by_id for v in versions))
    addresses = _addresses(session, [v.id for v in versions])
    return [VersionEntry(version=v, publisher=people.get(v.published_by_id), addresses=addresses.get(v.id, []))
            for v in versions]


def version_entry(session: Session, *, section_id: int, number: int) -> tuple[VersionEntry, list[Paragraph]]:
    version = get_version(session, section_id, number)
    publisher = session.get(User, version.published_by_id) if version.published_by_id else None
    entry = VersionEntry(version=version, publisher=publisher,
                         addresses=_addresses(session, [version.id]).get(version.id, []))
    return entry, paragraphs_of(session, version.id)


def document_of_chapter(session: Session, chapter: Chapter) -> Document:
    return session.get(Document, chapter.document_id)
