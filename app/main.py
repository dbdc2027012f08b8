"""create_app(): the wiring, routers, static files, middleware and error handlers; nothing else."""

import asyncio
import contextlib

import anyio.to_thread
from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from app import api, db, wiring
from app.accounts import pages as accounts_pages
from app.deps import session_user
from app.discussion import pages as discussion_pages
from app.documents import pages as documents_pages
from app.events import pages as events_pages
from app.exports import pages as exports_pages
from app.ideas import pages as ideas_pages
from app.legal import pages as legal_pages
from app.moderation import pages as moderation_pages
from app.notifications import service as notifications
from app.reports import pages as reports_pages
from app.responses import pages as responses_pages
from app.rounds import pages as rounds_pages
from app.settings import ROOT, get_settings
from app.site import pages as site_pages
from app.web import heap, problems, templating
from app.web.admission import Admission
from app.web.pagecache import GZIP_LEVEL, GZIP_MIN_BYTES, PageCache
from app.web.security import SecurityMiddleware
from app.web.static import CachedStaticFiles


@contextlib.asynccontextmanager
async def lifespan(_app: FastAPI):
    # The thread pool of the synchronous routes, sized by settings (anyio's default is 40 threads).
    anyio.to_thread.current_default_thread_limiter().total_tokens = get_settings().worker_threads
    # Development only (`make run`): deliver the mail outbox in the background; production runs a mail worker.
    mail = (asyncio.create_task(notifications.deliver_forever(get_settings().dev_mail_interval_seconds))
            if get_settings().delivers_mail_in_app else None)
    heap.settle(get_settings().gc_young_threshold)  # last: what start-up made stays, and is not walked again
    yield
    await db.dispose_loop_engine()
    if mail is not None:
        mail.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await mail


def create_app() -> FastAPI:
    wiring.wire()  # the domains' extensions, hooks and personal-data handlers (app/wiring.py)
    app = FastAPI(title="Quartierswerkstatt API", version="1", lifespan=lifespan,
                  description="Beteiligungsplattform zur Rahmenkonzeption soziale Quartiersentwicklung Stuttgart",
                  docs_url=None, redoc_url=None,
                  # FastAPI's OpenTelemetry bridge: no provider is configured here, and asking on every request
                  # whether one is costs 5-10 µs (about 1 % of a page-cache hit served over HTTP)
                  telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False})
    # innermost: requests that reach the routes, as many at once as each can have a pooled connection (a
    # request may hold two: its own session and the user lookup or a nested read)
    app.add_middleware(problems.UnexpectedErrors)  # innermost: an unexpected error is a clean 500 (keep-alive)
    app.add_middleware(Admission, limit=get_settings().db_pool_size, exempt=frozenset({"/healthz"}))
    if get_settings().page_cache:
        # inner: sees the locale and CSRF token the security middleware set; logged-in pages per person
        app.add_middleware(PageCache, session_user=session_user, stale_seconds=get_settings().page_cache_stale_seconds)
    app.add_middleware(SecurityMiddleware)
    # outermost: text over 1 KB, gzipped at level 1 (as nginx does by default): the section page's 44 KB in 0.15 ms
    # instead of 0.34 ms at level 6, for 17 % more bytes (4.9 KB instead of 4.2 KB)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=GZIP_LEVEL)
    problems.install(app)
    app.mount("/static", CachedStaticFiles(directory=ROOT / "static"), name="static")
    pages = (site_pages, accounts_pages, ideas_pages, documents_pages, rounds_pages, events_pages, discussion_pages,
             responses_pages, moderation_pages, exports_pages, reports_pages, legal_pages)
    for router in (*api.ROUTERS, *(module.router for module in pages)):
        # Listed in the app's own router, not included: FastAPI keeps an included router nested and matches
        # through every level on each request (a tenth of a page's time). Our routers take no prefix or
        # dependencies at inclusion, so their routes are complete as they are.
        app.router.routes.extend(router.routes)
    app.router.routes[:] = hot_first(app.router.routes)
    templating.install_urls(app.routes)  # {{ url("name", …) }} in templates
    return app


# The paths asked for most, by their leading segments: a request tries the routes in turn until one matches (the
# section page was the 140th: 0.2 ms of matching per request). Static files (one mount) first; then the API's
# rush writes (a vote was the 66th route tried), as every write is routed while most page reads are answered
# by the page cache before routing; then pages, the rest of the API, ideas and the map.
HOT_FIRST = ("static", "api/v1/votes", "api/v1/sections", "abschnitte", "api", "ideen", "quartiere")


def hot_first(routes: list) -> list:
    """The routes whose paths begin with a prefix of HOT_FIRST first, in that order, the others after them as
    they were. Nothing but the time to find a route changes: routes that begin with different literal prefixes
    never match the same path, provided no route has a parameter where a prefix has a literal (checked here);
    among routes of the same prefix the order stays as declared (/ideen/neu before /ideen/{idea_id})."""
    prefixes = [tuple(prefix.split("/")) for prefix in HOT_FIRST]

    def rank(route) -> int:
        segments = route.path.split("/")[1:]
        for n, prefix in enumerate(prefixes):
            for mine, theirs in zip(segments, prefix, strict=False):
                if "{" in mine:
                    raise RuntimeError(f"{route.path}: app.main.hot_first orders routes by literal leading "
                                       f"segments, and this one has a parameter where {'/'.join(prefix)} has not")
                if mine != theirs:
                    break
            else:
                if len(segments) >= len(prefix):
                    return n
        return len(prefixes)

    return sorted(routes, key=rank)


app = create_app()
