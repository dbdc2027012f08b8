"""Votes and comments run on the event loop (routes declared `quick`, app/db.py). When another transaction holds
what such a write needs (SQLite's write lock, in this worker or another worker process; a row lock on PostgreSQL),
the write must not hold up the event loop, which every other request needs (the holder may need it to finish): it
waits without blocking the loop, then runs, and is stored once."""

import fcntl
import os
import threading
import time

import httpx
import pytest
from sqlalchemy import text

from app import db
from tests.conftest import IS_POSTGRES, TEST_DB_URL
from tests.discussion import factories as f
from tests.helpers import api_token, make_user

sqlite_only = pytest.mark.skipif(IS_POSTGRES, reason="SQLite's write lock")


def _setup(base: str) -> tuple[int, int, dict, dict]:
    sid = f.section()
    f.round_([sid])
    author, voter = make_user("expert"), make_user("expert")
    with httpx.Client(base_url=base) as c:
        author_h, voter_h = api_token(c, author), api_token(c, voter)
        comment = c.post(f"/api/v1/sections/{sid}/comments", json={"body": "Bitte abstimmen"}, headers=author_h)
    assert comment.status_code == 201
    return sid, comment.json()["id"], author_h, voter_h


def _while_held(base: str, hold, release, requests: list[tuple[str, str, dict, dict]]) -> list[httpx.Response]:
    """Send the requests while the write lock is held; check the server still answers others; then release."""
    answers: list = [None] * len(requests)

    def send(i: int) -> None:
        method, path, payload, headers = requests[i]
        with httpx.Client(base_url=base, timeout=30) as c:
            answers[i] = c.request(method, path, json=payload, headers=headers)

    hold()
    try:
        senders = [threading.Thread(target=send, args=(i,)) for i in range(len(requests))]
        for s in senders:
            s.start()
        time.sleep(0.3)  # the writes have found the lock taken by now
        assert all(a is None for a in answers), "a write went through while the lock was held"
        started = time.monotonic()
        with httpx.Client(base_url=base, timeout=3) as c:  # the event loop is free: another request is answered
            assert c.get("/healthz").status_code == 200
        assert time.monotonic() - started < 2
    finally:
        release()
    for s in senders:
        s.join(timeout=30)
    return answers


def _counts(base: str, comment_id: int) -> dict:
    with httpx.Client(base_url=base) as c:
        return c.get("/api/v1/votes", params={"target": "comment", "target_id": comment_id}).json()


@sqlite_only
def test_a_quick_write_waits_beside_the_loop_while_another_transaction_of_this_worker_holds_the_lock(live_server):
    sid, comment_id, author_h, voter_h = _setup(live_server)
    holder = db.new_session(writer=True)

    def hold():  # another request's write transaction: BEGIN IMMEDIATE, this worker's lock and the file lock
        holder.execute(text("UPDATE section SET title = title WHERE id = :id"), {"id": sid})

    def release():
        holder.commit()
        holder.close()

    vote = {"target": "comment", "target_id": comment_id, "value": 1}
    answers = _while_held(live_server, hold, release, [
        ("PUT", "/api/v1/votes", vote, voter_h), ("PUT", "/api/v1/votes", vote, voter_h),  # a double submit
        ("POST", f"/api/v1/sections/{sid}/comments", {"body": "Während gesperrt"}, voter_h)])
    assert [a.status_code for a in answers] == [200, 200, 201]
    assert answers[2].json()["body"] == "Während gesperrt"
    assert _counts(live_server, comment_id)["up"] == 1  # the double submit counted once
    with httpx.Client(base_url=live_server) as c:
        bodies = [i["body"] for i in c.get(f"/api/v1/sections/{sid}/comments").json()["items"]]
    assert bodies.count("Während gesperrt") == 1


@sqlite_only
def test_a_quick_write_waits_beside_the_loop_while_another_worker_process_holds_the_lock(live_server):
    """Another worker process holds the file lock beside the database (flock conflicts between two open files
    of the same file, as between processes)."""
    _, comment_id, _, voter_h = _setup(live_server)
    path = f"{TEST_DB_URL.removeprefix('sqlite:///')}-writer.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        answers = _while_held(live_server, lambda: fcntl.flock(fd, fcntl.LOCK_EX),
                              lambda: fcntl.flock(fd, fcntl.LOCK_UN),
                              [("PUT", "/api/v1/votes", {"target": "comment", "target_id": comment_id, "value": -1},
                                voter_h)])
    finally:
        os.close(fd)
    assert answers[0].status_code == 200 and answers[0].json()["down"] == 1
    assert _counts(live_server, comment_id)["down"] == 1


@pytest.mark.skipif(not IS_POSTGRES, reason="PostgreSQL's row locks")
def test_a_quick_write_waits_for_a_row_lock_beside_the_loop_on_postgresql(live_server):
    """The vote's counter update waits for the comment's row, which another transaction holds (a moderator's
    edit, say); meanwhile the worker answers others. A double submit of the vote waits too, then counts once."""
    _, comment_id, _, voter_h = _setup(live_server)
    holder = db.new_session(writer=True)

    def hold():
        holder.execute(text("SELECT id FROM comment WHERE id = :id FOR UPDATE"), {"id": comment_id})

    def release():
        holder.commit()
        holder.close()

    vote = {"target": "comment", "target_id": comment_id, "value": 1}
    answers = _while_held(live_server, hold, release, [("PUT", "/api/v1/votes", vote, voter_h),
                                                       ("PUT", "/api/v1/votes", vote, voter_h)])
    assert [a.status_code for a in answers] == [200, 200]
    assert _counts(live_server, comment_id)["up"] == 1


def test_a_refused_quick_write_stores_nothing_and_leaves_nothing_held(live_server):
    """Nothing held once answered: no write lock on SQLite, no transaction left open on PostgreSQL."""
    sid, comment_id, author_h, _ = _setup(live_server)
    with httpx.Client(base_url=live_server) as c:
        own = c.put("/api/v1/votes", json={"target": "comment", "target_id": comment_id, "value": 1},
                    headers=author_h)
        missing = c.post("/api/v1/sections/999999/comments", json={"body": "Wohin?"}, headers=author_h)
        empty = c.post(f"/api/v1/sections/{sid}/comments", json={"body": "   "}, headers=author_h)
        gone = c.put("/api/v1/votes", json={"target": "comment", "target_id": 999999, "value": 1}, headers=author_h)
    assert [own.status_code, missing.status_code, empty.status_code, gone.status_code] == [403, 404, 422, 404]
    assert _counts(live_server, comment_id)["up"] == 0
    if not IS_POSTGRES:
        assert not db._WRITE_LOCK.locked()  # noqa: SLF001 - the lock is what must not be left held
        return
    with db.new_session() as s:  # every answer was sent after its transaction ended
        open_ = s.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                               "AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()")).scalar()
    assert open_ == 0
