"""The only reader of HX-* headers."""

from starlette.requests import Request


def wants_fragment(request: Request) -> bool:
    """An htmx swap gets a fragment; boosted navigation and history restores get the whole page."""
    h = request.headers
    return (h.get("HX-Request") == "true" and h.get("HX-Boosted") != "true"
            and h.get("HX-History-Restore-Request") != "true")
