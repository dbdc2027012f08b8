"""Pages of Stellungnahmen: the leads' workbench per round, one contribution's response with its history,
and the blocks other domains' pages show (section page, idea page, publish page; wired in app/wiring.py)."""

from typing import Annotated

from fastapi import Depends, Form, Request
from sqlmodel import Session

from app.accounts.models import Role, User
from app.deps import CurrentUser, OptionalUser, SessionDep, page_router, require_roles
from app.documents.models import Section, SectionVersion
from app.errors import DomainError
from app.responses import mine, service, workbench
from app.responses.models import STATUS_LABELS
from app.responses.schemas import ResponseIn
from app.validation import is_number, parse
from app.web.i18n import gettext as _
from app.web.i18n import ngettext
from app.web.templating import redirect, render

router = page_router()
Lead = Annotated[User, Depends(require_roles(Role.lead))]


def section_extension(request: Request, session: Session, section: Section, version: SectionVersion,
                      user: User | None, is_current: bool) -> dict:
    """Context for the section page: the comments this version took up, and the responses beside comments."""
    outcome, responses = service.section_page(session, version=version, viewer=user)
    return {"outcome": outcome, "responses": responses}



def idea_extension(request: Request, session: Session, idea, user: User | None) -> dict:
    """Context for the idea page: the current Stellungnahme (responses/_idea_response.html)."""
    return {"official_response": service.shown_one(session, kind="idea", target_id=idea.id)}


def publish_extension(session: Session, section: Section) -> dict:
    """Context for the leads' publish page: the visible comments of the section still without a response."""
    return {"open_comments": service.open_comments_view(session, section_id=section.id)}


def _version_id(value: str) -> int | None:
    return int(value) if is_number(value.strip()) else (None if not value.strip() else -1)


def _input(status: str, text: str, version_id: str) -> dict:
    return {"status": status, "text": text, "version_id": _version_id(version_id)}


# --- the workbench -------------------------------------------------------------------------------

@router.get("/runden/{round_id}/abwaegung", name="workbench")
def workbench_page(request: Request, round_id: int, lead: Lead, session: SessionDep):
    bench = workbench.build(session, round_id=round_id, viewer=lead, f=workbench.Filter.parse(request.query_params))
    return render(request, "responses/workbench.html", {"bench": bench, "values": {}, "errors": {}, "selected": set()})


@router.post("/runden/{round_id}/abwaegung")
def workbench_answer(request: Request, round_id: int, lead: Lead, session: SessionDep,
                     items: Annotated[list[str], Form()] = (), status: str = Form(""), text: str = Form(""),
                     version_id: str = Form(""), back: str = Form("")):
    items = list(items)[:1000]
    values = {"status": status, "text": text, "version_id": version_id}
    try:
        data = parse(ResponseIn, _input(**values))
        changed = service.respond_many(session, actor=lead, items=service.parse_items(items), data=data)
    except DomainError as exc:
        f = workbench.Filter.parse(request.query_params)
        bench = workbench.build(session, round_id=round_id, viewer=lead, f=f)
        return render(request, "responses/workbench.html", {
            "bench": bench, "values": values, "errors": dict(exc.errors), "message": exc.message,
            "selected": set(items)}, status_code=exc.status)
    query = back[:1000] if back.startswith("?") else ""
    return redirect(f"/runden/{round_id}/abwaegung{query}#fortschritt", flash=ngettext(
        "%(num)d Stellungnahme gespeichert.", "%(num)d Stellungnahmen gespeichert.", changed) % {"num": changed})


# --- one contribution ----------------------------------------------------------------------------

def _contribution(request: Request, session: Session, kind: str, target_id: int, user: User | None):
    view = service.contribution_view(session, kind=kind, target_id=target_id, viewer=user)
    return render(request, "responses/contribution.html",
                  {"view": view, "status_labels": STATUS_LABELS, "values": {}, "errors": {}})


def _answer(request: Request, session: Session, kind: str, target_id: int, user: User, values: dict):
    try:
        data = parse(ResponseIn, _input(**values))
        service.respond(session, actor=user, kind=kind, target_id=target_id, data=data)
    except DomainError as exc:
        view = service.contribution_view(session, kind=kind, target_id=target_id, viewer=user)
        return render(request, "responses/contribution.html", {
            "view": view, "status_labels": STATUS_LABELS, "values": values, "errors": dict(exc.errors),
            "message": exc.message}, status_code=exc.status)
    path = "beitraege" if kind == "comment" else "ideen"
    return redirect(f"/{path}/{target_id}/stellungnahme", flash=_("Die Stellungnahme ist gespeichert."))


@router.get("/beitraege/{comment_id}/stellungnahme", name="comment_response")
def comment_response(request: Request, comment_id: int, session: SessionDep, user: OptionalUser):
    return _contribution(request, session, "comment", comment_id, user)


@router.post("/beitraege/{comment_id}/stellungnahme")
def comment_answer(request: Request, comment_id: int, lead: Lead, session: SessionDep, status: str = Form(""),
                   text: str = Form(""), version_id: str = Form("")):
    return _answer(request, session, "comment", comment_id, lead,
                   {"status": status, "text": text, "version_id": version_id})


@router.get("/ideen/{idea_id}/stellungnahme", name="idea_response")
def idea_response(request: Request, idea_id: int, session: SessionDep, user: OptionalUser):
    return _contribution(request, session, "idea", idea_id, user)


@router.post("/ideen/{idea_id}/stellungnahme")
def idea_answer(request: Request, idea_id: int, lead: Lead, session: SessionDep, status: str = Form(""),
                text: str = Form(""), version_id: str = Form("")):
    return _answer(request, session, "idea", idea_id, lead, {"status": status, "text": text, "version_id": version_id})


@router.get("/meine-beitraege", name="my_contributions")
def my_contributions(request: Request, session: SessionDep, user: CurrentUser, kind: str = "", status: str = "",
                     round: str = "", page: int = 1):
    """Meine Beiträge: the person's comments, ideas and votes with their Stellungnahmen, filterable."""
    page = min(max(page, 1), 10_000)
    result = mine.my_contributions(session, user=user, filters=mine.MyFilter(kind=kind[:16], status=status[:16],
                                                                             round=round[:12]),
                                   page=page, per_page=50, strict=False)
    f = result.filter
    params = {k: v for k, v in (("kind", f.kind), ("status", f.status), ("round", f.round)) if v}
    return render(request, "responses/mine.html", {
        "mine": result, "f": f, "pages": (result.total + 49) // 50,
        "page_params": lambda n: {**params, "page": n}})
