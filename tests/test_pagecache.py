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


def _raw(client, path: str, **headers) -> tuple[dict, bytes]:
    """The answer's headers and its bytes as sent (not decoded by the client)."""
    with client.stream("GET", path, headers=headers) as answer:
        return answer.headers, b"".join(answer.iter_raw())


def test_a_cached_page_is_sent_gzipped_with_each_visitors_own_token_and_means_the_same_as_uncompressed(asgi_app):
    """A copy is kept gzipped in pieces around the CSRF placeholder; each visitor's gzip carries their own token,
    passes a strict decoder (checksum and length) and says what the uncompressed answer says."""
    import gzip

    with TestClient(asgi_app) as anna, TestClient(asgi_app) as ben:
        for visitor in (anna, ben):
            visitor.get("/quartiere")  # the first one renders, the second reads the copy
            headers, raw = _raw(visitor, "/quartiere", **{"Accept-Encoding": "gzip, deflate"})
            assert headers["x-cache"] == "hit" and headers["content-encoding"] == "gzip"
            assert "Accept-Encoding" in headers["vary"] and int(headers["content-length"]) == len(raw)
            html = gzip.decompress(raw).decode()
            assert _csrf_in_page(html) == visitor.cookies["qw_csrf"]
            assert "Stadtbezirke" in html
            plain_headers, plain = _raw(visitor, "/quartiere", **{"Accept-Encoding": "identity"})
            assert plain_headers["x-cache"] == "hit" and "content-encoding" not in plain_headers
            assert plain.decode() == html
        assert anna.cookies["qw_csrf"] != ben.cookies["qw_csrf"]


def test_the_first_request_of_a_page_gets_the_same_gzip_as_those_after_it(asgi_app):
    import gzip

    with TestClient(asgi_app) as visitor:
        visitor.get("/")  # the visitor's token cookie
        first_headers, first = _raw(visitor, "/quartiere?erstmals=1", **{"Accept-Encoding": "gzip"})
        again_headers, again = _raw(visitor, "/quartiere?erstmals=1", **{"Accept-Encoding": "gzip"})
        assert (first_headers["x-cache"], again_headers["x-cache"]) == ("miss", "hit")
        assert first_headers["content-encoding"] == again_headers["content-encoding"] == "gzip"
        assert first == again and _csrf_in_page(gzip.decompress(first).decode()) == visitor.cookies["qw_csrf"]


def test_gzip_pieces_spliced_with_any_token_decode_to_the_body_with_that_token():
    import gzip

    from app.web.pagecache import PLACEHOLDER, gzip_pieces, splice_gzip

    text = "".join(f"<p>Absatz {n}: Wohnen, Begegnung und Nachbarschaft im Quartier.</p>" for n in range(200))
    bodies = [text.encode(), PLACEHOLDER + text.encode(), text.encode() + PLACEHOLDER, b"",
              PLACEHOLDER.join([text.encode()[:500], text.encode()[500:9000], b"", text.encode()[9000:]])]
    for body in bodies:
        for token in (b"abc-DEF_123" * 4, b"", b"x" * 70_000):
            assert gzip.decompress(splice_gzip(body, gzip_pieces(body), token)) == body.replace(PLACEHOLDER, token)


def test_a_visitors_odd_csrf_cookie_is_replaced_and_never_reaches_other_visitors_pages(asgi_app):
    """A token the page would show escaped (here with < and ") would not be found in the rendered page when the
    copy is stored, so the copy would keep it and hand it to every visitor (whose forms would then fail)."""
    odd = 'aaaaaaaaaaaaaaaaaaaaaaaa<b>"x'
    with TestClient(asgi_app) as mallory, TestClient(asgi_app) as ben:
        page = mallory.get("/quartiere?frisch=1", headers={"Cookie": f"qw_csrf={odd}"})
        assert page.headers["x-cache"] == "miss"
        given = re.search(r"qw_csrf=([^;]+)", page.headers["set-cookie"]).group(1)
        assert given != odd and _csrf_in_page(page.text) == given
        seen = ben.get("/quartiere?frisch=1")
        assert seen.headers["x-cache"] == "hit" and _csrf_in_page(seen.text) == ben.cookies["qw_csrf"]
