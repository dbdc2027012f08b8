"""The workbench pages of the three offices (issue 16): one contribution's casework, the similar groups, the units
page, and the unit and assignee filters, as leads, other roles and the public see them."""

import re

import pytest

from tests.helpers import login, make_user, outbox, post_form
from tests.responses.factory import World

SECRET = "Interne Rückfrage Zebrafink 2323"


@pytest.fixture
def w(client):
    return World(client)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _units(client, w) -> dict[str, int]:
    return {u["name"]: u["id"] for u in client.get("/api/v1/units", headers=w.lead_headers).json()}


def test_only_leads_see_the_casework_page(client, w):
    cid = w.comment()["id"]
    path = f"/runden/{w.round_id}/abwaegung/kommentar/{cid}"
    assert client.get(path, follow_redirects=False).status_code in (303, 401)
    for who in (w.expert, w.moderator, make_user("admin")):
        client.cookies.clear()
        login(client, who)
        assert client.get(path).status_code == 403
        assert post_form(client, path, {"action": "note", "body": "x"}).status_code == 403
    client.cookies.clear()
    login(client, w.lead)
    page = client.get(path)
    assert page.status_code == 200
    assert all(name in page.text for name in ("Gesundheitsamt", "Jugendamt", "Sozialamt"))
    idea = w.idea(title="Bänke am Marktplatz")
    idea_page = client.get(f"/runden/{w.round_id}/abwaegung/idee/{idea['id']}")
    assert idea_page.status_code == 200 and "Bänke am Marktplatz" in idea_page.text
    assert client.get(f"/runden/{w.round_id}/abwaegung/kommentar/999999").status_code == 404
    assert client.get(f"/runden/{w.round_id}/abwaegung/vote/{cid}").status_code == 404
    other = w.docs.section(w.docs.chapter(title="Anderes")["id"], title="Ohne Runde")["id"]
    assert other and client.get(f"/runden/{w.round_id + 1000}/abwaegung/kommentar/{cid}").status_code == 404


def test_a_lead_assigns_notes_drafts_approves_and_publishes_by_form(client, w):
    cid = w.comment(body="Mehr Bänke im Park, bitte.")["id"]
    units = _units(client, w)
    login(client, w.lead)
    path = f"/runden/{w.round_id}/abwaegung/kommentar/{cid}"
    r = post_form(client, path, {"action": "assign", "unit_id": str(units["Jugendamt"]), "assignee_id": str(w.lead.id)})
    assert r.status_code == 303 and r.headers["location"].endswith("#zustaendigkeit")
    r = post_form(client, path, {"action": "assign", "unit_id": "x"})
    assert r.status_code == 422 and "Bitte wählen Sie aus der Liste." in r.text
    r = post_form(client, path, {"action": "note", "body": "   "})
    assert r.status_code == 422 and 'aria-invalid="true"' in r.text
    assert post_form(client, path, {"action": "note", "body": SECRET}).status_code == 303
    assert post_form(client, path, {"action": "approve"}).status_code == 409
    r = post_form(client, path, {"action": "draft", "status": "accepted", "text": ""})
    assert r.status_code == 422
    assert post_form(client, path, {"action": "draft", "status": "accepted", "text": "Wir stellen Bänke auf."}
                     ).status_code == 303
    page = client.get(path)
    assert SECRET in page.text and "Wir stellen Bänke auf." in page.text and "Entwurf freigeben" in page.text
    assert post_form(client, path, {"action": "publish"}).status_code == 409
    assert post_form(client, path, {"action": "approve"}).status_code == 303
    assert "Freigegebene Antwort veröffentlichen" in client.get(path).text
    # nothing public yet, nobody told
    public = client.get(f"/abschnitte/{w.section_id}", headers={"Cookie": ""})
    assert "Wir stellen Bänke auf." not in public.text
    assert outbox(w.expert.email) == []
    assert post_form(client, path, {"action": "publish"}).status_code == 303
    assert len(outbox(w.expert.email)) == 1
    assert client.get(f"/api/v1/comments/{cid}/response").json()["text"] == "Wir stellen Bänke auf."
    bench = client.get(f"/runden/{w.round_id}/abwaegung")
    text = _text(bench.text)
    assert "Jugendamt: 1 von 1 beantwortet" in text and "1 interne Notiz" in text
    assert post_form(client, path, {"action": "unknown"}).status_code == 422
    # notes are shown to leads only: the public pages and the author's pages never
    client.cookies.clear()
    login(client, w.expert)
    for page_path in (f"/abschnitte/{w.section_id}", f"/beitraege/{cid}/stellungnahme",
                      f"/runden/{w.round_id}/abwaegungstabelle", "/konto", "/konto/daten.json"):
        assert "Zebrafink" not in client.get(page_path).text, page_path


