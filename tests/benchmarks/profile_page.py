"""Profile one page in-process with pyinstrument: python -m tests.benchmarks.profile_page DB_URL PATH [--expert].

Sync endpoints normally run in a thread pool, out of the profiler's sight; here they run inline.
"""

import asyncio
import os
import sys


async def _inline(func, *args, **kwargs):
    return func(*args, **kwargs)


def main() -> None:
    url, path = sys.argv[1], sys.argv[2]
    os.environ["QW_DATABASE_URL"] = url
    os.environ.setdefault("QW_PAGE_CACHE", "false")
    import fastapi.dependencies.utils
    import fastapi.routing
    import httpx
    from pyinstrument import Profiler

    fastapi.routing.run_in_threadpool = _inline
    fastapi.dependencies.utils.run_in_threadpool = _inline
    from app.main import create_app
    from tests.benchmarks.datagen import token_for

    cookies = {"qw_session": token_for("session", int(sys.argv[4]))} if "--expert" in sys.argv else {}
    app = create_app()

    async def run() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench", cookies=cookies) as client:
            first = await client.get(path)
            print(path, first.status_code, len(first.content), "bytes")
            profiler = Profiler(interval=0.0005, async_mode="disabled")
            profiler.start()
            for _ in range(20):
                await client.get(path)
            profiler.stop()
            print(profiler.output_text(unicode=False, color=False))

    asyncio.run(run())


if __name__ == "__main__":
    main()
