"""HTML pages of the accounts domain: register, log in and out, invitations, Meine Daten, administration."""

import json
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Form, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.accounts import policy, service
from app.accounts.models import ROLE_LABELS, OrganisationKind, Role, User
from app.accounts.schemas import AcceptInvitationIn, InvitationIn, RegisterIn, RoleChange, TokenIn
from app.db import writes
from app.deps import SESSION_COOKIE, CurrentUser, SessionDep, page_router, require_roles
from app.errors import Conflict, DomainError, Invalid
from app.validation import parse
from app.web.i18n import gettext as _
from app.web.security import is_https
from app.web.templating import redirect, render, safe_next

router = page_router()
Admin = Annotated[User, Depends(require_roles(Role.admin))]
Inviter = Annotated[User, Depends(require_roles(Role.lead, Role.admin))]


def _ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _form_error(request: Request, template: str, exc: DomainError, values: dict, **ctx) -> Response:
    """Re-render a form with the message beside each field and the user's input kept (and, on the forms that ask
    for consent, the boxes not ticked marked at once, not only after the other fields are right)."""
    errors = dict(exc.errors)
    if "accept_terms" in values:
        errors = dict(service.consent_errors(accept_terms=values["accept_terms"],
                                             acknowledge_privacy=values["acknowledge_privacy"])) | errors
    return render(request, template, {"errors": errors, "message": exc.message, "values": values, **ctx},
                  status_code=exc.status if exc.status != 401 else 400)


@router.get("/registrieren", name="register")
def register_form(request: Request):
    return render(request, "accounts/register.html", {"values": {}, "errors": {}})


@router.post("/registrieren")
def register(request: Request, session: SessionDep, email: str = Form(""), display_name: str = Form(""),
             password: str = Form(""), accept_terms: str = Form(""), acknowledge_privacy: str = Form("")):
    consent = {"accept_terms": bool(accept_terms), "acknowledge_privacy": bool(acknowledge_privacy)}
    values = {"email": email, "display_name": display_name, **consent}
    try:
        data = parse(RegisterIn, {"email": email, "display_name": display_name, "password": password, **consent})
        message = service.register_resident(session, data=data, ip=_ip(request))
    except DomainError as exc:
        return _form_error(request, "accounts/register.html", exc, values)
    return render(request, "accounts/done.html", {"title": _("Registrierung"), "message": message})


@router.get("/konto/bestaetigen/{token}", name="confirm_email")
@writes  # a link in an e-mail: a GET that stores the confirmation
def confirm_email(token: str, session: SessionDep):
    if service.confirm_email(session, token=token):
        return redirect("/anmelden", flash=_("Ihre E-Mail-Adresse ist bestätigt. Sie können sich jetzt anmelden."))
    return redirect("/anmelden", flash=_("Ihre E-Mail-Adresse ist bereits bestätigt. Sie können sich anmelden."))


@router.get("/anmelden", name="login")
def login_form(request: Request, next: str = "/"):
    return render(request, "accounts/login.html", {"values": {}, "errors": {}, "next": safe_next(next)})


@router.post("/anmelden")
def login(request: Request, session: SessionDep, email: str = Form(""), password: str = Form(""),
          next: str = Form("/"), accept_terms: str = Form(""), acknowledge_privacy: str = Form(""),
          decline: str = Form("")):
    if decline:  # "Nicht zustimmen": no password needed, nothing stored, no session
        return render(request, "accounts/login.html", {
            "values": {"email": email}, "errors": {}, "next": safe_next(next),
            "message": _("Sie haben nicht zugestimmt und bleiben abgemeldet. Ihr Konto und Ihre Beiträge bleiben "
                         "bestehen; Sie können sich jederzeit wieder anmelden und zustimmen, oder uns schreiben "
                         "(siehe Impressum).")})
    consent = {"accept_terms": bool(accept_terms), "acknowledge_privacy": bool(acknowledge_privacy)}
    try:
        data = parse(TokenIn, {"email": email, "password": password, **consent})
        user, token = service.login(session, data=data, ip=_ip(request))
    except service.ConsentRequired as exc:  # a new version of the terms or privacy text: ask, stay logged out
        return render(request, "accounts/login.html", {
            "values": {"email": email}, "errors": {}, "message": exc.message, "next": safe_next(next),
            "consent_missing": exc.missing}, status_code=403)
    except DomainError as exc:
        response = _form_error(request, "accounts/login.html", exc, {"email": email}, next=safe_next(next))
        if exc.status == 429:
            response.headers["Retry-After"] = str(getattr(exc, "retry_after", 60))
        return response
    response = redirect(safe_next(next), flash=_("Willkommen, {name}!").format(name=user.display_name))
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=is_https(request.scope),
                        path="/", max_age=14 * 24 * 3600)
    return response


@router.post("/abmelden", name="logout")
def logout(request: Request, session: SessionDep):
    service.revoke_token(session, request.cookies.get(SESSION_COOKIE))
    response = redirect("/", flash=_("Sie sind abgemeldet."))
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/einladung/{token}", name="invitation")
def invitation_form(request: Request, token: str, session: SessionDep):
    invitation = service.open_invitation(session, token=token)
    return render(request, "accounts/invitation.html",
                  {"invitation": invitation, "token": token, "values": {}, "errors": {}})


