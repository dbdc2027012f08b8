"""Refused and repeated writes never stall the server (issue 11, availability).

Each test reproduces a report against a real uvicorn worker with the production thread settings (two
threads): parallel requests whose writes are refused after their transaction took a lock (SQLite's write
lock, PostgreSQL's row lock). Every request must be answered, none with a 5xx, and /healthz must keep
answering throughout. Before the session lifecycle ended every transaction before its response, each of
these stalled the worker until a lock timeout (SQLite: a minute) or forever (PostgreSQL).

How fast /healthz answers during a burst is a speed target (1 s), measured by
tests/benchmarks/test_burst_benchmark.py and reported in the README; the suite asserts only what tells a stall
from a busy machine (HEALTHZ_SECONDS below).
"""

import multiprocessing
import os
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.benchmarks.load import Server
from tests.conftest import TEST_DB_URL
from tests.helpers import CONSENT, PASSWORD, make_user
from tests.responses.factory import World

ENV = {"QW_DATABASE_URL": TEST_DB_URL, "QW_ENVIRONMENT": "test", "QW_SECRET_KEY": "test-secret",
       "QW_PAGE_CACHE": "true", "QW_BASE_URL": "http://testserver", "QW_MAIL_BACKEND": "log",
       "QW_WORKER_THREADS": "2", "QW_LOGIN_MAX_FAILURES": "3"}
REQUEST_TIMEOUT = 10  # seconds; far beyond what any of these requests needs, far below the old stalls
# /healthz answers within 3 s during every burst: the stalls fixed took 30 s to ∞, a worker busy with a burst
# answers in 0.1–0.5 s on a quiet two-core machine and was seen at 1.1–1.6 s on a shared one (CI). The 1 s
# target is the benchmark's (see above); QW_TEST_HEALTHZ_SECONDS sets another bound.
HEALTHZ_SECONDS = float(os.environ.get("QW_TEST_HEALTHZ_SECONDS", "3"))


@pytest.fixture
def server(database):
    # One server per test: a test that fails by stalling takes its stuck worker (and on PostgreSQL its
    # sessions' locks) with it, before the tables are emptied for the next test.
    with Server("app.main:app", workers=1, env=ENV) as server:
        yield server


@pytest.fixture
def api(server):
    with httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT) as client:
        yield client


def _probe(url: str, ready, stop, results) -> None:
    slowest, failures = 0.0, []
    with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT) as client:
        while not stop.is_set():
            started = time.monotonic()
            try:
                status = client.get("/healthz").status_code
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            slowest = max(slowest, time.monotonic() - started)
            if status != 200:
                failures.append(status)
            ready.set()
            stop.wait(0.05)
    results.put((slowest, failures))


class Health:
    """Asks /healthz every 50 ms and keeps the slowest answer, from a process of its own (the threads that
    fire the burst must not slow down its clock)."""

    def __init__(self, url: str):
        context = multiprocessing.get_context("spawn")
        self._ready, self._stop, self._results = context.Event(), context.Event(), context.Queue()
        self._process = context.Process(target=_probe, args=(url, self._ready, self._stop, self._results))
        self.slowest, self.failures = 0.0, []

    def __enter__(self) -> "Health":
        self._process.start()
        assert self._ready.wait(30), "the /healthz probe did not start"
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self.slowest, self.failures = self._results.get(timeout=30)
        self._process.join()


def fire(server: Server, requests: list[tuple[str, str, dict]]) -> tuple[list[int | str], Health]:
    """Fire the requests (method, path, httpx arguments) at once, each on a connection of its own opened
    beforehand, while /healthz is watched; returns their statuses (or "timeout") and the watch.

    Every client is made before any connects: making one costs 20–70 ms (httpx loads its TLS certificates), so a
    connection opened while hundreds of clients were still being made sat idle beyond the server's keep-alive
    timeout (uvicorn: 5 s), and its request, sent just as the server closed it, failed as "Server disconnected"
    (seen on a slow machine with the 240 requests of test_write_bursts: 4.9 s at the barrier)."""
    url, made, start = server.url, threading.Barrier(len(requests)), threading.Barrier(len(requests))

    def send(request: tuple[str, str, dict]) -> int | str:
        method, path, kwargs = request
        with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT) as client:
            made.wait()
            client.get("/healthz")  # connected
            start.wait()
            try:
                return client.request(method, path, **kwargs).status_code
            except httpx.TimeoutException:
                return "timeout"

    with Health(url) as health, ThreadPoolExecutor(len(requests)) as pool:
        statuses = list(pool.map(send, requests))
    return statuses, health


def burst(server: Server, requests: list[tuple[str, str, dict]]) -> list[int | str]:
    """fire() the requests: none may time out or fail with a 5xx, and /healthz must not stall."""
    statuses, health = fire(server, requests)
    assert "timeout" not in statuses, (statuses, server.output())
    assert not [s for s in statuses if s >= 500], (statuses, server.output())
    assert health.failures == [] and health.slowest < HEALTHZ_SECONDS, (health.slowest, health.failures,
                                                                        server.output())
    return statuses


