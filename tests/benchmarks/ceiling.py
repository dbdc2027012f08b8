"""The ceiling of the load test: a bare Starlette app answering "ok", served by the same uvicorn settings."""

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route


async def ok(_request) -> PlainTextResponse:
    return PlainTextResponse("ok")


app = Starlette(routes=[Route("/{path:path}", ok)])
