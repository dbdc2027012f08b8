"""The start page, the API reference pages, and the health check (the privacy page and the other pages the
city edits are in app/legal)."""

from collections.abc import Callable

import anyio.to_thread
from fastapi import Request
from fastapi.responses import JSONResponse
from sqlmodel import Session

from app.deps import SessionDep, page_router
from app.site import service, views
from app.web.templating import render

router = page_router()

# Other domains add blocks to the start page (e.g. the current round) without the site importing them; each
# renders its block from the request's session or returns None (filled by app.wiring.wire()).
HomePanel = Callable[[Request, Session], str | None]
HOME_PANELS: list[HomePanel] = []


@router.get("/", name="home")
def home(request: Request, session: SessionDep):
    panels = [panel(request, session) for panel in HOME_PANELS]
    return render(request, "pages/home.html", {"panels": [p for p in panels if p]})


@router.get("/docs", name="api_docs")
def api_docs(request: Request):
    """The API reference as an accessible page, built from the app's own OpenAPI document."""
    return render(request, "pages/api_reference.html", {"ref": views.reference(request.app.openapi())})


@router.get("/docs/interaktiv", name="api_docs_interactive")
def api_docs_interactive(request: Request):
    """Interactive API documentation (Swagger UI from the npm registry, started by our own script file)."""
    return render(request, "pages/api_docs.html")


@router.get("/healthz", include_in_schema=True, tags=["system"])
async def healthz():
    # On a thread of its own: the routes' thread pool (two threads) may have a queue of requests waiting,
    # and the health check must answer within a second during a rush all the same.
    ok = await anyio.to_thread.run_sync(service.database_ok, limiter=anyio.CapacityLimiter(1))
    return JSONResponse({"status": "ok" if ok else "unavailable", "database": "ok" if ok else "unreachable"},
                        status_code=200 if ok else 503)
