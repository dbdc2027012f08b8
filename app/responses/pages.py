"""Pages of Stellungnahmen: the leads' workbench per round, one contribution's response with its history,
and the blocks other domains' pages show (section page, idea page, publish page; wired in app/wiring.py)."""

from typing import Annotated

from fastapi import Depends, Form, Request
from sqlmodel import Session

from app.accounts.models import Role, User
from app.db import writes
from app.deps import CurrentUser, OptionalUser, SessionDep, page_router, require_roles
from app.documents.models import Section, SectionVersion
from app.errors import DomainError, Invalid
from app.responses import casework, mine, service, workbench
from app.responses.models import DRAFT_STATE_LABELS, STATUS_LABELS
from app.responses.schemas import NoteIn, ResponseIn, UnitIn, UnitPatch
from app.validation import is_number, parse
from app.web.i18n import gettext as _
from app.web.i18n import ngettext
from app.web.templating import redirect, render

router = page_router()
Lead = Annotated[User, Depends(require_roles(Role.lead))]
Admin = Annotated[User, Depends(require_roles(Role.admin))]


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
        "%(num)d Stellungnahme freigegeben und veröffentlicht.",
        "%(num)d Stellungnahmen freigegeben und veröffentlicht.", changed) % {"num": changed})


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
    return redirect(f"/{path}/{target_id}/stellungnahme",
                    flash=_("Die Stellungnahme ist freigegeben und veröffentlicht."))


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


# --- the workbench of the three offices: one contribution's casework, similar groups, the units -----

ACTIONS = ("assign", "note", "draft", "approve", "publish")


def _act(session: Session, lead: User, action: str, items: list[tuple[str, int]], form: dict) -> str:
    """One step of the workbench for the chosen contributions; the flash message that tells what happened."""
    if action == "assign":
        unit_id = casework.optional_id(form.get("unit_id", ""), "unit_id")
        assignee_id = casework.optional_id(form.get("assignee_id", ""), "assignee_id")
        n = casework.assign(session, actor=lead, items=items, unit_id=unit_id, assignee_id=assignee_id)
        return ngettext("%(num)d Beitrag zugewiesen.", "%(num)d Beiträge zugewiesen.", n) % {"num": n}
    if action == "note":
        data = parse(NoteIn, {"body": form.get("body", "")})
        kind, target_id = items[0]
        casework.add_note(session, actor=lead, kind=kind, target_id=target_id, body=data.body)
        return _("Die interne Notiz ist gespeichert.")
    if action == "draft":
        data = parse(ResponseIn, _input(form.get("status", ""), form.get("text", ""), form.get("version_id", "")))
        n = casework.save_draft(session, actor=lead, items=items, data=data)
        return ngettext("%(num)d Antwortentwurf gespeichert.", "%(num)d Antwortentwürfe gespeichert.", n) % {"num": n}
    if action == "approve":
        n = casework.approve(session, actor=lead, items=items)
        return ngettext("%(num)d Antwort freigegeben.", "%(num)d Antworten freigegeben.", n) % {"num": n}
    if action == "publish":
        n = casework.publish(session, actor=lead, items=items)
        return ngettext("%(num)d Stellungnahme veröffentlicht.", "%(num)d Stellungnahmen veröffentlicht.", n) % {
            "num": n}
    raise Invalid(_("Unbekannter Arbeitsschritt."))


def _case_page(request: Request, session: Session, lead: User, round_id: int, target: str, target_id: int, *,
               status_code: int = 200, values: dict | None = None, errors: dict | None = None, first_use: bool = False,
               **extra):
    view = casework.case_view(session, viewer=lead, round_id=round_id, slug=target, target_id=target_id,
                              first_use=first_use)
    return render(request, "responses/casework.html", {
        "view": view, "status_labels": STATUS_LABELS, "draft_labels": DRAFT_STATE_LABELS,
        "values": values or {}, "errors": errors or {}, "action": "", **extra}, status_code=status_code)


@router.get("/runden/{round_id}/abwaegung/gruppen", name="similar_groups")
def similar_groups(request: Request, round_id: int, lead: Lead, session: SessionDep, offen: str = ""):
    return _groups_page(request, session, lead, round_id, open_only=offen == "1")


def _groups_page(request: Request, session: Session, lead: User, round_id: int, *, open_only: bool,
                 status_code: int = 200, **extra):
    round_ = casework.round_of(session, round_id)
    groups = casework.round_groups(session, viewer=lead, round_id=round_id, open_only=open_only)
    return render(request, "responses/groups.html", {
        "round": round_, "groups": groups, "open_only": open_only, "units": casework.list_units(session),
        "leads": casework.leads(session), "status_labels": STATUS_LABELS, "draft_labels": DRAFT_STATE_LABELS,
        "values": extra.pop("values", {}), "errors": extra.pop("errors", {}), "group_number": extra.pop("group", None),
        **extra}, status_code=status_code)


