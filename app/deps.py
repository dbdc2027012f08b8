"""Request dependencies shared by every domain: the DB session, the current user, routers."""

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from app.accounts import service as accounts
from app.accounts.models import Role, User
from app.db import SessionDep as SessionDep  # the request's session, with its lifecycle (app/db.py)
from app.db import SessionRoute, get_engine, lookup_session
from app.errors import Forbidden, Unauthorized
from app.web.i18n import gettext as _
from app.web.security import csrf_protect

SESSION_COOKIE = "qw_session"

def bearer_token(request: Request) -> str | None:
    auth = request.headers.get("Authorization", "")
    scheme, _sep, token = auth.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


async def load_user(request: Request, session: SessionDep) -> User | None:
    """API requests authenticate by bearer token, pages by the session cookie (CSRF-protected).

    Asynchronous, and no trip through the thread pool: the token's user is read on the event loop as the page
    cache reads (SQLite: its own connection to the local file; PostgreSQL: an asynchronous connection), one
    indexed row, and only once a request: a page the cache looked at comes with the row it read (session_user).
    Under load each trip through the pool is a wait for a thread and then for the loop; a write makes one, its
    endpoint's. Should that read fail, the lookup runs in the pool as before (its errors are the ones the app
    answers, e.g. 503 while the database is away)."""
    api = request.url.path.startswith("/api/")
    token = bearer_token(request) if api else request.cookies.get(SESSION_COOKIE)
    user = None
    if token:
        kind = "api" if api else "session"
        try:
            user = await _user_on_loop(token, kind, getattr(request.state, USER_ROW, None))
        except Exception:  # noqa: BLE001 - the pooled lookup below gives the error its proper answer
            user = await run_in_threadpool(_user_for_token, token, kind)
        if user is not None:
            session.add(user)  # a detached instance of its own (no copy, no SQL): now the request session's
    request.state.user = user
    return user


USER_ROW = "user_row"  # in a request's state: (session token, the row read for it, None if not valid)


async def session_user(token: str, state: dict) -> int | None:
    """The user id of a valid browser session, for the page cache (it keys logged-in pages by it). The row read
    stays in the request's state: should the page be rendered, load_user takes the user from it."""
    row = await _user_row(token, "session")
    state[USER_ROW] = (token, row)
    return accounts.user_id_of_row(row) if row else None


async def _user_row(token: str, kind: str) -> tuple | None:
    from app.cache import rows_on_loop

    query = accounts.user_row_query(token, kind=kind, dialect_name=get_engine().dialect.name)
    rows = await rows_on_loop(*query) if query else None
    return rows[0] if rows else None


async def _user_on_loop(token: str, kind: str, kept: tuple | None = None) -> User | None:
    """The token's user, from the row the page cache kept for this request's session (`kept`) or read now."""
    row = kept[1] if kept is not None and kept[0] == token and kind == "session" else await _user_row(token, kind)
    return accounts.user_from_row(row, dialect_name=get_engine().dialect.name) if row else None


def _user_for_token(token: str, kind: str) -> User | None:
    # Looked up in a session of its own, which frees its connection at once: the request's session starts
    # its work in the next trip through the thread pool (holding a connection across that wait can exhaust
    # the pool), and on SQLite a writer's first statement takes the write lock, which a read need not hold.
    with lookup_session() as lookup:
        return accounts.user_for_token(lookup, token, kind=kind)


OptionalUser = Annotated[User | None, Depends(load_user)]


async def current_user(user: OptionalUser) -> User:  # async: no trip through the thread pool
    if user is None:
        raise Unauthorized(_("Bitte melden Sie sich an."))
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require_roles(*roles: Role) -> Callable[..., User]:
    """A dependency that lets only the given roles through (401 without login, 403 otherwise)."""
    allowed = {r.value for r in roles}

    async def dependency(user: CurrentUser) -> User:
        if user.role not in allowed:
            raise Forbidden(_("Diese Aktion ist für Ihre Rolle nicht vorgesehen."))
        return user

    return dependency


def page_router(**kwargs) -> APIRouter:
    """Every page router checks CSRF on unsafe methods and knows the current user."""
    return APIRouter(dependencies=[Depends(csrf_protect), Depends(load_user)], include_in_schema=False,
                     route_class=SessionRoute,
                     **kwargs)


API_PREFIX = "/api/v1"


def api_router(**kwargs) -> APIRouter:
    """A domain's part of the JSON API: its routes carry the whole path (/api/v1/…), see app/main.py."""
    return APIRouter(prefix=API_PREFIX, route_class=SessionRoute, **kwargs)
