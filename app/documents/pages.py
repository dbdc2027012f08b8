"""Pages of the document: reading, history and diffs, editions, exports, and the leads' editing pages.

URLs: /konzeption[/{slug}] (whole document), /abschnitte/{id} (section), /abschnitte/{id}/fassungen[/{n}]
(history, diff with ?von=&bis=, old version), /abschnitte/{id}/entwurf (draft editor),
/abschnitte/{id}/veroeffentlichen, /konzeption/{slug}/gliederung (structure), /konzeption/{slug}/gesamtfassungen,
/gesamtfassungen/{id}, /gesamtfassungen/vergleich?von=&bis=, …/export.md and …/export.html.
"""

import re
from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import ValidationError
from sqlmodel import Session

from app.accounts.models import Role, User
from app.deps import OptionalUser, SessionDep, page_router, require_roles
from app.documents import editions, export, importing, policy, service
from app.documents.models import Section, SectionVersion
from app.documents.schemas import (
    ChapterIn,
    DocumentIn,
    DraftIn,
    EditionIn,
    ImportIn,
    Move,
    PublishIn,
    Rename,
    SectionIn,
)
from app.errors import DomainError, Invalid
from app.validation import is_number, parse
from app.web.i18n import gettext as _
from app.web.templating import env, redirect, render

router = page_router()
Lead = Annotated[User, Depends(require_roles(Role.lead, Role.admin))]
Id = Annotated[int, Path(ge=1, le=2_147_483_647)]  # ids beyond 32 bits do not exist (and overflow drivers)

# Other domains (discussion, responses) add context to the section and old-version pages without this module
# importing them: each returns a dict merged into the template context. The bool is True on the
# current version's page and False on an old version's page. Filled by app.wiring.wire().
SectionExtension = Callable[[Request, Session, Section, SectionVersion, User | None, bool], dict]
SECTION_EXTENSIONS: list[SectionExtension] = []
# The same for the leads' publish page (responses: the open comments this version may take up).
PublishExtension = Callable[[Session, Section], dict]
PUBLISH_EXTENSIONS: list[PublishExtension] = []


def _extensions(request: Request, session: Session, view: service.SectionView, user: User | None) -> dict:
    context: dict = {}
    if view.version is not None:
        for extension in SECTION_EXTENSIONS:
            context.update(extension(request, session, view.section, view.version, user, view.is_current) or {})
    return context


# --- reading -----------------------------------------------------------------------------------

def _document_page(request: Request, session: Session, slug: str, user: User | None) -> Response:
    content = service.outline(session, slug=slug, with_content=True, drafts=policy.can_see_drafts(user))
    return render(request, "documents/document.html", {
        "outline": content, "can_edit": policy.can_edit_document(user),
        "others": [d for d in service.list_documents(session) if d.id != content.document.id]})


@router.get("/konzeption", name="document_default")
def document_default(request: Request, session: SessionDep, user: OptionalUser):
    document = service.default_document(session)
    if document is None:
        return render(request, "documents/empty.html", {"can_edit": policy.can_edit_document(user)})
    return _document_page(request, session, document.slug, user)


@router.get("/konzeption/neu", name="document_new")
def document_new(request: Request, user: Lead):
    return render(request, "documents/new.html", {"values": {}, "errors": {}})


@router.post("/konzeption/neu")
def document_create(request: Request, user: Lead, session: SessionDep, title: str = Form(""), slug: str = Form(""),
                    description: str = Form(""), file: UploadFile | None = File(None)):
    if file is not None and file.filename:  # a file chosen: its preview first, whichever button was pressed
        return document_new_import(request, user, title, slug, description, file)
    values = {"title": title, "slug": slug, "description": description}
    try:
        document = service.create_document(session, actor=user, data=parse(DocumentIn, values))
    except DomainError as exc:
        return render(request, "documents/new.html", {"values": values, "errors": dict(exc.errors),
                                                      "message": exc.message}, status_code=exc.status)
    return redirect(f"/konzeption/{document.slug}/gliederung", flash=_("Das Dokument ist angelegt."))


@router.get("/konzeption/{slug}", name="document")
def document(request: Request, slug: str, session: SessionDep, user: OptionalUser):
    return _document_page(request, session, slug, user)


def _download(body: str, filename: str, media_type: str) -> Response:
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": f"attachment; filename=\"{quote(filename)}\""})


def _export_html(data: export.Export) -> str:
    return env.get_template("documents/export.html").render(export=data)


