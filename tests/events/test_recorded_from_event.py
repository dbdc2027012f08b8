"""Contributions recorded from a Werkstatt point at the event (issue 17): the recorder chooses the Werkstatt of the
round; the contribution shows "aus der Werkstatt in Ostheim am 12.03." linking to the event page, which lists what
was recorded from it; the API refuses an unknown event, one of another round, a cancelled or coming one; the
Abwägungstabelle's "Quelle" and the reports name the Werkstatt. And the page forms: an idea for a Stadtteil and a
comment on a section, both without script, CSRF-protected, for the project lead and facilitators only."""

import csv
import io
from datetime import timedelta

import pytest

from app.db import utcnow
from app.web.i18n import BERLIN
from tests.helpers import csrf, login, make_user
from tests.responses.factory import World

OSTHEIM = 145  # Stadtteil Ostheim in the Stadtbezirk Ost


@pytest.fixture
def world(client):
    return World(client)


@pytest.fixture
def facilitator(client):
    return make_user("facilitator", name="Fanny Vor-Ort")


def _event(world, *, round_id=None, hours_ago=3, **over) -> dict:
    start = utcnow() - timedelta(hours=hours_ago)
    data = {"round_id": round_id or world.round_id, "title": "Werkstatt Ostheim", "description": "",
            "district": "ost", "quarter_id": OSTHEIM, "venue": "Bürgerhaus Ostheim",
            "address": "Schwarenbergstraße 120, 70188 Stuttgart", "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat(), "capacity": 20, **over}
    r = world.client.post("/api/v1/events", headers=world.lead_headers, json=data)
    assert r.status_code == 201, r.text
    return r.json()


def _day(event: dict, fmt="%d.%m.") -> str:
    from datetime import datetime
    return datetime.fromisoformat(event["starts_at"]).astimezone(BERLIN).strftime(fmt)


def _source(event_id, **over) -> dict:
    return {"kind": "werkstatt", "event_id": event_id, "author": "Teilnehmerin der Werkstatt", **over}


def _comment(world, user, source, body="Mehr Bänke am Marktplatz."):
    return world.client.post(f"/api/v1/sections/{world.section_id}/comments", headers=world.auth(user),
                             json={"body": body, "alignment": "objection", "source": source})


def _idea(world, user, source, title="Ein Garten für alle"):
    return world.client.post("/api/v1/ideas", headers=world.auth(user), json={
        "title": title, "body": "Ein Gemeinschaftsgarten hinter dem Bürgerhaus.", "category": "begegnung",
        "quarter_id": OSTHEIM, "source": source})


def test_a_comment_and_an_idea_from_a_werkstatt_point_at_it(client, world, facilitator):
    event = _event(world)
    c = _comment(world, facilitator, _source(event["id"]))
    assert c.status_code == 201, c.text
    marker = f"aus der Werkstatt in Ostheim am {_day(event)}"
    source = c.json()["source"]
    assert source["text"] == marker and source["event_id"] == event["id"]
    assert source["event_url"] == f"/werkstaetten/{event['id']}" and source["label"] == "Ostheim"
    assert source["date"] == _day(event, "%Y-%m-%d")
    i = _idea(world, world.lead, _source(event["id"], label="wird ersetzt"))
    assert i.status_code == 201, i.text
    assert i.json()["source"]["text"] == marker and i.json()["source"]["event_id"] == event["id"]
    # Shown with a link to the event on the section and idea pages ...
    link = f'<a href="/werkstaetten/{event["id"]}">{marker}</a>'
    assert link in client.get(f"/abschnitte/{world.section_id}").text
    assert link in client.get(f"/ideen/{i.json()['id']}").text
    # ... and the event page lists what was recorded from it (to everyone; no recorder's name).
    page = client.get(f"/werkstaetten/{event['id']}")
    assert "Beiträge aus dieser Werkstatt" in page.text
    assert "Ein Garten für alle" in page.text and "Mehr Bänke am Marktplatz." in page.text
    assert "Fanny" not in page.text and "beitraege-erfassen" not in page.text
    # The lead's page for the Stellungnahme links to the Werkstatt too.
    login(client, world.lead)
    answer_page = client.get(f"/beitraege/{c.json()['id']}/stellungnahme")
    assert answer_page.status_code == 200 and f'href="/werkstaetten/{event["id"]}"' in answer_page.text
    client.cookies.clear()
    # The Abwägungstabelle's "Quelle" and the reports by Werkstatt.
    response = client.get(f"/api/v1/rounds/{world.round_id}/responses.csv", headers=world.lead_headers)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    sources = [dict(zip(rows[0], r, strict=True))["Quelle"] for r in rows[1:]]
    assert sources == [f"Werkstatt in Ostheim am {_day(event, '%d.%m.%Y')}"] * 2
    report = client.get(f"/api/v1/reports/participation?round={world.round_id}", headers=world.lead_headers).json()
    assert {b["key"]: b["count"] for b in report["by_source"]}["werkstatt"] == 2
    assert [(b["key"], b["count"]) for b in report["by_event"]] == [(str(event["id"]), 2)]
    assert "Werkstatt Ostheim (Ostheim, " in report["by_event"][0]["label"]


def test_a_werkstatt_given_by_name_still_counts(client, world, facilitator):
    r = _comment(world, facilitator, {"kind": "werkstatt", "label": "Hallschlag", "date": "2026-03-12",
                                      "author": "Teilnehmer"})
    assert r.status_code == 201, r.text
    assert r.json()["source"]["event_id"] is None and r.json()["source"]["event_url"] is None
    report = client.get(f"/api/v1/reports/participation?round={world.round_id}", headers=world.lead_headers).json()
    assert [(b["key"], b["count"]) for b in report["by_event"]] == [("", 1)]


def _other_round(world) -> int:
    now = utcnow()
    section = world.docs.section(world.docs.chapter(slug=world.slug)["id"], body="Ein anderer Abschnitt.")["id"]
    world.docs.publish(section, "Erste Fassung.")
    r = world.client.post("/api/v1/rounds", headers=world.lead_headers, json={
        "document": world.slug, "title": "Andere Runde", "description": "", "audience": "experts",
        "opens_at": (now - timedelta(days=2)).isoformat(), "closes_at": (now + timedelta(days=20)).isoformat(),
        "section_ids": [section]})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_bad_events_are_refused_and_store_nothing(client, world, facilitator):
    other = _event(world, round_id=_other_round(world))
    coming = _event(world, hours_ago=-48)
    cancelled = _event(world)
    login(client, world.lead)
    r = client.post(f"/werkstaetten/{cancelled['id']}/stand", follow_redirects=False,
                    data={"csrf_token": csrf(client), "action": "cancel"})
    assert r.status_code == 303, r.text
    client.cookies.clear()
    past = _event(world, hours_ago=24 * 5)
    cases = [
        (_source(999_999), "Diese Werkstatt gibt es nicht."),
        (_source(other["id"]), "anderen Beteiligungsrunde"),
        (_source(coming["id"]), "noch nicht stattgefunden"),
        (_source(cancelled["id"]), "abgesagt"),
        (_source(past["id"], date=(utcnow() - timedelta(days=1)).astimezone(BERLIN).date().isoformat()),
         "Tag der Werkstatt"),
        ({**_source(past["id"]), "kind": "brief"}, "Beteiligungsweg"),
        (_source(0), "event_id"),
        (_source("x"), "event_id"),
        (_source(2**40), "event_id"),
    ]
    for source, text in cases:
        for post in (_comment, _idea):
            r = post(world, facilitator, source)
            assert r.status_code == 422, (source, r.text)
            assert text in r.text, (source, r.text)
    assert client.get(f"/api/v1/sections/{world.section_id}/comments").json()["total"] == 0
    assert client.get("/api/v1/ideas").json()["total"] == 0
    # Without an event a Werkstatt needs its date.
    r = _comment(world, facilitator, {"kind": "werkstatt", "label": "Ostheim", "author": "Teilnehmer"})
    assert r.status_code == 422 and "date" in r.text


def test_the_idea_form(client, world, facilitator):
    event = _event(world)
    assert client.get("/ideen/erfassen", follow_redirects=False).status_code in (303, 401)
    login(client, world.resident)
    assert client.get("/ideen/erfassen").status_code == 403
    assert client.get("/beitraege-erfassen").status_code == 403
    assert "beitraege-erfassen" not in client.get("/").text
    assert "beitraege-erfassen" not in client.get(f"/werkstaetten/{event['id']}").text
    client.cookies.clear()
    login(client, facilitator)
    assert "/beitraege-erfassen" in client.get("/").text  # in the navigation
    page = client.get(f"/werkstaetten/{event['id']}")
    assert f"/beitraege-erfassen?werkstatt={event['id']}" in page.text
    hub = client.get(f"/beitraege-erfassen?werkstatt={event['id']}")
    assert hub.status_code == 200
    assert f"/ideen/erfassen?werkstatt={event['id']}" in hub.text
    assert f"/abschnitte/{world.section_id}/beitrag-erfassen?werkstatt={event['id']}" in hub.text
    form = client.get(f"/ideen/erfassen?werkstatt={event['id']}")
    assert form.status_code == 200
    assert f'<option value="{event["id"]}" selected>' in form.text
    assert f'<option value="{OSTHEIM}" selected>' in form.text
    values = {"csrf_token": csrf(client), "source_kind": "werkstatt", "event_id": str(event["id"]),
              "source_label": "", "source_date": "", "source_author": "", "title": "Ein Garten für alle",
              "body": "Ein Gemeinschaftsgarten hinter dem Bürgerhaus.", "category": "begegnung",
              "quarter_id": str(OSTHEIM), "section_id": ""}
    bad = client.post("/ideen/erfassen", data=values)
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text and "Gemeinschaftsgarten" in bad.text
    other = client.post("/ideen/erfassen", data={**values, "source_author": "Teilnehmerin",
                                                 "event_id": "999999"})
    assert other.status_code == 422 and "Diese Werkstatt gibt es nicht." in other.text
    assert client.get("/api/v1/ideas").json()["total"] == 0
    no_csrf = client.post("/ideen/erfassen", data={**values, "csrf_token": "", "source_author": "Teilnehmerin"})
    assert no_csrf.status_code == 403
    ok = client.post("/ideen/erfassen", follow_redirects=False, data={**values, "source_author": "Teilnehmerin"})
    assert ok.status_code == 303, ok.text
    idea = client.get("/api/v1/ideas").json()["items"][0]
    assert ok.headers["location"] == f"/ideen/{idea['id']}"
    assert idea["source"]["event_id"] == event["id"] and idea["author"].startswith("Teilnehmerin (aus der Werkstatt")
    assert idea["quarter"]["id"] == OSTHEIM
    letter = client.post("/ideen/erfassen", follow_redirects=False, data={
        **values, "source_kind": "brief", "event_id": "", "source_date": "2026-03-12",
        "source_author": "Familie Maier", "title": "Ein Brief"})
    assert letter.status_code == 303, letter.text
    assert "Ein Garten für alle" in client.get(f"/werkstaetten/{event['id']}").text


def test_the_comment_form_chooses_the_event(client, world, facilitator):
    event = _event(world)
    login(client, facilitator)
    form = client.get(f"/abschnitte/{world.section_id}/beitrag-erfassen?werkstatt={event['id']}")
    assert form.status_code == 200 and f'<option value="{event["id"]}" selected>' in form.text
    ok = client.post(f"/abschnitte/{world.section_id}/beitrag-erfassen", follow_redirects=False, data={
        "csrf_token": csrf(client), "source_kind": "werkstatt", "event_id": str(event["id"]), "source_label": "",
        "source_date": "", "source_author": "Teilnehmer der Werkstatt", "paragraph": "", "quote": "",
        "alignment": "support", "body": "Wohnen ist das wichtigste Thema."})
    assert ok.status_code == 303, ok.text
    listed = client.get(f"/api/v1/sections/{world.section_id}/comments").json()["items"]
    assert listed[0]["source"]["event_id"] == event["id"]
    assert listed[0]["source"]["text"] == f"aus der Werkstatt in Ostheim am {_day(event)}"


def test_what_was_recorded_leaves_the_event_page_when_hidden_or_withdrawn(client, world, facilitator):
    event = _event(world)
    c = _comment(world, facilitator, _source(event["id"]), body="Wird ausgeblendet.").json()
    r = client.post(f"/api/v1/moderation/comment/{c['id']}/hide", headers=world.auth(world.moderator),
                    json={"reason": "Beleidigung"})
    assert r.status_code in (200, 204), r.text
    assert "Wird ausgeblendet." not in client.get(f"/werkstaetten/{event['id']}").text
