"""Änderungsvorschläge over HTTP (issue 16): who may propose and adopt, the adopt conflict when the draft changed,
markers and "übernommen in Fassung N" across versions, votes, replies, moderation, exports, double submits."""

import threading

import pytest

from tests.discussion import factories as f
from tests.helpers import api_token, make_user

P = f.PARAGRAPHS
NEW = "Quartiersmanagement braucht eine dauerhafte Finanzierung und feste Ansprechpersonen in jedem Stadtteil."


def _propose(client, sid, headers, anchor, **body):
    return client.post(f"/api/v1/sections/{sid}/amendments", headers=headers,
                       json={"paragraph": anchor, "text": NEW, "reason": "Befristete Mittel reichen nicht.", **body})


def _draft(client, sid, headers):
    return client.get(f"/api/v1/sections/{sid}/draft", headers=headers).json()


@pytest.fixture
def world(client):
    sid = f.section()
    f.round_([sid])
    lead = make_user("lead")
    return {"sid": sid, "anchors": f.anchors(sid), "expert": api_token(client, make_user("expert")),
            "lead": api_token(client, lead), "lead_user": lead}


def test_who_may_propose(client, world):
    sid, anchor = world["sid"], world["anchors"][1]
    assert _propose(client, sid, {}, anchor).status_code == 401
    for role in ("resident", "lead", "moderator"):  # an experts' round
        assert _propose(client, sid, api_token(client, make_user(role)), anchor).status_code == 403, role
    answer = _propose(client, sid, world["expert"], anchor)
    assert answer.status_code == 201, answer.text
    a = answer.json()
    assert a["amendment"]["position"] == "replace" and a["amendment"]["proposed_text"] == NEW
    assert a["amendment"]["base_text"] == P[1]
    assert "<ins>" in a["amendment"]["diff_html"] and "<del>" in a["amendment"]["diff_html"]
    assert a["body"] == "Befristete Mittel reichen nicht." and a["adopted_in_version"] is None
    # bad input: unknown paragraph, same text, empty text; a section without an open round
    assert _propose(client, sid, world["expert"], "nope").status_code == 422
    assert _propose(client, sid, world["expert"], anchor, text=P[1]).status_code == 422
    assert _propose(client, sid, world["expert"], anchor, text="  ").status_code == 422
    assert _propose(client, sid, world["expert"], anchor, text="a\x00b").status_code == 422
    closed = f.section(title="Ohne Runde")
    assert _propose(client, closed, world["expert"], f.anchors(closed)[0]).status_code == 409
    listed = client.get(f"/api/v1/sections/{sid}/amendments").json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == a["id"]
    # an ordinary comment is no amendment; the comment list shows the amendment with its proposal
    comments = client.get(f"/api/v1/sections/{sid}/comments").json()["items"]
    assert comments[0]["amendment"]["proposed_text"] == NEW


def test_votes_replies_and_moderation_like_comments(client, world):
    sid = world["sid"]
    a = _propose(client, sid, world["expert"], world["anchors"][0]).json()
    other = api_token(client, make_user("expert"))
    vote = client.put("/api/v1/votes", headers=other, json={"target": "amendment", "target_id": a["id"], "value": -1})
    assert vote.status_code == 200 and vote.json()["down"] == 1, vote.text
    assert client.get("/api/v1/votes", params={"target": "amendment", "target_id": a["id"]}).json()["down"] == 1
    assert client.put("/api/v1/votes", headers=world["expert"],
                      json={"target": "amendment", "target_id": a["id"], "value": 1}).status_code == 403  # own
    plain = client.post(f"/api/v1/sections/{sid}/comments", headers=other, json={"body": "Nur ein Hinweis."}).json()
    assert client.put("/api/v1/votes", headers=world["expert"],
                      json={"target": "amendment", "target_id": plain["id"], "value": 1}).status_code == 404
    reply = client.post(f"/api/v1/sections/{sid}/comments", headers=other,
                        json={"body": "Sehe ich anders.", "parent_id": a["id"]})
    assert reply.status_code == 201 and reply.json()["amendment"] is None
    moderator = api_token(client, make_user("moderator"))
    assert client.post(f"/api/v1/moderation/comment/{a['id']}/hide", headers=moderator,
                       json={"reason": "Beleidigend"}).status_code == 200
    hidden = client.get(f"/api/v1/sections/{sid}/amendments").json()["items"][0]
    assert hidden["status"] == "hidden" and hidden["amendment"]["proposed_text"] is None
    assert client.post(f"/api/v1/amendments/{a['id']}/adopt", headers=world["lead"]).status_code == 409
    response = client.put(f"/api/v1/comments/{plain['id']}/response", headers=world["lead"],
                          json={"status": "noted", "text": "Danke."})
    assert response.status_code == 200


