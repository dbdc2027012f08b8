"""The anonymous page cache: served from memory, invalidated by any write through any worker, per-visitor CSRF."""

import re

from fastapi.testclient import TestClient

from app.main import create_app
from tests.helpers import PASSWORD, api_token, login, make_user


def _csrf_in_page(html: str) -> str:
    return re.search(r'"X-CSRF-Token": "([^"]+)"', html).group(1)


def test_repeat_reads_get_etag_and_304(client):
    first = client.get("/quartiere")
    second = client.get("/quartiere")
    assert first.status_code == second.status_code == 200
    assert second.headers["etag"] == first.headers["etag"]
    assert second.text == first.text
    not_modified = client.get("/quartiere", headers={"If-None-Match": first.headers["etag"]})
    assert not_modified.status_code == 304 and not_modified.content == b""


def test_each_visitor_gets_their_own_csrf_token_from_a_cached_page(asgi_app):
    with TestClient(asgi_app) as anna, TestClient(asgi_app) as ben:
        page_a = anna.get("/").text
        page_b = ben.get("/").text
        assert _csrf_in_page(page_a) == anna.cookies["qw_csrf"]
        assert _csrf_in_page(page_b) == ben.cookies["qw_csrf"]
        assert anna.cookies["qw_csrf"] != ben.cookies["qw_csrf"]


def test_a_write_through_one_worker_is_visible_through_the_other_at_once():
    lead = make_user("lead")
    worker_a, worker_b = create_app(), create_app()  # two processes' worth of caches over one database
    with TestClient(worker_a) as a, TestClient(worker_b) as b:
        assert b.get("/api/v1/documents").json()["total"] == 0
        assert b.get("/api/v1/documents").json()["total"] == 0  # now served from b's cache
        created = a.post("/api/v1/documents", headers=api_token(a, lead),
                         json={"title": "Rahmenkonzeption", "slug": "rk", "description": "Entwurf"})
        assert created.status_code == 201, created.text
        assert b.get("/api/v1/documents").json()["total"] == 1


def test_logged_in_pages_are_never_shared(client, asgi_app):
    user = make_user("resident", name="Nur Für Mich")
    login(client, user)
    assert "Nur Für Mich" in client.get("/").text
    with TestClient(asgi_app) as stranger:
        assert "Nur Für Mich" not in stranger.get("/").text


def test_a_logged_in_page_reads_its_user_once_and_every_request_checks_the_login(client, monkeypatch):
    """The page cache reads the session's user on the event loop (app/deps.py session_user); a page it then
    renders takes the user from that read, a cached copy is served only after it (so a block counts at once)."""
    from app import cache
    from app.accounts.models import User
    from app.db import new_session

    user = make_user("resident", name="Einmal Gelesen")
    login(client, user)
    client.get("/")  # any message left by the login is shown here
    reads = []
    original = cache.rows_on_loop

    async def counted(sql, params=()):
        if "token_hash" in sql:
            reads.append(sql)
        return await original(sql, params)

    monkeypatch.setattr(cache, "rows_on_loop", counted)
    rendered = client.get("/?erstmals=1")
    assert rendered.headers["x-cache"] == "miss" and "Einmal Gelesen" in rendered.text
    assert len(reads) == 1
    again = client.get("/?erstmals=1")
    assert again.headers["x-cache"] == "hit" and again.text == rendered.text
    assert len(reads) == 2
    with new_session(writer=True) as session:
        session.get(User, user.id).is_active = False
        session.commit()
    blocked = client.get("/?erstmals=1")
    assert "x-cache" not in blocked.headers and "Einmal Gelesen" not in blocked.text  # the app answered, uncached


def test_an_odd_cookie_beside_the_login_never_turns_a_personal_page_into_a_shared_one(client, asgi_app):
    user = make_user("resident", name="Nur Für Mich")
    login(client, user)
    session = client.cookies.get("qw_session")
    # Python's SimpleCookie drops the whole header at "a=b c"; the app's parser still finds the login.
    with TestClient(asgi_app) as odd:
        page = odd.get("/", headers={"Cookie": f"a=b c; qw_session={session}"})
        assert "Nur Für Mich" in page.text
    with TestClient(asgi_app) as stranger:
        assert "Nur Für Mich" not in stranger.get("/").text


def test_readers_asking_at_once_share_one_lookup_and_each_sees_the_writes_before_it(asgi_app, monkeypatch):
    """On PostgreSQL the generations of every request that asks before the next turn of the event loop are read
    by one query (app/cache.py _batched); a write committed before a reader asks is seen by it all the same.
    (SQLite reads them on the event loop itself, one statement each: nothing to share there.)"""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from app import cache
    from tests.conftest import IS_POSTGRES

    lead = make_user("lead")
    lookups: list[tuple] = []
    original = cache.async_rows

    async def counted(sql, params=(), **kwargs):
        if sql.startswith("SELECT key, generation"):
            lookups.append(params)
        return await original(sql, params, **kwargs)

    monkeypatch.setattr(cache, "async_rows", counted)

    async def run() -> None:
        async with asgi_app.router.lifespan_context(asgi_app):
            transport = httpx.ASGITransport(app=asgi_app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
                assert (await c.get("/api/v1/documents")).json()["total"] == 0  # now cached
                lookups.clear()
                answers = await asyncio.gather(*(c.get("/api/v1/documents") for _ in range(20)))
                assert [a.json()["total"] for a in answers] == [0] * 20
                assert {a.headers["x-cache"] for a in answers} == {"hit"}
                if IS_POSTGRES:
                    assert 1 <= len(lookups) < 20, len(lookups)
                token = (await c.post("/api/v1/tokens", json={"email": lead.email, "password": PASSWORD})).json()
                created = await c.post("/api/v1/documents", headers={"Authorization": f"Bearer {token['token']}"},
                                       json={"title": "Rahmenkonzeption", "slug": "rk", "description": "Entwurf"})
                assert created.status_code == 201, created.text
                answers = await asyncio.gather(*(c.get("/api/v1/documents") for _ in range(20)))
                assert [a.json()["total"] for a in answers] == [1] * 20

    with ThreadPoolExecutor(1) as pool:  # a loop of its own: the browser tests' loop may be running in this thread
        pool.submit(asyncio.run, run()).result()
