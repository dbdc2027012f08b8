"""JSON API of the document: documents, chapters, sections, drafts, versions, diffs and editions."""

from dataclasses import asdict
from typing import Annotated

from fastapi import Depends, File, Path, Query, Response, UploadFile

from app.accounts.models import Role, User
from app.deps import OptionalUser, SessionDep, api_router, require_roles
from app.documents import editions, importing, policy, service
from app.documents.models import Draft
from app.documents.schemas import (
    ChapterIn,
    ChapterOut,
    DiffOpOut,
    DiffOut,
    DocumentIn,
    DocumentOut,
    DraftIn,
    DraftOut,
    EditionChangeOut,
    EditionComparisonOut,
    EditionIn,
    EditionOut,
    EditionSectionOut,
    ImportedChapterOut,
    ImportedSectionOut,
    ImportIn,
    ImportOut,
    ParagraphOut,
    PersonOut,
    PublishIn,
    SectionBriefOut,
    SectionIn,
    SectionOut,
    StructureChange,
    VersionOut,
    VersionSummaryOut,
)
from app.schemas import Page
from app.validation import parse

router = api_router(tags=["documents"])
Lead = Annotated[User, Depends(require_roles(Role.lead, Role.admin))]
Id = Annotated[int, Path(ge=1, le=2_147_483_647)]  # ids beyond 32 bits do not exist (and overflow drivers)


def _person(user: User | None) -> PersonOut | None:
    return PersonOut.model_validate(user) if user else None


def _document(outline: service.Outline) -> DocumentOut:
    d = outline.document
    return DocumentOut(id=d.id, slug=d.slug, title=d.title, description=d.description, created_at=d.created_at,
                       chapters=[ChapterOut(id=c.chapter.id, number=c.number, title=c.chapter.title,
                                            position=c.chapter.position, sections=[
                                                SectionBriefOut(id=e.section.id, label=e.label, title=e.section.title,
                                                                position=e.section.position,
                                                                current_version_number=e.section.current_number,
                                                                published_at=e.version.published_at
                                                                if e.version else None)
                                                for e in c.sections])
                                 for c in outline.chapters])


def _version(entry: service.VersionEntry, paragraphs) -> VersionOut:
    v = entry.version
    return VersionOut(id=v.id, section_id=v.section_id, number=v.number, title=v.title, body=v.body, html=v.html,
                      change_summary=v.change_summary, published_at=v.published_at,
                      published_by=_person(entry.publisher), addresses=entry.addresses,
                      paragraphs=[ParagraphOut(anchor=p.anchor, html=p.html, text=p.text) for p in paragraphs])


def _draft(draft: Draft) -> DraftOut:
    return DraftOut(title=draft.title, body=draft.body, revision=draft.revision, updated_at=draft.updated_at)


def _section(view: service.SectionView, draft: Draft | None = None) -> SectionOut:
    current = None
    if view.version is not None:
        current = _version(service.VersionEntry(view.version, view.publisher, view.addresses), view.paragraphs)
    return SectionOut(id=view.section.id, label=view.label, title=view.section.title, chapter_id=view.chapter.id,
                      document=view.document.slug, current_version=current,
                      draft=_draft(draft) if draft else None)


def _edition(view: editions.EditionView) -> EditionOut:
    e = view.edition
    return EditionOut(id=e.id, document=view.document.slug, number=e.number, title=e.title,
                      published_at=e.published_at, published_by=_person(view.publisher),
                      sections=[EditionSectionOut(section_id=x.row.section_id, label=x.row.label,
                                                  chapter_title=x.row.chapter_title, title=x.version.title,
                                                  version_number=x.version.number) for x in view.entries])


@router.get("/documents", response_model=Page[DocumentOut])
def list_documents(session: SessionDep, page: int = Query(1, ge=1, le=100_000),
                   per_page: int = Query(50, ge=1, le=200)):
    rows = service.list_documents(session)
    items = [DocumentOut(id=d.id, slug=d.slug, title=d.title, description=d.description, created_at=d.created_at)
             for d in rows[(page - 1) * per_page: page * per_page]]
    return Page(items=items, page=page, per_page=per_page, total=len(rows))


@router.post("/documents", status_code=201, response_model=DocumentOut)
def create_document(data: DocumentIn, lead: Lead, session: SessionDep):
    document = service.create_document(session, actor=lead, data=data)
    return _document(service.outline(session, slug=document.slug, drafts=True))


