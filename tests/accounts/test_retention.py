"""Retention (Löschfristen): old outbox mails, ended tokens and invitations, rate-limit events and the audit log's
entries about persons are deleted by `python -m app purge` and by the deliver-mail worker; recent rows and the
audit entries documenting the procedure stay; the default privacy text states the periods applied."""

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select
from typer.testing import CliRunner

from app import audit, db
from app.accounts import retention
from app.accounts.models import AuthToken, Invitation
from app.audit import AuditEntry
from app.cli import cli
from app.legal import service as legal
from app.notifications.models import OutboxMessage
from app.ratelimit import RateLimitEvent
from app.settings import Settings, get_settings
from tests.helpers import CONSENT, PASSWORD, link_in, outbox, post_form

EMAIL = "bleibt@example.org"


def _exec(sql: str, **params) -> None:
    with db.get_engine(writer=True).begin() as conn:
        conn.execute(text(sql), params)


def _ago(days: float):
    return db.utcnow() - timedelta(days=days)


def _rows(model) -> list:
    with db.new_session() as s:
        return list(s.exec(select(model).order_by(model.id)).all())


@pytest.fixture
def world(client):
    """A person registered, confirmed and logged in over HTTP (verify link, session, mails, audit entry, a failed
    login's rate-limit events), the mails delivered by the worker; then a copy of each kind made old."""
    r = client.post("/api/v1/register", json={"email": EMAIL, "display_name": "Bleibt", "password": PASSWORD,
                                              **CONSENT})
    assert r.status_code == 202, r.text
    assert client.get(link_in(outbox(EMAIL)[0].body, "/konto/bestaetigen/")).status_code == 200
    bad = post_form(client, "/anmelden", {"email": EMAIL, "password": "falsches-passwort"})
    assert bad.status_code in (400, 401, 422), bad.status_code
    assert post_form(client, "/anmelden", {"email": EMAIL, "password": PASSWORD}).status_code == 303
    assert CliRunner().invoke(cli, ["deliver-mail"]).exit_code == 0
    assert all(m.sent_at is not None for m in outbox())
    _exec("DELETE FROM notice_mark WHERE key = 'retention'")  # that run purged nothing yet; the next may again
    user_id = _rows(AuthToken)[0].user_id

    with db.new_session(writer=True) as s:
        # mails: one sent long ago, one cancelled long ago, one undeliverable for a month, one held for a
        # digest and one waiting for its first try since long ago (never deleted)
        for subject, sent, cancelled, attempts, digest in (("alt gesendet", 31, None, 1, False),
                                                            ("alt storniert", None, 31, 0, False),
                                                            ("alt unzustellbar", None, None, 40, False),
                                                            ("Sammelmail", None, None, 0, True),
                                                            ("wartet", None, None, 0, False)):
            s.add(OutboxMessage(to_email=EMAIL, subject=subject, body="…", created_at=_ago(40),
                                sent_at=_ago(sent) if sent else None, attempts=attempts, digest=digest,
                                cancelled_at=_ago(cancelled) if cancelled else None, next_attempt_at=_ago(1)
                                if not digest and not sent and not cancelled else db.utcnow()))
        s.add(OutboxMessage(to_email=EMAIL, subject="neu unzustellbar", body="…", created_at=_ago(5), attempts=3))
        # tokens: a session expired 8 days ago, one ended 8 days ago, one ended yesterday
        for hash_, expires, revoked in (("a" * 64, 8, None), ("b" * 64, -5, 8), ("c" * 64, -5, 1)):
            s.add(AuthToken(user_id=user_id, kind="session", token_hash=hash_, created_at=_ago(20),
                            expires_at=_ago(expires), revoked_at=_ago(revoked) if revoked else None))
        # invitations: expired unused long ago (goes), used long ago (stays), expired yesterday (stays)
        for hash_, expires, used in (("d" * 64, 10, None), ("e" * 64, 10, 20), ("f" * 64, 1, None)):
            s.add(Invitation(token_hash=hash_, email=f"{hash_[0]}@example.org", organisation="Verein",
                             invited_by_id=user_id, created_at=_ago(30), expires_at=_ago(expires),
                             used_at=_ago(used) if used else None))
        s.add(RateLimitEvent(key="login:ip:alt", created_at=_ago(2)))
        # audit: about persons, old (goes) and recent (stays); the procedure's record, old (stays)
        for action, days in (("user.block", 400), ("user.role", 30), ("version.publish", 800),
                             ("response.set", 400)):
            entry = audit.record(s, actor_id=user_id, action=action, target_type="user", target_id=user_id)
            entry.created_at = _ago(days)
        s.commit()
    return {"user_id": user_id}


