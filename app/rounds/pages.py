"""HTML pages of rounds: the timeline, a round, the lead's forms; a start-page panel."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Form, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.accounts.models import Role, User
from app.deps import CurrentUser, SessionDep, page_router, require_roles
from app.errors import DomainError
from app.rounds import policy, service
from app.rounds.models import Audience
from app.rounds.schemas import BERLIN, RoundIn
from app.validation import parse
from app.web import templating
from app.web.i18n import gettext as _
from app.web.templating import redirect, render

router = page_router()
# What later domains show on a round's page (filled in app/wiring.py): each gives safe HTML, or "".
ROUND_EXTENSIONS: list[Callable[[Request, Session, object], str]] = []
Lead = Annotated[User, Depends(require_roles(Role.lead, Role.admin))]


def _choices(session) -> dict:
    return {"documents": service.documents(session), "sections": service.sections_for_choice(session),
            "audiences": [(a.value, _(policy.AUDIENCE_LABELS[a.value])) for a in Audience]}


def _values(round_=None, ids=None) -> dict:
    if round_ is None:
        return {"section_ids": []}
    return {"document": str(round_.document_id), "title": round_.title, "description": round_.description,
            "opens_at": round_.opens_at.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": round_.closes_at.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M"),
            "audience": round_.audience, "section_ids": [str(i) for i in ids or []]}


def _form_data(document, title, description, opens_at, closes_at, audience, section_ids) -> dict:
    return {"document": document, "title": title, "description": description, "opens_at": opens_at,
            "closes_at": closes_at, "audience": audience, "section_ids": section_ids}


def _form_error(request: Request, session, exc: DomainError, values: dict, round_=None) -> Response:
    return render(request, "rounds/form.html", {"errors": dict(exc.errors), "message": exc.message,
                                                "values": values, "round": round_, **_choices(session)},
                  status_code=exc.status if exc.status != 401 else 400)


@router.get("/runden", name="rounds")
def rounds(request: Request, session: SessionDep):
    return render(request, "rounds/index.html", {"groups": service.timeline(session),
                                                 "may_manage": policy.can_manage_rounds(request.state.user),
                                                 **_labels()})


def _labels() -> dict:
    return {"audience_labels": policy.AUDIENCE_LABELS, "state_labels": service.STATE_LABELS,
            "state_of": service.effective_state}


@router.get("/runden/neu", name="round_new")
def new_round(request: Request, lead: Lead, session: SessionDep):
    return render(request, "rounds/form.html", {"errors": {}, "values": _values(), "round": None,
                                                **_choices(session)})


@router.post("/runden/neu")
def create_round(request: Request, lead: Lead, session: SessionDep, document: str = Form(""),
                 title: str = Form(""), description: str = Form(""), opens_at: str = Form(""),
                 closes_at: str = Form(""), audience: str = Form(""), section_ids: list[str] = Form([])):
    values = _form_data(document, title, description, opens_at, closes_at, audience, section_ids)
    try:
        round_ = service.create_round(session, actor=lead, data=parse(RoundIn, values))
    except DomainError as exc:
        return _form_error(request, session, exc, values)
    return redirect(f"/runden/{round_.id}", flash=_("Die Beteiligungsrunde ist angelegt."))


@router.get("/runden/{round_id}", name="round")
def round_detail(request: Request, round_id: int, session: SessionDep):
    round_ = service.get_round(session, round_id)
    ids = set(service.section_ids(session, round_id))
    sections = [(sid, label) for sid, label in service.sections_for_choice(session, round_.document_id) if sid in ids]
    return render(request, "rounds/detail.html", {
        "round": round_, "state": service.effective_state(round_), "sections": sections,
        "extensions": [extension(request, session, round_) for extension in ROUND_EXTENSIONS],
        "may_manage": policy.can_manage_rounds(request.state.user),
        "following": service.is_following(session, round_id=round_id, user=request.state.user), **_labels()})


@router.post("/runden/{round_id}/folgen", name="follow_round")
def follow_round(round_id: int, user: CurrentUser, session: SessionDep, follow: str = Form("1")):
    following = service.set_follow(session, actor=user, round_id=round_id, follow=follow == "1")
    return redirect(f"/runden/{round_id}", flash=_(
        "Sie folgen dieser Runde: Wir schreiben Ihnen, wenn sie öffnet und einen Tag bevor sie schließt.")
        if following else _("Sie folgen dieser Runde nicht mehr."))


@router.get("/runden/{round_id}/bearbeiten", name="round_edit")
def edit_round(request: Request, round_id: int, lead: Lead, session: SessionDep):
    round_ = service.get_round(session, round_id)
    return render(request, "rounds/form.html", {"errors": {}, "round": round_, **_choices(session),
                                                "values": _values(round_, service.section_ids(session, round_id))})


@router.post("/runden/{round_id}/bearbeiten")
def update_round(request: Request, round_id: int, lead: Lead, session: SessionDep, document: str = Form(""),
                 title: str = Form(""), description: str = Form(""), opens_at: str = Form(""),
                 closes_at: str = Form(""), audience: str = Form(""), section_ids: list[str] = Form([])):
    values = _form_data(document, title, description, opens_at, closes_at, audience, section_ids)
    round_ = service.get_round(session, round_id)
    try:
        service.update_round(session, actor=lead, round_id=round_id, data=parse(RoundIn, values))
    except DomainError as exc:
        return _form_error(request, session, exc, values, round_)
    return redirect(f"/runden/{round_id}", flash=_("Die Änderungen sind gespeichert."))


STATE_FLASH = {"open": "Die Runde ist jetzt offen.", "close": "Die Runde ist geschlossen.",
               "evaluate": "Die Runde ist als ausgewertet markiert."}


@router.post("/runden/{round_id}/stand")
def change_state(round_id: int, lead: Lead, session: SessionDep, action: str = Form("")):
    try:
        service.change_state(session, actor=lead, round_id=round_id, action=action)
    except DomainError as exc:
        return redirect(f"/runden/{round_id}", flash=exc.message)
    return redirect(f"/runden/{round_id}", flash=_(STATE_FLASH[action]))


def current_round_panel(request: Request, session: Session) -> str | None:
    """Start-page panel: every open round this visitor can join (for anonymous visitors: which ones registering
    would open), the other open ones, and the coming ones, each with all its sections."""
    rounds = service.home_rounds(session, user=getattr(request.state, "user", None))
    if not (rounds.joinable or rounds.after_registration or rounds.others or rounds.coming):
        return None
    return templating.env.get_template("rounds/_home_panel.html").render(
        rounds=rounds, user=getattr(request.state, "user", None), audience_labels=policy.AUDIENCE_LABELS)