def test_who_may_adopt_and_adoption_replaces_the_paragraph(client, world):
    sid = world["sid"]
    a = _propose(client, sid, world["expert"], world["anchors"][1]).json()
    for role in ("expert", "moderator", "resident"):
        assert client.post(f"/api/v1/amendments/{a['id']}/adopt",
                           headers=api_token(client, make_user(role))).status_code == 403, role
    assert client.post(f"/api/v1/amendments/{a['id']}/adopt").status_code == 401
    assert client.post("/api/v1/amendments/999999/adopt", headers=world["lead"]).status_code == 404
    before = _draft(client, sid, world["lead"])
    answer = client.post(f"/api/v1/amendments/{a['id']}/adopt", headers=world["lead"])
    assert answer.status_code == 200, answer.text
    draft = answer.json()["draft"]
    assert draft["revision"] == before["revision"] + 1
    assert draft["body"] == "\n\n".join([P[0], NEW, P[2]])
    assert answer.json()["amendment"]["amendment"]["adopted_at"] is not None
    again = client.post(f"/api/v1/amendments/{a['id']}/adopt", headers=world["lead"])
    assert again.status_code == 409 and "bereits" in again.json()["detail"]
    # a new paragraph after another one
    b = _propose(client, sid, world["expert"], world["anchors"][2], position="after",
                 text="Neu: Quartiersräte in allen Stadtbezirken.").json()
    assert "<ins>" in b["amendment"]["diff_html"] and "<del>" not in b["amendment"]["diff_html"]
    answer = client.post(f"/api/v1/amendments/{b['id']}/adopt", headers=world["lead"])
    assert answer.status_code == 200, answer.text
    assert answer.json()["draft"]["body"] == "\n\n".join([P[0], NEW, P[2], "Neu: Quartiersräte in allen "
                                                                          "Stadtbezirken."])


def test_adopt_conflict_when_the_draft_paragraph_changed_then_merge_by_hand(client, world):
    sid, lead = world["sid"], world["lead"]
    a = _propose(client, sid, world["expert"], world["anchors"][1]).json()
    draft = _draft(client, sid, lead)
    changed = "\n\n".join([P[0], P[1].replace("verlässliche", "langfristige"), P[2]])
    saved = client.put(f"/api/v1/sections/{sid}/draft", headers=lead,
                       json={"title": draft["title"], "body": changed, "revision": draft["revision"]})
    assert saved.status_code == 200, saved.text
    conflict = client.post(f"/api/v1/amendments/{a['id']}/adopt", headers=lead)
    assert conflict.status_code == 409, conflict.text
    problem = conflict.json()
    assert "von Hand" in problem["detail"]
    assert problem["errors"][0]["message"] == P[1].replace("verlässliche", "langfristige")  # the draft's paragraph
    current = _draft(client, sid, lead)
    assert current["body"] == changed  # never a silent overwrite
    assert client.get(f"/api/v1/sections/{sid}/amendments").json()["items"][0]["amendment"]["adopted_at"] is None
    # a merge based on an old revision is refused as well; on the current one it is saved
    merged = "\n\n".join([P[0], NEW.replace("dauerhafte", "langfristige"), P[2]])
    stale = client.post(f"/api/v1/amendments/{a['id']}/adopt", headers=lead,
                        json={"body": merged, "revision": current["revision"] - 1})
    assert stale.status_code == 409
    assert client.post(f"/api/v1/amendments/{a['id']}/adopt", headers=lead,
                       json={"body": merged}).status_code == 422  # a merge names its revision
    ok = client.post(f"/api/v1/amendments/{a['id']}/adopt", headers=lead,
                     json={"body": merged, "revision": current["revision"]})
    assert ok.status_code == 200, ok.text
    assert _draft(client, sid, lead)["body"] == merged