@router.get("/documents/{slug}", response_model=DocumentOut)
def get_document(slug: str, session: SessionDep, user: OptionalUser):
    """The outline: sections without a published version (and chapters without any) only for the editors."""
    return _document(service.outline(session, slug=slug, with_content=True, with_paragraphs=False,
                                     drafts=policy.can_see_drafts(user)))


@router.post("/documents/{slug}/chapters", status_code=201, response_model=ChapterOut)
def create_chapter(slug: str, data: ChapterIn, lead: Lead, session: SessionDep):
    chapter = service.create_chapter(session, actor=lead, slug=slug, data=data)
    outline = service.outline(session, slug=slug, drafts=True)
    entry = next(c for c in outline.chapters if c.chapter.id == chapter.id)
    return ChapterOut(id=chapter.id, number=entry.number, title=chapter.title, position=chapter.position, sections=[])


@router.post("/documents/{slug}/import", response_model=ImportOut,
             responses={201: {"model": ImportOut, "description": "Stored (without dry_run)"}})
def import_draft(slug: str, lead: Lead, session: SessionDep, response: Response,
                 file: UploadFile = File(description="Markdown (.md), Word (.docx) or OpenDocument (.odt)"),
                 dry_run: bool = Query(False, description="Only read the file and return the outline")):
    """Chapters and sections from a file, added at the end of the document as drafts (nothing is published).
    Headings of the top level become chapters, of the next level sections. With `dry_run` nothing is stored
    (the preview). A chapter title the document already has is refused with 409."""
    outline = importing.read(file.filename or "", file.file.read(importing.MAX_FILE_BYTES + 1))
    data = parse(ImportIn, asdict(outline))
    if dry_run:
        service.get_document(session, slug)
        chapters = [ImportedChapterOut(title=c.title, sections=[ImportedSectionOut(title=s.title, body=s.body)
                                                                for s in c.sections]) for c in data.chapters]
        return ImportOut(document=slug, title=outline.title, stored=False, chapters=chapters, notes=outline.notes)
    result = service.import_outline(session, actor=lead, data=data, slug=slug)
    response.status_code = 201
    chapters = [ImportedChapterOut(title=chapter.title, chapter_id=chapter.id, sections=[
        ImportedSectionOut(title=s.title, body=part.body, section_id=s.id) for s, part in zip(
            sections, imported.sections, strict=True)])
        for (chapter, sections), imported in zip(result.chapters, data.chapters, strict=True)]
    return ImportOut(document=slug, title=outline.title, stored=True, chapters=chapters, notes=outline.notes)


@router.patch("/chapters/{chapter_id}", response_model=ChapterOut)
def change_chapter(chapter_id: Id, data: StructureChange, lead: Lead, session: SessionDep):
    """Rename and/or move a chapter (1-based position)."""
    chapter = service.change_chapter(session, actor=lead, chapter_id=chapter_id, data=data)
    doc = service.document_of_chapter(session, chapter)
    entry = next(c for c in service.outline(session, slug=doc.slug, drafts=True).chapters
                 if c.chapter.id == chapter.id)
    return _document(service.Outline(document=doc, chapters=[entry])).chapters[0]


@router.post("/chapters/{chapter_id}/sections", status_code=201, response_model=SectionOut)
def create_section(chapter_id: Id, data: SectionIn, lead: Lead, session: SessionDep):
    section = service.create_section(session, actor=lead, chapter_id=chapter_id, data=data)
    return _section(service.section_view(session, section_id=section.id),
                    service.get_draft(session, section_id=section.id))


@router.get("/sections/{section_id}", response_model=SectionOut)
def get_section(section_id: Id, session: SessionDep, user: OptionalUser):
    """404 before the first published version, except for the editors (as the section's page)."""
    return _section(service.section_view(session, section_id=section_id, drafts=policy.can_see_drafts(user)))


@router.patch("/sections/{section_id}", response_model=SectionOut)
def change_section(section_id: Id, data: StructureChange, lead: Lead, session: SessionDep):
    """Rename and/or move a section within its chapter (1-based position)."""
    service.change_section(session, actor=lead, section_id=section_id, data=data)
    return _section(service.section_view(session, section_id=section_id))


