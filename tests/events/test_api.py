"""Werkstätten over HTTP: leads create them, residents and experts register, the waiting list moves up with mail,
reminders go out once, registrations' personal data is seen by leads only, exported and erased with the account."""

from datetime import timedelta

from icalendar import Calendar
from sqlmodel import select

from app import db
from app.db import utcnow
from app.events import service
from app.events.models import EventRegistration
from app.notifications.models import OutboxMessage
from tests.events.factory import Setting, event_data
from tests.helpers import PASSWORD, login, outbox, post_form


def _register(client, headers, event_id, **data):
    return client.post(f"/api/v1/events/{event_id}/registrations", headers=headers, json=data)


def test_leads_create_werkstaetten_and_bad_input_is_refused_with_422(client):
    s = Setting(client)
    event = s.event(quarter_id=None)
    assert event["district"] == "ost" and event["capacity"] == 20 and event["places_taken"] == 0
    assert event["online"] is True and event["online_url"] == "https://meet.example/ostheim"  # the lead sees it
    public = client.get(f"/api/v1/events/{event['id']}").json()
    assert public["online"] is True and public["online_url"] is None  # a link only for confirmed people
    _resident, resident = s.person()
    assert client.post("/api/v1/events", headers=resident, json=event_data(s.round)).status_code == 403
    assert client.post("/api/v1/events", json=event_data(s.round)).status_code == 401
    start = utcnow() + timedelta(days=2)
    for bad in ({"ends_at": (start - timedelta(hours=1)).isoformat(), "starts_at": start.isoformat()},
                {"district": "gibt-es-nicht"}, {"quarter_id": 101}, {"capacity": 0}, {"round_id": 999_999},
                {"online_url": "javascript:alert(1)"}, {"title": "Werk\u202estatt"}, {"venue": "\x00"}):
        answer = client.post("/api/v1/events", headers=s.lead_headers, json={**event_data(s.round), **bad})
        assert answer.status_code == 422, (bad, answer.text)
    assert client.get("/api/v1/events").json()["total"] == 1
    assert client.get("/api/v1/events", params={"round_id": s.round}).json()["total"] == 1
    assert client.get("/api/v1/events", params={"round_id": s.round + 1}).json()["total"] == 0
    mitte = s.event(district="mitte", quarter_id=101, title="Werkstatt im Rathausviertel")
    assert mitte["quarter_id"] == 101
    assert client.get("/api/v1/events/999999").status_code == 404


