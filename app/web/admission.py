"""Admission: at most so many requests per worker work with the database at once; the others wait their turn.

A request that has begun holds a pooled connection across its trips through the thread pool (the endpoint,
then the session's close). With more such requests than connections, every thread can end up waiting for a
connection that only a request waiting for a thread would give back. Admitting no more requests than the
pool can serve rules that out; the rest wait here, in order, holding nothing. Cached pages are answered
before this point and never wait.
"""

import asyncio

from starlette.types import ASGIApp, Receive, Scope, Send


class Admission:
    def __init__(self, app: ASGIApp, *, limit: int):
        self.app = app
        self.limit = limit
        self._gate: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._gate is None:
            self._gate = asyncio.Semaphore(self.limit)
        async with self._gate:
            await self.app(scope, receive, send)
