"""Pages served from memory while the keys they depend on are unchanged (app/cache.py); ETag and 304.

GET requests without a pending flash message and without htmx headers are cached: anonymous ones shared by
all visitors, logged-in ones (session cookie) per person, after the session has been checked in the database
on every request (so logging out, expiry or a block take effect at once). Every request reads the current
generations of its page's keys (one indexed query on a connection of the cache's own) and compares them with
those the cached copy was rendered at. The answer carries `X-Cache: hit`, `stale` or `miss`.

- Logged-in readers always get a copy that is current: a writer sees their own comment or vote at once.
- Anonymous readers may get the previous copy while it is at most `stale_seconds` (setting
  QW_PAGE_CACHE_STALE_SECONDS) older than the newest write, unless text was hidden or erased since (an
  `urgent` change): during a rush a page is rebuilt at most about once per bound, not on every write.
- One request per page renders it; concurrent requests for the same page wait for that result. A copy that
  is half the bound old and no longer current is rendered anew in the background, so anonymous readers
  rarely wait at all.
- Copies expire after MAX_AGE seconds (what depends on the clock, such as an edit window) and at the next
  moment a round opens or closes.

The per-visitor CSRF token in a page is swapped for a placeholder when stored and for the visitor's own
token when served. Bearer-token (API) requests are not cached.

A copy is kept gzipped too, so a hit is not compressed again (that was half a hit's time): the body is cut at
each placeholder and each piece compressed on its own, ending on a byte boundary (a sync flush); a visitor's
token goes between them as an uncompressed ("stored") deflate block, and the gzip frame's checksum is computed
over the whole at once (RFC 1951 3.2.4, RFC 1952). `splice_gzip` is the only place that knows this.
"""

import asyncio
import hashlib
import struct
import time
import zlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import cache

PLACEHOLDER = b"__QW_CSRF_TOKEN__"
SKIP_PREFIXES = ("/static/", "/healthz", "/docs", "/konto", "/verwaltung", "/anmelden", "/registrieren",
                 "/einladung")
CACHEABLE_TYPES = (b"text/html", b"application/json")
MAX_ENTRY_BYTES = 2 * 1024 * 1024
MAX_AGE = 60.0
SESSION_COOKIE = "qw_session"
# Compression of every answer, cached or not (the GZip middleware in app/main.py takes these too): answers
# under 1 KB go as they are.
GZIP_MIN_BYTES = 1024
GZIP_LEVEL = 1
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no time, unknown OS


def gzip_pieces(body: bytes) -> tuple[bytes, ...]:
    """The body cut at each placeholder, each piece raw-deflated on its own: all but the last end with a sync flush
    (an empty stored block, byte-aligned, not final), the last one finishes the stream."""
    pieces = body.split(PLACEHOLDER)
    out = []
    for n, piece in enumerate(pieces):
        compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        out.append(compressor.compress(piece) + compressor.flush(
            zlib.Z_FINISH if n == len(pieces) - 1 else zlib.Z_SYNC_FLUSH))
    return tuple(out)


def splice_gzip(body: bytes, pieces: tuple[bytes, ...], token: bytes) -> bytes:
    """The gzip file of `body` with each placeholder replaced by `token`, from the body's gzip_pieces."""
    # non-final stored blocks of at most 65,535 bytes each (a token is far shorter: app/web/security.py)
    stored = b"".join(b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF) + chunk
                      for chunk in (token[i:i + 0xFFFF] for i in range(0, len(token), 0xFFFF)))
    plain = body.split(PLACEHOLDER)
    crc = 0
    for n, piece in enumerate(plain):
        if n:
            crc = zlib.crc32(token, crc)
        crc = zlib.crc32(piece, crc)
    size = len(body) + (len(plain) - 1) * (len(token) - len(PLACEHOLDER))
    return b"".join((_GZIP_HEADER, stored.join(pieces), struct.pack("<II", crc, size & 0xFFFFFFFF)))


@dataclass
class Entry:
    generations: tuple[int, ...]  # of the page's keys, read before it was rendered
    urgent: tuple[int, ...]
    headers: list
    body: bytes
    gzipped: tuple[bytes, ...] | None  # gzip_pieces of the body; None: too small to compress
    etag: str
    current_at: float  # monotonic time at which the copy was last known to be current
    expires: float

    @property
    def stored_bytes(self) -> int:
        """What the copy holds in memory: the body and its gzipped pieces."""
        return len(self.body) + sum(map(len, self.gzipped or ()))


