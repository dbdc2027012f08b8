"""Plain ASGI middleware: locale, CSRF cookie, body size limit and security headers."""

import hmac
import re
import secrets
from urllib.parse import parse_qs

from starlette.requests import Request, cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import Forbidden
from app.settings import get_settings
from app.web import i18n

CSRF_COOKIE = "qw_csrf"
CSRF_FIELD = "csrf_token"
# A token as token_urlsafe makes them (a visitor's cookie may say anything): shown in a page unescaped, so a
# cached copy can swap it for the next visitor's (app/web/pagecache.py), and of a bounded length.
CSRF_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,128}")
CSRF_HEADER = "X-CSRF-Token"
LANG_COOKIE = "qw_lang"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"geolocation=(), camera=(), microphone=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class BodyTooLarge(Exception):
    pass


def _cookies(scope: Scope) -> dict[str, str]:
    """The request's cookies, read by Starlette's own parser so that every layer sees the same ones."""
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            return cookie_parser(value.decode("latin-1"))
    return {}


def is_https(scope: Scope) -> bool:
    return scope.get("scheme") == "https" or get_settings().cookie_secure


def cookie_header(name: str, value: str, *, scope: Scope, max_age: int | None = None,
                  http_only: bool = True) -> bytes:
    parts = [f"{name}={value}", "Path=/", "SameSite=Lax"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if http_only:
        parts.append("HttpOnly")
    if is_https(scope):
        parts.append("Secure")
    return "; ".join(parts).encode("latin-1")


class SecurityMiddleware:
    """Sets the request's locale and CSRF token, limits the body size, adds security headers."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = get_settings()
        path: str = scope["path"]
        limit = settings.max_import_bytes if path == "/api/v1/import" else settings.max_body_bytes
        length = None
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    too_large = int(value) > limit
                except ValueError:
                    too_large = True
                if too_large:
                    await _send_413(scope, send)
                    return
                length = value
        if length is None and scope.get("method") in UNSAFE_METHODS:
            # A body without Content-Length (chunked) is read here up to the limit: raised inside the app's
            # body parsing, the limit would turn into a 400 "cannot parse" instead of a 413.
            buffered = await _buffer(receive, limit)
            if buffered is None:
                await _send_413(scope, send)
                return
            receive = _replay(buffered, receive)

        cookies = _cookies(scope)
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        lang_query = (query.get("lang") or [None])[0]
        locale = i18n.pick_locale(lang_query, cookies.get(LANG_COOKIE))
        token = i18n.current_locale.set(locale)
        csrf = cookies.get(CSRF_COOKIE)
        new_csrf = None
        if csrf is None or not CSRF_SHAPE.fullmatch(csrf):
            csrf = new_csrf = secrets.token_urlsafe(32)
        state = scope.setdefault("state", {})
        state["csrf_token"] = csrf
        state["locale"] = locale
        state["cookies"] = cookies

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # a copy, the route's own headers kept (a page may set its own CSP); names are lower case in ASGI
                headers = message["headers"] = list(message.get("headers", ()))
                present = {name for name, _value in headers}
                headers.extend(header for header in SECURITY_HEADERS if header[0] not in present)
                if new_csrf:
                    headers.append((b"set-cookie", cookie_header(CSRF_COOKIE, new_csrf, scope=scope)))
                if lang_query in i18n.LOCALES:
                    headers.append((b"set-cookie", cookie_header(
                        LANG_COOKIE, lang_query, scope=scope, max_age=365 * 24 * 3600)))
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except BodyTooLarge:
            await _send_413(scope, send)
        finally:
            i18n.current_locale.reset(token)


async def _buffer(receive: Receive, limit: int) -> list[Message] | None:
    messages, size = [], 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages
        size += len(message.get("body", b""))
        if size > limit:
            return None
        if not message.get("more_body"):
            return messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()

    return replay


async def _send_413(scope: Scope, send: Send) -> None:
    if scope["path"].startswith("/api/"):
        body = (b'{"type":"about:blank","title":"Anfrage zu gro\xc3\x9f","status":413,'
                b'"detail":"Der Inhalt der Anfrage ist zu gro\xc3\x9f."}')
        ctype = b"application/problem+json"
    else:
        body = "<!doctype html><title>413</title><p>Der Inhalt der Anfrage ist zu groß.</p>".encode()
        ctype = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})


def csrf_token(request: Request) -> str:
    return request.scope.get("state", {}).get("csrf_token", "")


async def csrf_protect(request: Request) -> None:
    """Router dependency for pages: unsafe requests must echo the CSRF cookie in a field or header."""
    if request.method not in UNSAFE_METHODS:
        return
    expected = request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD, "")
            sent = value if isinstance(value, str) else ""
    if not expected or not sent or not hmac.compare_digest(expected.encode(), sent.encode()):
        raise Forbidden("Das Formular ist abgelaufen oder ungültig (CSRF-Prüfung). "
                        "Bitte laden Sie die Seite neu und senden Sie es erneut.")
