"""The workbench of the three offices over HTTP: units, assignment, internal notes, the answer workflow
draft → approved → published, progress per unit, and parallel double submits (issue 16)."""

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import func
from sqlmodel import select

from app import db
from app.responses.models import Casework, InternalNote, Response
from tests.helpers import api_token, make_user, outbox
from tests.responses.factory import World

SECRET = "GEHEIMNOTIZ Kaffeekasse 4711"
DRAFT = "Entwurfstext Zebrastreifen 0815"


@pytest.fixture
def w(client):
    return World(client)


def _units(client, headers) -> dict[str, int]:
    r = client.get("/api/v1/units", headers=headers)
    assert r.status_code == 200, r.text
    return {u["name"]: u["id"] for u in r.json()}


def test_the_three_offices_by_default_and_only_administrators_manage_the_list(client, w):
    assert list(_units(client, w.lead_headers)) == ["Gesundheitsamt", "Jugendamt", "Sozialamt"]
    assert client.get("/api/v1/units", headers=w.auth(w.expert)).status_code == 403
    assert client.get("/api/v1/units").status_code == 401
    admin = api_token(client, make_user("admin"))
    assert client.post("/api/v1/units", headers=w.lead_headers,
                       json={"name": "Amt für Stadtplanung"}).status_code == 403
    added = client.post("/api/v1/units", headers=admin, json={"name": "Amt für Stadtplanung"})
    assert added.status_code == 201 and added.json()["active"] is True
    assert client.post("/api/v1/units", headers=admin, json={"name": "amt für stadtplanung"}).status_code == 409
    assert client.post("/api/v1/units", headers=admin, json={"name": "  "}).status_code == 422
    assert client.post("/api/v1/units", headers=admin, json={"name": "Amt\u202eX"}).status_code == 422
    unit_id = added.json()["id"]
    assert client.patch(f"/api/v1/units/{unit_id}", headers=w.lead_headers, json={"active": False}).status_code == 403
    off = client.patch(f"/api/v1/units/{unit_id}", headers=admin, json={"active": False, "name": "Stadtplanungsamt"})
    assert off.status_code == 200 and off.json() == {"id": unit_id, "name": "Stadtplanungsamt", "active": False}
    assert "Stadtplanungsamt" not in _units(client, w.lead_headers)
    every = client.get("/api/v1/units?include_inactive=true", headers=admin).json()
    assert [u["name"] for u in every][-1] == "Stadtplanungsamt"
    assert client.patch("/api/v1/units/999999", headers=admin, json={"active": True}).status_code == 404
    # an inactive unit cannot be assigned
    comment = w.comment()
    r = client.put(f"/api/v1/casework/comment/{comment['id']}", headers=w.lead_headers, json={"unit_id": unit_id})
    assert r.status_code == 422


def test_only_leads_assign_and_only_to_leads(client, w):
    units = _units(client, w.lead_headers)
    comment, idea = w.comment(), w.idea()
    other_lead = make_user("lead", name="Lena Leitung")
    body = {"unit_id": units["Jugendamt"], "assignee_id": other_lead.id}
    for who in (w.expert, w.resident, w.moderator):
        assert client.put(f"/api/v1/casework/comment/{comment['id']}", headers=w.auth(who),
                          json=body).status_code == 403
        assert client.get(f"/api/v1/casework/comment/{comment['id']}", headers=w.auth(who)).status_code == 403
    assert client.put(f"/api/v1/casework/comment/{comment['id']}", json=body).status_code == 401
    r = client.put(f"/api/v1/casework/comment/{comment['id']}", headers=w.lead_headers, json=body)
    assert r.status_code == 200, r.text
    assert r.json()["unit"] == "Jugendamt" and r.json()["assignee"] == "Lena Leitung" and r.json()["draft"] is None
    r = client.put(f"/api/v1/casework/idea/{idea['id']}", headers=w.lead_headers,
                   json={"unit_id": units["Sozialamt"], "assignee_id": None})
    assert r.status_code == 200 and r.json()["unit"] == "Sozialamt" and r.json()["assignee"] is None
    bad = [({"assignee_id": w.expert.id}, 422), ({"unit_id": 999999}, 422), ({"unit_id": 0}, 422),
           ({"unit_id": "x"}, 422)]
    for data, status in bad:
        assert client.put(f"/api/v1/casework/comment/{comment['id']}", headers=w.lead_headers,
                          json=data).status_code == status, data
    assert client.put("/api/v1/casework/comment/999999", headers=w.lead_headers, json=body).status_code == 404
    assert client.put(f"/api/v1/casework/vote/{comment['id']}", headers=w.lead_headers, json=body).status_code == 422
    # clearing
    r = client.put(f"/api/v1/casework/comment/{comment['id']}", headers=w.lead_headers, json={})
    assert r.json()["unit"] is None and r.json()["assignee"] is None