@dataclass
class Flight:
    """A page being rendered by one request; others with the same generations wait for its entry."""

    generations: tuple[int, ...]
    urgent: tuple[int, ...]
    done: asyncio.Future
    started: float


class PageCache:
    def __init__(self, app: ASGIApp, max_entries: int = 2000, max_bytes: int = 64 * 1024 * 1024,
                 session_user: Callable[[str, dict], Awaitable[int | None]] | None = None,
                 stale_seconds: float = 0.0):
        """`await session_user(token, state)` → the user id of a valid session, read on the event loop (it may
        leave what it read in the request's state); without it logged-in pages are not cached."""
        self.app = app
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.flights: dict[tuple, Flight] = {}
        self.refreshing: set[asyncio.Task] = set()  # background renders (kept referenced while they run)
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.size = 0
        self.stale_seconds = stale_seconds
        self.session_user = session_user

    def _cacheable(self, scope: Scope) -> tuple[tuple[str, ...] | None, str | None]:
        """The keys of a page to serve from the cache (None: not cached), and the session token if logged in."""
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith(SKIP_PREFIXES):
            return None, None
        for name, _value in scope["headers"]:
            if name == b"authorization" or name.startswith(b"hx-"):
                return None, None
        # Parsed once by the security middleware (outside this one) with the app's own cookie parser: a
        # cookie the app sees as a login must never be taken for an anonymous request here.
        cookies = scope.get("state", {}).get("cookies")
        if cookies is None or "qw_flash" in cookies:
            return None, None
        session = cookies.get(SESSION_COOKIE)
        if session is not None and self.session_user is None:
            return None, None
        if b"lang=" in scope.get("query_string", b""):
            return None, None
        return cache.page_keys(scope["path"]), session

    async def _viewer(self, session: str, state: dict) -> int | None:
        try:
            return await self.session_user(session, state)
        except Exception:  # database unreachable: let the app answer (503) without the cache
            return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        keys, session = self._cacheable(scope)
        if keys is None:
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        token = state.get("csrf_token", "").encode()
        viewer = None
        if session is not None:
            viewer = await self._viewer(session, state)
            if viewer is None:  # not (or no longer) a valid session: the app decides, nothing is cached
                await self.app(scope, receive, send)
                return
        key = (scope["path"], scope.get("query_string", b""), state.get("locale", "de"), viewer)
        try:
            generations, urgent = await cache.generations(keys)
        except Exception:  # database unreachable: let the app answer (503) without the cache
            await self.app(scope, receive, send)
            return
        now = time.monotonic()
        entry = self.entries.get(key)
        if entry is not None and now < entry.expires:
            if entry.generations == generations:
                entry.current_at = now
                self.entries.move_to_end(key)
                await self._send_cached(scope, send, entry, token, b"hit")
                return
            if viewer is None and entry.urgent == urgent and now - entry.current_at < self.stale_seconds:
                if key not in self.flights and now - entry.current_at > self.stale_seconds / 2:
                    self._refresh(scope, key, generations, urgent)  # renewed before the bound runs out
                await self._send_cached(scope, send, entry, token, b"stale")
                return
        flight = self.flights.get(key)
        if flight is not None and flight.urgent == urgent and (
                flight.generations == generations  # the render a waiter gets shows what it asked for …
                or (viewer is None and now - flight.started < self.stale_seconds)):  # … or is recent enough
            shared = await asyncio.shield(flight.done)
            if shared is not None:
                await self._send_cached(scope, send, shared, token, b"hit")
                return
        flight = self._flight(key, generations, urgent)
        try:
            await self._render(scope, receive, send, key, flight, token)
        finally:
            self._land(key, flight)

    def _flight(self, key, generations, urgent) -> Flight:
        flight = self.flights[key] = Flight(generations, urgent, asyncio.get_running_loop().create_future(),
                                            time.monotonic())
        return flight

    def _land(self, key, flight: Flight) -> None:
        if not flight.done.done():
            flight.done.set_result(None)
        if self.flights.get(key) is flight:
            del self.flights[key]

    def _refresh(self, scope: Scope, key, generations, urgent) -> None:
        """Render an anonymous page in the background while readers get the previous copy."""
        flight = self._flight(key, generations, urgent)
        inner = {**scope, "state": dict(scope.get("state", {})),
                 "headers": [(n, v) for n, v in scope["headers"] if n != b"if-none-match"]}
        token = inner["state"].get("csrf_token", "").encode()
        asked = False

        async def receive() -> Message:
            nonlocal asked
            if asked:
                return {"type": "http.disconnect"}
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}

        async def discard(_message: Message) -> None:
            return None

        async def run() -> None:
            try:
                await self._render(inner, receive, discard, key, flight, token)
            except Exception:  # noqa: S110 - a failed refresh leaves the copy to age out; readers render then
                pass
            finally:
                self._land(key, flight)
                self.refreshing.discard(task)

        task = asyncio.get_running_loop().create_task(run())
        self.refreshing.add(task)

    async def _render(self, scope, receive, send, key, flight: Flight, token: bytes) -> None:
        try:
            boundary = await cache.next_round_boundary(datetime.now(UTC))
        except Exception:
            await self.app(scope, receive, send)
            return
        start: dict = {}
        chunks: list[bytes] = []
        passing = False
        rendered_at = time.monotonic()
        expires = rendered_at + MAX_AGE
        if boundary is not None:
            expires = min(expires, rendered_at + (boundary - datetime.now(UTC)).total_seconds())

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
            body = b"".join(chunks)
            entry = self._entry(flight, start, body, token, rendered_at, expires)
            self._store(key, entry)
            flight.done.set_result(entry)
            cookies = [(n, v) for n, v in start.get("headers", []) if n == b"set-cookie"]
            await self._send_entry(scope, send, entry, token, b"miss", cookies)

        await self.app(scope, receive, capture)

    @staticmethod
    def _entry(flight: Flight, start: dict, body: bytes, token: bytes, rendered_at: float, expires: float) -> Entry:
        headers = list(start.get("headers", []))
        stored_body = body.replace(token, PLACEHOLDER) if token else body
        stored_headers = [(n, v) for n, v in headers if n not in (b"set-cookie", b"content-length", b"etag")]
        # From the stored content: the same on every worker, and new whenever the page really changed.
        digest = hashlib.blake2b(stored_body + b"|".join([b"", *(v for _n, v in stored_headers)]),
                                 digest_size=12).hexdigest()
        gzipped = gzip_pieces(stored_body) if len(stored_body) >= GZIP_MIN_BYTES else None
        return Entry(flight.generations, flight.urgent, stored_headers, stored_body, gzipped, f'W/"{digest}"',
                     rendered_at, expires)

    def _store(self, key, entry: Entry) -> None:
        old = self.entries.get(key)
        if old is not None and any(n < o for n, o in zip(entry.generations, old.generations, strict=True)):
            return  # a render that started before the one already stored: keep the newer copy
        if old is not None:
            del self.entries[key]
            self.size -= old.stored_bytes
        self.entries[key] = entry
        self.size += entry.stored_bytes
        while self.entries and (len(self.entries) > self.max_entries or self.size > self.max_bytes):
            _key, dropped = self.entries.popitem(last=False)
            self.size -= dropped.stored_bytes

    async def _send_cached(self, scope, send, entry: Entry, token: bytes, how: bytes) -> None:
        request_etag = next((v for n, v in scope["headers"] if n == b"if-none-match"), None)
        if request_etag is not None and entry.etag.encode() in request_etag:
            out_headers = [*entry.headers, (b"etag", entry.etag.encode()), (b"x-cache", how)]
            await send({"type": "http.response.start", "status": 304,
                        "headers": [(n, v) for n, v in out_headers if n not in (b"content-type",)]})
            await send({"type": "http.response.body", "body": b""})
            return
        await self._send_entry(scope, send, entry, token, how, [])

    @staticmethod
    async def _send_entry(scope, send, entry: Entry, token: bytes, how: bytes, extra: list) -> None:
        """The copy with the visitor's token, gzipped from its stored pieces if the client takes gzip (the GZip
        middleware outside passes an encoded answer through as it is)."""
        out_headers = [*entry.headers, *extra, (b"etag", entry.etag.encode()), (b"x-cache", how)]
        if entry.gzipped is not None and _takes_gzip(scope):
            payload = splice_gzip(entry.body, entry.gzipped, token or PLACEHOLDER)
            out_headers += [(b"content-encoding", b"gzip"), (b"vary", b"Accept-Encoding")]
        else:
            payload = entry.body.replace(PLACEHOLDER, token) if token else entry.body
        out_headers.append((b"content-length", str(len(payload)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": out_headers})
        await send({"type": "http.response.body", "body": payload})


def _takes_gzip(scope: Scope) -> bool:
    """As the GZip middleware decides: "gzip" anywhere in Accept-Encoding."""
    return any(n == b"accept-encoding" and b"gzip" in v for n, v in scope["headers"])
