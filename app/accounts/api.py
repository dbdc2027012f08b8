"""JSON API of the accounts domain."""

from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.responses import Response

from app import audit
from app.accounts import service
from app.accounts.models import Role, User
from app.accounts.schemas import (
    AcceptInvitationIn,
    InvitationIn,
    InvitationOut,
    Me,
    RegisterIn,
    RegisterOut,
    RoleChange,
    TokenIn,
    TokenOut,
    UserCreate,
    UserPublic,
)
from app.deps import CurrentUser, SessionDep, api_router, bearer_token, require_roles
from app.schemas import AuditOut, Page

router = api_router(tags=["accounts"])
Admin = Annotated[User, Depends(require_roles(Role.admin))]
Inviter = Annotated[User, Depends(require_roles(Role.lead, Role.admin))]
AuditReader = Annotated[User, Depends(require_roles(Role.lead, Role.admin))]


def _ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/tokens", status_code=201, response_model=TokenOut)
def create_token(data: TokenIn, request: Request, session: SessionDep):
    user, token = service.login(session, data=data, ip=_ip(request), kind="api")
    return TokenOut(token=token, user=Me.model_validate(user))


@router.delete("/tokens/current", status_code=204)
def revoke_token(request: Request, user: CurrentUser, session: SessionDep):
    service.revoke_token(session, bearer_token(request))
    return Response(status_code=204)


@router.get("/me", response_model=Me)
def me(user: CurrentUser):
    return user


@router.get("/me/export")
def my_data(user: CurrentUser, session: SessionDep) -> dict:
    return service.export_my_data(session, user=user)


@router.post("/register", status_code=202, response_model=RegisterOut)
def register(data: RegisterIn, request: Request, session: SessionDep):
    return RegisterOut(detail=service.register_resident(session, data=data, ip=_ip(request)))


@router.get("/users", response_model=Page[UserPublic])
def list_users(admin: Admin, session: SessionDep, page: int = Query(1, ge=1, le=100_000),
               per_page: int = Query(50, ge=1, le=200), q: str = Query("", max_length=100)):
    rows, total = service.list_users(session, page=page, per_page=per_page, q=q)
    return Page(items=[UserPublic.model_validate(u) for u in rows], page=page, per_page=per_page, total=total)


@router.post("/users", status_code=201, response_model=Me)
def create_user(data: UserCreate, admin: Admin, session: SessionDep):
    return service.create_user(session, actor=admin, data=data)


@router.put("/users/{user_id}/role", response_model=Me)
def change_role(user_id: int, data: RoleChange, admin: Admin, session: SessionDep):
    return service.change_role(session, actor=admin, user_id=user_id, data=data)


@router.post("/invitations", status_code=201, response_model=InvitationOut)
def invite(data: InvitationIn, inviter: Inviter, session: SessionDep):
    invitation, token = service.invite_expert(session, actor=inviter, data=data)
    return InvitationOut(id=invitation.id, email=invitation.email, organisation=invitation.organisation,
                         token=token, url=service.invitation_url(token), expires_at=invitation.expires_at)


@router.post("/invitations/{token}/accept", status_code=201, response_model=Me)
def accept_invitation(token: str, data: AcceptInvitationIn, session: SessionDep):
    return service.accept_invitation(session, token=token, data=data)


@router.get("/audit", response_model=Page[AuditOut])
def audit_log(reader: AuditReader, session: SessionDep, page: int = Query(1, ge=1, le=100_000),
              per_page: int = Query(50, ge=1, le=200), action: str | None = Query(None, max_length=64)):
    rows, total = audit.list_entries(session, page=page, per_page=per_page, action=action)
    return Page(items=[AuditOut.model_validate(r) for r in rows], page=page, per_page=per_page, total=total)
