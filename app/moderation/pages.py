"""Pages of moderation: flag a contribution, the moderators' queue with hide/restore/dismiss/block, and the
audit log for the administration and the project lead."""

from typing import Annotated

from fastapi import Depends, Form, Request

from app.accounts.models import Role, User
from app.deps import CurrentUser, SessionDep, page_router, require_roles
from app.errors import DomainError
from app.moderation import service
from app.moderation.schemas import BlockIn, FlagIn, ReasonIn
from app.validation import parse
from app.web import i18n
from app.web.i18n import gettext as _
from app.web.templating import redirect, render

router = page_router()
Moderator = Annotated[User, Depends(require_roles(Role.moderator))]
AuditReader = Annotated[User, Depends(require_roles(Role.admin, Role.lead))]
TARGETS = {"beitrag": "comment", "idee": "idea"}


def _kind(slug: str) -> str:
    return TARGETS.get(slug, "unknown")


@router.get("/melden/{target}/{target_id}", name="flag")
def flag_form(request: Request, target: str, target_id: int, user: CurrentUser, session: SessionDep):
    item = service.flag_target(session, user=user, kind=_kind(target), target_id=target_id)
    return render(request, "moderation/flag.html", {"item": item, "values": {}, "errors": {}})


@router.post("/melden/{target}/{target_id}")
def flag(request: Request, target: str, target_id: int, user: CurrentUser, session: SessionDep,
         reason: str = Form("")):
    item = service.flag_target(session, user=user, kind=_kind(target), target_id=target_id)
    try:
        service.flag(session, user=user, data=parse(FlagIn, {"target": item.kind, "target_id": target_id,
                                                             "reason": reason}))
    except DomainError as exc:
        return render(request, "moderation/flag.html", {"item": item, "values": {"reason": reason},
                                                        "errors": dict(exc.errors), "message": exc.message},
                      status_code=exc.status)
    return redirect(item.url, flash=_("Danke, die Moderation sieht sich den Beitrag an."))


@router.get("/moderation", name="moderation_queue")
def queue(request: Request, moderator: Moderator, session: SessionDep, page: int = 1):
    page = max(1, min(page, 10_000))
    entries, total = service.queue(session, actor=moderator, page=page, per_page=50)
    return render(request, "moderation/queue.html", {
        "entries": entries, "total": total, "page": page, "pages": max(1, -(-total // 50)),
        "hidden": service.recently_hidden(session, actor=moderator), "errors": {}})


def _back(flash: str):
    return redirect("/moderation", flash=flash)


@router.post("/moderation/{target}/{target_id}/ausblenden")
def hide(request: Request, target: str, target_id: int, moderator: Moderator, session: SessionDep,
         reason: str = Form("")):
    try:
        data = parse(ReasonIn, {"reason": reason})
        service.hide(session, actor=moderator, kind=_kind(target), target_id=target_id, reason=data.reason)
    except DomainError as exc:
        return _back(exc.errors[0][1] if exc.errors else exc.message)
    return _back(_("Der Beitrag ist ausgeblendet."))


@router.post("/moderation/{target}/{target_id}/wiederherstellen")
def restore(target: str, target_id: int, moderator: Moderator, session: SessionDep, reason: str = Form("")):
    try:
        service.restore(session, actor=moderator, kind=_kind(target), target_id=target_id, reason=reason[:2000])
    except DomainError as exc:
        return _back(exc.message)
    return _back(_("Der Beitrag ist wieder sichtbar."))


@router.post("/moderation/{target}/{target_id}/zurueckweisen")
def dismiss(target: str, target_id: int, moderator: Moderator, session: SessionDep, reason: str = Form("")):
    try:
        service.dismiss(session, actor=moderator, kind=_kind(target), target_id=target_id, reason=reason[:2000])
    except DomainError as exc:
        return _back(exc.message)
    return _back(_("Die Meldungen sind zurückgewiesen; der Beitrag bleibt sichtbar."))


@router.post("/moderation/konten/{user_id}/sperren")
def block(user_id: int, moderator: Moderator, session: SessionDep, days: str = Form(""), reason: str = Form("")):
    try:
        data = parse(BlockIn, {"days": days, "reason": reason})
        blocked = service.block(session, actor=moderator, user_id=user_id, data=data)
    except DomainError as exc:
        return _back(exc.errors[0][1] if exc.errors else exc.message)
    return _back(_("Das Konto ist gesperrt bis {date}.").format(date=i18n.format_date(blocked.blocked_until)))


@router.get("/verwaltung/protokoll", name="audit_log")
def audit_log(request: Request, reader: AuditReader, session: SessionDep, page: int = 1, action: str = ""):
    result = service.audit_page(session, page=max(1, min(page, 100_000)), action=action[:64])
    return render(request, "moderation/audit.html", {"log": result})