@router.get("/konzeption/{slug}/export.md", name="document_export_md")
def document_export_md(slug: str, session: SessionDep):
    data = export.current_document(session, slug=slug)
    return _download(export.markdown(data), f"{data.filename}.md", "text/markdown; charset=utf-8")


@router.get("/konzeption/{slug}/export.html", name="document_export_html")
def document_export_html(slug: str, session: SessionDep):
    data = export.current_document(session, slug=slug)
    return _download(_export_html(data), f"{data.filename}.html", "text/html; charset=utf-8")


def _section_page(request: Request, session: Session, user: User | None, section_id: int,
                  number: int | None) -> Response:
    view = service.section_view(session, section_id=section_id, number=number, drafts=policy.can_see_drafts(user))
    can_edit = policy.can_edit_document(user)
    pending = can_edit and view.section.id in service.pending_drafts(session, slug=view.document.slug)
    return render(request, "documents/section.html", {
        "view": view, "paragraphs": view.paragraphs, "can_edit": can_edit, "draft_pending": pending,
        **_extensions(request, session, view, user)})


@router.get("/abschnitte/{section_id}", name="section")
def section(request: Request, section_id: Id, session: SessionDep, user: OptionalUser):
    return _section_page(request, session, user, section_id, None)


@router.get("/abschnitte/{section_id}/fassungen/{number}", name="section_version")
def section_version(request: Request, section_id: Id, number: Id, session: SessionDep, user: OptionalUser):
    return _section_page(request, session, user, section_id, number)


@router.get("/abschnitte/{section_id}/fassungen", name="section_history")
def history(request: Request, section_id: Id, session: SessionDep, user: OptionalUser,
            von: int | None = Query(None, ge=1, le=1_000_000), bis: int | None = Query(None, ge=1, le=1_000_000)):
    view = service.section_view(session, section_id=section_id, drafts=policy.can_see_drafts(user))
    versions = service.list_versions(session, section_id=section_id)
    diff = None
    if versions and len(versions) > 1:
        newest = versions[0].version.number
        to = bis or newest
        frm = von or max(1, to - 1)
        diff = service.section_diff(session, section_id=section_id, from_number=frm, to_number=to)
    return render(request, "documents/history.html",
                  {"view": view, "versions": versions, "diff": diff, "can_edit": policy.can_edit_document(user)},
                  block="diff")


# --- the leads' structure page -------------------------------------------------------------------

def _structure(request: Request, session: Session, slug: str, *, message: str | None = None,
               errors: dict | None = None, status_code: int = 200) -> Response:
    return render(request, "documents/structure.html", {
        "outline": service.outline(session, slug=slug, drafts=True),
        "pending": service.pending_drafts(session, slug=slug),
        "message": message, "errors": errors or {}}, status_code=status_code)


@router.get("/konzeption/{slug}/gliederung", name="document_structure")
def structure(request: Request, slug: str, session: SessionDep, user: Lead):
    return _structure(request, session, slug)


def _structure_error(request: Request, session: Session, slug: str, exc: DomainError) -> Response:
    return _structure(request, session, slug, message=exc.message, errors=dict(exc.errors),
                      status_code=exc.status)


@router.post("/konzeption/{slug}/kapitel")
def chapter_create(request: Request, slug: str, session: SessionDep, user: Lead, title: str = Form("")):
    try:
        service.create_chapter(session, actor=user, slug=slug, data=parse(ChapterIn, {"title": title}))
    except DomainError as exc:
        return _structure_error(request, session, slug, exc)
    return redirect(f"/konzeption/{slug}/gliederung", flash=_("Das Kapitel ist angelegt."))


def _slug_of_chapter(session: Session, chapter_id: int) -> str:
    return service.document_of_chapter(session, service.get_chapter(session, chapter_id)).slug


@router.post("/kapitel/{chapter_id}/umbenennen")
def chapter_rename(request: Request, chapter_id: Id, session: SessionDep, user: Lead, title: str = Form("")):
    slug = _slug_of_chapter(session, chapter_id)
    try:
        service.rename_chapter(session, actor=user, chapter_id=chapter_id, title=parse(Rename, {"title": title}).title)
    except DomainError as exc:
        return _structure_error(request, session, slug, exc)
    return redirect(f"/konzeption/{slug}/gliederung", flash=_("Das Kapitel ist umbenannt."))


@router.post("/kapitel/{chapter_id}/verschieben")
def chapter_move(chapter_id: Id, session: SessionDep, user: Lead, direction: str = Form("")):
    slug = _slug_of_chapter(session, chapter_id)
    move = parse(Move, {"direction": direction or None})
    service.move_chapter(session, actor=user, chapter_id=chapter_id, direction=move.direction)
    return redirect(f"/konzeption/{slug}/gliederung#kapitel-{chapter_id}", flash=_("Die Reihenfolge ist geändert."))


