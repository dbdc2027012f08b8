"""CPU time per write, in-process: python -m tests.benchmarks.profile_writes DB_URL [--requests N] [--clients C]
[--profile | --calls].

Alternates comments (POST /api/v1/sections/{id}/comments) and votes (PUT /api/v1/votes) as the load test does
(each by the next of many experts, every vote a new one), from C concurrent clients through the app's real thread
pool, against a database made by tests/benchmarks/datagen.py (e.g. var/bench/big.db of `make loadtest`). Prints
the wall-clock writes/s and this process's CPU time per write: the figure to compare before and after a change on
a shared machine, where other processes' load stretches the wall clock. --profile adds a pyinstrument profile
(with the synchronous routes run inline, where the profiler sees them). --calls counts the functions (Python's and
built-in ones, the test client's included) a write calls on average, routes inline too: a figure that does not
depend on the machine's speed, to judge a change on a busy machine as profile_page --calls does for a page.
"""

import asyncio
import os
import sys
import time


def _arg(name: str, default: str) -> str:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def main() -> None:
    url = sys.argv[1]
    os.environ["QW_DATABASE_URL"] = url
    os.environ.setdefault("QW_ENVIRONMENT", "production")
    import httpx
    from sqlalchemy import create_engine, text

    if "--profile" in sys.argv or "--calls" in sys.argv:  # a profiler sees the main thread only: routes inline
        import fastapi.dependencies.utils
        import fastapi.routing
        import starlette.concurrency

        async def inline(func, *args, **kwargs):
            return func(*args, **kwargs)

        fastapi.routing.run_in_threadpool = inline
        fastapi.dependencies.utils.run_in_threadpool = inline
        starlette.concurrency.run_in_threadpool = inline

    from app.main import create_app
    from tests.benchmarks import datagen

    engine = create_engine(url)
    with engine.connect() as conn:
        experts = [r[0] for r in conn.execute(text("SELECT user_id FROM auth_token WHERE kind = 'api' AND user_id > 1 "
                                                   "ORDER BY user_id"))]
        comments = conn.execute(text("SELECT max(id) FROM comment")).scalar()
        sections = conn.execute(text("SELECT count(*) FROM section")).scalar()
    engine.dispose()
    writers = experts[200:]  # as the load test: the first 200 experts are its readers
    requests, clients = int(_arg("--requests", "600")), int(_arg("--clients", "8"))
    start = int(time.time()) % 100_000 * 1000  # every run votes on new (person, comment) pairs
    app = create_app()

    def request(k: int) -> tuple[str, str, dict]:
        user = writers[(k * 7) % len(writers)]
        headers = {"Authorization": f"Bearer {datagen.token_for('api', user)}"}
        if k % 2 == 0:
            return "POST", f"/api/v1/sections/{2 + k % (sections - 1)}/comments", {
                "headers": headers, "json": {"body": f"Beitrag {k} aus dem Messlauf: Wir unterstützen den Absatz.",
                                             "alignment": "support"}}
        target = datagen.HOT_COMMENTS + 1 + (k * 13) % (comments - datagen.HOT_COMMENTS)
        return "PUT", "/api/v1/votes", {"headers": headers, "json": {"target": "comment", "target_id": target,
                                                                      "value": 1}}

    async def run() -> None:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                statuses: dict[int, int] = {}
                counter = iter(range(start, start + 10**9))

                async def worker(n: int) -> None:
                    for _ in range(n):
                        method, path, kwargs = request(next(counter))
                        status = (await client.request(method, path, **kwargs)).status_code
                        statuses[status] = statuses.get(status, 0) + 1

                await asyncio.gather(*(worker(10) for _ in range(clients)))  # warm-up
                calls = 0

                def count(_frame, event, _arg) -> None:
                    nonlocal calls
                    calls += event in ("call", "c_call")

                if "--calls" in sys.argv:
                    sys.setprofile(count)
                profiler = None
                if "--profile" in sys.argv:
                    from pyinstrument import Profiler

                    profiler = Profiler(interval=0.0005)
                    profiler.start()
                statuses.clear()
                w0, c0 = time.perf_counter(), time.process_time()
                await asyncio.gather(*(worker(requests // clients) for _ in range(clients)))
                wall, cpu = time.perf_counter() - w0, time.process_time() - c0
                sys.setprofile(None)
                if profiler:
                    profiler.stop()
                    print(profiler.output_text(unicode=False, color=False))
                done = sum(statuses.values())
                print(f"{done} writes from {clients} clients: {done / wall:.0f}/s wall-clock, "
                      f"{cpu / done * 1000:.2f} ms CPU per write; statuses {statuses}")
                if calls:
                    print(f"function calls per write (Python and built-in): {calls / done:,.0f}")

    asyncio.run(run())


if __name__ == "__main__":
    main()
