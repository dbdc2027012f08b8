"""The document: structure (documents, chapters, sections), drafts, published versions, anchors, diffs.

Other domains call the simple reads (`get_section`, `current_version`, `get_version`, `section_label`,
`list_sections`: defined in reads.py, re-exported here), `publish_version`, and `paragraph_fate` /
`paragraph_fates`. They hook into
publishing through `VERSION_PUBLISHED` (called inside the publish transaction, before the commit).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import bindparam, update
from sqlmodel import Session, select

from app import audit
from app.accounts.models import User
from app.db import utcnow
from app.documents import anchors as anchor_rules
from app.documents import diff as differ
from app.documents.models import (
    AnchorMapping,
    Chapter,
    Document,
    Draft,
    Paragraph,
    Section,
    SectionVersion,
    VersionAddress,
)
from app.documents.reads import (  # noqa: F401  (re-exported: other domains import them from here)
    ChapterEntry,
    Outline,
    SectionChoice,
    SectionEntry,
    SectionView,
    VersionEntry,
    _version,
    current_version,
    default_document,
    document_of_chapter,
    get_chapter,
    get_document,
    get_section,
    get_version,
    list_documents,
    list_sections,
    list_versions,
    outline,
    paragraphs_of,
    section_and_current,
    section_and_current_query,
    section_label,
    section_view,
    version_entry,
)
from app.documents.schemas import ChapterIn, DocumentIn, DraftIn, ImportIn, SectionIn, StructureChange
from app.errors import Conflict, Invalid, NotFound
from app.web import markdown
from app.web.i18n import gettext as _

# Other domains act inside the publish transaction (filled by app.wiring.wire()).
VersionHook = Callable[[Session, SectionVersion, list[int]], None]
VERSION_PUBLISHED: list[VersionHook] = []
# Comments a new version of a section takes up without the lead listing them (adopted Änderungsvorschläge):
# (session, section id) → comment ids; filled by app.wiring.wire().
AddressSource = Callable[[Session, int], Iterable[int]]
ADDRESS_SOURCES: list[AddressSource] = []


class StaleDraft(Conflict):
    """A draft save based on an old revision; carries the saved draft so the page can show both texts."""

    def __init__(self, message: str, *, draft: Draft):
        super().__init__(message)
        self.draft = draft


@dataclass
class DiffResult:
    section: Section
    old: SectionVersion
    new: SectionVersion
    ops: list[differ.Op]
    html: str
    left: str
    right: str
    title_changed: bool


# --- structure: documents, chapters, sections -------------------------------------------------

def create_document(session: Session, *, actor: User, data: DocumentIn) -> Document:
    document = _create_document(session, actor=actor, data=data)
    session.commit()
    return document


def _create_document(session: Session, *, actor: User, data: DocumentIn) -> Document:
    if session.exec(select(Document).where(Document.slug == data.slug)).first():
        raise Conflict(_("Diese Kurzbezeichnung ist schon vergeben."),
                       errors=[("slug", _("Diese Kurzbezeichnung ist schon vergeben."))])
    document = Document(slug=data.slug, title=data.title, description=data.description)
    session.add(document)
    session.flush()
    audit.record(session, actor_id=actor.id, action="document.create", target_type="document",
                 target_id=document.id, summary=document.title)
    return document


def _place(items: list, item, position: int | None) -> None:
    """Put `item` at the 1-based `position` (end when None) and renumber all positions 1..n."""
    rest = [i for i in items if i.id != item.id]
    index = len(rest) if position is None else max(0, min(position - 1, len(rest)))
    rest.insert(index, item)
    for n, i in enumerate(rest, start=1):
        i.position = n


def _chapters(session: Session, document_id: int) -> list[Chapter]:
    return list(session.exec(select(Chapter).where(Chapter.document_id == document_id)
                             .order_by(Chapter.position, Chapter.id)).all())


def _sections(session: Session, chapter_id: int) -> list[Section]:
    return list(session.exec(select(Section).where(Section.chapter_id == chapter_id)
                             .order_by(Section.position, Section.id)).all())


def create_chapter(session: Session, *, actor: User, slug: str, data: ChapterIn) -> Chapter:
    document = get_document(session, slug)
    chapter = Chapter(document_id=document.id, title=data.title, position=0)
    session.add(chapter)
    session.flush()
    _place(_chapters(session, document.id), chapter, data.position)
    audit.record(session, actor_id=actor.id, action="chapter.create", target_type="chapter",
                 target_id=chapter.id, summary=chapter.title)
    session.commit()
    return chapter


def create_section(session: Session, *, actor: User, chapter_id: int, data: SectionIn) -> Section:
    """A new section with its draft (revision 1); it appears to readers once its first version is published."""
    chapter = get_chapter(session, chapter_id)
    section = Section(chapter_id=chapter.id, title=data.title, position=0)
    session.add(section)
    session.flush()
    _place(_sections(session, chapter.id), section, data.position)
    session.add(Draft(section_id=section.id, title=data.title, body=data.body, revision=1,
                      updated_by_id=actor.id))
    audit.record(session, actor_id=actor.id, action="section.create", target_type="section",
                 target_id=section.id, summary=section.title)
    session.commit()
    return section


@dataclass
class Imported:
    document: Document
    chapters: list[tuple[Chapter, list[Section]]]


def import_outline(session: Session, *, actor: User, data: ImportIn, slug: str | None = None,
                   new: DocumentIn | None = None) -> Imported:
    """Store a draft read from a file in one transaction: a new document (`new`), or new chapters at the end of
    the document `slug`. Every section gets its draft (revision 1); nothing is published. A chapter title the
    document already has is refused, so a repeated import (a double submit) stores nothing twice."""
    if new is not None:
        document = _create_document(session, actor=actor, data=new)
    else:
        document = session.exec(select(Document).where(Document.slug == slug).with_for_update()).first()
        if document is None:
            raise NotFound(_("Dieses Dokument gibt es nicht."))
    existing = _chapters(session, document.id)
    titles = {c.title.casefold() for c in existing}
    repeated = [c.title for c in data.chapters if c.title.casefold() in titles]
    if repeated:
        message = _("Das Dokument hat schon ein Kapitel „{title}“. Benennen Sie es vor dem Import um oder "
                    "entfernen Sie es aus der Datei.").format(title=repeated[0])
        raise Conflict(message, errors=[("file", message)])
    stored: list[tuple[Chapter, list[Section]]] = []
    for position, imported in enumerate(data.chapters, start=len(existing) + 1):
        chapter = Chapter(document_id=document.id, title=imported.title, position=position)
        session.add(chapter)
        session.flush()
        sections = []
        for number, part in enumerate(imported.sections, start=1):
            section = Section(chapter_id=chapter.id, title=part.title, position=number)
            session.add(section)
            session.flush()
            session.add(Draft(section_id=section.id, title=part.title, body=part.body, revision=1,
                              updated_by_id=actor.id))
            sections.append(section)
        stored.append((chapter, sections))
    audit.record(session, actor_id=actor.id, action="document.import", target_type="document",
                 target_id=document.id, summary=_("{chapters} Kapitel, {sections} Abschnitte importiert").format(
                     chapters=len(stored), sections=sum(len(s) for _c, s in stored)))
    session.commit()
    return Imported(document=document, chapters=stored)


def rename_chapter(session: Session, *, actor: User, chapter_id: int, title: str) -> Chapter:
    chapter = _rename_chapter(session, actor=actor, chapter_id=chapter_id, title=title)
    session.commit()
    return chapter


def _rename_chapter(session: Session, *, actor: User, chapter_id: int, title: str) -> Chapter:
    chapter = get_chapter(session, chapter_id)
    old, chapter.title = chapter.title, title
    session.add(chapter)
    audit.record(session, actor_id=actor.id, action="chapter.rename", target_type="chapter",
                 target_id=chapter.id, summary=f"{old} → {title}")
    return chapter


def _step(items: list, item, direction: str | None, position: int | None) -> int | None:
    if direction is None:
        return position
    index = [i.id for i in items].index(item.id) + 1
    return index - 1 if direction == "up" else index + 1


def move_chapter(session: Session, *, actor: User, chapter_id: int, position: int | None = None,
                 direction: str | None = None) -> Chapter:
    """Move a chapter to a 1-based position, or one step up/down; the others renumber."""
    chapter = _move_chapter(session, actor=actor, chapter_id=chapter_id, position=position, direction=direction)
    session.commit()
    return chapter


def _move_chapter(session: Session, *, actor: User, chapter_id: int, position: int | None = None,
                  direction: str | None = None) -> Chapter:
    chapter = get_chapter(session, chapter_id)
    items = _chapters(session, chapter.document_id)
    _place(items, chapter, max(1, _step(items, chapter, direction, position) or 1))
    audit.record(session, actor_id=actor.id, action="chapter.move", target_type="chapter",
                 target_id=chapter.id, summary=f"Position {chapter.position}")
    return chapter


def rename_section(session: Session, *, actor: User, section_id: int, title: str) -> Section:
    """Rename in the table of contents and in the draft; published versions keep their titles."""
    section = _rename_section(session, actor=actor, section_id=section_id, title=title)
    session.commit()
    return section


def _rename_section(session: Session, *, actor: User, section_id: int, title: str) -> Section:
    section = get_section(session, section_id)
    old, section.title = section.title, title
    session.add(section)
    session.exec(update(Draft).where(Draft.section_id == section.id)
                 .values(title=title, revision=Draft.revision + 1, updated_at=utcnow(), updated_by_id=actor.id))
    audit.record(session, actor_id=actor.id, action="section.rename", target_type="section",
                 target_id=section.id, summary=f"{old} → {title}")
    return section


def move_section(session: Session, *, actor: User, section_id: int, position: int | None = None,
                 direction: str | None = None) -> Section:
    section = _move_section(session, actor=actor, section_id=section_id, position=position, direction=direction)
    session.commit()
    return section


def _move_section(session: Session, *, actor: User, section_id: int, position: int | None = None,
                  direction: str | None = None) -> Section:
    section = get_section(session, section_id)
    items = _sections(session, section.chapter_id)
    _place(items, section, max(1, _step(items, section, direction, position) or 1))
    audit.record(session, actor_id=actor.id, action="section.move", target_type="section",
                 target_id=section.id, summary=f"Position {section.position}")
    return section


def change_chapter(session: Session, *, actor: User, chapter_id: int, data: StructureChange) -> Chapter:
    """Rename and/or move a chapter (API PATCH), in one transaction."""
    chapter = get_chapter(session, chapter_id)
    if data.title is not None:
        chapter = _rename_chapter(session, actor=actor, chapter_id=chapter_id, title=data.title)
    if data.position is not None:
        chapter = _move_chapter(session, actor=actor, chapter_id=chapter_id, position=data.position)
    session.commit()
    return chapter


def change_section(session: Session, *, actor: User, section_id: int, data: StructureChange) -> Section:
    """Rename and/or move a section within its chapter (API PATCH), in one transaction."""
    section = get_section(session, section_id)
    if data.title is not None:
        section = _rename_section(session, actor=actor, section_id=section_id, title=data.title)
    if data.position is not None:
        section = _move_section(session, actor=actor, section_id=section_id, position=data.position)
    session.commit()
    return section


# --- drafts -----------------------------------------------------------------------------------

def get_draft(session: Session, *, section_id: int) -> Draft:
    get_section(session, section_id)
    draft = session.exec(select(Draft).where(Draft.section_id == section_id)).first()
    if draft is None:
        raise NotFound(_("Zu diesem Abschnitt gibt es keinen Entwurf."))
    return draft


def save_draft(session: Session, *, actor: User, section_id: int, data: DraftIn) -> Draft:
    """Save the draft if nobody saved since `data.revision` (invariant 4); otherwise raise StaleDraft."""
    draft = get_draft(session, section_id=section_id)
    result = session.exec(update(Draft).where(Draft.id == draft.id, Draft.revision == data.revision)
                          .values(title=data.title, body=data.body, revision=data.revision + 1,
                                  updated_at=utcnow(), updated_by_id=actor.id))
    if result.rowcount != 1:
        session.rollback()
        theirs = get_draft(session, section_id=section_id)
        session.refresh(theirs)
        raise StaleDraft(_("Der Entwurf wurde inzwischen von jemand anderem gespeichert (Stand {rev}). "
                           "Ihre Änderungen sind nicht gespeichert.").format(rev=theirs.revision), draft=theirs)
    audit.record(session, actor_id=actor.id, action="draft.save", target_type="section", target_id=section_id,
                 summary=f"Revision {data.revision + 1}")
    session.commit()
    session.refresh(draft)
    return draft


def preview(body: str) -> str:
    """The draft rendered exactly as a published page renders it."""
    return markdown.render(body)


@dataclass
class DraftChanges:
    view: SectionView
    draft: Draft
    html: str
    unchanged: bool


def draft_changes(session: Session, *, section_id: int) -> DraftChanges:
    """What publishing the draft would change, compared with the current version."""
    view = section_view(session, section_id=section_id)
    draft = get_draft(session, section_id=section_id)
    ops = differ.word_diff(view.version.body if view.version else "", draft.body)
    unchanged = view.version is not None and not differ.changed(ops) and view.version.title == draft.title
    return DraftChanges(view=view, draft=draft, html=differ.inline_html(ops), unchanged=unchanged)


def pending_drafts(session: Session, *, slug: str) -> set[int]:
    """Ids of the document's sections whose draft differs from their current version (or have none yet)."""
    document = get_document(session, slug)
    rows = session.exec(
        select(Draft.section_id, Draft.title, Draft.body, SectionVersion.title, SectionVersion.body)
        .join(Section, Section.id == Draft.section_id).join(Chapter, Chapter.id == Section.chapter_id)
        .outerjoin(SectionVersion, (SectionVersion.section_id == Section.id)
                   & (SectionVersion.number == Section.current_number))
        .where(Chapter.document_id == document.id)).all()
    return {section_id for section_id, title, body, v_title, v_body in rows
            if v_body is None or title != v_title or body.strip() != v_body.strip()}


