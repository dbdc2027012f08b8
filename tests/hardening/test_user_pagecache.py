"""Logged-in pages from the page cache: per person, the session checked on every request, ended by any change."""

from fastapi.testclient import TestClient

from tests.discussion import factories
from tests.helpers import api_token, login, make_user, post_form


def test_logged_in_pages_are_cached_per_person_and_never_shared(asgi_app):
    anna, ben = make_user("expert", name="Anna Ahorn"), make_user("expert", name="Ben Birke")
    with TestClient(asgi_app) as a, TestClient(asgi_app) as b:
        login(a, anna)
        login(b, ben)
        a.get("/"), b.get("/")  # shows (and ends) the welcome message, which is never cached
        first, second = a.get("/ideen"), a.get("/ideen")
        assert first.status_code == second.status_code == 200
        assert second.headers["etag"] == first.headers["etag"] and second.text == first.text
        assert a.get("/ideen", headers={"If-None-Match": first.headers["etag"]}).status_code == 304
        page_b = b.get("/ideen").text
        assert "Anna Ahorn" in first.text or "Mein Konto" in first.text
        assert "Anna Ahorn" not in page_b
        assert a.cookies["qw_csrf"] in first.text and b.cookies["qw_csrf"] in page_b  # own CSRF token each


def test_a_session_that_ended_gets_no_cached_page(asgi_app):
    user = make_user("resident", name="Paula Pappel")
    with TestClient(asgi_app) as c:
        login(c, user)
        assert c.get("/ideen").status_code == 200
        cookie = c.cookies["qw_session"]
        assert post_form(c, "/abmelden").status_code == 303
        c.cookies.set("qw_session", cookie)  # the old cookie, sent again
        page = c.get("/ideen")
        assert page.status_code == 200 and "Abmelden" not in page.text


def test_own_vote_is_marked_at_once(asgi_app):
    section_id = factories.section()
    factories.round_([section_id], audience="experts")
    author, voter = make_user("expert"), make_user("expert", name="Vera Votum")
    with TestClient(asgi_app) as c:
        comment = c.post(f"/api/v1/sections/{section_id}/comments", json={"body": "These zur Finanzierung"},
                         headers=api_token(c, author)).json()
        login(c, voter)
        c.get("/")  # the welcome message
        before = c.get(f"/abschnitte/{section_id}").text
        assert c.get(f"/abschnitte/{section_id}").text == before  # cached
        assert 'aria-pressed="true"' not in before
        voted = post_form(c, "/stimmen", {"target": "comment", "target_id": str(comment["id"]), "value": "1",
                                          "next": f"/abschnitte/{section_id}"})
        assert voted.status_code == 303
        c.cookies.delete("qw_flash")
        after = c.get(f"/abschnitte/{section_id}").text
        assert 'aria-pressed="true"' in after


def test_an_expired_session_or_a_deactivated_account_gets_no_cached_page(asgi_app):
    from datetime import timedelta

    from sqlalchemy import text

    from app import db
    from app.db import utcnow

    user = make_user("resident", name="Erik Ablauf")
    with TestClient(asgi_app) as c:
        login(c, user)
        c.get("/")
        assert "Abmelden" in c.get("/ideen").text and "Abmelden" in c.get("/ideen").text  # now cached
        with db.get_engine(writer=True).begin() as conn:
            conn.execute(text("UPDATE auth_token SET expires_at = :t"),
                         {"t": (utcnow() - timedelta(seconds=1)).replace(tzinfo=None)})
        assert "Abmelden" not in c.get("/ideen").text
        with db.get_engine(writer=True).begin() as conn:
            conn.execute(text("UPDATE auth_token SET expires_at = :t"),
                         {"t": (utcnow() + timedelta(days=1)).replace(tzinfo=None)})
        assert "Abmelden" in c.get("/ideen").text
        with db.get_engine(writer=True).begin() as conn:  # a raw write: no generation bump, the check still holds
            conn.execute(text("UPDATE user_account SET is_active = false"))
        assert "Abmelden" not in c.get("/ideen").text
