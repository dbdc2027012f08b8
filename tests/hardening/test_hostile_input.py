"""A catalogue of bad input against pages and API: a clear answer every time, never a 500, nothing stored."""

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app import db
from app.db import utcnow
from tests.discussion import factories
from tests.helpers import CONSENT, PASSWORD, api_token, csrf, login, make_user, post_form

HUGE = str(10**30)
SCRIPTY = ('<script>alert(1)</script> **fett** [klick](javascript:alert(1)) <img src=x onerror="alert(2)"> '
           '<a href="javascript:alert(3)" onclick="alert(4)">x</a> [daten](data:text/html;base64,PHNjcmlwdD4=)')


@pytest.fixture
def raw(asgi_app):
    """A client that shows a server error as a 500 response instead of raising it."""
    with TestClient(asgi_app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def world():
    """A published section with an open round for experts, an expert, a resident and a lead."""
    lead = make_user("lead", name="Lena Leitung")
    section_id = factories.section(lead)
    factories.round_([section_id], audience="public", actor=lead)
    return {"lead": lead, "section": section_id, "expert": make_user("expert", name="Erika Expertin"),
            "resident": make_user("resident", name="Rudi Bewohner")}


def _quarter() -> int:
    with db.get_engine().connect() as conn:
        return conn.execute(text("SELECT min(id) FROM quarter")).scalar()


def _dangerous_tags(html: str) -> list[str]:
    """Tags (not escaped text) that could run script: <script> without src, on* handlers, javascript:/data: links."""
    tags = re.findall(r"<[a-zA-Z][^>]*>", html)
    return [t for t in tags if re.match(r"<script(?![^>]*\bsrc=)", t) or re.search(r"\son[a-z]+\s*=", t)
            or re.search(r"(href|src)\s*=\s*[\"']?\s*(javascript|data):", t, re.I)]


def _count(table: str) -> int:
    with db.get_engine().connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()


def test_oversized_bodies_are_refused_with_413(raw, world):
    headers = api_token(raw, world["expert"])
    big = '{"body": "' + "x" * 1_100_000 + '"}'
    api = raw.post(f"/api/v1/sections/{world['section']}/comments", content=big,
                   headers={**headers, "Content-Type": "application/json"})
    assert api.status_code == 413 and api.json()["status"] == 413
    # A chunked body without Content-Length is cut off at the limit too.
    chunked = raw.post("/api/v1/register", content=iter([b'{"email": "', b"y" * 600_000, b"z" * 600_000]),
                       headers={"Content-Type": "application/json"})
    assert chunked.status_code == 413
    login(raw, world["expert"])
    page = post_form(raw, f"/abschnitte/{world['section']}/beitraege", {"body": "x" * 1_100_000})
    assert page.status_code == 413
    assert _count("comment") == 0


def test_invalid_utf8_and_nul_bytes_get_clear_errors(raw, world):
    headers = {**api_token(raw, world["expert"]), "Content-Type": "application/json"}
    for body in (b'{"body": "\xff\xfe kaputt"}', b'{"body": "Null\\u0000Byte"}', b"\x00\x00\x00", b"{"):
        answer = raw.post(f"/api/v1/sections/{world['section']}/comments", content=body, headers=headers)
        assert answer.status_code in (400, 422), (body, answer.status_code, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
    register = raw.post("/api/v1/register", json={"email": "nul@example.org", "display_name": "Nu\x00ll",
                                                  "password": PASSWORD})
    assert register.status_code == 422
    token = csrf(raw)
    form = raw.post("/registrieren", content=b"email=%FF%FE%00&display_name=%00&password=\xff\xfe&csrf_token=" +
                    token.encode(), headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert form.status_code in (400, 422), form.status_code
    query = raw.get("/ideen?q=%FF%FE%00&district=%00")
    assert query.status_code in (200, 400, 422)
    assert _count("comment") == 0


def test_markdown_with_scripts_and_handlers_is_rendered_inert(raw, world):
    headers = api_token(raw, world["expert"])
    posted = raw.post(f"/api/v1/sections/{world['section']}/comments", json={"body": SCRIPTY}, headers=headers)
    assert posted.status_code == 201, posted.text
    for html in (posted.json().get("html", ""), raw.get(f"/abschnitte/{world['section']}").text):
        assert _dangerous_tags(html) == []
    assert "alert(1)" in posted.json()["html"]  # the text is kept, shown as text
    page = raw.get(f"/abschnitte/{world['section']}").text
    assert "<strong>fett</strong>" in page  # Markdown still works


def test_ten_thousand_character_titles_are_refused(raw, world):
    headers = api_token(raw, world["resident"])
    idea = raw.post("/api/v1/ideas", json={"title": "T" * 10_000, "body": "Eine Idee für den Stadtteil.",
                                           "category": "wohnen", "quarter_id": _quarter()}, headers=headers)
    assert idea.status_code == 422 and any(e["field"] == "title" for e in idea.json()["errors"])
    lead = api_token(raw, world["lead"])
    document = raw.post("/api/v1/documents", json={"title": "D" * 10_000, "slug": "lang", "description": ""},
                        headers=lead)
    assert document.status_code == 422
    login(raw, world["resident"])
    form = post_form(raw, "/ideen", {"title": "T" * 10_000, "body": "Eine Idee für den Stadtteil.",
                                     "category": "wohnen", "quarter_id": str(_quarter())})
    assert form.status_code in (409, 422) and "<main" in form.text
    assert _count("idea") == 0 and _count("document") == 1


@pytest.mark.parametrize("page", ["-1", "0", HUGE, "abc", "1e9"])
def test_odd_page_numbers_never_break_lists(raw, world, page):
    for path in (f"/ideen?page={page}", f"/abschnitte/{world['section']}?page={page}", f"/runden?page={page}"):
        assert raw.get(path).status_code in (200, 404, 422), path
    for path in (f"/api/v1/ideas?page={page}", f"/api/v1/sections/{world['section']}/comments?page={page}",
                 f"/api/v1/documents?page={page}&per_page=1000"):
        answer = raw.get(path)
        assert answer.status_code in (200, 422), (path, answer.status_code)
        if answer.status_code == 422:
            assert answer.json()["status"] == 422


@pytest.mark.parametrize("ident", ["999999", "2147483648", "9223372036854775808", HUGE])
def test_unknown_ids_are_404(raw, ident):
    for path in (f"/abschnitte/{ident}", f"/ideen/{ident}", f"/runden/{ident}", f"/beitraege/{ident}/bearbeiten"):
        answer = raw.get(path, follow_redirects=False)
        assert answer.status_code in (303, 404), (path, answer.status_code)  # 303: log in first
    for path in (f"/api/v1/sections/{ident}", f"/api/v1/ideas/{ident}", f"/api/v1/comments/{ident}",
                 f"/api/v1/rounds/{ident}", f"/api/v1/sections/{ident}/versions"):
        answer = raw.get(path)
        assert answer.status_code in (404, 422), (path, answer.status_code)
        assert answer.headers["content-type"].startswith("application/problem+json")


def test_hidden_and_other_peoples_objects_do_not_leak(raw, world):
    resident = api_token(raw, world["resident"])
    idea = raw.post("/api/v1/ideas", json={"title": "Bank am Marktplatz", "body": "Mehr Sitzplätze im Schatten.",
                                           "category": "begegnung", "quarter_id": _quarter()},
                    headers=resident)
    assert idea.status_code == 201, idea.text
    idea_id = idea.json()["id"]
    moderator = make_user("moderator")
    hidden = raw.post(f"/api/v1/moderation/idea/{idea_id}/hide", json={"reason": "Beleidigung"},
                      headers=api_token(raw, moderator))
    assert hidden.status_code == 200, hidden.text
    assert raw.get(f"/api/v1/ideas/{idea_id}").status_code == 404
    assert raw.get(f"/ideen/{idea_id}").status_code == 404
    assert "Bank am Marktplatz" not in raw.get("/ideen").text
    assert "Bank am Marktplatz" not in raw.get("/api/v1/ideas").text
    # Someone else's comment cannot be edited or withdrawn, and a draft is not for residents.
    expert = api_token(raw, world["expert"])
    comment = raw.post(f"/api/v1/sections/{world['section']}/comments", json={"body": "Mein Beitrag"},
                       headers=expert).json()
    other = api_token(raw, make_user("expert"))
    assert raw.patch(f"/api/v1/comments/{comment['id']}", json={"body": "Übernommen"},
                     headers=other).status_code == 403
    assert raw.delete(f"/api/v1/comments/{comment['id']}", headers=other).status_code == 403
    assert raw.get(f"/api/v1/sections/{world['section']}/draft", headers=resident).status_code == 403
    assert raw.get(f"/api/v1/comments/{comment['id']}").json()["body"] == "Mein Beitrag"


def test_wrong_role_is_403(raw, world):
    resident = api_token(raw, world["resident"])
    assert raw.post("/api/v1/documents", json={"title": "X", "slug": "x", "description": ""},
                    headers=resident).status_code == 403
    assert raw.get("/api/v1/audit", headers=resident).status_code == 403
    assert raw.get("/api/v1/moderation/queue", headers=resident).status_code == 403
    login(raw, world["resident"])
    assert raw.get("/verwaltung/nutzer").status_code == 403
    assert raw.get("/konzeption/rahmenkonzeption/gliederung").status_code == 403
    assert raw.get("/runden/neu").status_code == 403


def test_missing_or_wrong_csrf_token_is_403(raw, world):
    user = world["resident"]
    csrf(raw)
    missing = raw.post("/anmelden", data={"email": user.email, "password": PASSWORD}, follow_redirects=False)
    wrong = raw.post("/anmelden", data={"email": user.email, "password": PASSWORD, "csrf_token": "x" * 43},
                     follow_redirects=False)
    header = raw.post("/anmelden", data={"email": user.email, "password": PASSWORD},
                      headers={"X-CSRF-Token": "falsch"}, follow_redirects=False)
    assert missing.status_code == wrong.status_code == header.status_code == 403
    assert "qw_session" not in raw.cookies
    login(raw, world["expert"])
    token = raw.cookies["qw_csrf"]
    raw.cookies.set("qw_csrf", "ein-ganz-anderes-cookie-von-woanders")
    posted = raw.post(f"/abschnitte/{world['section']}/beitraege", data={"body": "Hallo", "csrf_token": token},
                      follow_redirects=False)
    assert posted.status_code == 403
    assert _count("comment") == 0


def test_replayed_invitation_token_is_refused(raw, world):
    invitation = raw.post("/api/v1/invitations", json={"email": "neu@example.org", "organisation": "Verein e.V."},
                          headers=api_token(raw, world["lead"]))
    assert invitation.status_code == 201, invitation.text
    path = "/einladung/" + invitation.json()["token"]
    first = post_form(raw, path, {"display_name": "Neue Expertin", "password": PASSWORD, **CONSENT})
    assert first.status_code == 303
    again = post_form(raw, path, {"display_name": "Zweite Person", "password": PASSWORD, **CONSENT})
    assert again.status_code in (404, 409, 410), again.status_code
    assert raw.get(path).status_code in (404, 409, 410)
    api_again = raw.post(f"/api/v1/invitations/{invitation.json()['token']}/accept",
                         json={"display_name": "Dritte", "password": PASSWORD})
    assert api_again.status_code in (404, 409, 410)
    with db.get_engine().connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM user_account WHERE email = 'neu@example.org'")).scalar() == 1


def test_expired_session_and_token_are_logged_out(raw, world):
    login(raw, world["resident"])
    headers = api_token(raw, world["resident"])
    assert raw.get("/konto").status_code == 200
    assert raw.get("/api/v1/me", headers=headers).status_code == 200
    with db.get_engine(writer=True).begin() as conn:
        conn.execute(text("UPDATE auth_token SET expires_at = :past"), {"past": (utcnow() - timedelta(minutes=1))
                                                                         .replace(tzinfo=None)})
    page = raw.get("/konto", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/anmelden")
    api = raw.get("/api/v1/me", headers=headers)
    assert api.status_code == 401 and api.headers["content-type"].startswith("application/problem+json")


def test_garbage_headers_and_cookies_are_ignored(raw):
    for headers in ({"Cookie": "qw_session=" + "x" * 5000}, {"Cookie": '"; ;=;\x7f'},
                    {"Authorization": "Bearer " + "y" * 5000}, {"Authorization": "Basic Zm9vOmJhcg=="},
                    {"Accept-Language": "xx;q=nan, *;q=-1"}, {"HX-Request": "true", "HX-Target": "<script>"}):
        for path in ("/", "/api/v1/me", "/ideen"):
            assert raw.get(path, headers=headers).status_code in (200, 401, 400), (path, headers)
