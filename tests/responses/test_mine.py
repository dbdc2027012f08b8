"""Meine Beiträge (page and GET /api/v1/me/contributions): only one's own, with responses and statuses,
filterable by kind, status and round; "Meine Daten" includes the responses to one's contributions."""

import pytest

from tests.helpers import login, make_user
from tests.responses.factory import World


@pytest.fixture
def world(client):
    w = World(client)
    w.mine = {"comment": w.comment(user=w.resident, body="Mein Kommentar zur Begegnung."),
              "answered": w.comment(user=w.resident, body="Noch ein Kommentar von mir."),
              "idea": w.idea(user=w.resident, title="Mein Treffpunkt im Westen"),
              "other_comment": w.comment(user=w.expert, body="Kommentar der Expertin."),
              "other_idea": w.idea(user=w.expert, title="Fremde Idee der Expertin")}
    for kind, key, status, text in (("comment", "answered", "partly", "Teilweise übernommen."),
                                    ("idea", "idea", "rejected", "Leider nicht umsetzbar."),
                                    ("idea", "other_idea", "accepted", "Geheim für Nils.")):
        assert w.respond(kind, w.mine[key]["id"], status=status, text=text).status_code == 200
    r = client.put("/api/v1/votes", headers=w.auth(w.resident),
                   json={"target": "idea", "target_id": w.mine["other_idea"]["id"], "value": 1})
    assert r.status_code == 200, r.text
    return w


def _mine(client, w, **params):
    r = client.get("/api/v1/me/contributions", headers=w.auth(w.resident), params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_lists_only_ones_own_with_responses_and_statuses(client, world):
    got = _mine(client, world)
    assert got["total"] == 4
    by = {(i["kind"], i["id"]): i for i in got["items"]}
    idea = by[("idea", world.mine["idea"]["id"])]
    assert idea["status"] == "rejected" and idea["status_label"] == "nicht berücksichtigt"
    assert idea["response"]["text"] == "Leider nicht umsetzbar."
    answered = by[("comment", world.mine["answered"]["id"])]
    assert answered["status"] == "partly" and answered["response"]["status_label"] == "teilweise berücksichtigt"
    assert by[("comment", world.mine["comment"]["id"])]["status"] == "open"
    vote = next(i for i in got["items"] if i["kind"] == "vote")
    assert vote["vote"] == 1 and vote["response"] is None
    text = str(got)
    assert "Kommentar der Expertin" not in text and "Geheim für Nils" not in text
    assert ("idea", world.mine["other_idea"]["id"]) not in by


@pytest.mark.parametrize("params,expected", [
    ({"kind": "comment"}, 2), ({"kind": "idea"}, 1), ({"kind": "vote"}, 1),
    ({"status": "open"}, 1), ({"status": "rejected"}, 1), ({"status": "accepted"}, 0),
    ({"kind": "idea", "status": "partly"}, 0)])
def test_filters(client, world, params, expected):
    assert _mine(client, world, **params)["total"] == expected


def test_round_filter_and_bad_filters(client, world):
    assert _mine(client, world, round=str(world.round_id))["total"] == 3  # both comments and the idea
    for params in ({"kind": "nix"}, {"status": "egal"}, {"round": "999"}, {"round": "x"}):
        r = client.get("/api/v1/me/contributions", headers=world.auth(world.resident), params=params)
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")


def test_anonymous_gets_401_and_the_page_asks_to_log_in(client, world):
    assert client.get("/api/v1/me/contributions").status_code == 401
    r = client.get("/meine-beitraege", follow_redirects=False)
    assert r.status_code == 303 and "/anmelden" in r.headers["location"]


def test_withdrawn_and_edited_ideas_show_as_such(client, world):
    idea = world.idea(user=world.resident, title="Wird noch geändert")
    r = client.patch(f"/api/v1/ideas/{idea['id']}", headers=world.auth(world.resident),
                     json={"title": "Jetzt geändert", "body": "Ein neuer, längerer Text.", "category": "wohnen"})
    assert r.status_code == 200, r.text
    assert client.delete(f"/api/v1/ideas/{world.mine['idea']['id']}",
                         headers=world.auth(world.resident)).status_code == 200
    by = {(i["kind"], i["id"]): i for i in _mine(client, world, kind="idea")["items"]}
    assert by[("idea", idea["id"])]["edited"] is True and by[("idea", idea["id"])]["title"] == "Jetzt geändert"
    assert by[("idea", world.mine["idea"]["id"])]["status"] == "withdrawn"
    assert _mine(client, world, status="withdrawn")["total"] == 1


def test_the_page_shows_and_filters(client, world):
    login(client, world.resident)
    page = client.get("/meine-beitraege")
    assert page.status_code == 200
    assert "Mein Treffpunkt im Westen" in page.text and "Leider nicht umsetzbar." in page.text
    assert "Kommentar der Expertin" not in page.text and "Geheim für Nils" not in page.text
    assert 'href="/meine-beitraege"' in client.get("/").text  # linked from the account menu
    filtered = client.get("/meine-beitraege", params={"kind": "comment"}).text
    assert "Mein Treffpunkt im Westen" not in filtered and "Teilweise übernommen." in filtered
    # unknown filter values show everything, never a 500
    assert client.get("/meine-beitraege", params={"kind": "x\x00", "round": "abc", "page": "99"}).status_code == 200


def test_another_person_sees_only_theirs(client, world):
    other = make_user("resident", name="Dritte Person")
    login(client, other)
    page = client.get("/meine-beitraege").text
    assert "Mein Treffpunkt im Westen" not in page and "0 Einträge" in page


def test_meine_daten_includes_the_responses_to_ones_contributions(client, world):
    login(client, world.resident)
    r = client.get("/konto/daten.json")
    assert r.status_code == 200, r.text[:300]
    data = r.json()
    responses = data["responses_to_my_contributions"]
    assert {(x["target"], x["status"], x["text"]) for x in responses} == {
        ("comment", "partly", "Teilweise übernommen."), ("idea", "rejected", "Leider nicht umsetzbar.")}
    assert "Geheim für Nils" not in r.text


def test_documented_in_openapi(client):
    spec = client.get("/openapi.json").json()
    mine = spec["paths"]["/api/v1/me/contributions"]["get"]
    assert "me" in mine["tags"] and {p["name"] for p in mine["parameters"]} >= {"kind", "status", "round", "page"}
    assert "MyContributionOut" in str(mine["responses"]["200"])
    idea = spec["paths"]["/api/v1/ideas/{idea_id}"]
    assert {"get", "patch", "delete"} <= set(idea)
    assert "IdeaEditIn" in str(idea["patch"]["requestBody"]) and "IdeaDetailOut" in str(idea["delete"]["responses"])
