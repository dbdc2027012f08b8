"""The ideas API: submission rules, validation, filters and search, status changes."""

import pytest

from app.ideas import service
from tests.helpers import api_token, make_user
from tests.ideas.conftest import make_round, make_section

IDEA = {"title": "Ein Treffpunkt für alle", "body": "Ein Raum ohne Konsumzwang für die Nachbarschaft.",
        "category": "begegnung", "quarter_id": 105}


def submit(client, headers, **changes):
    return client.post("/api/v1/ideas", json={**IDEA, **changes}, headers=headers)


def test_resident_submits_idea_in_open_round(client, open_round):
    headers = api_token(client, make_user("resident", name="Nachbarin Ana"))
    r = submit(client, headers, lat=48.78, lon=9.17, body="Mehr **Bänke** am Platz, bitte.")
    assert r.status_code == 201, r.text
    idea = r.json()
    assert idea["quarter"]["id"] == 105 and idea["district"]["name"] == "Mitte"
    assert idea["status"] == "received" and idea["status_label"] == "eingegangen"
    assert idea["round_id"] == open_round and idea["author"] == "Nachbarin Ana"
    assert "<strong>Bänke</strong>" in idea["html"]
    got = client.get(f"/api/v1/ideas/{idea['id']}").json()
    assert got["title"] == IDEA["title"] and got["lat"] == 48.78


def test_no_open_round_answers_409_with_the_next_opening(client):
    make_round(open_now=False, title="Ideenrunde Herbst")
    headers = api_token(client, make_user("resident"))
    r = submit(client, headers)
    assert r.status_code == 409
    assert "Ideenrunde Herbst" in r.json()["detail"] and "beginnt am" in r.json()["detail"]
    assert client.get("/api/v1/ideas").json()["total"] == 0


def test_round_for_experts_only_does_not_take_ideas(client):
    make_round(audience="experts")
    r = submit(client, api_token(client, make_user("resident")))
    assert r.status_code == 409


@pytest.mark.parametrize("role,status", [("resident", 201), ("expert", 201), ("lead", 201),
                                         ("moderator", 403), ("admin", 403)])
def test_roles_that_may_submit(client, open_round, role, status):
    assert submit(client, api_token(client, make_user(role))).status_code == status


def test_anonymous_cannot_submit(client, open_round):
    assert client.post("/api/v1/ideas", json=IDEA).status_code == 401


@pytest.mark.parametrize("changes,field", [
    ({"quarter_id": 999}, "quarter_id"),
    ({"lat": 48.5, "lon": 9.1}, "lat"),
    ({"lat": 48.78, "lon": 9.9}, "lon"),
    ({"lat": 48.78}, "lon"),
    ({"title": "x" * 161}, "title"),
    ({"body": "y" * 10_001}, "body"),
    ({"category": "parkplaetze"}, "category"),
    ({"section_id": 4242}, "section_id"),
])
def test_bad_input_is_refused_and_nothing_stored(client, open_round, changes, field):
    r = submit(client, api_token(client, make_user("resident")), **changes)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    errors = {e["field"]: e["message"] for e in r.json()["errors"]}
    assert field in errors
    if field in ("lat", "lon") and "lat" in changes and changes.get("lon"):
        assert "Stuttgart" in errors[field]
    assert client.get("/api/v1/ideas").json()["total"] == 0


def test_related_section_is_accepted(client, open_round):
    section_id = make_section()
    r = submit(client, api_token(client, make_user("resident")), section_id=section_id)
    assert r.status_code == 201 and r.json()["section_id"] == section_id


def test_submissions_are_rate_limited(client, open_round, monkeypatch):
    monkeypatch.setattr(service, "IDEA_RATE_LIMIT", 2)
    headers = api_token(client, make_user("resident"))
    assert submit(client, headers).status_code == 201
    assert submit(client, headers).status_code == 201
    r = submit(client, headers)
    assert r.status_code == 429 and "Retry-After" in r.headers
    assert client.get("/api/v1/ideas").json()["total"] == 2


def _seed(client):
    headers = api_token(client, make_user("resident"))
    made = [
        submit(client, headers, title="Begegnungsstätte im Westen", category="begegnung", quarter_id=184,
               body="Eine Begegnungsstätte für Jung und Alt im Quartier."),
        submit(client, headers, title="Spielplätze sanieren", category="kinder_jugend_familie", quarter_id=184,
               body="Die Spielplätze brauchen neue Geräte und Schatten."),
        submit(client, headers, title="Bank am Marktplatz", category="mobilitaet_raum", quarter_id=105,
               body="Mehr Sitzgelegenheiten am Marktplatz für Ältere."),
        submit(client, headers, title="Sportkurse für Ältere", category="aelterwerden", quarter_id=601,
               body="Bewegung im Park zusammen mit dem Sportverein."),
    ]
    assert all(r.status_code == 201 for r in made), [r.text for r in made]
    return [r.json()["id"] for r in made]


def titles(client, query: str) -> list[str]:
    r = client.get("/api/v1/ideas" + query)
    assert r.status_code == 200, r.text
    return sorted(i["title"] for i in r.json()["items"])


def test_filters_by_place_category_status_and_round(client, open_round):
    ids = _seed(client)
    assert titles(client, "?district=west") == ["Begegnungsstätte im Westen", "Spielplätze sanieren"]
    assert titles(client, "?district=5") == titles(client, "?district=west")
    assert titles(client, "?quarter=105") == ["Bank am Marktplatz"]
    assert titles(client, "?category=aelterwerden") == ["Sportkurse für Ältere"]
    assert titles(client, f"?round={open_round}&district=mitte") == ["Bank am Marktplatz"]
    lead = api_token(client, make_user("lead"))
    client.put(f"/api/v1/ideas/{ids[0]}/status", json={"status": "reviewing", "reason": "Wir prüfen Räume im Westen."},
               headers=lead)
    assert titles(client, "?status=reviewing") == ["Begegnungsstätte im Westen"]
    assert client.get("/api/v1/ideas?district=atlantis").status_code == 422
    assert client.get("/api/v1/ideas?status=done").status_code == 422