def test_publishing_marks_it_taken_up_and_markers_follow_the_paragraph(client, world):
    sid, lead = world["sid"], world["lead"]
    a = _propose(client, sid, world["expert"], world["anchors"][1]).json()
    kept = _propose(client, sid, world["expert"], world["anchors"][0],
                    text="Soziale Quartiersentwicklung stärkt Nachbarschaften.").json()
    gone = _propose(client, sid, world["expert"], world["anchors"][2],
                    text="Begegnungsorte sind barrierefrei.").json()
    assert client.post(f"/api/v1/amendments/{a['id']}/adopt", headers=lead).status_code == 200
    draft = _draft(client, sid, lead)
    # the lead also drops the third paragraph before publishing
    body = "\n\n".join([P[0], NEW])
    assert client.put(f"/api/v1/sections/{sid}/draft", headers=lead,
                      json={"title": draft["title"], "body": body, "revision": draft["revision"]}).status_code == 200
    published = client.post(f"/api/v1/sections/{sid}/versions", headers=lead,
                            json={"change_summary": "Finanzierung nach Vorschlag"})
    assert published.status_code == 201, published.text
    items = {i["id"]: i for i in client.get(f"/api/v1/sections/{sid}/amendments").json()["items"]}
    assert items[a["id"]]["adopted_in_version"] == 2
    assert items[a["id"]]["paragraph_change"] == "changed"
    assert items[kept["id"]]["adopted_in_version"] is None and items[kept["id"]]["paragraph_change"] == "unchanged"
    assert items[gone["id"]]["paragraph_change"] == "removed"
    response = client.get(f"/api/v1/comments/{a['id']}/response").json()
    assert response["status"] == "accepted" and response["version"]["number"] == 2, response
    # a later version does not take it up again
    draft = _draft(client, sid, lead)
    client.put(f"/api/v1/sections/{sid}/draft", headers=lead,
               json={"title": draft["title"], "body": body + "\n\nNoch ein Satz.", "revision": draft["revision"]})
    assert client.post(f"/api/v1/sections/{sid}/versions", headers=lead,
                       json={"change_summary": "Ergänzt"}).status_code == 201
    item = next(i for i in client.get(f"/api/v1/sections/{sid}/amendments").json()["items"] if i["id"] == a["id"])
    assert item["adopted_in_version"] == 2
    # proposals are made on the current version only
    assert _propose(client, sid, world["expert"], world["anchors"][2]).status_code == 422


def test_the_abwaegungstabelle_shows_the_proposed_text(client, world):
    sid = world["sid"]
    a = _propose(client, sid, world["expert"], world["anchors"][1]).json()
    round_id = a["round_id"]
    csv = client.get(f"/api/v1/rounds/{round_id}/responses.csv")
    assert csv.status_code == 200, csv.text
    assert NEW in csv.text and "Änderungsvorschlag" in csv.text


def test_my_data_and_erasure_cover_the_proposed_text(client, world):
    from app import db
    from app.discussion.models import Comment
    from app.discussion.service import erase_person, export_person

    sid = world["sid"]
    author = make_user("expert")
    a = _propose(client, sid, api_token(client, author), world["anchors"][0]).json()
    with db.new_session(writer=True) as s:
        _name, data = export_person(s, author)
        assert data["comments"][0]["proposed_text"] == NEW
        erase_person(s, author, True)
        s.commit()
        assert s.get(Comment, a["id"]).proposed_text is None


def _parallel(calls):
    results = [None] * len(calls)

    def run(i, call):
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_parallel_double_submits_of_propose_and_adopt(asgi_app, world):
    from fastapi.testclient import TestClient

    sid, anchor = world["sid"], world["anchors"][1]
    clients = [TestClient(asgi_app, base_url="http://testserver") for _ in range(2)]
    proposed = _parallel([lambda c=c: _propose(c, sid, world["expert"], anchor) for c in clients])
    assert sorted(r.status_code for r in proposed) == [201, 201], [r.text for r in proposed]
    first = proposed[0].json()["id"]
    adopted = _parallel([lambda c=c: c.post(f"/api/v1/amendments/{first}/adopt", headers=world["lead"])
                         for c in clients])
    assert sorted(r.status_code for r in adopted) == [200, 409], [r.text for r in adopted]
    with clients[0] as c:
        draft = _draft(c, sid, world["lead"])
    assert draft["body"] == "\n\n".join([P[0], NEW, P[2]])
    assert draft["revision"] == 2  # saved once
    # the twin proposal's paragraph is no longer in the draft as proposed against: 409, nothing changes
    twin = proposed[1].json()["id"]
    with clients[1] as c:
        assert c.post(f"/api/v1/amendments/{twin}/adopt", headers=world["lead"]).status_code == 409
        assert _draft(c, sid, world["lead"])["revision"] == 2