@router.post("/kapitel/{chapter_id}/abschnitte")
def section_create(request: Request, chapter_id: Id, session: SessionDep, user: Lead, title: str = Form("")):
    slug = _slug_of_chapter(session, chapter_id)
    try:
        section = service.create_section(session, actor=user, chapter_id=chapter_id,
                                         data=parse(SectionIn, {"title": title, "body": ""}))
    except DomainError as exc:
        return _structure_error(request, session, slug, exc)
    return redirect(f"/abschnitte/{section.id}/entwurf", flash=_("Der Abschnitt ist angelegt. Schreiben Sie jetzt "
                                                                 "den Entwurf."))


@router.post("/abschnitte/{section_id}/umbenennen")
def section_rename(request: Request, section_id: Id, session: SessionDep, user: Lead, title: str = Form("")):
    section = service.get_section(session, section_id)
    slug = _slug_of_chapter(session, section.chapter_id)
    try:
        service.rename_section(session, actor=user, section_id=section_id, title=parse(Rename, {"title": title}).title)
    except DomainError as exc:
        return _structure_error(request, session, slug, exc)
    return redirect(f"/konzeption/{slug}/gliederung", flash=_("Der Abschnitt ist umbenannt."))


@router.post("/abschnitte/{section_id}/verschieben")
def section_move(section_id: Id, session: SessionDep, user: Lead, direction: str = Form("")):
    section = service.get_section(session, section_id)
    slug = _slug_of_chapter(session, section.chapter_id)
    move = parse(Move, {"direction": direction or None})
    service.move_section(session, actor=user, section_id=section_id, direction=move.direction)
    return redirect(f"/konzeption/{slug}/gliederung#abschnitt-{section_id}", flash=_("Die Reihenfolge ist geändert."))


# --- drafts and publishing -------------------------------------------------------------------------

def _draft_page(request: Request, session: Session, section_id: int, *, values: dict | None = None,
                errors: dict | None = None, message: str | None = None, conflict=None, preview: str | None = None,
                status_code: int = 200, block: str | None = None) -> Response:
    view = service.section_view(session, section_id=section_id)
    draft = service.get_draft(session, section_id=section_id)
    values = values or {"title": draft.title, "body": draft.body, "revision": draft.revision}
    return render(request, "documents/draft.html", {
        "view": view, "draft": draft, "values": values, "errors": errors or {}, "message": message,
        "conflict": conflict, "preview": service.preview(values["body"]) if preview is None else preview},
        status_code=status_code, block=block)


@router.get("/abschnitte/{section_id}/entwurf", name="draft")
def draft_form(request: Request, section_id: Id, session: SessionDep, user: Lead):
    return _draft_page(request, session, section_id)


@router.post("/abschnitte/{section_id}/entwurf")
def draft_save(request: Request, section_id: Id, session: SessionDep, user: Lead, title: str = Form(""),
               body: str = Form(""), revision: str = Form("")):
    values = {"title": title, "body": body, "revision": revision}
    try:
        service.save_draft(session, actor=user, section_id=section_id,
                           data=parse(DraftIn, {"title": title, "body": body, "revision": revision}))
    except service.StaleDraft as exc:
        return _draft_page(request, session, section_id, values={**values, "revision": exc.draft.revision},
                           message=exc.message, conflict={"theirs": exc.draft, "mine": values}, status_code=409)
    except DomainError as exc:
        return _draft_page(request, session, section_id, values=values, errors=dict(exc.errors),
                           message=exc.message, status_code=exc.status)
    return redirect(f"/abschnitte/{section_id}/entwurf", flash=_("Der Entwurf ist gespeichert."))


@router.post("/abschnitte/{section_id}/vorschau", name="draft_preview")
def draft_preview(request: Request, section_id: Id, session: SessionDep, user: Lead, title: str = Form(""),
                  body: str = Form(""), revision: str = Form("")):
    """The live preview (an htmx fragment), or without JavaScript the editor with the preview filled in."""
    return _draft_page(request, session, section_id, values={"title": title, "body": body, "revision": revision},
                       block="preview")


def _publish_page(request: Request, session: Session, section_id: int, *, values: dict | None = None,
                  errors: dict | None = None, message: str | None = None, status_code: int = 200) -> Response:
    pending = service.draft_changes(session, section_id=section_id)
    context = {"view": pending.view, "draft": pending.draft, "diff_html": pending.html,
               "unchanged": pending.unchanged, "values": values or {}, "errors": errors or {}, "message": message}
    for extension in PUBLISH_EXTENSIONS:
        context.update(extension(session, pending.view.section))
    return render(request, "documents/publish.html", context, status_code=status_code)