@pytest.mark.parametrize("q,expected", [
    ("Begegnungsstätte", ["Begegnungsstätte im Westen"]),
    ("begegnungsstätte", ["Begegnungsstätte im Westen"]),
    ("Spielplätze", ["Spielplätze sanieren"]),
    ("Spielpl", ["Spielplätze sanieren"]),
    ("Marktplatz Ältere", ["Bank am Marktplatz"]),
    ("Sportverein", ["Sportkurse für Ältere"]),
    ('"; DROP TABLE idea; --', []),
    ("Schwimmbad", []),
])
def test_full_text_search_with_umlauts(client, open_round, q, expected):
    _seed(client)
    from urllib.parse import quote
    assert titles(client, f"?q={quote(q)}") == expected


def test_sorting_and_pagination(client, open_round):
    _seed(client)
    r = client.get("/api/v1/ideas?per_page=3&page=2").json()
    assert r["total"] == 4 and len(r["items"]) == 1 and r["page"] == 2
    newest = client.get("/api/v1/ideas?sort=new").json()["items"]
    assert newest[0]["title"] == "Sportkurse für Ältere"
    assert client.get("/api/v1/ideas?sort=best").status_code == 422


def test_hidden_ideas_never_appear(client, open_round, session):
    ids = _seed(client)
    from app.db import utcnow
    from app.ideas.models import Idea
    idea = session.get(Idea, ids[1])
    idea.hidden_at = utcnow()
    session.add(idea)
    session.commit()
    assert "Spielplätze sanieren" not in titles(client, "")
    assert titles(client, "?q=Spielplätze") == []
    assert client.get("/api/v1/ideas").json()["total"] == 3
    assert client.get(f"/api/v1/ideas/{ids[1]}").status_code == 404


def test_status_change_needs_reason_and_role(client, open_round):
    ids = _seed(client)
    url = f"/api/v1/ideas/{ids[2]}/status"
    resident = api_token(client, make_user("resident"))
    assert client.put(url, json={"status": "reviewing", "reason": "Ich finde das gut so."},
                      headers=resident).status_code == 403
    assert client.put(url, json={"status": "reviewing", "reason": "Ich finde das gut so."}).status_code == 401
    lead = api_token(client, make_user("lead"))
    r = client.put(url, json={"status": "declined", "reason": ""}, headers=lead)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
    r = client.put(url, json={"status": "adopted", "reason": "Passt gut zum Kapitel Begegnung."}, headers=lead)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "section_id"
    section_id = make_section()
    moderator = api_token(client, make_user("moderator"))
    r = client.put(url, json={"status": "reviewing", "reason": "Wird im Sozialamt geprüft."}, headers=moderator)
    assert r.status_code == 200
    r = client.put(url, json={"status": "adopted", "reason": "Aufgenommen als Beispiel für Begegnungsorte.",
                              "section_id": section_id}, headers=lead)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "adopted" and body["status_reason"].startswith("Aufgenommen")
    assert [h["status"] for h in body["history"]] == ["adopted", "reviewing"]
    assert body["history"][0]["section_id"] == section_id
    audit = client.get("/api/v1/audit?action=idea.status", headers=lead).json()
    assert audit["total"] == 2


def test_my_data_export_and_erasure(client, open_round):
    from tests.helpers import PASSWORD, login, post_form
    user = make_user("resident")
    headers = api_token(client, user)
    idea_id = submit(client, headers).json()["id"]
    exported = client.get("/api/v1/me/export", headers=headers).json()
    assert [i["title"] for i in exported["ideas"]] == [IDEA["title"]]
    login(client, user)
    r = post_form(client, "/konto/loeschen", {"password": PASSWORD, "confirm": "ja", "erase": "1"})
    assert r.status_code == 303, r.text
    got = client.get(f"/api/v1/ideas/{idea_id}").json()
    assert got["title"] == service.ERASED_TEXT and got["body"] == service.ERASED_TEXT
    assert got["author"] == "gelöschtes Konto"


def test_map_counts_equal_list_totals(client, open_round):
    _seed(client)
    for query in ("", "?category=begegnung", "?q=Spielplätze"):
        counts = client.get("/api/v1/ideas/map" + query).json()
        assert counts["level"] == "district" and len(counts["places"]) == 23
        assert counts["total"] == client.get("/api/v1/ideas" + query).json()["total"]
        sep = "&" if query else "?"
        for place in counts["places"]:
            listed = client.get(f"/api/v1/ideas{query}{sep}district={place['slug']}").json()["total"]
            assert listed == place["count"], place
    west = client.get("/api/v1/ideas/map?district=west").json()
    assert west["level"] == "quarter" and west["district"]["name"] == "West"
    assert {p["slug"]: p["count"] for p in west["places"]}["feuersee"] == 2
    assert client.get("/api/v1/ideas/map?district=atlantis").status_code == 422


def test_blocked_resident_cannot_submit(client, open_round, session):
    from datetime import timedelta

    from app.accounts.models import User
    from app.db import utcnow
    user = make_user("resident")
    headers = api_token(client, user)
    row = session.get(User, user.id)
    row.blocked_until = utcnow() + timedelta(days=1)
    session.add(row)
    session.commit()
    r = submit(client, headers)
    assert r.status_code == 403 and "gesperrt" in r.json()["detail"]