@router.get("/sections/{section_id}/draft", response_model=DraftOut)
def get_draft(section_id: Id, lead: Lead, session: SessionDep):
    return _draft(service.get_draft(session, section_id=section_id))


@router.put("/sections/{section_id}/draft", response_model=DraftOut)
def save_draft(section_id: Id, data: DraftIn, lead: Lead, session: SessionDep):
    return _draft(service.save_draft(session, actor=lead, section_id=section_id, data=data))


@router.post("/sections/{section_id}/versions", status_code=201, response_model=VersionOut)
def publish(section_id: Id, data: PublishIn, lead: Lead, session: SessionDep):
    version = service.publish_version(session, actor=lead, section_id=section_id,
                                      change_summary=data.change_summary, addresses=data.addresses,
                                      revision=data.revision)
    return _version(*service.version_entry(session, section_id=section_id, number=version.number))


@router.get("/sections/{section_id}/versions", response_model=Page[VersionSummaryOut])
def list_versions(section_id: Id, session: SessionDep, page: int = Query(1, ge=1, le=100_000),
                  per_page: int = Query(50, ge=1, le=200)):
    """All versions of the section, newest first."""
    rows = service.list_versions(session, section_id=section_id)
    items = [VersionSummaryOut(number=e.version.number, title=e.version.title, change_summary=e.version.change_summary,
                               published_at=e.version.published_at, published_by=_person(e.publisher),
                               addresses=e.addresses)
             for e in rows[(page - 1) * per_page: page * per_page]]
    return Page(items=items, page=page, per_page=per_page, total=len(rows))


@router.get("/sections/{section_id}/versions/{number}", response_model=VersionOut)
def get_version(section_id: Id, number: Id, session: SessionDep):
    return _version(*service.version_entry(session, section_id=section_id, number=number))


@router.get("/sections/{section_id}/diff", response_model=DiffOut)
def diff(section_id: Id, session: SessionDep, from_: int = Query(alias="from", ge=1, le=1_000_000),
         to: int = Query(ge=1, le=1_000_000)):
    result = service.section_diff(session, section_id=section_id, from_number=from_, to_number=to)
    return DiffOut(from_=from_, to=to, ops=[DiffOpOut(op=o.op, text=o.text) for o in result.ops], html=result.html)


@router.post("/editions", status_code=201, response_model=EditionOut)
def publish_edition(data: EditionIn, lead: Lead, session: SessionDep):
    edition = editions.publish_edition(session, actor=lead, data=data)
    return _edition(editions.read_edition(session, edition_id=edition.id, with_paragraphs=False))


@router.get("/editions", response_model=Page[EditionOut])
def list_editions(session: SessionDep, document: str | None = Query(None, max_length=80),
                  page: int = Query(1, ge=1, le=100_000), per_page: int = Query(50, ge=1, le=200)):
    """Editions, newest first; `?document=slug` for one document."""
    rows = editions.list_editions(session, document_slug=document)
    items = [EditionOut(id=e.id, document=d.slug, number=e.number, title=e.title, published_at=e.published_at,
                        published_by=None) for e, d in rows[(page - 1) * per_page: page * per_page]]
    return Page(items=items, page=page, per_page=per_page, total=len(rows))


@router.get("/editions/compare", response_model=EditionComparisonOut)
def compare_editions(session: SessionDep, from_: int = Query(alias="from", ge=1, le=10**9),
                     to: int = Query(ge=1, le=10**9)):
    """Section by section: which sections changed between two editions of a document, with word diffs."""
    _old, _new, changes = editions.compare_editions(session, from_id=from_, to_id=to)
    return EditionComparisonOut(from_=from_, to=to, sections=[EditionChangeOut(
        section_id=c.section_id, label=c.label, title=c.title, status=c.status,
        from_version=c.old.version.number if c.old else None, to_version=c.new.version.number if c.new else None,
        diff=DiffOut(from_=c.diff.old.number, to=c.diff.new.number,
                     ops=[DiffOpOut(op=o.op, text=o.text) for o in c.diff.ops], html=c.diff.html) if c.diff else None)
        for c in changes])


@router.get("/editions/{edition_id}", response_model=EditionOut)
def get_edition(edition_id: Id, session: SessionDep):
    return _edition(editions.read_edition(session, edition_id=edition_id, with_paragraphs=False))

