"""One answer workflow (issue 16, README "One answer workflow"): every path that gives an official response goes
draft → approved → published. A direct answer (the contribution's page, `PUT .../response`, a Sammelantwort, the
import of the Abwägungstabelle, a version that takes up a comment, an idea's final status) is one explicit action
of a lead that records all three steps in the casework history; nothing is public and nobody is told before it."""

import re

import pytest

from tests.helpers import api_token, login, make_user, outbox, post_form
from tests.responses.factory import World

STEPS = ["response.draft", "response.approve", "response.set"]


@pytest.fixture
def w(client):
    return World(client)


def _history(client, w, kind: str, target_id: int) -> list[str]:
    slug = "kommentar" if kind == "comment" else "idee"
    if not getattr(w, "logged_in", False):
        login(client, w.lead)
        w.logged_in = True
    r = client.get(f"/runden/{w.round_id}/abwaegung/{slug}/{target_id}")
    assert r.status_code == 200, r.text
    block = r.text.split('id="verlauf"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'data-action="([a-z._]+)"', block)


def _answer_steps(history: list[str]) -> list[str]:
    return [a for a in history if a.startswith("response.")]


def test_a_direct_answer_is_drafted_approved_and_published_in_one_recorded_action(client, w):
    comment = w.comment()
    cid = comment["id"]
    # who may not approve cannot answer directly either; nothing recorded, nothing public, nobody told
    for who in (w.expert, w.resident, w.moderator):
        assert client.put(f"/api/v1/comments/{cid}/response", headers=w.auth(who),
                          json={"status": "accepted", "text": "Ja."}).status_code == 403
    assert client.put(f"/api/v1/comments/{cid}/response", headers=w.lead_headers,
                      json={"status": "accepted", "text": "Ja.", "version_id": 999999}).status_code == 422
    assert _history(client, w, "comment", cid) == []
    assert client.get(f"/api/v1/comments/{cid}/response").status_code == 404
    assert outbox(w.expert.email) == []

    r = w.respond("comment", cid, status="partly", text="Teilweise: Bänke ja, Pavillon nein.")
    assert r.status_code == 200, r.text
    assert _answer_steps(_history(client, w, "comment", cid)) == STEPS
    assert client.get(f"/api/v1/comments/{cid}/response").json()["text"] == "Teilweise: Bänke ja, Pavillon nein."
    assert len(outbox(w.expert.email)) == 1
    page = client.get(f"/runden/{w.round_id}/abwaegung/kommentar/{cid}").text
    assert "in einem Schritt freigegeben und veröffentlicht" in page
    # the same answer again changes nothing and records nothing
    assert w.respond("comment", cid, status="partly", text="Teilweise: Bänke ja, Pavillon nein.").status_code == 200
    assert _answer_steps(_history(client, w, "comment", cid)) == STEPS
    assert len(outbox(w.expert.email)) == 1


def test_a_direct_answer_settles_a_pending_workbench_draft(client, w):
    cid = w.comment()["id"]
    client.put(f"/api/v1/casework/comment/{cid}/draft", headers=w.lead_headers,
               json={"status": "rejected", "text": "Entwurf Kaffeekasse"})
    client.post(f"/api/v1/casework/comment/{cid}/approve", headers=w.lead_headers)
    assert outbox(w.expert.email) == []
    login(client, w.lead)
    w.logged_in = True
    form = post_form(client, f"/beitraege/{cid}/stellungnahme",
                     {"status": "accepted", "text": "Wird aufgenommen.", "version_id": ""})
    assert form.status_code == 303, form.text
    assert client.get(f"/api/v1/casework/comment/{cid}", headers=w.lead_headers).json()["draft"] is None
    assert client.post(f"/api/v1/casework/comment/{cid}/publish", headers=w.lead_headers).status_code == 409
    assert _answer_steps(_history(client, w, "comment", cid)) == ["response.draft", "response.approve"] + STEPS
    assert client.get(f"/api/v1/comments/{cid}/response").json()["text"] == "Wird aufgenommen."
    assert "Kaffeekasse" not in client.get(f"/abschnitte/{w.section_id}").text
    assert len(outbox(w.expert.email)) == 1


def test_every_other_answering_path_follows_the_same_rule(client, w):
    c1, c2, c3 = (w.comment(body=b)["id"] for b in ("Mehr Bänke.", "Mehr Schatten.", "Mehr Wasser."))
    idea = w.idea()["id"]
    # a Sammelantwort from the workbench
    login(client, w.lead)
    w.logged_in = True
    r = post_form(client, f"/runden/{w.round_id}/abwaegung",
                  {"items": [f"comment:{c1}", f"comment:{c2}"], "status": "noted", "text": "Danke.", "version_id": ""})
    assert r.status_code == 303, r.text
    # a version that takes up a comment
    w.docs.save(w.section_id, "Erster Absatz über Begegnung.\n\nZweiter Absatz über Wasserspender.")
    w.docs.publish(w.section_id, "Wasser ergänzt.", addresses=[c3])
    # an idea's final status is its Stellungnahme
    r = client.put(f"/api/v1/ideas/{idea}/status", headers=w.lead_headers,
                   json={"status": "declined", "reason": "Dafür gibt es keinen Raum."})
    assert r.status_code == 200, r.text
    for kind, target_id in (("comment", c1), ("comment", c2), ("comment", c3), ("idea", idea)):
        assert _answer_steps(_history(client, w, kind, target_id)) == STEPS, (kind, target_id)
    told = [m for m in outbox() if "hat eine Stellungnahme" in m.body]
    assert sorted(m.to_email for m in told) == sorted([w.expert.email] * 3 + [w.resident.email])


def test_the_audit_log_names_every_step_for_administrators(client, w):
    cid = w.comment()["id"]
    w.respond("comment", cid)
    admin = api_token(client, make_user("admin"))
    for action in STEPS:
        entries = client.get(f"/api/v1/audit?action={action}", headers=admin).json()["items"]
        assert [e["target_id"] for e in entries] == [cid], action