# --- publishing -------------------------------------------------------------------------------

def _taken_anchors(session: Session, section_id: int) -> set[str]:
    rows = session.exec(select(Paragraph.anchor).join(SectionVersion, SectionVersion.id == Paragraph.version_id)
                        .where(SectionVersion.section_id == section_id)).all()
    return set(rows)


def publish_version(session: Session, *, actor: User, section_id: int, change_summary: str,
                    addresses: list[int] | None = None, revision: int | None = None,
                    now: datetime | None = None) -> SectionVersion:
    """Publish the draft as version n+1 with paragraph anchors and their mapping from version n (dated `now`)."""
    section = get_section(session, section_id)
    draft = get_draft(session, section_id=section_id)
    if revision is not None and revision != draft.revision:
        raise Conflict(_("Der Entwurf wurde inzwischen geändert. Bitte prüfen Sie ihn vor dem Veröffentlichen."))
    summary = (change_summary or "").strip()
    if len(summary) < 3:
        raise Invalid(_("Bitte beschreiben Sie, was sich geändert hat und warum."),
                      errors=[("change_summary", _("Bitte beschreiben Sie, was sich geändert hat und warum."))])
    new_blocks = markdown.blocks(draft.body)
    if not new_blocks:
        raise Invalid(_("Ein leerer Abschnitt kann nicht veröffentlicht werden."),
                      errors=[("body", _("Ein leerer Abschnitt kann nicht veröffentlicht werden."))])
    previous = _version(session, section_id, section.current_number) if section.current_number else None
    if previous and previous.title == draft.title and previous.body.strip() == draft.body.strip():
        raise Conflict(_("Der Entwurf unterscheidet sich nicht von Fassung {n}; es gibt nichts zu "
                         "veröffentlichen.").format(n=previous.number))
    number = section.current_number + 1
    # Only one publisher wins when two publish at once: the other finds current_number moved on.
    claimed = session.exec(update(Section).where(Section.id == section.id,
                                                 Section.current_number == section.current_number)
                           .values(current_number=number, title=draft.title))
    if claimed.rowcount != 1:
        session.rollback()
        raise Conflict(_("Gerade wurde eine andere Fassung veröffentlicht. Bitte laden Sie die Seite neu."))
    session.expire(section)
    version = SectionVersion(section_id=section.id, number=number, title=draft.title, body=draft.body,
                             html=markdown.render(draft.body), change_summary=summary,
                             published_at=now or utcnow(), published_by_id=actor.id)
    session.add(version)
    session.flush()
    old = [(p.anchor, p.text) for p in paragraphs_of(session, previous.id)] if previous else []
    new_anchors, mapping = anchor_rules.match(old, [b.text for b in new_blocks], _taken_anchors(session, section.id))
    for position, (anchor, block) in enumerate(zip(new_anchors, new_blocks, strict=True), start=1):
        session.add(Paragraph(version_id=version.id, position=position, anchor=anchor, text=block.text,
                              html=block.html))
    for m in mapping:
        session.add(AnchorMapping(version_id=version.id, old_anchor=m.old_anchor, new_anchor=m.new_anchor,
                                  change=m.change))
    wanted = sorted(set(addresses or []).union(*(source(session, section.id) for source in ADDRESS_SOURCES)))
    for comment_id in wanted:
        session.add(VersionAddress(version_id=version.id, comment_id=comment_id))
    audit.record(session, actor_id=actor.id, action="version.publish", target_type="section",
                 target_id=section.id, summary=f"Fassung {number}: {summary}")
    session.flush()
    for hook in VERSION_PUBLISHED:
        hook(session, version, wanted)
    session.commit()
    return version


