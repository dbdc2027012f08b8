"""Flags and moderation over the API: who may do what, the queue's ranking, hiding never leaks, blocks."""

import pytest

from tests.helpers import make_user
from tests.responses.factory import World


@pytest.fixture
def world(client):
    return World(client)


def flag(client, world, user, target, target_id, reason="Beleidigend und persönlich"):
    return client.post("/api/v1/flags", json={"target": target, "target_id": target_id, "reason": reason},
                       headers=world.auth(user))


def hide(client, world, target, target_id, reason="Beleidigung", user=None):
    return client.post(f"/api/v1/moderation/{target}/{target_id}/hide", json={"reason": reason},
                       headers=world.auth(user or world.moderator))


def test_any_user_flags_once_per_contribution(client, world):
    c = world.comment()
    assert flag(client, world, world.resident, "comment", c["id"]).status_code == 201
    again = flag(client, world, world.resident, "comment", c["id"])
    assert again.status_code == 409
    assert client.post("/api/v1/flags", json={"target": "comment", "target_id": c["id"], "reason": "x y z"}
                       ).status_code == 401
    assert flag(client, world, world.resident, "comment", 424242).status_code == 404
    assert flag(client, world, world.expert, "comment", c["id"]).status_code == 422  # one's own
    bad = flag(client, world, world.lead, "comment", c["id"], reason=" ")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "reason"


def test_queue_ranks_by_distinct_flaggers_and_only_moderators_see_it(client, world):
    once = world.comment(body="Einmal gemeldet")
    thrice = world.comment(body="Dreimal gemeldet")
    idea = world.idea()
    flag(client, world, world.resident, "comment", once["id"])
    for _i in range(3):
        flag(client, world, make_user("resident"), "comment", thrice["id"])
    flag(client, world, world.expert, "idea", idea["id"])
    flag(client, world, world.lead, "idea", idea["id"])
    r = client.get("/api/v1/moderation/queue", headers=world.auth(world.moderator))
    assert r.status_code == 200
    items = r.json()["items"]
    assert [(i["target"], i["target_id"], i["flaggers"]) for i in items] == [
        ("comment", thrice["id"], 3), ("idea", idea["id"], 2), ("comment", once["id"], 1)]
    assert items[0]["excerpt"] == "Dreimal gemeldet" and items[0]["reasons"][0]["reason"]
    for role in ("lead", "expert", "admin"):
        assert client.get("/api/v1/moderation/queue", headers=world.auth(make_user(role))).status_code == 403
    assert client.get("/api/v1/moderation/queue").status_code == 401


@pytest.mark.parametrize("role", ["lead", "expert", "resident", "admin"])
def test_only_moderators_hide(client, world, role):
    c = world.comment()
    assert hide(client, world, "comment", c["id"], user=make_user(role)).status_code == 403
    assert client.get(f"/api/v1/comments/{c['id']}").json()["status"] == "visible"


def test_hide_needs_a_reason_and_restore_brings_it_back(client, world):
    c = world.comment(body="Ein Beitrag")
    assert hide(client, world, "comment", c["id"], reason="").status_code == 422
    flag(client, world, world.resident, "comment", c["id"])
    r = hide(client, world, "comment", c["id"], reason="Persönliche Angriffe")
    assert r.status_code == 200 and r.json()["hidden"] and r.json()["hidden_reason"] == "Persönliche Angriffe"
    assert hide(client, world, "comment", c["id"]).status_code == 409
    queue = client.get("/api/v1/moderation/queue", headers=world.auth(world.moderator)).json()
    assert queue["total"] == 0  # hiding settles the flags
    restored = client.post(f"/api/v1/moderation/comment/{c['id']}/restore", json={"reason": "Irrtum"},
                           headers=world.auth(world.moderator))
    assert restored.status_code == 200 and not restored.json()["hidden"]
    assert client.get(f"/api/v1/comments/{c['id']}").json()["body"] == "Ein Beitrag"
    actions = [e["action"] for e in client.get("/api/v1/audit", headers=world.lead_headers).json()["items"]]
    assert "comment.hide" in actions and "comment.restore" in actions


def test_dismissing_flags_keeps_the_contribution(client, world):
    c = world.comment()
    flag(client, world, world.resident, "comment", c["id"])
    r = client.post(f"/api/v1/moderation/comment/{c['id']}/dismiss", headers=world.auth(world.moderator))
    assert r.status_code == 200 and r.json()["dismissed"] == 1
    assert client.get("/api/v1/moderation/queue", headers=world.auth(world.moderator)).json()["total"] == 0
    assert client.get(f"/api/v1/comments/{c['id']}").json()["status"] == "visible"


