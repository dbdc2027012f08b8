"""Stellungnahmen over the API: only leads respond, one current response, history kept, hooks on publish."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app import db
from tests.helpers import make_user
from tests.responses.factory import World


@pytest.fixture
def world(client):
    return World(client)


def test_lead_answers_a_comment_and_everyone_reads_it(client, world):
    c = world.comment()
    r = world.respond("comment", c["id"], status="partly", text="Teilweise: Begegnungsorte ja, Neubau nein.")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "partly" and body["status_label"] == "teilweise berücksichtigt"
    assert body["revision"] == 1 and body["history"] == [] and body["author"] == world.lead.display_name
    public = client.get(f"/api/v1/comments/{c['id']}/response")
    assert public.status_code == 200 and public.json()["text"].startswith("Teilweise")


@pytest.mark.parametrize("role", ["expert", "resident", "moderator", "admin"])
def test_only_leads_respond(client, world, role):
    c = world.comment()
    r = world.respond("comment", c["id"], user=make_user(role))
    assert r.status_code == 403
    assert client.get(f"/api/v1/comments/{c['id']}/response").status_code == 404


def test_anonymous_gets_401(client, world):
    c = world.comment()
    r = client.put(f"/api/v1/comments/{c['id']}/response", json={"status": "noted", "text": "x"})
    assert r.status_code == 401


@pytest.mark.parametrize("payload,field", [
    ({"status": "maybe", "text": "Text"}, "status"),
    ({"status": "noted", "text": "   "}, "text"),
    ({"status": "noted"}, "text"),
    ({"status": "noted", "text": "x" * 10_001}, "text"),
])
def test_bad_input_is_422_and_stores_nothing(client, world, payload, field):
    c = world.comment()
    r = client.put(f"/api/v1/comments/{c['id']}/response", json=payload, headers=world.auth(world.lead))
    assert r.status_code == 422
    assert any(field in e["field"] for e in r.json()["errors"])
    assert client.get(f"/api/v1/comments/{c['id']}/response").status_code == 404


def test_unknown_contribution_is_404(client, world):
    assert world.respond("comment", 99999).status_code == 404
    assert world.respond("idea", 99999).status_code == 404


def test_version_must_belong_to_the_comments_section(client, world):
    c = world.comment()
    other = world.docs.section(world.docs.chapter(title="Anderes Kapitel")["id"], title="Anderes")
    v = world.docs.publish(other["id"], "Erste Fassung.")
    r = world.respond("comment", c["id"], version_id=v["id"])
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "version_id"


def test_revisions_keep_history_and_exactly_one_is_current(client, world):
    c = world.comment()
    world.respond("comment", c["id"], status="noted", text="Erste Einschätzung.")
    world.respond("comment", c["id"], status="rejected", text="Nach Prüfung nicht möglich.")
    again = world.respond("comment", c["id"], status="rejected", text="Nach Prüfung nicht möglich.")
    body = again.json()
    assert body["revision"] == 2 and body["status"] == "rejected"
    assert [h["status"] for h in body["history"]] == ["noted"]
    with db.new_session() as s:
        rows = s.execute(text("SELECT revision, is_current FROM response WHERE comment_id = :c ORDER BY revision"),
                         {"c": c["id"]}).all()
    assert [(r[0], bool(r[1])) for r in rows] == [(1, False), (2, True)]


def test_database_refuses_a_second_current_response(client, world):
    c = world.comment()
    world.respond("comment", c["id"])
    with db.new_session(writer=True) as s, pytest.raises(IntegrityError):
        s.execute(text("INSERT INTO response (comment_id, status, text, revision, is_current, created_at) "
                       "VALUES (:c, 'noted', 'zweite', 9, :t, CURRENT_TIMESTAMP)"), {"c": c["id"], "t": True})
        s.commit()


def test_ideas_get_responses_too(client, world):
    idea = world.idea()
    r = world.respond("idea", idea["id"], status="accepted", text="Kommt in Abschnitt 1.1.")
    assert r.status_code == 200 and r.json()["target"] == "idea"
    assert client.get(f"/api/v1/ideas/{idea['id']}/response").json()["status"] == "accepted"


def test_hidden_contributions_are_404_for_responses(client, world):
    c = world.comment()
    world.respond("comment", c["id"])
    hidden = client.post(f"/api/v1/moderation/comment/{c['id']}/hide", json={"reason": "Beleidigend"},
                         headers=world.auth(world.moderator))
    assert hidden.status_code == 200, hidden.text
    assert client.get(f"/api/v1/comments/{c['id']}/response").status_code == 404
    assert world.respond("comment", c["id"], text="Neu").status_code == 404


def test_publishing_a_version_that_takes_up_comments_answers_them(client, world):
    c1, c2, c3 = world.comment(body="Eins"), world.comment(body="Zwei"), world.comment(body="Drei")
    world.respond("comment", c2["id"], status="rejected", text="Nicht umsetzbar.")
    world.docs.save(world.section_id, "Erster Absatz über Begegnung.\n\nZweiter Absatz, neu gefasst.")
    v2 = world.docs.publish(world.section_id, "Wohnen ergänzt.", addresses=[c1["id"], c2["id"], 424242])
    r1 = client.get(f"/api/v1/comments/{c1['id']}/response").json()
    assert r1["status"] == "accepted" and r1["version"]["number"] == 2 and r1["version_id"] == v2["id"]
    assert "Fassung 2" in r1["text"]
    r2 = client.get(f"/api/v1/comments/{c2['id']}/response").json()
    assert r2["status"] == "rejected" and r2["version"] is None  # the lead's explicit answer stays
    assert client.get(f"/api/v1/comments/{c3['id']}/response").status_code == 404
    audit = client.get("/api/v1/audit?action=response.set", headers=world.lead_headers).json()
    assert {e["target_id"] for e in audit["items"]} == {c1["id"], c2["id"]}
