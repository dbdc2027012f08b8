"""Admission: at most so many requests per worker work with the database at once; the others wait their turn.

A request that has begun holds a pooled connection across its trips through the thread pool (the endpoint,
then the session's close). With more such requests than connections, every thread can end up waiting for a
connection that only a request waiting for a thread would give back. Admitting no more requests than the
pool can serve rules that out; the rest wait here, in order, holding nothing. Cached pages are answered
before this point and never wait; nor does the health check (`exempt`): it holds one connection for one
query (the pool's overflow has room for it) and still needs a thread, so a worker whose threads are stuck
still fails it, while a worker that is merely busy answers it at once instead of after its queue.
"""

import asyncio

from starlette.types import ASGIApp, Receive, Scope, Send


class Admission:
    def __init__(self, app: ASGIApp, *, limit: int, exempt: frozenset[str] = frozenset()):
        self.app = app
        self.limit = limit
        self.exempt = exempt
        self._gate: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        if self._gate is None:
            self._gate = asyncio.Semaphore(self.limit)
        async with self._gate:
            await self.app(scope, receive, send)