# --- diffs and paragraph fates ----------------------------------------------------------------

def section_diff(session: Session, *, section_id: int, from_number: int, to_number: int) -> DiffResult:
    """Word-level diff between two versions of a section (title and body)."""
    section = get_section(session, section_id)
    old = get_version(session, section_id, from_number)
    new = get_version(session, section_id, to_number)
    return diff_versions(section, old, new)


def diff_versions(section: Section, old: SectionVersion, new: SectionVersion) -> DiffResult:
    ops = differ.word_diff(old.body, new.body)
    left, right = differ.side_by_side_html(ops)
    return DiffResult(section=section, old=old, new=new, ops=ops, html=differ.inline_html(ops), left=left,
                      right=right, title_changed=old.title != new.title)


def _mappings(session: Session, section_id: int, up_to: int) -> dict[int, dict[str, AnchorMapping]]:
    rows = session.exec(_mappings_query(), params={"section_id": section_id, "up_to": up_to}).all()
    result: dict[int, dict[str, AnchorMapping]] = {}
    for number, mapping in rows:
        result.setdefault(number, {})[mapping.old_anchor] = mapping
    return result


@lru_cache
def _mappings_query():
    """Built once (the section page asks): building a statement costs about as much as running this one."""
    return (select(SectionVersion.number, AnchorMapping)
            .join(AnchorMapping, AnchorMapping.version_id == SectionVersion.id)
            .where(SectionVersion.section_id == bindparam("section_id"), SectionVersion.number <= bindparam("up_to")))