@router.get("/abschnitte/{section_id}/veroeffentlichen", name="publish")
def publish_form(request: Request, section_id: Id, session: SessionDep, user: Lead):
    return _publish_page(request, session, section_id)


def _comment_ids(text: str) -> list[int]:
    parts = [p for p in re.split(r"[\s,;]+", text.strip()) if p]
    if any(not is_number(p) for p in parts):
        raise Invalid(_("Bitte prüfen Sie Ihre Eingaben."),
                      errors=[("addresses", _("Bitte nur Beitragsnummern angeben, getrennt durch Kommas."))])
    return [int(p) for p in parts]


@router.post("/abschnitte/{section_id}/veroeffentlichen")
def publish(request: Request, section_id: Id, session: SessionDep, user: Lead, change_summary: str = Form(""),
            addresses: str = Form(""), addressed: list[str] = Form([]), revision: str = Form("")):
    ticked = [int(v) for v in addressed if is_number(v)]
    values = {"change_summary": change_summary, "addresses": addresses, "addressed": set(ticked)}
    try:
        ids = list(dict.fromkeys(ticked + _comment_ids(addresses)))  # ticked boxes and typed numbers, once each
        data = parse(PublishIn, {"change_summary": change_summary, "addresses": ids, "revision": revision or None})
        version = service.publish_version(session, actor=user, section_id=section_id,
                                          change_summary=data.change_summary, addresses=data.addresses,
                                          revision=data.revision)
    except DomainError as exc:
        return _publish_page(request, session, section_id, values=values, errors=dict(exc.errors),
                             message=exc.message, status_code=exc.status)
    return redirect(f"/abschnitte/{section_id}",
                    flash=_("Fassung {n} ist veröffentlicht.").format(n=version.number))


# --- editions --------------------------------------------------------------------------------------

def _editions_page(request: Request, session: Session, slug: str, user: User | None, *, values: dict | None = None,
                   errors: dict | None = None, message: str | None = None, status_code: int = 200) -> Response:
    document = service.get_document(session, slug)
    return render(request, "documents/editions.html", {
        "document": document, "editions": editions.list_editions(session, document_slug=slug),
        "can_publish": policy.can_publish(user), "values": values or {}, "errors": errors or {},
        "message": message}, status_code=status_code)


@router.get("/konzeption/{slug}/gesamtfassungen", name="editions")
def editions_page(request: Request, slug: str, session: SessionDep, user: OptionalUser):
    return _editions_page(request, session, slug, user)


@router.post("/konzeption/{slug}/gesamtfassungen")
def edition_create(request: Request, slug: str, session: SessionDep, user: Lead, title: str = Form("")):
    try:
        edition = editions.publish_edition(session, actor=user, data=parse(EditionIn, {"document": slug,
                                                                                        "title": title}))
    except DomainError as exc:
        return _editions_page(request, session, slug, user, values={"title": title}, errors=dict(exc.errors),
                              message=exc.message, status_code=exc.status)
    return redirect(f"/gesamtfassungen/{edition.id}", flash=_("Die Gesamtfassung ist veröffentlicht."))


@router.get("/gesamtfassungen/vergleich", name="editions_compare")
def editions_compare(request: Request, session: SessionDep, von: int = Query(ge=1, le=10**9),
                     bis: int = Query(ge=1, le=10**9)):
    old, new, changes = editions.compare_editions(session, from_id=von, to_id=bis)
    return render(request, "documents/edition_compare.html", {"old": old, "new": new, "changes": changes})


@router.get("/gesamtfassungen/{edition_id}", name="edition")
def edition(request: Request, edition_id: Id, session: SessionDep):
    view = editions.read_edition(session, edition_id=edition_id)
    others = [e for e, _d in editions.list_editions(session, document_slug=view.document.slug)]
    return render(request, "documents/edition.html", {"view": view, "others": others})


@router.get("/gesamtfassungen/{edition_id}/export.md", name="edition_export_md")
def edition_export_md(edition_id: Id, session: SessionDep):
    data = export.edition(session, edition_id=edition_id)
    return _download(export.markdown(data), f"{data.filename}.md", "text/markdown; charset=utf-8")


@router.get("/gesamtfassungen/{edition_id}/export.html", name="edition_export_html")
def edition_export_html(edition_id: Id, session: SessionDep):
    data = export.edition(session, edition_id=edition_id)
    return _download(_export_html(data), f"{data.filename}.html", "text/html; charset=utf-8")


