"""A hidden idea takes its comments and votes with it: 404 for the public, as for the idea itself; moderation,
the project lead and the idea's author still see it. Idea.comment_count stays what the public sees."""

import pytest

from tests.helpers import login, make_user
from tests.responses.factory import World


@pytest.fixture
def world(client):
    return World(client)


def _hidden_idea_with_comment(client, world):
    idea = world.idea()
    r = client.post(f"/api/v1/ideas/{idea['id']}/comments", json={"body": "Gute Idee, mit Schatten!"},
                    headers=world.auth(world.expert))
    assert r.status_code == 201, r.text
    comment = r.json()
    hidden = client.post(f"/api/v1/moderation/idea/{idea['id']}/hide", json={"reason": "Werbung"},
                         headers=world.auth(world.moderator))
    assert hidden.status_code == 200, hidden.text
    return idea, comment


def test_comments_and_votes_of_a_hidden_idea_answer_404(client, world):
    idea, comment = _hidden_idea_with_comment(client, world)
    stranger = make_user("resident")
    for headers in ({}, world.auth(stranger), world.auth(world.expert)):  # anonymous, anyone, the commenter
        assert client.get(f"/api/v1/ideas/{idea['id']}", headers=headers).status_code == 404
        assert client.get(f"/api/v1/ideas/{idea['id']}/comments", headers=headers).status_code == 404
        assert client.get(f"/api/v1/comments/{comment['id']}", headers=headers).status_code == 404
        assert client.get("/api/v1/votes", params={"target": "idea", "target_id": idea["id"]},
                          headers=headers).status_code == 404
        assert client.get("/api/v1/votes", params={"target": "comment", "target_id": comment["id"]},
                          headers=headers).status_code == 404
    assert client.get(f"/beitraege/{comment['id']}/stellungnahme").status_code in (303, 404)
    login(client, stranger)
    page = client.get(f"/beitraege/{comment['id']}/stellungnahme")
    assert page.status_code == 404 and "Gute Idee, mit Schatten!" not in page.text


def test_moderation_lead_and_author_still_see_a_hidden_idea(client, world):
    idea, comment = _hidden_idea_with_comment(client, world)
    for user in (world.moderator, world.lead, world.resident):  # world.resident wrote the idea
        headers = world.auth(user)
        shown = client.get(f"/api/v1/ideas/{idea['id']}", headers=headers)
        assert shown.status_code == 200 and shown.json()["title"] == idea["title"]
        listed = client.get(f"/api/v1/ideas/{idea['id']}/comments", headers=headers)
        assert listed.status_code == 200 and [c["id"] for c in listed.json()["items"]] == [comment["id"]]
        assert client.get(f"/api/v1/comments/{comment['id']}", headers=headers).status_code == 200
        assert client.get("/api/v1/votes", params={"target": "idea", "target_id": idea["id"]},
                          headers=headers).status_code == 200


def test_comment_count_never_goes_negative(client, world):
    idea = world.idea()
    r = client.post(f"/api/v1/ideas/{idea['id']}/comments", json={"body": "Dazu eine Anmerkung."},
                    headers=world.auth(world.expert))
    cid = r.json()["id"]
    assert client.get(f"/api/v1/ideas/{idea['id']}").json()["comment_count"] == 1
    assert client.post(f"/api/v1/moderation/comment/{cid}/hide", json={"reason": "Beleidigung"},
                       headers=world.auth(world.moderator)).status_code == 200
    assert client.get(f"/api/v1/ideas/{idea['id']}").json()["comment_count"] == 0
    withdrawn = client.delete(f"/api/v1/comments/{cid}", headers=world.auth(world.expert))
    assert withdrawn.status_code == 200, withdrawn.text
    assert client.get(f"/api/v1/ideas/{idea['id']}").json()["comment_count"] == 0
    # restoring a withdrawn comment does not count it again
    assert client.post(f"/api/v1/moderation/comment/{cid}/restore", json={"reason": "Versehen"},
                       headers=world.auth(world.moderator)).status_code == 200
    assert client.get(f"/api/v1/ideas/{idea['id']}").json()["comment_count"] == 0


def test_comment_count_drops_when_an_author_erases_their_texts(client, world):
    from tests.helpers import PASSWORD, login, post_form

    idea = world.idea()
    leaving = make_user("resident", name="Geht bald")
    headers = world.auth(leaving)
    for body in ("Erster Kommentar.", "Zweiter Kommentar."):
        assert client.post(f"/api/v1/ideas/{idea['id']}/comments", json={"body": body},
                           headers=headers).status_code == 201
    kept = client.post(f"/api/v1/ideas/{idea['id']}/comments", json={"body": "Bleibt."},
                       headers=world.auth(world.expert))
    hidden = client.post(f"/api/v1/ideas/{idea['id']}/comments", json={"body": "Wird ausgeblendet."},
                         headers=headers).json()["id"]
    assert client.post(f"/api/v1/moderation/comment/{hidden}/hide", json={"reason": "Beleidigung"},
                       headers=world.auth(world.moderator)).status_code == 200
    assert kept.status_code == 201
    assert client.get(f"/api/v1/ideas/{idea['id']}").json()["comment_count"] == 3
    login(client, leaving)
    gone = post_form(client, "/konto/loeschen", {"password": PASSWORD, "confirm": "ja", "erase": "1"})
    assert gone.status_code == 303, gone.text[:300]
    assert client.get(f"/api/v1/ideas/{idea['id']}").json()["comment_count"] == 1  # only the expert's
