"""Contributions recorded from outside the platform (Werkstatt, Brief, E-Mail, Telefon, Infostand): who may record
them (lead and facilitators, "Moderation vor Ort", a role admins assign), how they show (the author as given and
the source, never the recording account), and where they count (Abwägungstabelle "Quelle", reports by source)."""

import csv
import io
from datetime import date, timedelta

import pytest

from app.db import utcnow
from tests.helpers import make_user
from tests.responses.factory import World

WERKSTATT = {"kind": "werkstatt", "label": "Ostheim", "date": "2026-03-12",
             "author": "Teilnehmerin der Werkstatt Ostheim"}


@pytest.fixture
def world(client):
    return World(client)


@pytest.fixture
def facilitator(client):
    return make_user("facilitator", name="Fanny Vor-Ort")


def _record(world, user, *, source=WERKSTATT, body="Mehr Bänke am Marktplatz.", **extra):
    return world.client.post(f"/api/v1/sections/{world.section_id}/comments", headers=world.auth(user),
                             json={"body": body, "alignment": "objection", "source": source, **extra})


def test_admins_assign_the_facilitator_role(client, world):
    person = make_user("resident", name="Frieda Werkstatt")
    admin = make_user("admin")
    r = client.put(f"/api/v1/users/{person.id}/role", headers=world.auth(admin), json={"role": "facilitator"})
    assert r.status_code == 200, r.text
    assert r.json()["role"] == "facilitator"
    r = client.put(f"/api/v1/users/{person.id}/role", headers=world.auth(world.lead), json={"role": "facilitator"})
    assert r.status_code == 403


def test_who_may_record(client, world, facilitator):
    for user in (world.expert, world.resident, world.moderator, make_user("admin")):
        r = _record(world, user)
        assert r.status_code == 403, (user.role, r.text)
    assert _record(world, world.lead).status_code == 201
    assert _record(world, facilitator).status_code == 201
    anonymous = client.post(f"/api/v1/sections/{world.section_id}/comments",
                            json={"body": "x", "source": WERKSTATT})
    assert anonymous.status_code == 401
    # A facilitator takes no part online: without a source, no comment.
    r = client.post(f"/api/v1/sections/{world.section_id}/comments", headers=world.auth(facilitator),
                    json={"body": "Eigene Meinung"})
    assert r.status_code == 403
    listed = client.get(f"/api/v1/sections/{world.section_id}/comments").json()
    assert listed["total"] == 2


def test_recorded_comment_shows_the_given_author_and_source(client, world, facilitator):
    anchors = world.paragraphs()
    r = _record(world, facilitator, paragraph=anchors[0], quote="Begegnung")
    assert r.status_code == 201, r.text
    c = r.json()
    assert c["author"] == {"id": None, "display_name": "Teilnehmerin der Werkstatt Ostheim", "organisation": None,
                           "role": None}
    assert c["source"]["kind"] == "werkstatt" and c["source"]["date"] == "2026-03-12"
    assert c["source"]["text"] == "aus der Werkstatt „Ostheim“ am 12.03.2026"
    assert c["recorded_by"] == {"id": facilitator.id, "display_name": "Fanny Vor-Ort"}  # staff see who recorded
    public = client.get(f"/api/v1/comments/{c['id']}").json()
    assert public["recorded_by"] is None and public["source"]["author"] == "Teilnehmerin der Werkstatt Ostheim"
    assert "Fanny" not in str(public)
    page = client.get(f"/abschnitte/{world.section_id}")
    assert page.status_code == 200
    assert "Teilnehmerin der Werkstatt Ostheim" in page.text
    assert "aus der Werkstatt „Ostheim“ am 12.03.2026" in page.text
    assert "Fanny Vor-Ort" not in page.text
    # An online comment has neither.
    online = world.comment()
    assert online["source"] is None and online["recorded_by"] is None


@pytest.mark.parametrize("source, field", [
    ({**WERKSTATT, "kind": "brieftaube"}, "kind"),
    ({**WERKSTATT, "author": ""}, "author"),
    ({**WERKSTATT, "author": "Name\u202eevil"}, "author"),
    ({**WERKSTATT, "date": (date.today() + timedelta(days=3)).isoformat()}, "date"),
    ({**WERKSTATT, "date": "12.03.2026"}, "date"),
    ({"kind": "brief", "date": "2026-03-12"}, "author"),
])
def test_bad_sources_are_refused_and_store_nothing(client, world, facilitator, source, field):
    r = _record(world, facilitator, source=source)
    assert r.status_code == 422, r.text
    assert field in r.text
    assert client.get(f"/api/v1/sections/{world.section_id}/comments").json()["total"] == 0


def test_recorded_comments_are_no_replies_and_not_on_idea_comments(client, world, facilitator):
    online = world.comment()
    r = _record(world, facilitator, parent_id=online["id"])
    assert r.status_code == 422
    idea = world.idea()
    r = client.post(f"/api/v1/ideas/{idea['id']}/comments", headers=world.auth(facilitator),
                    json={"body": "Aus dem Brief", "source": WERKSTATT})
    assert r.status_code in (403, 422)


def test_a_letter_after_the_round_closed_still_belongs_to_it(client, world, facilitator):
    now = utcnow()
    r = client.post(f"/api/v1/rounds/{world.round_id}/close", headers=world.lead_headers)
    assert r.status_code == 200, r.text
    letter = {"kind": "brief", "date": now.date().isoformat(), "author": "Bürgerverein Ostheim e.V."}
    r = _record(world, world.lead, source=letter)
    assert r.status_code == 201, r.text
    assert r.json()["round_id"] == world.round_id
    assert r.json()["source"]["text"].startswith("aus einem Brief vom")


