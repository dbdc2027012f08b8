"""Benchmark 8 of issue 12: the section page with 50 shown comments rendered from scratch (page cache off), in a
database holding 100 or 100,000 comments on 200 sections, for an anonymous reader and a logged-in expert whose
own votes are marked; beside it the anonymous page served by the page cache. Run by `make loadtest` and
`make bench` on the test database (SQLite, or PostgreSQL with QW_TEST_DATABASE_URL); prints a Markdown table with
the targets (the times are SQLite's; PostgreSQL is judged by its statements).

Measured as a reader's browser meets it: one uvicorn worker started as in production (`python -m app serve`),
one keep-alive connection, requests one after another with the headers of a browser (gzip accepted); the time
from sending a request to having read the whole answer, and the CPU time the server process spent per request
(read from /proc: the measure to compare on a shared machine, where other processes stretch the wall clock).
The SQL statements of one request are counted in-process (a TestClient on the same database). Last, the
machine's floor: a bare Starlette "ok" measured the same way, and the page's cost as a multiple of it (a figure
that compares runs on machines and hours of different speed; the targets themselves are absolute).

Targets (issue 12): median ≤ 5 ms anonymous and ≤ 8 ms expert on SQLite, ≤ 10 SQL statements, the same shape on
PostgreSQL. No timing asserts (the machine is shared); the query count is asserted to be bounded and equal for
both sizes (tests/discussion/test_section_page_queries.py pins it in the suite).
"""

import http.client
import os
import statistics
import time
from pathlib import Path

from app import db
from tests.benchmarks.datagen import PAGE_HOT, fill_section_page
from tests.benchmarks.load import CSRF_COOKIE, Server, app_env
from tests.benchmarks.uncached import statements, uncached_client
from tests.conftest import TEST_DB_URL
from tests.helpers import login, make_user

RUNS = 200
TARGETS = {"anonymous": 5.0, "expert (logged in)": 8.0}
QUERY_LIMIT = 10
HEADERS = {"Accept": "text/html", "Accept-Encoding": "gzip, deflate", "Accept-Language": "de-DE,de;q=0.9",
           "User-Agent": "Mozilla/5.0 (benchmark 8)"}


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and of its running children (uvicorn's worker is a child)."""
    total = 0.0
    for p in [pid, *_children(pid)]:
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _over_http(server: Server, path: str, cookie: str) -> tuple[float, float, float, int]:
    """Median and p90 ms from request to the whole answer read, CPU ms of the server per request, bytes sent."""
    host, port = server.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port))
    headers = {**HEADERS, "Cookie": cookie}

    def get() -> bytes:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        assert response.status == 200, response.status
        return body

    for _ in range(30):  # warm: templates compiled, statements built, connections pooled
        size = len(get())
    times = []
    cpu0 = _cpu_seconds(server.proc.pid)
    for _ in range(RUNS):
        t0 = time.perf_counter()
        get()
        times.append((time.perf_counter() - t0) * 1000)
    cpu = (_cpu_seconds(server.proc.pid) - cpu0) * 1000 / RUNS
    conn.close()
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9) - 1], cpu, size


def _statements(client, url: str) -> tuple[int, int]:
    """Statements of one request and comments shown (in-process, after a warming request)."""
    assert client.get(url).status_code == 200
    with statements() as sent:
        response = client.get(url)
    assert response.status_code == 200
    return len(sent), response.text.count('class="comment-card"')


def test_section_page_rendered_from_scratch(client):
    from tests.conftest import _truncate

    url = f"/abschnitte/{PAGE_HOT}"
    results = []
    for total in (100, 100_000):
        _truncate()
        author = make_user("expert", name="Autorin")
        reader = make_user("expert", name="Leserin")
        t0 = time.perf_counter()
        fill_section_page(total, author.id, reader.id)
        fill_s = time.perf_counter() - t0
        with uncached_client() as uncached:
            anonymous_sql = _statements(uncached, url)
            login(uncached, reader)
            session_cookie = f"{CSRF_COOKIE}; qw_session={uncached.cookies.get('qw_session')}"
            expert_sql = _statements(uncached, url)
        with Server("app.main:app", workers=1, env=app_env(TEST_DB_URL, page_cache=False)) as server:
            anonymous = _over_http(server, url, CSRF_COOKIE)
            expert = _over_http(server, url, session_cookie)
        with Server("app.main:app", workers=1, env=app_env(TEST_DB_URL, page_cache=True)) as server:
            cached = _over_http(server, url, CSRF_COOKIE)
        results.append((total, fill_s, (*anonymous, *anonymous_sql), (*cached, 0, anonymous_sql[1]),
                        (*expert, *expert_sql)))

    # The machine's floor in the same run: a bare Starlette "ok" through the same uvicorn and connection. The same
    # code measures from 4.6 to 11 ms on the VMs and hours of this project; its cost in these units stays put.
    with Server("tests.benchmarks.ceiling:app", workers=1, env={}, probe="/") as server:
        floor = _over_http(server, "/", "")

    dialect = db.get_engine().dialect.name
    print(f"\n\n### 8. Section page with 50 shown comments, rendered from scratch ({dialect})\n")
    print("| comments in DB | viewer | median ms | p90 ms | server CPU ms per request | gzip bytes | SQL statements "
          "| comments shown | target | met |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---|---|")
    for total, _fill_s, anonymous, cached, expert in results:
        for label, (median, p90, cpu, size, queries, shown) in (
                ("anonymous", anonymous), ("expert (logged in)", expert), ("anonymous, page cache hit", cached)):
            target, met = "", ""
            if label in TARGETS:
                target = f"≤ {QUERY_LIMIT} statements"
                met = "statements " + ("yes" if queries <= QUERY_LIMIT else "no")
                if dialect == "sqlite":  # the times are targets on SQLite; PostgreSQL is to have the same shape
                    target = f"≤ {TARGETS[label]:g} ms, {target}"
                    met = "time " + ("yes" if median <= TARGETS[label] else "no") + f", {met}"
            print(f"| {total:,} | {label} | {median:.1f} | {p90:.1f} | {cpu:.1f} | {size:,} | {queries} | {shown} "
                  f"| {target} | {met} |")
    print(f"\n(database filled in {results[0][1]:.1f} s and {results[1][1]:.1f} s; {dialect}; one uvicorn worker; "
          "statements include BEGIN where the driver is sent one)")
    small, large = results
    anon, expert = large[2], large[4]
    print(f"\nThe machine's floor in this run, a bare Starlette \"ok\" over the same connection: median "
          f"{floor[0]:.2f} ms, server CPU {floor[2]:.2f} ms. At 100,000 comments the uncached page takes "
          f"{anon[0] / floor[0]:.0f}× (anonymous) and {expert[0] / floor[0]:.0f}× (expert) the floor's median, "
          f"{anon[2] / floor[2]:.0f}× and {expert[2] / floor[2]:.0f}× its server CPU.")

    for i in (2, 4):  # uncached anonymous and logged-in expert
        assert small[i][5] == large[i][5] == 50, "the same 50 comments are shown"
        assert small[i][4] == large[i][4], "the number of statements does not depend on the database size"
        assert large[i][4] <= QUERY_LIMIT, "bounded number of statements"
