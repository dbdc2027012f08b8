"""Faults: the database going away mid-run, failing SMTP, a crash between storing a comment and queueing its mail."""

import smtplib

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from app import db
from app.notifications import service as mail
from tests.conftest import IS_POSTGRES, TEST_DB_URL
from tests.discussion import factories
from tests.helpers import api_token, make_user, outbox


@pytest.fixture
def raw(asgi_app):
    with TestClient(asgi_app, raise_server_exceptions=False) as c:
        yield c


def _comments() -> list[str]:
    with db.get_engine().connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT body FROM comment ORDER BY id"))]


def _dead_engine():
    return create_engine("postgresql+psycopg://postgres@127.0.0.1:1/none", pool_pre_ping=False,
                         connect_args={"connect_timeout": 1})


def test_database_outage_gives_503_keeps_acknowledged_writes_and_recovers(raw, monkeypatch):
    section_id = factories.section()
    factories.round_([section_id], audience="experts")
    headers = api_token(raw, make_user("expert"))
    acknowledged = []
    for n in range(3):
        answer = raw.post(f"/api/v1/sections/{section_id}/comments", json={"body": f"Vorher {n}"}, headers=headers)
        assert answer.status_code == 201
        acknowledged.append(f"Vorher {n}")
    assert raw.get(f"/abschnitte/{section_id}").status_code == 200  # now in the page cache too

    dead = _dead_engine()
    monkeypatch.setattr(db, "_engines", {False: dead, True: dead, "health": dead})
    if IS_POSTGRES:  # a comment through the API runs on the event loop, through the asynchronous engine
        from sqlalchemy.ext.asyncio import create_async_engine

        dead_on_loop = create_async_engine(dead.url, connect_args={"connect_timeout": 1})
        monkeypatch.setattr(db, "loop_engine", lambda: dead_on_loop)
    lost = raw.post(f"/api/v1/sections/{section_id}/comments", json={"body": "Während des Ausfalls"},
                    headers=headers)
    assert lost.status_code == 503 and lost.headers["Retry-After"]
    assert lost.json()["status"] == 503
    page = raw.get(f"/abschnitte/{section_id}")
    assert page.status_code == 503 and "nicht erreichbar" in page.text  # not a stale copy from the cache
    assert raw.get("/healthz").status_code == 503
    monkeypatch.undo()

    assert raw.get("/healthz").status_code == 200
    assert _comments() == acknowledged
    again = raw.post(f"/api/v1/sections/{section_id}/comments", json={"body": "Nachher"}, headers=headers)
    assert again.status_code == 201
    assert "Nachher" in raw.get(f"/abschnitte/{section_id}").text


@pytest.mark.skipif(not IS_POSTGRES, reason="server connections exist on PostgreSQL only")
def test_postgres_connections_killed_by_the_server_are_replaced(raw):
    user = make_user("resident")
    assert raw.get("/api/v1/me", headers=api_token(raw, user)).status_code == 200
    admin = create_engine(TEST_DB_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        killed = conn.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
                                   "datname = current_database() AND pid <> pg_backend_pid()")).scalar()
    admin.dispose()
    assert killed >= 1
    for _ in range(3):
        assert raw.get("/healthz").status_code == 200
        assert raw.get("/api/v1/districts").status_code == 200
    assert raw.get("/api/v1/me", headers=api_token(raw, user)).status_code == 200


def test_smtp_failures_never_lose_a_notification():
    with db.new_session(writer=True) as s:
        for n in range(3):
            mail.enqueue(s, to=f"person{n}@example.org", subject=f"Antwort {n}", body="Text")
        s.commit()

    def broken(_message):
        raise smtplib.SMTPServerDisconnected("Verbindung verloren")

    assert mail.deliver_pending(send=broken) == (0, 3)
    kept = outbox()
    assert len(kept) == 3 and all(m.sent_at is None and m.attempts == 1 for m in kept)
    assert all("SMTPServerDisconnected" in m.last_error for m in kept)
    assert mail.deliver_pending(send=broken) == (0, 0)  # backoff: not retried at once

    with db.get_engine(writer=True).begin() as conn:
        conn.execute(text("UPDATE outbox_message SET next_attempt_at = created_at"))
    delivered = []
    assert mail.deliver_pending(send=delivered.append) == (3, 0)
    assert sorted(m.subject for m in delivered) == ["Antwort 0", "Antwort 1", "Antwort 2"]
    assert mail.deliver_pending(send=delivered.append) == (0, 0)  # each one exactly once
    assert all(m.sent_at is not None for m in outbox())


def test_comment_and_its_notification_are_one_transaction(raw, monkeypatch):
    section_id = factories.section()
    factories.round_([section_id], audience="experts")
    first, second = make_user("expert"), make_user("expert")
    parent = raw.post(f"/api/v1/sections/{section_id}/comments", json={"body": "Ausgangsbeitrag"},
                      headers=api_token(raw, first))
    assert parent.status_code == 201

    def crash(*_args, **_kwargs):
        raise RuntimeError("Absturz zwischen Beitrag und Benachrichtigung")

    monkeypatch.setattr(mail, "enqueue", crash)
    reply = raw.post(f"/api/v1/sections/{section_id}/comments",
                     json={"body": "Antwort, die nie gespeichert wird", "parent_id": parent.json()["id"]},
                     headers=api_token(raw, second))
    assert reply.status_code == 500
    assert _comments() == ["Ausgangsbeitrag"]
    assert outbox() == []
    monkeypatch.undo()
    reply = raw.post(f"/api/v1/sections/{section_id}/comments",
                     json={"body": "Antwort, jetzt mit Mail", "parent_id": parent.json()["id"]},
                     headers=api_token(raw, second))
    assert reply.status_code == 201
    assert [m.to_email for m in outbox()] == [first.email]