def test_hidden_comment_never_leaks_to_the_public(client, world):
    c = world.comment(body="Geheimnisvoller Schmähtext")
    world.respond("comment", c["id"], text="Antwort auf den Schmähtext")
    hide(client, world, "comment", c["id"])
    anon = client.get(f"/api/v1/comments/{c['id']}").json()
    assert anon["status"] == "hidden" and anon["body"] is None and anon["html"] is None
    listing = client.get(f"/api/v1/sections/{world.section_id}/comments").text
    assert "Schmähtext" not in listing
    assert client.get(f"/api/v1/comments/{c['id']}/response").status_code == 404
    csv_text = client.get(f"/api/v1/rounds/{world.round_id}/responses.csv").content.decode("utf-8-sig")
    assert "Schmähtext" not in csv_text
    report = client.get(f"/api/v1/reports/participation?round={world.round_id}").json()
    assert report["contributions"]["comments"] == 0 and report["responses"]["total"] == 0
    page = client.get(f"/abschnitte/{world.section_id}").text
    assert "Schmähtext" not in page and "Antwort auf den Schmähtext" not in page


def test_hidden_idea_never_leaks_through_api_search_map_or_reports(client, world):
    idea = world.idea(title="Verbotene Werbung Kiosk")
    world.idea(title="Ein Garten")
    assert hide(client, world, "idea", idea["id"], reason="Werbung").status_code == 200
    assert client.get(f"/api/v1/ideas/{idea['id']}").status_code == 404
    listing = client.get("/api/v1/ideas").json()
    assert listing["total"] == 1 and "Kiosk" not in str(listing)
    assert client.get("/api/v1/ideas?q=Kiosk").json()["total"] == 0
    report = client.get("/api/v1/reports/participation").json()
    assert report["contributions"]["ideas"] == 1
    assert sum(d["count"] for d in report["by_district"]) == 1
    assert "Kiosk" not in client.get("/ideen?q=Werbung").text and "Kiosk" not in client.get("/ideen").text
    table = client.get(f"/runden/{world.round_id}/abwaegungstabelle").text
    assert "Kiosk" not in table and "Ein Garten" in table


def test_blocked_participants_cannot_post_or_vote_until_unblocked(client, world):
    c = world.comment()
    r = client.post(f"/api/v1/moderation/users/{world.resident.id}/block", json={"days": 7, "reason": "Beleidigungen"},
                    headers=world.auth(world.moderator))
    assert r.status_code == 200 and r.json()["blocked_until"]
    posted = client.post(f"/api/v1/sections/{world.section_id}/comments", headers=world.auth(world.resident),
                         json={"body": "Trotzdem", "alignment": "note"})
    assert posted.status_code == 403
    vote = client.put("/api/v1/votes", json={"target": "comment", "target_id": c["id"], "value": 1},
                      headers=world.auth(world.resident))
    assert vote.status_code == 403
    idea = client.post("/api/v1/ideas", headers=world.auth(world.resident), json={
        "title": "Neue Idee", "body": "Ein Ort für alle Nachbarn.", "category": "begegnung", "quarter_id": 105})
    assert idea.status_code == 403
    assert client.post(f"/api/v1/moderation/users/{world.lead.id}/block", json={"days": 1, "reason": "Test"},
                       headers=world.auth(world.moderator)).status_code == 403
    assert client.post(f"/api/v1/moderation/users/{world.expert.id}/block", json={"days": 1, "reason": "Test"},
                       headers=world.lead_headers).status_code == 403
    client.post(f"/api/v1/moderation/users/{world.resident.id}/unblock", headers=world.auth(world.moderator))
    again = client.post(f"/api/v1/sections/{world.section_id}/comments", headers=world.auth(world.resident),
                        json={"body": "Wieder dabei", "alignment": "note"})
    assert again.status_code == 201
    actions = [e["action"] for e in client.get("/api/v1/audit", headers=world.lead_headers).json()["items"]]
    assert "user.block" in actions and "user.unblock" in actions


def test_hiding_an_idea_comment_keeps_the_public_count_right(client, world):
    idea = world.idea()
    r = client.post(f"/api/v1/ideas/{idea['id']}/comments", headers=world.auth(world.expert),
                    json={"body": "Unsachlich", "alignment": "note"})
    assert r.status_code == 201, r.text
    assert client.get(f"/api/v1/ideas/{idea['id']}").json()["comment_count"] == 1
    hide(client, world, "comment", r.json()["id"])
    assert client.get(f"/api/v1/ideas/{idea['id']}").json()["comment_count"] == 0
    client.post(f"/api/v1/moderation/comment/{r.json()['id']}/restore", headers=world.auth(world.moderator))
    assert client.get(f"/api/v1/ideas/{idea['id']}").json()["comment_count"] == 1


def test_my_data_lists_my_flags(client, world):
    c = world.comment()
    flag(client, world, world.resident, "comment", c["id"], reason="Werbung für eine Firma")
    data = client.get("/api/v1/me/export", headers=world.auth(world.resident)).json()
    assert data["flags"] == [{"target": "comment", "target_id": c["id"], "reason": "Werbung für eine Firma",
                              "created_at": data["flags"][0]["created_at"]}]
