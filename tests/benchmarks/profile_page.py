"""Profile or time one page in-process:
python -m tests.benchmarks.profile_page DB_URL PATH [--expert ID] [--time N | --calls].

Without --time: a pyinstrument profile of 20 requests. With --time N: N requests, then the median and p90 of the
wall-clock and CPU time per request and the number of SQL statements of one request (page cache off). CPU time
is the measure to compare before and after a change on a shared machine: other processes' load stretches the
wall clock, much less the CPU time this process spends. With --calls: the functions one request calls, Python's
and built-in ones, as cProfile counts them (the test client's own included). That count does not depend on the
machine at all: the same code and data give the same count, so a change can be judged on a busy machine (it is
no time, though: a call costs from 50 ns to milliseconds).
Sync endpoints normally run in a thread pool, out of the profiler's sight; here they run inline.
"""

import asyncio
import os
import statistics
import sys
import time


async def _inline(func, *args, **kwargs):
    return func(*args, **kwargs)


def _arg(name: str, default: str | None = None) -> str | None:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def main() -> None:
    url, path = sys.argv[1], sys.argv[2]
    os.environ["QW_DATABASE_URL"] = url
    os.environ.setdefault("QW_PAGE_CACHE", "false")
    import fastapi.dependencies.utils
    import fastapi.routing
    import httpx
    from pyinstrument import Profiler
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    fastapi.routing.run_in_threadpool = _inline
    fastapi.dependencies.utils.run_in_threadpool = _inline
    from app.main import create_app
    from tests.benchmarks.datagen import token_for

    expert = _arg("--expert")
    cookies = {"qw_session": token_for("session", int(expert))} if expert else {}
    app = create_app()

    async def run() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench", cookies=cookies) as client:
            first = await client.get(path)
            print(path, first.status_code, len(first.content), "bytes")
            if "--calls" in sys.argv:
                await client.get(path)  # warm: what is built once is not counted
                calls = 0

                def count(_frame, event, _arg) -> None:
                    nonlocal calls
                    calls += event in ("call", "c_call")

                sys.setprofile(count)
                await client.get(path)
                sys.setprofile(None)
                print(f"function calls (Python and built-in): {calls}")
                return
            if "--time" in sys.argv:
                statements = []
                listener = lambda *args: statements.append(args[2])  # noqa: E731
                event.listen(Engine, "before_cursor_execute", listener)
                await client.get(path)
                event.remove(Engine, "before_cursor_execute", listener)
                walls, cpus = [], []
                for _ in range(int(_arg("--time"))):
                    w0, c0 = time.perf_counter(), time.process_time()
                    await client.get(path)
                    walls.append((time.perf_counter() - w0) * 1000)
                    cpus.append((time.process_time() - c0) * 1000)
                for label, values in (("wall", sorted(walls)), ("cpu", sorted(cpus))):
                    print(f"{label}: median {statistics.median(values):.2f} ms, "
                          f"p90 {values[int(len(values) * 0.9) - 1]:.2f} ms")
                print(f"queries: {len(statements)}")
                if "--sql" in sys.argv:
                    print("\n\n".join(statements))
                return
            profiler = Profiler(interval=0.0005, async_mode="disabled")
            profiler.start()
            for _ in range(20):
                await client.get(path)
            profiler.stop()
            print(profiler.output_text(unicode=False, color=False))

    asyncio.run(run())


if __name__ == "__main__":
    main()