def test_internal_notes_never_leak(client, w):
    comment, idea = w.comment(), w.idea()
    for kind, target in (("comment", comment["id"]), ("idea", idea["id"])):
        for who in (w.expert, w.resident, w.moderator):
            r = client.post(f"/api/v1/casework/{kind}/{target}/notes", headers=w.auth(who), json={"body": "x"})
            assert r.status_code == 403
        r = client.post(f"/api/v1/casework/{kind}/{target}/notes", headers=w.lead_headers, json={"body": SECRET})
        assert r.status_code == 201, r.text
        assert r.json()["body"] == SECRET and r.json()["target"] == kind
        assert client.post(f"/api/v1/casework/{kind}/{target}/notes", headers=w.lead_headers,
                           json={"body": "a\x00b"}).status_code == 422
        assert client.post(f"/api/v1/casework/{kind}/{target}/notes", headers=w.lead_headers,
                           json={"body": "   "}).status_code == 422
        lead_view = client.get(f"/api/v1/casework/{kind}/{target}", headers=w.lead_headers).json()
        assert [n["body"] for n in lead_view["notes"]] == [SECRET]
    w.respond("comment", comment["id"], text="Danke, wir prüfen das.")
    admin = api_token(client, make_user("admin"))
    anonymous: dict = {}
    readers = {"anonymous": anonymous, "expert": w.auth(w.expert), "resident": w.auth(w.resident),
               "moderator": w.auth(w.moderator), "admin": admin}
    paths = [f"/api/v1/comments/{comment['id']}", f"/api/v1/ideas/{idea['id']}",
             f"/api/v1/sections/{w.section_id}/comments", f"/api/v1/comments/{comment['id']}/response",
             "/api/v1/ideas?q=Kaffeekasse", "/api/v1/ideas", f"/abschnitte/{w.section_id}", f"/ideen/{idea['id']}",
             f"/beitraege/{comment['id']}/stellungnahme", f"/ideen/{idea['id']}/stellungnahme",
             f"/runden/{w.round_id}/abwaegungstabelle", f"/runden/{w.round_id}/abwaegungstabelle.csv",
             "/ideen?q=Kaffeekasse", "/api/v1/me/export"]
    for name, headers in readers.items():
        for path in paths:
            r = client.get(path, headers=headers)
            assert SECRET not in r.text and "4711" not in r.text, (name, path)
            assert "Kaffeekasse" not in r.text or "q=Kaffeekasse" in path, (name, path)
        assert client.get("/api/v1/ideas?q=Kaffeekasse", headers=headers).json()["items"] == []
        xlsx = client.get(f"/runden/{w.round_id}/abwaegungstabelle.xlsx", headers=headers)
        assert xlsx.status_code == 200
    import io
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/runden/{w.round_id}/abwaegungstabelle.xlsx").content))
    assert all(b"Kaffeekasse" not in archive.read(n) for n in archive.namelist())
    log = client.get("/verwaltung/protokoll", headers=admin)
    assert log.status_code == 200 and "Kaffeekasse" not in log.text  # the audit log names notes, never their text
    # the backup of everything is the administrators' (and holds the notes, as it holds every table)
    for who in ("expert", "moderator", "anonymous"):
        assert client.get("/api/v1/export", headers=readers[who]).status_code in (401, 403)
    assert client.get("/api/v1/export", headers=w.lead_headers).status_code == 403
    # the note author's own data and the contribution authors' data hold no note
    for person in (w.expert, w.resident, w.lead):
        mine = client.get("/api/v1/me/export", headers=w.auth(person))
        assert mine.status_code == 200 and SECRET not in mine.text