def _state() -> dict:
    return {"mails": sorted(m.subject for m in _rows(OutboxMessage)),
            "tokens": sorted(t.token_hash for t in _rows(AuthToken) if t.kind == "session"),
            "invitations": sorted(i.email[0] for i in _rows(Invitation)),
            "rate_limits": sorted(e.key for e in _rows(RateLimitEvent)),
            "audit": sorted(e.action for e in _rows(AuditEntry))}


def _assert_purged(state: dict, sessions_now: int) -> None:
    assert "alt gesendet" not in state["mails"] and "alt storniert" not in state["mails"]
    assert "alt unzustellbar" not in state["mails"]
    for stays in ("Sammelmail", "wartet", "neu unzustellbar"):
        assert stays in state["mails"], stays
    # whole hashes: the person's own session has a random one, which may begin with any of these letters
    assert "a" * 64 not in state["tokens"] and "b" * 64 not in state["tokens"] and "c" * 64 in state["tokens"]
    assert len(state["tokens"]) == 1 + sessions_now  # the valid session of the person stays
    assert state["invitations"] == ["e", "f"]
    assert "login:ip:alt" not in state["rate_limits"]
    assert any(k.startswith("login:") for k in state["rate_limits"])  # the failed login of just now
    assert "user.block" not in state["audit"]
    for stays in ("user.role", "version.publish", "response.set", "account.register"):
        assert stays in state["audit"], stays


def test_purge_command_deletes_what_is_past_its_period_and_keeps_the_rest(client, world):
    before = _state()
    assert "alt gesendet" in before["mails"] and "user.block" in before["audit"] and "a" * 64 in before["tokens"]
    result = CliRunner().invoke(cli, ["purge"])
    assert result.exit_code == 0, result.output
    assert "Gelöscht: 3 E-Mails, 3 abgelaufene" in result.output and "1 Protokolleinträge" in result.output
    _assert_purged(_state(), sessions_now=1)
    assert client.get("/konto").status_code == 200  # the person's current session still works
    again = CliRunner().invoke(cli, ["purge"])
    assert "Gelöscht: 0 E-Mails, 0 abgelaufene" in again.output


def test_the_worker_purges_at_most_once_an_hour(client, world):
    result = CliRunner().invoke(cli, ["deliver-mail"])
    assert result.exit_code == 0, result.output
    _assert_purged(_state(), sessions_now=1)
    _exec("UPDATE outbox_message SET sent_at = :old WHERE subject = 'neu unzustellbar'", old=_ago(60))
    assert CliRunner().invoke(cli, ["deliver-mail"]).exit_code == 0
    assert "neu unzustellbar" in _state()["mails"]  # within the hour: not again
    with db.new_session(writer=True) as s:
        assert retention.periodic(s, db.utcnow() + timedelta(minutes=61))["mails"] == 1
        s.commit()
    assert "neu unzustellbar" not in _state()["mails"]


def test_the_periods_are_settings(client, world, monkeypatch):
    monkeypatch.setenv("QW_RETENTION_MAIL_DAYS", "2")
    monkeypatch.setenv("QW_RETENTION_AUDIT_DAYS", "30")
    get_settings.cache_clear()
    try:
        assert CliRunner().invoke(cli, ["purge"]).exit_code == 0
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    state = _state()
    assert "neu unzustellbar" not in state["mails"] and "wartet" in state["mails"]
    assert "user.role" not in state["audit"] and "version.publish" in state["audit"]
    with pytest.raises(ValueError):
        Settings(retention_mail_days=0, _env_file=None)
    with pytest.raises(ValueError):
        Settings(retention_audit_days=5, _env_file=None)


def test_every_audit_action_is_either_kept_as_record_or_expires():
    assert audit.RECORD_ACTIONS.isdisjoint(audit.PERSONAL_ACTIONS)
    assert set(audit.ACTION_LABELS) == audit.RECORD_ACTIONS | audit.PERSONAL_ACTIONS


def test_the_default_privacy_text_states_the_periods_applied(client):
    settings = Settings(_env_file=None)
    body = legal.default_text("datenschutz")
    assert "Löschfrist festlegen" not in body and "ohne automatische Löschung" not in body
    assert f"{settings.retention_mail_days} Tage nach dem Versand automatisch gelöscht" in body
    assert f"{settings.retention_token_days} Tage nach Ablauf" in body
    assert f"nach {settings.retention_audit_days} Tagen automatisch gelöscht" in body
    page = client.get("/datenschutz").text
    assert "30 Tage nach dem Versand" in page and "365 Tagen" in page
