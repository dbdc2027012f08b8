"""Map errors to RFC 9457 problem details (API) or friendly German pages (HTML)."""

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import Busy, DomainError, RateLimited, Unauthorized
from app.validation import field_errors
from app.web import templating
from app.web.i18n import gettext as _

log = logging.getLogger("quartierswerkstatt")

TITLES = {400: "Ungültige Anfrage", 401: "Anmeldung erforderlich", 403: "Nicht erlaubt",
          404: "Nicht gefunden", 405: "Methode nicht erlaubt", 409: "Konflikt", 413: "Anfrage zu groß",
          415: "Format nicht unterstützt", 422: "Ungültige Eingabe", 429: "Zu viele Anfragen",
          500: "Interner Fehler", 503: "Vorübergehend nicht verfügbar"}


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def problem(status: int, detail: str, *, errors: list[tuple[str, str]] | None = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict = {"type": "about:blank", "title": _(TITLES.get(status, "Fehler")), "status": status,
                  "detail": detail}
    if errors:
        body["errors"] = [{"field": f, "message": m} for f, m in errors]
    return JSONResponse(body, status_code=status, headers=headers, media_type="application/problem+json")


def error_page(request: Request, status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    response = templating.render(request, "errors/error.html",
                                 {"status": status, "title": _(TITLES.get(status, "Fehler")), "detail": detail},
                                 status_code=status)
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


def _respond(request: Request, status: int, detail: str, errors=None, headers=None) -> Response:
    if is_api(request):
        return problem(status, detail, errors=errors, headers=headers)
    return error_page(request, status, detail, headers)


def busy_detail() -> str:
    return _("Gerade bearbeiten viele gleichzeitig dieselben Daten. Bitte versuchen Sie es in einigen Sekunden "
             "noch einmal.")


async def domain_error(request: Request, exc: DomainError) -> Response:
    if isinstance(exc, Busy):
        return await busy(request, exc)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
    if isinstance(exc, Unauthorized) and not is_api(request) and request.method == "GET":
        return RedirectResponse(f"/anmelden?next={quote(request.url.path)}", status_code=303)
    if isinstance(exc, Unauthorized) and is_api(request):
        headers = {"WWW-Authenticate": "Bearer"}
    return _respond(request, exc.status, exc.message, exc.errors, headers)


async def validation_error(request: Request, exc: RequestValidationError) -> Response:
    errors = field_errors(list(exc.errors()), skip_prefix=("body", "query", "path"))
    if not is_api(request) and any(str(e.get("loc", [""])[0]) == "path" for e in exc.errors()):
        return error_page(request, 404, _("Diese Seite gibt es nicht."))
    return _respond(request, 422, _("Bitte prüfen Sie Ihre Eingaben."), errors)


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _allowed_methods(request: Request) -> str:
    """Every method of the path, not only those of the first route that matched it (one route per method)."""
    routes = request.app.router.routes
    return ", ".join(m for m in METHODS if any(route.matches({**request.scope, "method": m})[0] == Match.FULL
                                               for route in routes))


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    detail = exc.detail if isinstance(exc.detail, str) else ""
    if exc.status_code == 404:
        detail = _("Diese Seite gibt es nicht.") if not is_api(request) else _("Nicht gefunden.")
    headers = getattr(exc, "headers", None)
    if exc.status_code == 405:
        headers = {**(headers or {}), "Allow": _allowed_methods(request)}
    return _respond(request, exc.status_code, _(detail) if detail else _(TITLES.get(exc.status_code, "Fehler")),
                    headers=headers)


def is_lock_timeout(exc: Exception) -> bool:
    """A lock wait that ran out (QW_LOCK_TIMEOUT_SECONDS): SQLite's busy timeout, PostgreSQL's lock_timeout."""
    orig = getattr(exc, "orig", None)
    return (getattr(orig, "sqlstate", None) == "55P03"  # lock_not_available
            or (isinstance(exc, OperationalError) and "database is locked" in str(orig)))


async def busy(request: Request, exc: Exception) -> Response:
    log.warning("lock wait timed out on %s %s: %s", request.method, request.url.path, exc)
    return _respond(request, 503, busy_detail(), headers={"Retry-After": str(Busy.retry_after)})


async def database_unavailable(request: Request, exc: Exception) -> Response:
    if is_lock_timeout(exc):
        return await busy(request, exc)
    log.error("database unavailable: %s", exc)
    return _respond(request, 503, _("Die Datenbank ist gerade nicht erreichbar. Bitte versuchen Sie es gleich "
                                    "noch einmal."), headers={"Retry-After": "5"})


async def integrity_error(request: Request, exc: Exception) -> Response:
    log.warning("integrity error on %s %s: %s", request.method, request.url.path, exc)
    return _respond(request, 409, _("Das widerspricht vorhandenen Daten (z. B. ein Duplikat)."))


async def data_error(request: Request, exc: Exception) -> Response:
    if request.method in ("GET", "HEAD", "DELETE") and "out of range" in str(getattr(exc, "orig", exc)):
        return await out_of_range(request, exc)  # an id beyond the column's range names nothing
    return _respond(request, 422, _("Die Eingabe enthält ungültige Zeichen oder Werte."))


async def out_of_range(request: Request, exc: Exception) -> Response:
    """An id beyond what the database can store (e.g. 2**63) names nothing: 404, not a crash."""
    return _respond(request, 404, _("Nicht gefunden.") if is_api(request) else _("Diese Seite gibt es nicht."))


async def unexpected(request: Request, exc: Exception) -> Response:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return _respond(request, 500, _("Ein unerwarteter Fehler ist aufgetreten."))


class UnexpectedErrors:
    """An unexpected error becomes a clean 500 answer, and the request ends normally.

    Starlette's handler for `Exception` (ServerErrorMiddleware) sends the 500 and then re-raises, so that the
    server sees a failed request and closes the keep-alive connection: the client's next request on it fails.
    Installed innermost, this answers first (inside the security headers and the locale) and raises nothing.
    An error after the response has begun cannot be answered any more: it goes on to the server, which
    closes the connection (the only honest end of a half-sent response)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:
                raise
            response = await unexpected(Request(scope, receive), exc)
            await response(scope, receive, send)


PROBLEM_SCHEMA = {
    "title": "Problem", "type": "object", "required": ["type", "title", "status"],
    "description": "RFC 9457 problem details",
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "required": ["field", "message"], "properties": {
            "field": {"type": "string"}, "message": {"type": "string"}}}},
    },
}


def _document_problems(app: FastAPI) -> None:
    """The OpenAPI document says what the API really sends on errors: problem details, not FastAPI's default."""
    original = app.openapi

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        spec = original()
        spec.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        problem_content = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for path, item in spec.get("paths", {}).items():
            if not path.startswith("/api/"):
                continue
            for operation in item.values():
                responses = operation.setdefault("responses", {})
                for code, response in responses.items():
                    if code.isdigit() and int(code) >= 400:
                        response["content"] = problem_content
                responses.setdefault("default", {"description": "Problem details (RFC 9457)",
                                                 "content": problem_content})
        app.openapi_schema = spec
        return spec

    app.openapi = openapi


def install(app: FastAPI) -> None:
    _document_problems(app)
    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(OperationalError, database_unavailable)
    app.add_exception_handler(DBAPIError, database_unavailable)
    app.add_exception_handler(IntegrityError, integrity_error)
    app.add_exception_handler(DataError, data_error)
    app.add_exception_handler(OverflowError, out_of_range)
    app.add_exception_handler(Exception, unexpected)  # errors in the outer middleware (see UnexpectedErrors)