def test_recorded_idea(client, world, facilitator):
    body = {"title": "Bänke am Marktplatz", "body": "Ältere Menschen brauchen Pausen auf dem Weg.",
            "category": "aelterwerden", "quarter_id": 105}
    r = client.post("/api/v1/ideas", headers=world.auth(world.expert),
                    json={**body, "source": {**WERKSTATT, "kind": "infostand"}})
    assert r.status_code == 403
    r = client.post("/api/v1/ideas", headers=world.auth(facilitator),
                    json={**body, "source": {**WERKSTATT, "kind": "infostand", "label": "Wochenmarkt"}})
    assert r.status_code == 201, r.text
    idea = r.json()
    assert idea["source"]["text"] == "vom Infostand „Wochenmarkt“ am 12.03.2026"
    assert idea["author"].startswith("Teilnehmerin der Werkstatt Ostheim")
    assert idea["recorded_by"]["id"] == facilitator.id
    public = client.get(f"/api/v1/ideas/{idea['id']}").json()
    assert public["recorded_by"] is None and "Fanny" not in str(public)
    page = client.get(f"/ideen/{idea['id']}")
    assert "vom Infostand „Wochenmarkt“ am 12.03.2026" in page.text and "Fanny" not in page.text


def test_recorded_contributions_in_abwaegung_workbench_and_reports(client, world, facilitator):
    _record(world, facilitator)
    letter = {"kind": "brief", "date": "2026-03-14", "author": "Bürgerverein Ostheim e.V."}
    answered = _record(world, world.lead, source=letter, body="Bitte an die Barrierefreiheit denken.").json()
    world.comment()
    r = world.respond("comment", answered["id"], status="accepted", text="Wird aufgenommen.")
    assert r.status_code == 200, r.text
    response = client.get(f"/api/v1/rounds/{world.round_id}/responses.csv", headers=world.lead_headers)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    table = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert [t["Quelle"] for t in table] == ["Werkstatt: Ostheim", "Brief", "online"]
    assert table[0]["Verfasser*in"] == "Teilnehmerin der Werkstatt Ostheim" and table[0]["Datum"] == "12.03.2026"
    assert table[1]["Stellungnahme"] == "Wird aufgenommen." and table[1]["Haltung"] == "Einwand"
    assert "Fanny" not in response.text
    page = client.get(f"/runden/{world.round_id}/abwaegungstabelle")
    assert "Werkstatt: Ostheim" in page.text and "Bürgerverein Ostheim e.V." in page.text
    report = client.get(f"/api/v1/reports/participation?round={world.round_id}", headers=world.lead_headers)
    assert report.status_code == 200, report.text
    by_source = {b["key"]: b["count"] for b in report.json()["by_source"]}
    assert by_source == {"online": 1, "werkstatt": 1, "brief": 1, "email": 0, "telefon": 0, "infostand": 0}
    assert report.json()["participants"] == 1  # the recorders are no participants
    # The workbench lists them with their source.
    from tests.helpers import login
    login(client, world.lead)
    bench = client.get(f"/runden/{world.round_id}/abwaegung")
    assert bench.status_code == 200
    assert "aus der Werkstatt „Ostheim“ am 12.03.2026" in bench.text


def test_recorded_texts_are_not_the_recorders_personal_data(client, world, facilitator):
    _record(world, facilitator)
    mine = client.get("/api/v1/me/export", headers=world.auth(facilitator))
    assert mine.status_code == 200
    assert "Mehr Bänke am Marktplatz." not in mine.text


def test_recording_through_the_page(client, world, facilitator):
    from tests.helpers import csrf, login

    anchors = world.paragraphs()
    assert client.get(f"/abschnitte/{world.section_id}/beitrag-erfassen", follow_redirects=False).status_code \
        in (303, 401)
    login(client, world.expert)
    assert client.get(f"/abschnitte/{world.section_id}/beitrag-erfassen").status_code == 403
    assert "beitrag-erfassen" not in client.get(f"/abschnitte/{world.section_id}").text
    client.cookies.clear()
    login(client, facilitator)
    assert "beitrag-erfassen" in client.get(f"/abschnitte/{world.section_id}").text
    form = client.get(f"/abschnitte/{world.section_id}/beitrag-erfassen")
    assert form.status_code == 200 and "Beteiligungsweg" in form.text
    values = {"csrf_token": csrf(client), "source_kind": "werkstatt", "source_label": "Ostheim",
              "source_date": "2026-03-12", "source_author": "", "paragraph": anchors[1], "alignment": "support",
              "body": "Wohnen ist das wichtigste Thema im Stadtteil."}
    bad = client.post(f"/abschnitte/{world.section_id}/beitrag-erfassen", data=values)
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text and "Wohnen ist das wichtigste" in bad.text
    assert client.get(f"/api/v1/sections/{world.section_id}/comments").json()["total"] == 0
    ok = client.post(f"/abschnitte/{world.section_id}/beitrag-erfassen", follow_redirects=False,
                     data={**values, "source_author": "Teilnehmer der Werkstatt Ostheim"})
    assert ok.status_code == 303, ok.text
    listed = client.get(f"/api/v1/sections/{world.section_id}/comments").json()["items"]
    assert listed[0]["source"]["text"] == "aus der Werkstatt „Ostheim“ am 12.03.2026"
    assert listed[0]["paragraph"] == anchors[1] and listed[0]["alignment"] == "support"