# --- importing a draft from a file (Markdown, DOCX, ODT): upload → preview → confirm ------------------------

def _uploaded(file: UploadFile | None) -> tuple[str, bytes]:
    if file is None or not file.filename:
        raise Invalid(_("Bitte eine Datei wählen."), errors=[("file", _("Bitte eine Datei wählen."))])
    return file.filename, file.file.read(importing.MAX_FILE_BYTES + 1)


def _import_form(request: Request, slug: str | None, values: dict, exc: DomainError | None = None) -> Response:
    return render(request, "documents/import.html", {
        "slug": slug, "values": values, "errors": dict(exc.errors) if exc else {},
        "message": exc.message if exc else None}, status_code=exc.status if exc else 200)


def _preview(request: Request, slug: str | None, values: dict, outline: ImportIn, title: str,
             notes: list[str], exc: DomainError | None = None) -> Response:
    return render(request, "documents/import_preview.html", {
        "slug": slug, "values": values, "title": title, "notes": notes,
        "chapters": [{"title": c.title, "sections": [{"title": s.title, "html": service.preview(s.body)}
                                                     for s in c.sections]} for c in outline.chapters],
        "section_count": sum(len(c.sections) for c in outline.chapters),
        "outline_json": outline.model_dump_json(), "message": exc.message if exc else None},
        status_code=exc.status if exc else 200)


def _read_upload(file: UploadFile | None) -> tuple[ImportIn, importing.Outline]:
    outline = importing.read(*_uploaded(file))
    return parse(ImportIn, asdict(outline)), outline


@router.post("/konzeption/neu/import", name="document_new_import")
def document_new_import(request: Request, user: Lead, title: str = Form(""), slug: str = Form(""),
                        description: str = Form(""), file: UploadFile | None = File(None)):
    values = {"title": title, "slug": slug, "description": description}
    try:
        parse(DocumentIn, values)
        data, outline = _read_upload(file)
    except DomainError as exc:
        return render(request, "documents/new.html", {"values": values, "errors": dict(exc.errors),
                                                      "message": exc.message}, status_code=exc.status)
    return _preview(request, None, values, data, outline.title, outline.notes)


@router.post("/konzeption/neu/import/uebernehmen", name="document_new_import_confirm")
def document_new_import_confirm(request: Request, user: Lead, session: SessionDep, title: str = Form(""),
                                slug: str = Form(""), description: str = Form(""), outline: str = Form("")):
    values = {"title": title, "slug": slug, "description": description}
    data = _confirmed_outline(outline)
    try:
        result = service.import_outline(session, actor=user, data=data, new=parse(DocumentIn, values))
    except DomainError as exc:
        return _preview(request, None, values, data, "", [], exc)
    return redirect(f"/konzeption/{result.document.slug}/gliederung",
                    flash=_("Das Dokument ist angelegt und der Entwurf übernommen. Prüfen Sie die Abschnitte und "
                            "veröffentlichen Sie sie."))


@router.get("/konzeption/{slug}/import", name="document_import")
def document_import(request: Request, slug: str, session: SessionDep, user: Lead):
    service.get_document(session, slug)
    return _import_form(request, slug, {})


@router.post("/konzeption/{slug}/import")
def document_import_preview(request: Request, slug: str, session: SessionDep, user: Lead,
                            file: UploadFile | None = File(None)):
    service.get_document(session, slug)
    try:
        data, outline = _read_upload(file)
    except DomainError as exc:
        return _import_form(request, slug, {}, exc)
    return _preview(request, slug, {}, data, outline.title, outline.notes)


@router.post("/konzeption/{slug}/import/uebernehmen", name="document_import_confirm")
def document_import_confirm(request: Request, slug: str, session: SessionDep, user: Lead, outline: str = Form("")):
    data = _confirmed_outline(outline)
    try:
        result = service.import_outline(session, actor=user, data=data, slug=slug)
    except DomainError as exc:
        return _preview(request, slug, {}, data, "", [], exc)
    return redirect(f"/konzeption/{result.document.slug}/gliederung",
                    flash=_("Der Entwurf ist übernommen. Prüfen Sie die Abschnitte und veröffentlichen Sie sie."))


def _confirmed_outline(outline: str) -> ImportIn:
    try:
        return ImportIn.model_validate_json(outline or "{}")
    except ValidationError:
        raise Invalid(_("Die Vorschau ist unvollständig oder verändert. Bitte laden Sie die Datei erneut hoch.")) \
            from None