def _follow(maps: dict[int, dict[str, AnchorMapping]], start: int, anchor: str, end: int) -> tuple[str, str | None]:
    status, current = "unchanged", anchor
    for number in range(start + 1, end + 1):
        m = maps.get(number, {}).get(current)
        if m is None or m.change == "removed" or m.new_anchor is None:
            return "removed", None
        if m.change != "unchanged":
            status = "changed"
        current = m.new_anchor
    return status, current


def paragraph_fates(session: Session, *, section_id: int, anchors: Iterable[tuple[int, str]],
                    to_version_number: int | None = None) -> dict[tuple[int, str], tuple[str, str | None]]:
    """For many (version number, anchor) pairs at once: {pair: (unchanged|changed|removed, anchor now)}.

    Follows the stored anchor mapping across every version in between; two queries whatever the count.
    A pair newer than the target version cannot be followed backwards and comes back as ("changed", None).
    """
    section = get_section(session, section_id)
    end = section.current_number if to_version_number is None else to_version_number
    wanted = list(anchors)
    maps = _mappings(session, section_id, end) if wanted else {}
    return {(number, anchor): _follow(maps, number, anchor, end) if number < end else
            ("unchanged", anchor) if number == end else ("changed", None)
            for number, anchor in wanted}


def paragraph_fate(session: Session, *, section_id: int, from_version_number: int, anchor: str,
                   to_version_number: int | None = None) -> tuple[str, str | None]:
    """What became of paragraph `anchor` of version `from_version_number` in the current (or given) version."""
    fates = paragraph_fates(session, section_id=section_id, anchors=[(from_version_number, anchor)],
                            to_version_number=to_version_number)
    return fates[(from_version_number, anchor)]
