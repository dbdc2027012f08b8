"""Benchmark (issue 11): how fast /healthz answers while every write operation of the API arrives at once.

The burst of tests/hardening/test_write_bursts.py (each operation twice, valid, plus once refused: 162
requests on connections opened beforehand), fired RUNS times, each against a fresh uvicorn worker with the
production thread settings, on the test database (SQLite, or PostgreSQL with QW_TEST_DATABASE_URL). /healthz
is asked every 50 ms from a process of its own. Target: the slowest answer under 1 s. Reported, not asserted
(the suite asserts only that nothing stalls); run with `make bench`.
"""

import statistics

import httpx
import pytest

from tests.benchmarks.load import Server
from tests.hardening.test_lock_waits import REQUEST_TIMEOUT, fire
from tests.hardening.test_write_bursts import ENV, Setup

RUNS = 5
TARGET_SECONDS = 1.0
results: list[tuple[float, int]] = []  # (slowest /healthz, requests)


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    if not results:
        return
    slowest = [r[0] for r in results]
    print(f"\n\n### /healthz during a burst of every write operation ({RUNS} bursts of {results[0][1]} requests)\n")
    print("| burst | slowest /healthz s | target < 1 s |")
    print("|---:|---:|---|")
    for i, (health, _n) in enumerate(results, 1):
        print(f"| {i} | {health:.3f} | {'met' if health < TARGET_SECONDS else 'missed'} |")
    print(f"\nmedian {statistics.median(slowest):.3f} s, worst {max(slowest):.3f} s")


@pytest.mark.parametrize("run", range(RUNS))
def test_healthz_during_a_burst_of_every_write_operation(database, run):
    with Server("app.main:app", workers=1, env=ENV) as server:
        with httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT) as api:
            requests = Setup(api).requests()
        fired = [(operation[0], "/api/v1" + path, kwargs)
                 for operation, (valid, refused) in sorted(requests.items())
                 for path, kwargs in (valid, valid, refused)]
        statuses, health = fire(server, fired)
    assert "timeout" not in statuses and health.failures == []
    results.append((health.slowest, len(fired)))