def test_answers_move_through_draft_approved_published_and_only_publishing_tells_the_author(client, w):
    comment = w.comment()
    cid = comment["id"]
    admin = api_token(client, make_user("admin"))
    draft = {"status": "partly", "text": DRAFT}
    for who in (w.expert, w.resident, w.moderator):
        assert client.put(f"/api/v1/casework/comment/{cid}/draft", headers=w.auth(who), json=draft).status_code == 403
        assert client.post(f"/api/v1/casework/comment/{cid}/approve", headers=w.auth(who)).status_code == 403
        assert client.post(f"/api/v1/casework/comment/{cid}/publish", headers=w.auth(who)).status_code == 403
    assert client.post(f"/api/v1/casework/comment/{cid}/approve", headers=w.lead_headers).status_code == 409
    r = client.put(f"/api/v1/casework/comment/{cid}/draft", headers=w.lead_headers, json=draft)
    assert r.status_code == 200 and r.json()["draft"] == {"state": "draft", "status": "partly", "text": DRAFT,
                                                         "version_id": None}
    assert client.put(f"/api/v1/casework/comment/{cid}/draft", headers=w.lead_headers,
                      json={"status": "maybe", "text": "x"}).status_code == 422

    def invisible():
        assert client.get(f"/api/v1/comments/{cid}/response").status_code == 404
        for path in (f"/abschnitte/{w.section_id}", f"/beitraege/{cid}/stellungnahme",
                     f"/runden/{w.round_id}/abwaegungstabelle", f"/runden/{w.round_id}/abwaegungstabelle.csv",
                     f"/api/v1/sections/{w.section_id}/comments"):
            for headers in ({}, w.auth(w.expert), w.auth(w.moderator)):
                assert "Zebrastreifen" not in client.get(path, headers=headers).text, path
        assert "Zebrastreifen" not in client.get("/api/v1/me/export", headers=w.auth(w.expert)).text
        assert "Zebrastreifen" not in client.get("/verwaltung/protokoll", headers=admin).text
        assert outbox(w.expert.email) == []

    invisible()
    assert client.post(f"/api/v1/casework/comment/{cid}/publish", headers=w.lead_headers).status_code == 409
    invisible()
    r = client.post(f"/api/v1/casework/comment/{cid}/approve", headers=w.lead_headers)
    assert r.status_code == 200 and r.json()["draft"]["state"] == "approved"
    invisible()
    # a changed approved draft is a draft again: what is published is what was approved
    changed = client.put(f"/api/v1/casework/comment/{cid}/draft", headers=w.lead_headers,
                         json={**draft, "text": DRAFT + " (geändert)"})
    assert changed.json()["draft"]["state"] == "draft"
    assert client.post(f"/api/v1/casework/comment/{cid}/publish", headers=w.lead_headers).status_code == 409
    client.post(f"/api/v1/casework/comment/{cid}/approve", headers=w.lead_headers)
    invisible()
    published = client.post(f"/api/v1/casework/comment/{cid}/publish", headers=w.lead_headers)
    assert published.status_code == 200, published.text
    assert published.json()["status"] == "partly" and published.json()["text"] == DRAFT + " (geändert)"
    assert client.get(f"/api/v1/comments/{cid}/response").json()["text"] == DRAFT + " (geändert)"
    assert "Zebrastreifen" in client.get(f"/abschnitte/{w.section_id}").text
    mails = outbox(w.expert.email)
    assert len(mails) == 1 and "Zebrastreifen" in mails[0].body and f"#beitrag-{cid}" in mails[0].body
    after = client.get(f"/api/v1/casework/comment/{cid}", headers=w.lead_headers).json()
    assert after["draft"] is None
    assert client.post(f"/api/v1/casework/comment/{cid}/publish", headers=w.lead_headers).status_code == 409
    assert len(outbox(w.expert.email)) == 1
    # an idea the same way
    idea = w.idea()
    client.put(f"/api/v1/casework/idea/{idea['id']}/draft", headers=w.lead_headers, json={"status": "noted",
                                                                                         "text": "Danke."})
    client.post(f"/api/v1/casework/idea/{idea['id']}/approve", headers=w.lead_headers)
    assert client.post(f"/api/v1/casework/idea/{idea['id']}/publish", headers=w.lead_headers).status_code == 200
    assert len(outbox(w.resident.email)) == 1