@router.post("/runden/{round_id}/abwaegung/gruppen")
def similar_groups_act(request: Request, round_id: int, lead: Lead, session: SessionDep,
                       items: Annotated[list[str], Form()] = (), action: str = Form(""), group: str = Form(""),
                       unit_id: str = Form(""), assignee_id: str = Form(""), status: str = Form(""),
                       text: str = Form(""), offen: str = Form("")):
    form = {"unit_id": unit_id, "assignee_id": assignee_id, "status": status, "text": text, "version_id": ""}
    try:
        if action not in ACTIONS or action == "note":
            raise Invalid(_("Unbekannter Arbeitsschritt."))
        chosen = service.parse_items(list(items)[:casework.MAX_ITEMS + 1])
        casework.check_in_round(session, round_id=round_id, items=chosen)
        flash = _act(session, lead, action, chosen, form)
    except DomainError as exc:
        return _groups_page(request, session, lead, round_id, open_only=offen == "1", status_code=exc.status,
                            values=form, errors=dict(exc.errors), message=exc.message, group=group)
    anchor = f"#gruppe-{group}" if group.isdigit() else ""
    return redirect(f"/runden/{round_id}/abwaegung/gruppen{'?offen=1' if offen == '1' else ''}{anchor}", flash=flash)


@router.get("/runden/{round_id}/abwaegung/{target}/{target_id}", name="casework")
@writes  # the three offices are made on first use
def casework_page(request: Request, round_id: int, target: str, target_id: int, lead: Lead, session: SessionDep):
    return _case_page(request, session, lead, round_id, target, target_id, first_use=True)


@router.post("/runden/{round_id}/abwaegung/{target}/{target_id}")
def casework_act(request: Request, round_id: int, target: str, target_id: int, lead: Lead, session: SessionDep,
                 action: str = Form(""), unit_id: str = Form(""), assignee_id: str = Form(""), body: str = Form(""),
                 status: str = Form(""), text: str = Form(""), version_id: str = Form("")):
    form = {"unit_id": unit_id, "assignee_id": assignee_id, "body": body, "status": status, "text": text,
            "version_id": version_id}
    try:
        view = casework.case_view(session, viewer=lead, round_id=round_id, slug=target, target_id=target_id)
        flash = _act(session, lead, action, [(view.kind, view.id)], form)
    except DomainError as exc:
        if exc.status == 404:
            raise
        session.rollback()
        return _case_page(request, session, lead, round_id, target, target_id, values=form,
                          errors=dict(exc.errors), message=exc.message, action=action, status_code=exc.status)
    anchors = {"assign": "#zustaendigkeit", "note": "#notizen", "draft": "#antwort", "approve": "#antwort",
               "publish": "#antwort"}
    return redirect(f"/runden/{round_id}/abwaegung/{target}/{target_id}{anchors.get(action, '')}", flash=flash)


@router.get("/verwaltung/zustaendigkeiten", name="units")
@writes  # the three offices are made on first use
def units_page(request: Request, admin: Admin, session: SessionDep):
    units = casework.units_for(session, viewer=admin, include_inactive=True)
    return render(request, "responses/units.html", {"units": units, "values": {}, "errors": {}})


@router.post("/verwaltung/zustaendigkeiten")
def units_act(request: Request, admin: Admin, session: SessionDep, action: str = Form(""), unit_id: str = Form(""),
              name: str = Form("")):
    try:
        if action == "add":
            data = parse(UnitIn, {"name": name})
            casework.add_unit(session, actor=admin, name=data.name)
            flash = _("Die Zuständigkeit „{name}“ ist angelegt.").format(name=data.name)
        elif action in ("rename", "activate", "deactivate"):
            uid = casework.optional_id(unit_id, "unit_id")
            if uid is None:
                raise Invalid(_("Bitte wählen Sie eine Zuständigkeit."))
            data = parse(UnitPatch, {"name": name} if action == "rename" else {"active": action == "activate"})
            unit = casework.change_unit(session, actor=admin, unit_id=uid, name=data.name, active=data.active)
            flash = _("Die Zuständigkeit „{name}“ ist geändert.").format(name=unit.name)
        else:
            raise Invalid(_("Unbekannter Arbeitsschritt."))
    except DomainError as exc:
        session.rollback()
        units = casework.list_units(session, active_only=False)
        return render(request, "responses/units.html", {
            "units": units, "values": {"name": name, "unit_id": unit_id, "action": action},
            "errors": dict(exc.errors), "message": exc.message}, status_code=exc.status)
    return redirect("/verwaltung/zustaendigkeiten", flash=flash)


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
