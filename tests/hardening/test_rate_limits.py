"""Rate limits on login, registration, posting and voting: 429 with Retry-After, kept in the database so that
they hold across workers (here: two app instances with their own memory over one database)."""

import pytest
from fastapi.testclient import TestClient

from app.discussion import votes
from app.main import create_app
from app.settings import get_settings
from tests.discussion import factories
from tests.helpers import CONSENT, PASSWORD, api_token, make_user


@pytest.fixture
def two_workers():
    with TestClient(create_app()) as a, TestClient(create_app()) as b:
        yield a, b


def _limited(answer) -> None:
    assert answer.status_code == 429, answer.text
    assert int(answer.headers["Retry-After"]) > 0
    assert answer.json()["status"] == 429


def test_login_failures_are_limited_across_workers(two_workers):
    a, b = two_workers
    user = make_user("resident")
    limit = get_settings().login_max_failures
    for n in range(limit):
        answer = (a if n % 2 else b).post("/api/v1/tokens", json={"email": user.email, "password": "falsch-falsch"})
        assert answer.status_code == 401
    _limited(a.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD}))
    _limited(b.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD}))
    page = b.post("/anmelden", data={"email": user.email, "password": PASSWORD, "csrf_token": b.get("/anmelden")
                                     .cookies.get("qw_csrf") or b.cookies.get("qw_csrf")}, follow_redirects=False)
    assert page.status_code == 429 and "Retry-After" in page.headers


def test_registrations_from_one_address_are_limited(two_workers):
    a, b = two_workers
    answers = [(a if n % 2 else b).post("/api/v1/register", json={
        "email": f"person{n}@example.org", "display_name": f"Person {n}", "password": PASSWORD, **CONSENT})
        for n in range(21)]
    assert [x.status_code for x in answers[:20]] == [202] * 20
    _limited(answers[20])


def test_posting_is_limited_across_workers(two_workers, monkeypatch):
    a, b = two_workers
    monkeypatch.setattr(get_settings(), "post_rate_per_minute", 4)
    section_id = factories.section()
    factories.round_([section_id], audience="experts")
    expert = make_user("expert")
    headers = api_token(a, expert)
    for n in range(4):
        answer = (a if n % 2 else b).post(f"/api/v1/sections/{section_id}/comments", json={"body": f"Beitrag {n}"},
                                          headers=headers)
        assert answer.status_code == 201, answer.text
    _limited(a.post(f"/api/v1/sections/{section_id}/comments", json={"body": "Einer zu viel"}, headers=headers))
    assert b.get(f"/api/v1/sections/{section_id}/comments").json()["total"] == 4


def test_voting_is_limited_across_workers(two_workers, monkeypatch):
    a, b = two_workers
    monkeypatch.setattr(votes, "VOTE_RATE_PER_MINUTE", 3)
    section_id = factories.section()
    factories.round_([section_id], audience="experts")
    author, voter = api_token(a, make_user("expert")), api_token(a, make_user("expert"))
    ids = [a.post(f"/api/v1/sections/{section_id}/comments", json={"body": f"These {n}"}, headers=author).json()["id"]
           for n in range(4)]
    for n, comment_id in enumerate(ids[:3]):
        answer = (a if n % 2 else b).put("/api/v1/votes", json={"target": "comment", "target_id": comment_id,
                                                                 "value": 1}, headers=voter)
        assert answer.status_code == 200, answer.text
    _limited(b.put("/api/v1/votes", json={"target": "comment", "target_id": ids[3], "value": 1}, headers=voter))
    assert a.get(f"/api/v1/votes?target=comment&target_id={ids[3]}").json()["up"] == 0


def _events() -> list[tuple[str, bool]]:
    from datetime import timedelta

    from sqlmodel import select

    from app import db
    from app.ratelimit import RateLimitEvent

    cutoff = db.utcnow() - timedelta(days=1)
    with db.new_session() as s:
        return sorted((e.key, e.created_at < cutoff) for e in s.exec(select(RateLimitEvent)).all())


def test_old_rate_limit_events_are_pruned_as_the_app_runs(client, monkeypatch):
    from datetime import timedelta

    from app import db, ratelimit

    with db.new_session(writer=True) as s:
        for days in (2, 3, 30):
            s.add(ratelimit.RateLimitEvent(key=f"post:user:{days}", created_at=db.utcnow() - timedelta(days=days)))
        s.add(ratelimit.RateLimitEvent(key="post:user:recent", created_at=db.utcnow() - timedelta(hours=2)))
        s.commit()
    monkeypatch.setattr(ratelimit, "_next_prune", 0.0)  # as in a process that has not pruned yet
    section_id = factories.section()
    factories.round_([section_id])
    expert = make_user("expert")
    r = client.post(f"/api/v1/sections/{section_id}/comments", json={"body": "Ein Beitrag"},
                    headers=api_token(client, expert))
    assert r.status_code == 201, r.text
    assert _events() == [(f"post:user:{expert.id}", False), ("post:user:recent", False)]
    # a failed login prunes too (its events are committed on their own)
    with db.new_session(writer=True) as s:
        s.add(ratelimit.RateLimitEvent(key="login:acct:alt", created_at=db.utcnow() - timedelta(days=5)))
        s.commit()
    monkeypatch.setattr(ratelimit, "_next_prune", 0.0)
    assert client.post("/api/v1/tokens", json={"email": expert.email, "password": "falsch-falsch"}).status_code == 401
    assert all(not old for _key, old in _events())
