"""Pages served from memory while the content generation is unchanged; ETag and 304.

GET requests without a pending flash message and without htmx headers are cached: anonymous ones shared by
all visitors, logged-in ones (session cookie) per person, after the session has been checked in the database
on every request (so logging out, expiry or a block take effect at once). Any change to content, including a
person's own votes, role or block, raises the generation and so ends every cached copy. Entries also age out
after MAX_AGE seconds, so what depends on the clock (a round closing, an edit window) is never long stale.
The per-visitor CSRF token in a page is swapped for a placeholder when stored and for the visitor's own
token when served. Bearer-token (API) requests with a token are not cached.
"""

import hashlib
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import cache

PLACEHOLDER = b"__QW_CSRF_TOKEN__"
SKIP_PREFIXES = ("/static/", "/healthz", "/docs", "/konto", "/verwaltung", "/anmelden", "/registrieren",
                 "/einladung")
CACHEABLE_TYPES = (b"text/html", b"application/json")
MAX_ENTRY_BYTES = 2 * 1024 * 1024
MAX_AGE = 60.0
SESSION_COOKIE = "qw_session"


class PageCache:
    def __init__(self, app: ASGIApp, max_entries: int = 2000, max_bytes: int = 64 * 1024 * 1024,
                 session_user: Callable[[str], int | None] | None = None,
                 session_user_local: Callable[[str], int | None] | None = None,
                 session_user_async: Callable[[str], Awaitable[int | None]] | None = None):
        """`session_user(token)` → the user id of a valid session (None: logged-in pages are not cached);
        `session_user_local` the same on SQLite, fast enough to call on the event loop."""
        self.app = app
        self.entries: OrderedDict[tuple, tuple[int, int, list, bytes, str, float]] = OrderedDict()
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.size = 0
        self.session_user = session_user
        self.session_user_local = session_user_local
        self.session_user_async = session_user_async

    def _cacheable(self, scope: Scope) -> tuple[bool, str | None]:
        """Whether to use the cache, and the session token of a logged-in request."""
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith(SKIP_PREFIXES):
            return False, None
        for name, _value in scope["headers"]:
            if name == b"authorization" or name.startswith(b"hx-"):
                return False, None
        # Parsed once by the security middleware (outside this one) with the app's own cookie parser: a
        # cookie the app sees as a login must never be taken for an anonymous request here.
        cookies = scope.get("state", {}).get("cookies")
        if cookies is None or "qw_flash" in cookies:
            return False, None
        session = cookies.get(SESSION_COOKIE)
        if session is not None and self.session_user is None:
            return False, None
        query = scope.get("query_string", b"")
        return b"lang=" not in query, session

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        cacheable, session = self._cacheable(scope)
        if not cacheable:
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        token = state.get("csrf_token", "").encode()
        viewer = None
        if session is not None:
            try:
                if self.session_user_local is None:
                    viewer = await anyio.to_thread.run_sync(self.session_user, session)
                elif cache.local_lookup():
                    viewer = self.session_user_local(session)
                else:
                    viewer = await self.session_user_async(session)
            except Exception:  # database unreachable: let the app answer (503) without the cache
                viewer = None
            if viewer is None:  # not (or no longer) a valid session: the app decides, nothing is cached
                await self.app(scope, receive, send)
                return
        key = (scope["path"], scope.get("query_string", b""), state.get("locale", "de"), viewer)
        try:
            # On a connection of its own: SQLite right here (app/cache.py local_row); PostgreSQL on an
            # asynchronous connection, awaited with a timeout (async_row). Never a blocking wait on the event
            # loop: for a pooled connection that only the waiting requests could give back, it deadlocks.
            if cache.local_lookup():
                generation = cache.current_generation_local()
            else:
                generation = await cache.current_generation_async()
        except Exception:  # database unreachable: let the app answer (503) without the cache
            await self.app(scope, receive, send)
            return
        hit = self.entries.get(key)
        if hit and hit[0] == generation and time.monotonic() - hit[5] < MAX_AGE:
            self.entries.move_to_end(key)
            await self._send_cached(scope, send, hit, token)
            return

        start: dict = {}
        chunks: list[bytes] = []
        passing = False

        async def capture(message: Message) -> None:
            nonlocal passing
            if message["type"] == "http.response.start":
                start.update(message)
                headers = message.get("headers", [])
                ctype = next((v for n, v in headers if n == b"content-type"), b"")
                cookies = [v for n, v in headers if n == b"set-cookie"]
                passing = not (message["status"] == 200 and ctype.startswith(CACHEABLE_TYPES)
                               and all(c.startswith(b"qw_csrf=") for c in cookies))
                if passing:
                    await send(message)
                return
            if message["type"] != "http.response.body" or passing:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                if sum(map(len, chunks)) > MAX_ENTRY_BYTES:  # too big to keep: stream the rest through
                    passing = True
                    await send(start)
                    await send({"type": "http.response.body", "body": b"".join(chunks), "more_body": True})
                return
            await self._finish(key, generation, start, b"".join(chunks), token, send)

        await self.app(scope, receive, capture)

    async def _finish(self, key, generation, start, body, token, send) -> None:
        headers = list(start.get("headers", []))
        stored_body = body.replace(token, PLACEHOLDER) if token else body
        stored_headers = [(n, v) for n, v in headers if n not in (b"set-cookie", b"content-length", b"etag")]
        # From the stored content: the same on every worker, and new whenever the page really changed.
        digest = hashlib.blake2b(stored_body + b"|".join([b"", *(v for _n, v in stored_headers)]),
                                 digest_size=12).hexdigest()
        etag = f'W/"{digest}"'
        self._store(key, (generation, 200, stored_headers, stored_body, etag, time.monotonic()))
        await send({**start, "headers": [*headers, (b"etag", etag.encode())]})
        await send({"type": "http.response.body", "body": body})

    def _store(self, key, entry) -> None:
        old = self.entries.pop(key, None)
        if old:
            self.size -= len(old[3])
        self.entries[key] = entry
        self.size += len(entry[3])
        while self.entries and (len(self.entries) > self.max_entries or self.size > self.max_bytes):
            _key, dropped = self.entries.popitem(last=False)
            self.size -= len(dropped[3])

    async def _send_cached(self, scope, send, entry, token: bytes) -> None:
        _generation, status, headers, body, etag, _stored = entry
        request_etag = next((v for n, v in scope["headers"] if n == b"if-none-match"), None)
        out_headers = [*headers, (b"etag", etag.encode())]
        if request_etag is not None and etag.encode() in request_etag:
            await send({"type": "http.response.start", "status": 304,
                        "headers": [(n, v) for n, v in out_headers if n not in (b"content-type",)]})
            await send({"type": "http.response.body", "body": b""})
            return
        payload = body.replace(PLACEHOLDER, token) if token else body
        out_headers.append((b"content-length", str(len(payload)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": out_headers})
        await send({"type": "http.response.body", "body": payload})