def test_register_confirms_with_ics_then_waiting_list_moves_up_on_cancel_with_mail(client):
    s = Setting(client)
    event = s.event(capacity=3)
    eid = event["id"]
    ayse, ayse_h = s.person(name="Ayşe Yılmaz")
    otto, otto_h = s.person("expert", name="Otto Oberer")
    mia, mia_h = s.person(name="Mia Meier")

    first = _register(client, ayse_h, eid, people=2, interpreting_language="Türkisch", childcare=True)
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "confirmed" and first.json()["name"] == "Ayşe Yılmaz"
    assert _register(client, ayse_h, eid).status_code == 409  # once per person
    mail = outbox(ayse.email)[-1]
    assert "Anmeldung bestätigt" in mail.subject and mail.attachment_type == "text/calendar"
    invitation = Calendar.from_ical(mail.attachment)
    [vevent] = invitation.walk("VEVENT")
    assert str(vevent["UID"]) == f"werkstatt-{eid}@testserver" and vevent["STATUS"] == "CONFIRMED"
    assert client.get(f"/api/v1/events/{eid}", headers=ayse_h).json()["online_url"] == "https://meet.example/ostheim"

    second = _register(client, otto_h, eid, people=2, sign_language=True)  # one place left, two wanted
    assert second.json()["status"] == "waiting" and second.json()["waiting_position"] == 1
    third = _register(client, mia_h, eid)  # fits, but someone waits before her
    assert third.json()["status"] == "waiting" and third.json()["waiting_position"] == 2
    assert "Warteliste" in outbox(otto.email)[-1].subject
    assert client.get(f"/api/v1/events/{eid}", headers=otto_h).json()["online_url"] is None
    counts = client.get(f"/api/v1/events/{eid}").json()
    assert (counts["places_taken"], counts["waiting"]) == (2, 2)

    # only leads see everyone; a participant sees their own registration
    mine = client.get(f"/api/v1/events/{eid}/registrations", headers=otto_h).json()["items"]
    assert [r["name"] for r in mine] == ["Otto Oberer"]
    everyone = client.get(f"/api/v1/events/{eid}/registrations", headers=s.lead_headers).json()["items"]
    assert [(r["name"], r["status"]) for r in everyone] == [("Ayşe Yılmaz", "confirmed"), ("Otto Oberer", "waiting"),
                                                            ("Mia Meier", "waiting")]
    assert everyone[0]["interpreting_language"] == "Türkisch" and everyone[1]["sign_language"] is True
    assert client.get(f"/api/v1/events/{eid}/registrations").status_code == 401

    # someone else cannot cancel it; the person can, and both waiting people move up, in order, by mail
    reg = first.json()["id"]
    assert client.delete(f"/api/v1/events/{eid}/registrations/{reg}", headers=otto_h).status_code == 403
    cancelled = client.delete(f"/api/v1/events/{eid}/registrations/{reg}", headers=ayse_h)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert client.delete(f"/api/v1/events/{eid}/registrations/{reg}", headers=ayse_h).status_code == 409
    everyone = client.get(f"/api/v1/events/{eid}/registrations", headers=s.lead_headers).json()["items"]
    assert {r["name"]: r["status"] for r in everyone} == {"Ayşe Yılmaz": "cancelled", "Otto Oberer": "confirmed",
                                                          "Mia Meier": "confirmed"}
    for person in (otto, mia):
        moved = outbox(person.email)[-1]
        assert moved.subject.startswith("Platz frei") and "Warteliste" in moved.body and moved.attachment
    # registering again after cancelling reuses the row and queues at the end
    again = _register(client, ayse_h, eid)
    assert again.status_code == 201 and again.json()["status"] == "waiting"
    # one's own registration can be cancelled without knowing its id
    assert client.delete(f"/api/v1/events/{eid}/registrations", headers=ayse_h).json()["status"] == "cancelled"
    assert client.delete(f"/api/v1/events/{eid}/registrations", headers=s.lead_headers).status_code == 404
    assert client.delete("/api/v1/events/999999/registrations", headers=ayse_h).status_code == 404


def test_closed_or_cancelled_werkstatt_takes_no_registrations_and_its_feed_entry_is_cancelled(client):
    s = Setting(client)
    event = s.event()
    _user, headers = s.person()
    reg = _register(client, headers, event["id"]).json()
    login(client, s.lead)
    assert post_form(client, f"/werkstaetten/{event['id']}/stand", {"action": "close"}).status_code == 303
    _other, other_h = s.person()
    assert _register(client, other_h, event["id"]).status_code == 409
    assert post_form(client, f"/werkstaetten/{event['id']}/stand", {"action": "cancel"}).status_code == 303
    assert client.get(f"/api/v1/events/{event['id']}").json()["cancelled"] is True
    feed = Calendar.from_ical(client.get("/kalender.ics").content)
    [vevent] = [v for v in feed.walk("VEVENT") if str(v["UID"]).startswith("werkstatt-")]
    assert vevent["STATUS"] == "CANCELLED" and int(vevent["SEQUENCE"]) >= 1
    assert reg["status"] == "confirmed"
    assert any(m.subject.startswith("Abgesagt") for m in outbox(_user.email))


def test_reminders_go_out_once_24_hours_before(client):
    s = Setting(client)
    soon = utcnow() + timedelta(hours=5)
    event = s.event(starts_at=soon.isoformat(), ends_at=(soon + timedelta(hours=2)).isoformat())
    later = s.event(title="Werkstatt später")
    user, headers = s.person()
    for e in (event, later):
        assert _register(client, headers, e["id"]).status_code == 201
    with db.new_session(writer=True) as session:
        assert service.send_reminders(session) == 1
    with db.new_session(writer=True) as session:
        assert service.send_reminders(session) == 0
    reminders = [m for m in outbox(user.email) if m.subject.startswith("Erinnerung")]
    assert len(reminders) == 1 and "Werkstatt Ostheim" in reminders[0].subject


