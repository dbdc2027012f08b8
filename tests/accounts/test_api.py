"""The accounts API: tokens, me, registration, users, roles, invitations, audit."""

import pytest

from tests.conftest import IS_POSTGRES
from tests.helpers import CONSENT, PASSWORD, api_token, link_in, make_user, outbox


def test_token_me_and_revoke(client):
    user = make_user("expert", email="e@example.org", organisation="Jugendhaus West")
    response = client.post("/api/v1/tokens", json={"email": "e@example.org", "password": PASSWORD})
    assert response.status_code == 201
    body = response.json()
    assert body["user"]["role"] == "expert"
    headers = {"Authorization": f"Bearer {body['token']}"}
    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200
    assert me.json()["organisation"] == "Jugendhaus West"
    assert me.json()["id"] == user.id
    assert client.delete("/api/v1/tokens/current", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_unauthenticated_and_bad_tokens_get_401_problem(client):
    for headers in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic abc"}):
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["status"] == 401


def test_session_cookie_does_not_authenticate_the_api(client):
    from tests.helpers import login

    login(client, make_user("admin"))
    assert client.get("/api/v1/me").status_code == 401


def test_wrong_password_gives_one_answer(client):
    make_user("resident", email="r@example.org")
    wrong = client.post("/api/v1/tokens", json={"email": "r@example.org", "password": "nope-nope-nope"})
    unknown = client.post("/api/v1/tokens", json={"email": "x@example.org", "password": "nope-nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]


def test_validation_errors_are_problem_details_with_fields(client):
    response = client.post("/api/v1/register", json={"email": "kaputt", "display_name": "", "password": "x"})
    assert response.status_code == 422
    body = response.json()
    assert body["status"] == 422
    fields = {e["field"] for e in body["errors"]}
    assert {"email", "display_name", "password"} <= fields
    assert all(e["message"] for e in body["errors"])
    assert outbox() == []


def test_malformed_json_is_422_not_500(client):
    response = client.post("/api/v1/tokens", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 422


def test_register_via_api_then_confirm_and_get_token(client):
    response = client.post("/api/v1/register", json={"email": "neu@example.org", "display_name": "Nachbarin",
                                                      "password": PASSWORD, **CONSENT})
    assert response.status_code == 202
    assert client.post("/api/v1/tokens", json={"email": "neu@example.org", "password": PASSWORD}).status_code == 401
    client.get(link_in(outbox("neu@example.org")[0].body, "/konto/bestaetigen/"))
    assert client.post("/api/v1/tokens", json={"email": "neu@example.org", "password": PASSWORD}).status_code == 201


def test_only_admin_creates_users_and_changes_roles(client):
    admin = make_user("admin")
    lead = make_user("lead")
    payload = {"email": "mod@example.org", "display_name": "Moderation", "role": "moderator", "password": PASSWORD}
    assert client.post("/api/v1/users", json=payload).status_code == 401
    assert client.post("/api/v1/users", json=payload, headers=api_token(client, lead)).status_code == 403
    admin_headers = api_token(client, admin)
    created = client.post("/api/v1/users", json=payload, headers=admin_headers)
    assert created.status_code == 201
    assert created.json()["role"] == "moderator"
    duplicate = client.post("/api/v1/users", json=payload, headers=admin_headers)
    assert duplicate.status_code == 409
    bad_role = client.post("/api/v1/users", json={**payload, "email": "z@example.org", "role": "king"},
                           headers=admin_headers)
    assert bad_role.status_code == 422

    user_id = created.json()["id"]
    changed = client.put(f"/api/v1/users/{user_id}/role", json={"role": "lead", "organisation": "Sozialamt"},
                         headers=admin_headers)
    assert changed.status_code == 200 and changed.json()["role"] == "lead"
    assert client.put("/api/v1/users/99999/role", json={"role": "lead"}, headers=admin_headers).status_code == 404

    log = client.get("/api/v1/audit", headers=admin_headers).json()
    actions = [e["action"] for e in log["items"]]
    assert "user.role" in actions and "user.create" in actions
    assert client.get("/api/v1/audit", headers=api_token(client, make_user("expert"))).status_code == 403


def test_invitation_via_api_is_single_use(client):
    lead = make_user("lead")
    response = client.post("/api/v1/invitations", json={"email": "exp@example.org", "organisation": "SWSG"},
                           headers=api_token(client, lead))
    assert response.status_code == 201
    token = response.json()["token"]
    assert response.json()["url"].endswith(token)
    accept = client.post(f"/api/v1/invitations/{token}/accept",
                         json={"display_name": "Eva Expertin", "password": PASSWORD, **CONSENT})
    assert accept.status_code == 201
    assert accept.json()["role"] == "expert" and accept.json()["organisation"] == "SWSG"
    again = client.post(f"/api/v1/invitations/{token}/accept", json={"display_name": "Eva", "password": PASSWORD})
    assert again.status_code == 404
    resident = make_user("resident")
    refused = client.post("/api/v1/invitations", json={"email": "a@example.org", "organisation": "X e.V."},
                          headers=api_token(client, resident))
    assert refused.status_code == 403


def test_my_data_export_and_pagination_bounds(client):
    admin = make_user("admin")
    headers = api_token(client, admin)
    data = client.get("/api/v1/me/export", headers=headers).json()
    assert data["account"]["role"] == "admin"
    assert client.get("/api/v1/users?per_page=201", headers=headers).status_code == 422
    assert client.get("/api/v1/users?page=-1", headers=headers).status_code == 422
    assert client.get("/api/v1/users?page=abc", headers=headers).status_code == 422
    page = client.get("/api/v1/users?page=999", headers=headers).json()
    assert page["items"] == [] and page["total"] == 1


def test_the_user_read_on_the_event_loop_is_the_one_a_session_loads(client, monkeypatch):
    """load_user reads the token's user on the event loop (app/deps.py): every column as the ORM gives it (dates
    with their zone, flags as booleans); an API token is no session; should that read fail, the lookup in the
    thread pool answers instead; a deactivated account is refused at once."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from app import cache, deps
    from app.accounts.models import User
    from app.db import new_session

    user = make_user("expert", email="spalten@example.org", organisation="Träger <West>")
    headers = api_token(client, user)
    token = headers["Authorization"].removeprefix("Bearer ")

    def on_loop(kind):  # a loop in a thread of its own (a browser test may have left one running in this thread)
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, deps._user_on_loop(token, kind)).result()

    on_loop_user = on_loop("api")
    with new_session() as session:
        loaded = session.get(User, user.id)
        for column in User.__table__.columns:
            mine, theirs = getattr(on_loop_user, column.key), getattr(loaded, column.key)
            assert mine == theirs and type(mine) is type(theirs), column.key
    assert on_loop("session") is None  # an API token is no session
    assert client.get("/api/v1/me", headers=headers).json()["organisation"] == "Träger <West>"

    def broken(*args):
        raise RuntimeError("the kept connection is gone")

    monkeypatch.setattr(cache, "rows_on_loop", broken)
    assert client.get("/api/v1/me", headers=headers).json()["id"] == user.id  # answered by the pooled lookup
    monkeypatch.undo()
    with new_session(writer=True) as session:
        session.get(User, user.id).is_active = False
        session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


@pytest.mark.skipif(not IS_POSTGRES, reason="the event loop's own PostgreSQL connections")
def test_a_stalled_read_on_the_event_loop_gives_up_in_time_says_so_and_the_request_is_still_answered(client, caplog):
    """The user of a token is read on the event loop, on a PostgreSQL connection of the loop's own (app/deps.py,
    app/cache.py async_rows). When that read stalls (here: another transaction holds a lock on the token table),
    it gives up after 2 s, says so in the log (else a request's wait of 2 s passes unseen), and the request is
    answered through the pooled lookup once the lock is gone."""
    import logging
    import threading
    import time

    from sqlalchemy import text

    from app.db import new_session

    user = make_user("expert", name="Geduldig")
    headers = api_token(client, user)
    holder = new_session(writer=True)
    holder.execute(text("LOCK TABLE auth_token IN ACCESS EXCLUSIVE MODE"))

    def release() -> None:
        holder.commit()
        holder.close()

    timer = threading.Timer(2.5, release)
    timer.start()
    try:
        with caplog.at_level(logging.WARNING, logger="quartierswerkstatt"):
            started = time.monotonic()
            me = client.get("/api/v1/me", headers=headers)
            took = time.monotonic() - started
    finally:
        timer.join()
    assert me.status_code == 200 and me.json()["display_name"] == "Geduldig"
    assert 2.4 <= took < 5  # waited for the lock, not past the database's lock timeout (5 s)
    said = [r.getMessage() for r in caplog.records if "read on the event loop failed" in r.getMessage()]
    assert said and "TimeoutError" in said[0], caplog.text
