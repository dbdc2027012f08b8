"""Two uvicorn processes over one database (PostgreSQL in CI; the SQLite file when the suite runs on SQLite):
sessions, CSRF, rate limits, caches and the mail outbox behave as with one process."""

import os
import subprocess
import sys

import httpx
import pytest

from app.settings import ROOT, get_settings
from tests.benchmarks.load import Server
from tests.conftest import TEST_DB_URL
from tests.helpers import CONSENT, PASSWORD, make_user, outbox

ENV = {"QW_DATABASE_URL": TEST_DB_URL, "QW_ENVIRONMENT": "test",
       "QW_PAGE_CACHE": "true", "QW_PAGE_CACHE_STALE_SECONDS": "0", "QW_BASE_URL": "http://testserver",
       "QW_MAIL_BACKEND": "log"}


@pytest.fixture(scope="module")
def workers(database):
    with Server("app.main:app", workers=1, env=ENV) as one, Server("app.main:app", workers=1, env=ENV) as two:
        yield one.url, two.url


@pytest.fixture
def a_b(workers):
    with httpx.Client(base_url=workers[0], timeout=20) as a, httpx.Client(base_url=workers[1], timeout=20) as b:
        yield a, b


def _login(client: httpx.Client, user) -> None:
    client.get("/anmelden")
    answer = client.post("/anmelden", data={"email": user.email, "password": PASSWORD,
                                            "csrf_token": client.cookies["qw_csrf"]})
    assert answer.status_code == 303, answer.text


def test_a_session_started_on_one_worker_is_valid_on_the_other(a_b):
    a, b = a_b
    user = make_user("resident", name="Paula Prozess")
    _login(a, user)
    b.cookies.update(a.cookies)
    account = b.get("/konto")
    assert account.status_code == 200 and "Paula Prozess" in account.text
    logout = b.post("/abmelden", data={"csrf_token": b.cookies["qw_csrf"]})
    assert logout.status_code == 303
    assert a.cookies.get("qw_session")  # a still sends the old session cookie …
    assert a.get("/konto").status_code == 303  # … but the session has ended for every worker


def test_csrf_token_of_one_worker_is_accepted_by_the_other_and_checked(a_b):
    a, b = a_b
    user = make_user("resident")
    a.get("/anmelden")
    b.cookies.set("qw_csrf", a.cookies["qw_csrf"])
    missing = b.post("/anmelden", data={"email": user.email, "password": PASSWORD})
    assert missing.status_code == 403
    wrong = b.post("/anmelden", data={"email": user.email, "password": PASSWORD, "csrf_token": "x" * 43})
    assert wrong.status_code == 403
    right = b.post("/anmelden", data={"email": user.email, "password": PASSWORD, "csrf_token": a.cookies["qw_csrf"]})
    assert right.status_code == 303


def test_login_rate_limit_holds_across_workers(a_b):
    a, b = a_b
    user = make_user("resident")
    for n in range(get_settings().login_max_failures):
        answer = (a, b)[n % 2].post("/api/v1/tokens", json={"email": user.email, "password": "falsch-falsch"})
        assert answer.status_code == 401
    for client in (a, b):
        limited = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0


def test_a_write_through_one_worker_is_visible_through_the_other_at_once(a_b):
    a, b = a_b
    lead = make_user("lead")
    token = a.post("/api/v1/tokens", json={"email": lead.email, "password": PASSWORD}).json()["token"]
    for _ in range(2):  # the second answer comes from b's page cache
        assert b.get("/api/v1/documents").json()["total"] == 0
        assert "Rahmenkonzeption Zwei" not in b.get("/konzeption").text
    etag = b.get("/api/v1/documents").headers["etag"]
    created = a.post("/api/v1/documents", headers={"Authorization": f"Bearer {token}"},
                     json={"title": "Rahmenkonzeption Zwei", "slug": "rk2", "description": "Entwurf"})
    assert created.status_code == 201, created.text
    assert b.get("/api/v1/documents").json()["total"] == 1
    assert "Rahmenkonzeption Zwei" in b.get("/konzeption").text
    assert b.get("/api/v1/documents", headers={"If-None-Match": etag}).status_code == 200


def test_a_comment_vote_or_hide_through_one_worker_ends_its_section_on_the_other_and_no_other_section(a_b):
    from tests.discussion import factories

    a, b = a_b
    lead = factories.lead()
    alpha, beta = factories.section(lead, title="Abschnitt Alpha"), factories.section(lead, title="Abschnitt Beta")
    factories.round_([alpha, beta], audience="experts", actor=lead)
    experts = [make_user("expert") for _ in range(2)]
    tokens = [a.post("/api/v1/tokens", json={"email": e.email, "password": PASSWORD}).json()["token"] for e in experts]
    pages = [f"/abschnitte/{alpha}", f"/abschnitte/{beta}"]
    for page in pages:
        b.get(page)
        assert b.get(page).headers["x-cache"] == "hit"
    posted = a.post(f"/api/v1/sections/{alpha}/comments", headers={"Authorization": f"Bearer {tokens[0]}"},
                    json={"body": "Über Worker A geschrieben", "alignment": "note"})
    assert posted.status_code == 201, posted.text
    seen = b.get(pages[0])
    assert seen.headers["x-cache"] == "miss" and "Über Worker A geschrieben" in seen.text
    assert b.get(pages[1]).headers["x-cache"] == "hit"
    voted = a.put("/api/v1/votes", headers={"Authorization": f"Bearer {tokens[1]}"},
                  json={"target": "comment", "target_id": posted.json()["id"], "value": 1})
    assert voted.status_code == 200, voted.text
    assert b.get(pages[0]).headers["x-cache"] == "miss"
    assert b.get(f"/api/v1/sections/{alpha}/comments").json()["items"][0]["up"] == 1
    assert b.get(pages[1]).headers["x-cache"] == "hit"
    moderator = make_user("moderator")
    token = a.post("/api/v1/tokens", json={"email": moderator.email, "password": PASSWORD}).json()["token"]
    assert b.get(pages[0]).headers["x-cache"] == "hit"
    hidden = a.post(f"/api/v1/moderation/comment/{posted.json()['id']}/hide",
                    headers={"Authorization": f"Bearer {token}"}, json={"reason": "Persönliche Daten"})
    assert hidden.status_code == 200, hidden.text
    seen = b.get(pages[0])
    assert seen.headers["x-cache"] == "miss" and "Über Worker A geschrieben" not in seen.text
    assert b.get(pages[1]).headers["x-cache"] == "hit"


def test_mail_queued_through_one_worker_is_delivered_once_by_the_outbox_worker(a_b):
    a, b = a_b
    for n, client in enumerate((a, b)):
        answer = client.post("/api/v1/register", json={"email": f"neu{n}@example.org", "display_name": f"Neu {n}",
                                                       "password": PASSWORD, **CONSENT})
        assert answer.status_code == 202, answer.text
    queued = outbox()
    assert sorted(m.to_email for m in queued) == ["neu0@example.org", "neu1@example.org"]
    assert all(m.sent_at is None for m in queued)
    env = {**os.environ, **ENV}
    for _ in range(2):  # the outbox worker as run in production (once here, not --loop)
        subprocess.run([sys.executable, "-m", "app", "deliver-mail"], cwd=ROOT, env=env, check=True,
                       capture_output=True, timeout=60)
    delivered = outbox()
    assert all(m.sent_at is not None and m.attempts == 1 for m in delivered)
