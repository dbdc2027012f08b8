"""Rounds over the API: create (lead only), validation, state changes by hand and by time, audit."""

from datetime import timedelta

from sqlmodel import select

from app import db
from app.audit import AuditEntry
from app.db import utcnow
from tests.discussion import factories as f
from tests.helpers import api_token, make_user


def _payload(section_ids, **changes):
    now = utcnow()
    return {"document": "rahmenkonzeption", "title": "Expert*innenrunde", "description": "Bitte kommentieren",
            "opens_at": (now + timedelta(days=1)).isoformat(), "closes_at": (now + timedelta(days=8)).isoformat(),
            "audience": "experts", "section_ids": section_ids, **changes}


def test_lead_creates_round_and_everyone_lists_it(client):
    lead = f.lead()
    sid = f.section(lead)
    headers = api_token(client, lead)
    response = client.post("/api/v1/rounds", json=_payload([sid]), headers=headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["state"] == "planned" and body["section_ids"] == [sid] and body["document"] == "rahmenkonzeption"
    listed = client.get("/api/v1/rounds").json()
    assert listed["total"] == 1 and listed["items"][0]["title"] == "Expert*innenrunde"


def test_times_without_offset_are_berlin_time(client):
    lead = f.lead()
    sid = f.section(lead)
    response = client.post("/api/v1/rounds", headers=api_token(client, lead), json=_payload(
        [sid], opens_at="2027-03-01T09:00", closes_at="2027-03-15T18:00"))
    assert response.status_code == 201, response.text
    assert response.json()["opens_at"] == "2027-03-01T09:00:00+01:00"  # shown in Berlin time
    again = client.get(f"/api/v1/rounds/{response.json()['id']}").json()
    assert again["opens_at"] == "2027-03-01T09:00:00+01:00" and again["closes_at"] == "2027-03-15T18:00:00+01:00"


def test_others_may_not_create_rounds(client):
    sid = f.section()
    for role in ("expert", "resident", "moderator"):
        response = client.post("/api/v1/rounds", json=_payload([sid]), headers=api_token(client, make_user(role)))
        assert response.status_code == 403
    assert client.post("/api/v1/rounds", json=_payload([sid])).status_code == 401


def test_bad_input_is_refused_with_field_errors(client):
    lead = f.lead()
    sid = f.section(lead)
    headers = api_token(client, lead)
    now = utcnow()
    bad = client.post("/api/v1/rounds", headers=headers, json=_payload(
        [sid], opens_at=now.isoformat(), closes_at=(now - timedelta(hours=1)).isoformat()))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "closes_at"
    bad = client.post("/api/v1/rounds", headers=headers, json=_payload([sid + 999]))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "section_ids"
    bad = client.post("/api/v1/rounds", headers=headers, json=_payload([sid], audience="alle"))
    assert bad.status_code == 422
    assert client.get("/api/v1/rounds").json()["total"] == 0


def test_state_changes_by_hand_are_audited(client):
    lead = f.lead()
    sid = f.section(lead)
    headers = api_token(client, lead)
    rid = client.post("/api/v1/rounds", json=_payload([sid]), headers=headers).json()["id"]
    assert client.post(f"/api/v1/rounds/{rid}/evaluate", headers=headers).status_code == 409
    opened = client.post(f"/api/v1/rounds/{rid}/open", headers=headers)
    assert opened.status_code == 200 and opened.json()["state"] == "open"
    assert client.post(f"/api/v1/rounds/{rid}/open", headers=headers).status_code == 409
    assert client.post(f"/api/v1/rounds/{rid}/close", headers=headers).json()["state"] == "closed"
    assert client.post(f"/api/v1/rounds/{rid}/evaluate", headers=headers).json()["state"] == "evaluated"
    expert = api_token(client, make_user("expert"))
    assert client.post(f"/api/v1/rounds/{rid}/close", headers=expert).status_code == 403
    with db.new_session() as s:
        actions = [e.action for e in s.exec(select(AuditEntry).where(AuditEntry.target_type == "round")
                                             .order_by(AuditEntry.id)).all()]
    assert actions == ["round.create", "round.open", "round.close", "round.evaluate"]


def test_state_follows_the_clock(client):
    sid = f.section()
    now = utcnow()
    f.round_([sid], opens_at=now - timedelta(days=10), closes_at=now - timedelta(days=3), title="Vorbei")
    f.round_([sid], opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=3), title="Läuft")
    f.round_([sid], opens_at=now + timedelta(days=2), closes_at=now + timedelta(days=9), title="Kommt")
    states = {r["title"]: r["state"] for r in client.get("/api/v1/rounds").json()["items"]}
    assert states == {"Vorbei": "closed", "Läuft": "open", "Kommt": "planned"}


def test_update_round(client):
    lead = f.lead()
    sid = f.section(lead)
    sid2 = f.section(lead, title="Zweiter Abschnitt")
    headers = api_token(client, lead)
    rid = client.post("/api/v1/rounds", json=_payload([sid]), headers=headers).json()["id"]
    changed = client.put(f"/api/v1/rounds/{rid}", headers=headers,
                         json=_payload([sid2], title="Neuer Titel", audience="public"))
    assert changed.status_code == 200, changed.text
    assert changed.json()["section_ids"] == [sid2] and changed.json()["audience"] == "public"


def test_worker_stores_and_audits_what_the_clock_decided(client):
    from app.rounds import service

    sid = f.section()
    now = utcnow()
    due = f.round_([sid], opens_at=now + timedelta(hours=1), closes_at=now + timedelta(hours=5))
    with db.new_session(writer=True) as s:
        assert service.advance_by_time(s, now=now) == []
        assert service.advance_by_time(s, now=now + timedelta(hours=2)) == [(due.id, "planned", "open")]
        assert service.advance_by_time(s, now=now + timedelta(hours=6)) == [(due.id, "open", "closed")]
        entries = s.exec(select(AuditEntry).where(AuditEntry.target_type == "round", AuditEntry.actor_id.is_(None))
                         .order_by(AuditEntry.id)).all()
    assert [(e.action, e.summary) for e in entries] == [("round.open", "geplant → offen (nach Zeitplan)"),
                                                        ("round.close", "offen → abgeschlossen (nach Zeitplan)")]
