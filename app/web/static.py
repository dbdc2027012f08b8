"""Static files: content-hashed URLs (`static_url()` in templates) cached for a year, others briefly.

A URL carrying `?v=<hash of the content>` changes whenever the file does, so browsers and proxies may keep it
for a year without asking again. Without the version, files are cached for an hour and revalidated with
their ETag (Starlette answers 304 when unchanged). Text files are gzip-compressed by the GZip middleware.
"""

import hashlib
import time
from pathlib import Path

from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from app.settings import ROOT

STATIC = ROOT / "static"
IMMUTABLE = b"public, max-age=31536000, immutable"
SHORT = b"public, max-age=3600"

_versions: dict[str, tuple[float, str]] = {}
_urls: dict[str, tuple[float, str]] = {}  # path → (when its file was last looked at, its URL)
RECHECK_SECONDS = 1.0  # a page names several files: each file's date is looked at at most once a second


def static_url(path: str) -> str:
    """/static/<path>?v=<first 10 hex digits of the content's hash> (recomputed when the file changes)."""
    known = _urls.get(path)
    now = time.monotonic()
    if known is not None and now - known[0] < RECHECK_SECONDS:
        return known[1]
    url = _versioned(path)
    _urls[path] = (now, url)
    return url


def _versioned(path: str) -> str:
    path = path.lstrip("/")
    file = STATIC / path
    try:
        mtime = file.stat().st_mtime
    except OSError:
        return f"/static/{path}"
    cached = _versions.get(path)
    if cached is None or cached[0] != mtime:
        digest = hashlib.blake2b(Path(file).read_bytes(), digest_size=5).hexdigest()
        cached = _versions[path] = (mtime, digest)
    return f"/static/{path}?v={cached[1]}"


class CachedStaticFiles(StaticFiles):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        versioned = b"v=" in scope.get("query_string", b"")

        async def send_with_cache_control(message) -> None:
            if message["type"] == "http.response.start" and message["status"] in (200, 304):
                headers = [(n, v) for n, v in message.get("headers", []) if n != b"cache-control"]
                headers.append((b"cache-control", IMMUTABLE if versioned else SHORT))
                message = {**message, "headers": headers}
            await send(message)

        await super().__call__(scope, receive, send_with_cache_control)