@router.post("/einladung/{token}")
def accept_invitation(request: Request, token: str, session: SessionDep, display_name: str = Form(""),
                      password: str = Form(""), accept_terms: str = Form(""), acknowledge_privacy: str = Form("")):
    invitation = service.open_invitation(session, token=token)
    consent = {"accept_terms": bool(accept_terms), "acknowledge_privacy": bool(acknowledge_privacy)}
    try:
        data = parse(AcceptInvitationIn, {"display_name": display_name, "password": password, **consent})
        service.accept_invitation(session, token=token, data=data)
    except DomainError as exc:
        return _form_error(request, "accounts/invitation.html", exc, {"display_name": display_name, **consent},
                           invitation=invitation, token=token)
    return redirect("/anmelden", flash=_("Willkommen! Ihr Konto ist angelegt; bitte melden Sie sich an."))


@router.get("/konto", name="account")
def account(request: Request, user: CurrentUser):
    return render(request, "accounts/account.html", {"errors": {}})


@router.post("/konto/benachrichtigungen")
def notifications(user: CurrentUser, session: SessionDep, notify_responses: str = Form(""),
                  notify_idea_status: str = Form(""), notify_replies: str = Form(""), notify_versions: str = Form(""),
                  notify_rounds: str = Form(""), notify_moderation: str = Form(""), notify_block: str = Form(""),
                  notify_flags: str = Form(""), notify_digest: str = Form("")):
    given = {"notify_responses": notify_responses, "notify_idea_status": notify_idea_status,
             "notify_replies": notify_replies, "notify_versions": notify_versions, "notify_rounds": notify_rounds,
             "notify_moderation": notify_moderation, "notify_block": notify_block, "notify_flags": notify_flags}
    service.update_notifications(session, user=user, chosen={name for name, value in given.items() if value},
                                 digest=notify_digest == "1")
    return redirect("/konto", flash=_("Ihre Einstellungen sind gespeichert."))


@router.get("/konto/daten.json", name="my_data")
def my_data(user: CurrentUser, session: SessionDep):
    body = json.dumps(service.export_my_data(session, user=user), ensure_ascii=False, indent=2)
    return Response(body, media_type="application/json",
                    headers={"Content-Disposition": 'attachment; filename="meine-daten.json"'})


@router.post("/konto/loeschen")
def delete_account(request: Request, user: CurrentUser, session: SessionDep, password: str = Form(""),
                   confirm: str = Form(""), erase: str = Form("")):
    try:
        if confirm != "ja":
            raise Invalid(_("Bitte bestätigen Sie, dass Sie Ihr Konto löschen möchten."),
                          errors=[("confirm", _("Bitte bestätigen Sie, dass Sie Ihr Konto löschen möchten."))])
        service.delete_account(session, user=user, password=password, erase_texts=bool(erase))
    except DomainError as exc:
        return render(request, "accounts/account.html", {"errors": dict(exc.errors), "message": exc.message},
                      status_code=exc.status)
    response = redirect("/", flash=_("Ihr Konto ist gelöscht. Ihre Beiträge bleiben als „gelöschtes Konto“ sichtbar."))
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/verwaltung/einladungen", name="invitations")
def invitations_form(request: Request, user: Inviter):
    return render(request, "accounts/invite.html", {"values": {}, "errors": {}, "kinds": list(OrganisationKind)})


@router.post("/verwaltung/einladungen")
def invite(request: Request, user: Inviter, session: SessionDep, email: str = Form(""),
           organisation: str = Form(""), organisation_kind: str = Form("")):
    values = {"email": email, "organisation": organisation, "organisation_kind": organisation_kind}
    try:
        data = parse(InvitationIn, {"email": email, "organisation": organisation,
                                    "organisation_kind": organisation_kind or None})
        invitation, token = service.invite_expert(session, actor=user, data=data)
    except DomainError as exc:
        return _form_error(request, "accounts/invite.html", exc, values, kinds=list(OrganisationKind))
    return render(request, "accounts/invite.html", {
        "values": {}, "errors": {}, "kinds": list(OrganisationKind), "created": invitation,
        "link": service.invitation_url(token)})


def _users_page(request: Request, session: Session, *, page: int, q: str, role_error: tuple[int, str] | None = None,
                status_code: int = 200) -> Response:
    page = max(1, min(page, 100_000))
    rows, total = service.list_users(session, page=page, per_page=50, q=q[:100])
    return render(request, "accounts/users.html", {"rows": rows, "total": total, "page": page, "q": q[:100],
                                                   "roles": list(Role), "can_manage": policy.can_manage_users,
                                                   "role_error": role_error}, status_code=status_code)


@router.get("/verwaltung/nutzer", name="users")
def users(request: Request, admin: Admin, session: SessionDep, page: int = 1, q: str = ""):
    return _users_page(request, session, page=page, q=q)


@router.post("/verwaltung/nutzer/{user_id}/rolle")
def change_role(request: Request, user_id: int, admin: Admin, session: SessionDep, role: str = Form(""),
                organisation: str = Form(""), page: str = Form("1"), q: str = Form("")):
    page = int(page) if page.isdigit() and len(page) < 7 else 1  # a hidden field: echo it back, never refuse it
    try:
        data = parse(RoleChange, {"role": role, "organisation": organisation})
        changed = service.change_role(session, actor=admin, user_id=user_id, data=data)
    except (Conflict, Invalid) as exc:  # the list again, with the reason beside the refused control
        message = exc.errors[0][1] if exc.errors else exc.message
        return _users_page(request, session, page=page, q=q, role_error=(user_id, message), status_code=exc.status)
    back = "/verwaltung/nutzer" + (f"?{urlencode({'page': page, 'q': q[:100]})}" if page > 1 or q else "")
    return redirect(back, flash=_("Die Rolle von {name} ist jetzt „{role}“.").format(
        name=changed.display_name, role=_(ROLE_LABELS[changed.role])))