def parallel(server: Server, n: int, method: str, path: str, **kwargs) -> list[int | str]:
    return burst(server, [(method, path, kwargs)] * n)


def token_of(api: httpx.Client, user) -> dict:
    answer = api.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def test_parallel_accepts_of_an_unknown_invitation_are_refused_without_stalling(server):
    statuses = parallel(server, 6, "POST", f"/api/v1/invitations/{secrets.token_urlsafe(32)}/accept",
                        json={"display_name": "Niemand", "password": "irrelevant-pass-1"})
    assert statuses == [404] * 6


def test_parallel_accepts_of_one_invitation_make_one_account(server, api):
    admin = token_of(api, make_user("admin"))
    invited = api.post("/api/v1/invitations", headers=admin, json={"email": "fach@example.org",
                                                                   "organisation": "Caritas Stuttgart"})
    assert invited.status_code == 201, invited.text
    statuses = parallel(server, 10, "POST", f"/api/v1/invitations/{invited.json()['token']}/accept",
                        json={"display_name": "Fachfrau", "password": "irrelevant-pass-1", **CONSENT})
    assert sorted(statuses)[0] == 201 and statuses.count(201) == 1, statuses
    assert set(statuses) <= {201, 404, 409}, statuses


def test_parallel_publishes_of_one_section_publish_one_version(server, api):
    world = World(api)
    draft = api.get(f"/api/v1/sections/{world.section_id}/draft", headers=world.lead_headers).json()
    saved = api.put(f"/api/v1/sections/{world.section_id}/draft", headers=world.lead_headers,
                    json={"title": draft["title"], "body": "Neu gefasst.", "revision": draft["revision"]})
    assert saved.status_code == 200, saved.text
    statuses = parallel(server, 4, "POST", f"/api/v1/sections/{world.section_id}/versions",
                        headers=world.lead_headers, json={"change_summary": "Zweite Fassung.", "addresses": []})
    assert statuses.count(201) == 1 and statuses.count(409) == 3, statuses


def test_parallel_logins_after_the_address_limit_are_all_refused(server, api):
    user = make_user("resident")
    for _ in range(3):  # QW_LOGIN_MAX_FAILURES
        assert api.post("/api/v1/tokens", json={"email": user.email, "password": "falsch-falsch"}).status_code == 401
    statuses = parallel(server, 40, "POST", "/api/v1/tokens",
                        json={"email": f"x{secrets.token_hex(3)}@example.org", "password": "falsch-falsch"})
    assert statuses == [429] * 40


def test_parallel_opens_of_a_closed_round_are_refused(server, api):
    world = World(api)
    closed = api.post(f"/api/v1/rounds/{world.round_id}/close", headers=world.lead_headers)
    assert closed.status_code == 200, closed.text
    statuses = parallel(server, 6, "POST", f"/api/v1/rounds/{world.round_id}/open",
                        headers=world.lead_headers)
    assert statuses == [409] * 6
    assert api.get(f"/api/v1/rounds/{world.round_id}").json()["state"] == "closed"


def test_a_lead_saving_the_same_statement_four_times_keeps_one_revision(server, api):
    world = World(api)
    comment = world.comment()
    body = {"status": "accepted", "text": "Wird in Kapitel 2 aufgenommen.", "version_id": None}
    first = api.put(f"/api/v1/comments/{comment['id']}/response", headers=world.lead_headers, json=body)
    assert first.status_code == 200, first.text
    statuses = parallel(server, 4, "PUT", f"/api/v1/comments/{comment['id']}/response",
                        headers=world.lead_headers, json=body)
    assert statuses == [200] * 4
    current = api.get(f"/api/v1/comments/{comment['id']}/response").json()
    assert current["revision"] == 1 and current["history"] == [], current


def test_a_lock_wait_that_runs_out_is_answered_503_with_retry_after(database):
    from sqlmodel import select

    from app import db
    from app.rounds.models import Round

    with Server("app.main:app", workers=1, env={**ENV, "QW_LOCK_TIMEOUT_SECONDS": "1"}) as server, \
            httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT) as api:
        world = World(api)
        close = f"/api/v1/rounds/{world.round_id}/close"
        with db.new_session(writer=True) as holder:  # someone else holds the round (SQLite: the write lock)
            holder.exec(select(Round).where(Round.id == world.round_id).with_for_update()).one()
            started = time.monotonic()
            waited = api.post(close, headers=world.lead_headers)
            took = time.monotonic() - started
            assert api.get("/healthz").status_code == 200
        assert waited.status_code == 503 and 1 <= took < 5, (waited.status_code, took)
        assert int(waited.headers["Retry-After"]) > 0
        assert waited.headers["Content-Type"] == "application/problem+json"
        assert "versuchen Sie es in einigen Sekunden noch einmal" in waited.json()["detail"]
        assert api.post(close, headers=world.lead_headers).status_code == 200  # nothing of it was left behind