def test_the_mail_worker_queues_reminders_and_sends_them(client):
    from typer.testing import CliRunner

    from app.cli import cli

    s = Setting(client)
    soon = utcnow() + timedelta(hours=3)
    event = s.event(starts_at=soon.isoformat(), ends_at=(soon + timedelta(hours=1)).isoformat())
    user, headers = s.person()
    _register(client, headers, event["id"])
    assert CliRunner().invoke(cli, ["deliver-mail"]).exit_code == 0
    assert CliRunner().invoke(cli, ["deliver-mail"]).exit_code == 0  # a second run reminds nobody again
    mine = outbox(user.email)
    assert [m.subject.split(":")[0] for m in mine] == ["Anmeldung bestätigt", "Erinnerung"]
    assert mine[0].attachment_name == "werkstatt.ics"
    with db.new_session() as session:
        assert session.exec(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))).all() == []


def test_smtp_mail_carries_the_ics_as_text_calendar():
    from email import message_from_bytes

    from app.notifications import service as mail

    captured = {}

    class FakeSMTP:
        def __init__(self, *a, **k):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

        def send_message(self, email):
            captured["raw"] = email.as_bytes()

    import smtplib

    message = OutboxMessage(to_email="a@example.org", subject="Test", body="Hallo", attachment_name="werkstatt.ics",
                            attachment_type="text/calendar", attachment="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    original_smtp, original_settings = smtplib.SMTP, mail.get_settings
    try:
        smtplib.SMTP = FakeSMTP
        mail.get_settings = lambda: type("S", (), {"mail_backend": "smtp", "mail_from": "x@example.org",
                                                  "smtp_host": "h", "smtp_port": 25, "smtp_starttls": False,
                                                  "smtp_user": "", "smtp_password": ""})()
        mail._send(message)
    finally:
        smtplib.SMTP, mail.get_settings = original_smtp, original_settings
    parsed = message_from_bytes(captured["raw"])
    [part] = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == "werkstatt.ics" and b"BEGIN:VCALENDAR" in part.get_payload(decode=True)


def test_personal_data_only_for_leads_in_my_data_and_erased_with_the_account(client):
    s = Setting(client)
    event = s.event(capacity=1)
    user, headers = s.person(name="Paula Privat")
    waiting_user, waiting_h = s.person(name="Wanda Warteliste")
    _register(client, headers, event["id"], interpreting_language="Arabisch")
    _register(client, waiting_h, event["id"])
    # not on public pages, in the public API or the calendar
    for path in (f"/werkstaetten/{event['id']}", "/werkstaetten", f"/api/v1/events/{event['id']}", "/kalender.ics",
                 f"/runden/{s.round}"):
        text = client.get(path).text
        assert "Paula Privat" not in text and "Arabisch" not in text, path
    _other, other_h = s.person()
    assert client.get(f"/api/v1/events/{event['id']}/registrations", headers=other_h).json()["items"] == []
    login(client, s.lead)
    assert "Paula Privat" in client.get(f"/werkstaetten/{event['id']}/anmeldungen").text
    client.cookies.clear()

    data = client.get("/api/v1/me/export", headers=headers).json()
    assert [(r["event"], r["interpreting_language"]) for r in data["event_registrations"]] == [
        ("Werkstatt Ostheim", "Arabisch")]
    login(client, user)
    assert post_form(client, "/konto/loeschen", {"password": PASSWORD, "confirm": "ja"}).status_code == 303
    with db.new_session() as session:
        rows = session.exec(select(EventRegistration)).all()
    assert [(r.name, r.status) for r in rows] == [("Wanda Warteliste", "confirmed")]  # moved up
    assert outbox(waiting_user.email)[-1].subject.startswith("Platz frei")