def test_progress_per_unit(client, w):
    units = _units(client, w.lead_headers)
    comments = [w.comment(body=f"Beitrag {i}")["id"] for i in range(3)]
    for cid in comments[:2]:
        client.put(f"/api/v1/casework/comment/{cid}", headers=w.lead_headers, json={"unit_id": units["Jugendamt"]})
    w.respond("comment", comments[0])
    w.respond("comment", comments[2])
    r = client.get(f"/api/v1/rounds/{w.round_id}/unit-progress", headers=w.lead_headers)
    assert r.status_code == 200
    by_name = {p["name"]: (p["answered"], p["total"]) for p in r.json()}
    assert by_name["Jugendamt"] == (1, 2) and by_name["Gesundheitsamt"] == (0, 0)
    assert by_name["ohne Zuständigkeit"] == (1, 1)
    assert client.get(f"/api/v1/rounds/{w.round_id}/unit-progress", headers=w.auth(w.expert)).status_code == 403
    assert client.get("/api/v1/rounds/999999/unit-progress", headers=w.lead_headers).status_code == 404
    page = client.get(f"/runden/{w.round_id}/abwaegungstabelle")
    assert "Zuständigkeit" in page.text and "Jugendamt" in page.text


def test_similar_groups_over_the_api(client, w):
    for body in ("Wir brauchen mehr Spielplätze für Kinder im Stadtteil.",
                 "Im Stadtteil fehlen Spielplätze für Kinder.",
                 "Die Straßenbahn fährt nachts zu selten."):
        w.comment(body=body)
    r = client.get(f"/api/v1/rounds/{w.round_id}/similar-groups", headers=w.lead_headers)
    assert r.status_code == 200
    groups = r.json()
    assert len(groups) == 1 and len(groups[0]["members"]) == 2
    assert "spielplätze" in [t.lower() for t in groups[0]["terms"]]
    assert client.get(f"/api/v1/rounds/{w.round_id}/similar-groups", headers=w.auth(w.expert)).status_code == 403


# --- parallel double submits on the write paths ----------------------------------------------------

def _fire(base: str, calls: list[tuple[str, str, dict, dict | None]]) -> list[int]:
    def one(call):
        method, path, headers, payload = call
        with httpx.Client(base_url=base, timeout=60) as c:
            return c.request(method, path, headers=headers, json=payload).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(one, calls))


def test_parallel_double_submits_assign_note_draft_approve_publish_once(client, live_server, w):
    units = _units(client, w.lead_headers)
    cid = w.comment()["id"]
    lead = w.lead_headers
    base = f"/api/v1/casework/comment/{cid}"
    statuses = _fire(live_server, [("PUT", base, lead, {"unit_id": units["Jugendamt"]})] * 4
                     + [("PUT", f"{base}/draft", lead, {"status": "noted", "text": "Danke."})] * 4)
    assert all(s == 200 for s in statuses), statuses
    with db.new_session() as s:
        assert s.exec(select(func.count()).select_from(Casework).where(Casework.comment_id == cid)).one() == 1
        row = s.exec(select(Casework).where(Casework.comment_id == cid)).one()
        assert row.unit_id == units["Jugendamt"] and row.draft_state == "draft"
    notes = _fire(live_server, [("POST", f"{base}/notes", lead, {"body": "Rückfrage beim Amt"})] * 2)
    assert notes == [201, 201]
    approvals = _fire(live_server, [("POST", f"{base}/approve", lead, None)] * 4)
    assert all(s == 200 for s in approvals), approvals
    published = _fire(live_server, [("POST", f"{base}/publish", lead, None)] * 4)
    assert sorted(published) == [200, 409, 409, 409], published
    with db.new_session() as s:
        assert s.exec(select(func.count()).select_from(Response).where(Response.comment_id == cid)).one() == 1
        assert s.exec(select(func.count()).select_from(InternalNote)).one() == 2
    assert len(outbox(w.expert.email)) == 1
    # the first use of the units, many at once: the three offices once
    with db.new_session(writer=True) as s:
        s.exec(Casework.__table__.delete())
        from app.responses.models import Unit

        s.exec(Unit.__table__.delete())
        s.commit()
    listed = _fire(live_server, [("GET", "/api/v1/units", lead, None)] * 6)
    assert listed == [200] * 6
    assert list(_units(client, lead)) == ["Gesundheitsamt", "Jugendamt", "Sozialamt"]
