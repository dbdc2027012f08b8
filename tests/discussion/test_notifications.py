"""Mail about replies and new versions: queued with the change, honouring the person's settings;
delivered by the worker with retry and backoff, never lost when sending fails."""

from datetime import timedelta

from sqlmodel import select

from app import db
from app.db import utcnow
from app.notifications import service as mail
from app.notifications.models import OutboxMessage
from tests.discussion import factories as f
from tests.helpers import api_token, login, make_user, outbox, post_form


def _comment(client, sid, headers, **body):
    response = client.post(f"/api/v1/sections/{sid}/comments", json={"body": "Text", **body}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_reply_mail_and_opt_out(client):
    sid = f.section()
    f.round_([sid])
    author, other = make_user("expert"), make_user("expert", name="Otto Other")
    ha, ho = api_token(client, author), api_token(client, other)
    cid = _comment(client, sid, ha)
    reply = _comment(client, sid, ho, parent_id=cid, body="Da stimme ich zu")
    messages = outbox(author.email)
    assert len(messages) == 1 and messages[0].kind == "reply"
    assert "Otto Other" in messages[0].body and "Da stimme ich zu" in messages[0].body
    assert f"/abschnitte/{sid}#beitrag-{reply}" in messages[0].body
    _comment(client, sid, ha, parent_id=reply)  # answering in one's own thread: Otto gets mail, not the author
    assert len(outbox(author.email)) == 1 and len(outbox(other.email)) == 1
    login(client, author)
    post_form(client, "/konto/benachrichtigungen", {"notify_versions": "1"})  # replies off
    _comment(client, sid, ho, parent_id=cid)
    assert len(outbox(author.email)) == 1


def test_new_version_mail_with_diff_link(client):
    lead = f.lead()
    sid = f.section(lead)
    f.round_([sid], actor=lead)
    a, b, quiet = make_user("expert"), make_user("expert"), make_user("expert")
    for person in (a, b, quiet):
        _comment(client, sid, api_token(client, person))
    login(client, quiet)
    post_form(client, "/konto/benachrichtigungen", {"notify_replies": "1"})  # versions off
    f.publish(sid, f.PARAGRAPHS + ["Neu: ein vierter Absatz."], actor=lead)
    for person in (a, b):
        messages = [m for m in outbox(person.email) if m.kind == "version"]
        assert len(messages) == 1
        assert f"/abschnitte/{sid}/fassungen?von=1&bis=2" in messages[0].body and "Fassung 2" in messages[0].body
    assert [m for m in outbox(quiet.email) if m.kind == "version"] == []
    assert [m for m in outbox(lead.email) if m.kind == "version"] == []


def test_worker_retries_with_backoff_and_never_loses_mail(client):
    with db.new_session(writer=True) as s:
        mail.enqueue(s, to="a@example.org", subject="Eins", body="x")
        mail.enqueue(s, to="b@example.org", subject="Zwei", body="y")
        s.commit()

    def broken(message):
        raise ConnectionRefusedError("SMTP nicht erreichbar")

    assert mail.deliver_pending(send=broken) == (0, 2)
    with db.new_session() as s:
        rows = s.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [(m.sent_at, m.attempts) for m in rows] == [(None, 1), (None, 1)]
    assert all(m.next_attempt_at > utcnow() + timedelta(seconds=50) for m in rows)
    assert "SMTP nicht erreichbar" in rows[0].last_error
    assert mail.deliver_pending(send=broken) == (0, 0)  # not due yet: no hammering

    with db.new_session(writer=True) as s:  # time passes
        for m in s.exec(select(OutboxMessage)).all():
            m.next_attempt_at = utcnow() - timedelta(seconds=1)
            s.add(m)
        s.commit()
    assert mail.deliver_pending(send=broken) == (0, 2)
    with db.new_session() as s:
        rows = s.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert all(m.attempts == 2 and m.next_attempt_at > utcnow() + timedelta(seconds=110) for m in rows)
    assert mail.backoff(3) == timedelta(minutes=4) and mail.backoff(30) == timedelta(hours=6)

    with db.new_session(writer=True) as s:
        for m in s.exec(select(OutboxMessage)).all():
            m.next_attempt_at = utcnow() - timedelta(seconds=1)
            s.add(m)
        s.commit()
    delivered = []
    assert mail.deliver_pending(send=delivered.append) == (2, 0)
    assert [m.subject for m in delivered] == ["Eins", "Zwei"]
    assert all(m.sent_at is not None for m in outbox())
    assert mail.deliver_pending(send=delivered.append) == (0, 0)  # sent once only
