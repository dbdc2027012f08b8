"""Every APIRoute of an app with its full path. The app lists its domains' routes flat (app/main.py); a router
included the FastAPI way stays nested (_IncludedRouter) and is walked too, so that no route is missed either way."""

from collections.abc import Iterator

from fastapi.routing import APIRoute


def all_routes(routes, prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        elif hasattr(route, "original_router"):
            inner = route.original_router
            context_prefix = getattr(getattr(route, "include_context", None), "prefix", "") or ""
            yield from all_routes(inner.routes, prefix + context_prefix)