def test_workbench_filters_by_unit_and_assignee(client, w):
    a = w.comment(body="Alpha Hinweis Grünanlage")["id"]
    b = w.comment(body="Beta Hinweis Radweg")["id"]
    w.idea(title="Gamma Idee Bank")
    units = _units(client, w)
    other_lead = make_user("lead", name="Lena Leitung")
    client.put(f"/api/v1/casework/comment/{a}", headers=w.lead_headers,
               json={"unit_id": units["Sozialamt"], "assignee_id": other_lead.id})
    client.put(f"/api/v1/casework/comment/{b}", headers=w.lead_headers, json={"unit_id": units["Jugendamt"]})
    login(client, w.lead)
    base = f"/runden/{w.round_id}/abwaegung"
    social = _text(client.get(f"{base}?unit={units['Sozialamt']}").text)
    assert "Alpha Hinweis" in social and "Beta Hinweis" not in social and "Gamma Idee" not in social
    nobody = _text(client.get(f"{base}?unit=none").text)
    assert "Gamma Idee" in nobody and "Alpha Hinweis" not in nobody and "Beta Hinweis" not in nobody
    lena = _text(client.get(f"{base}?assignee={other_lead.id}").text)
    assert "Alpha Hinweis" in lena and "Beta Hinweis" not in lena
    unassigned = _text(client.get(f"{base}?assignee=none").text)
    assert "Beta Hinweis" in unassigned and "Gamma Idee" in unassigned and "Alpha Hinweis" not in unassigned
    assert client.get(f"{base}?unit=x&assignee=%00").status_code == 200
    assert "Sozialamt: 0 von 1 beantwortet" in _text(client.get(base).text)


def test_a_lead_answers_a_group_of_similar_contributions_at_once(client, w):
    same = [w.comment(body=text)["id"] for text in (
        "Wir brauchen mehr Spielplätze für Kinder im Stadtteil.",
        "Im Stadtteil fehlen Spielplätze für die Kinder.",
        "Mehr Spielplätze für Kinder im Stadtteil, bitte!")]
    lonely = w.comment(body="Die Straßenbahn fährt nachts zu selten.")["id"]
    login(client, w.lead)
    path = f"/runden/{w.round_id}/abwaegung/gruppen"
    page = client.get(path)
    assert page.status_code == 200
    assert "Gruppe 1" in page.text and "spielplätze" in page.text.lower()
    assert all(f'value="comment:{cid}"' in page.text for cid in same)
    assert f'value="comment:{lonely}"' not in page.text
    items = [f"comment:{cid}" for cid in same]
    r = post_form(client, path, {"items": items, "group": "1", "action": "draft", "status": "partly", "text": ""})
    assert r.status_code == 422
    r = post_form(client, path, {"items": items, "group": "1", "action": "draft", "status": "partly",
                                 "text": "Wir prüfen Flächen für Spielplätze."})
    assert r.status_code == 303 and r.headers["location"].endswith("#gruppe-1")
    assert post_form(client, path, {"items": items, "group": "1", "action": "publish"}).status_code == 409
    assert client.get(f"/api/v1/comments/{same[0]}/response").status_code == 404
    assert post_form(client, path, {"items": items, "group": "1", "action": "approve"}).status_code == 303
    assert post_form(client, path, {"items": items, "group": "1", "action": "publish"}).status_code == 303
    for cid in same:
        assert client.get(f"/api/v1/comments/{cid}/response").json()["text"] == "Wir prüfen Flächen für Spielplätze."
    assert len(outbox(w.expert.email)) == 3
    assert client.get(f"/api/v1/comments/{lonely}/response").status_code == 404
    # another round's or an unknown contribution is refused, nothing written
    r = post_form(client, path, {"items": ["comment:999999"], "group": "1", "action": "approve"})
    assert r.status_code == 422
    r = post_form(client, path, {"items": ["vote:1"], "group": "1", "action": "approve"})
    assert r.status_code == 422
    units = _units(client, w)
    r = post_form(client, path, {"items": items, "group": "1", "action": "assign",
                                 "unit_id": str(units["Gesundheitsamt"])})
    assert r.status_code == 303
    assert "Gesundheitsamt: 3 von 3 beantwortet" in _text(client.get(f"/runden/{w.round_id}/abwaegung").text)
    assert client.get(f"{path}?offen=1").status_code == 200
    client.cookies.clear()
    login(client, w.expert)
    assert client.get(path).status_code == 403


def test_administrators_manage_the_units_page(client, w):
    admin = make_user("admin")
    login(client, w.lead)
    assert client.get("/verwaltung/zustaendigkeiten").status_code == 403
    client.cookies.clear()
    login(client, admin)
    page = client.get("/verwaltung/zustaendigkeiten")
    assert page.status_code == 200 and "Jugendamt" in page.text
    assert post_form(client, "/verwaltung/zustaendigkeiten", {"action": "add", "name": "Amt für Sport"}
                     ).status_code == 303
    r = post_form(client, "/verwaltung/zustaendigkeiten", {"action": "add", "name": "Amt für Sport"})
    assert r.status_code == 409 and "gibt es schon" in r.text
    assert post_form(client, "/verwaltung/zustaendigkeiten", {"action": "add", "name": ""}).status_code == 422
    units = {u["name"]: u["id"] for u in client.get("/api/v1/units?include_inactive=true",
                                                    headers=w.auth(admin)).json()}
    uid = str(units["Amt für Sport"])
    assert post_form(client, "/verwaltung/zustaendigkeiten", {"action": "rename", "unit_id": uid,
                                                              "name": "Sportamt"}).status_code == 303
    assert post_form(client, "/verwaltung/zustaendigkeiten", {"action": "deactivate", "unit_id": uid}
                     ).status_code == 303
    assert "Sportamt" not in _units(client, w)
    assert post_form(client, "/verwaltung/zustaendigkeiten", {"action": "deactivate", "unit_id": "999999"}
                     ).status_code == 404
