"""One status for an idea, and the author's edit and withdrawal of an idea: API and pages, double submits."""

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlmodel import select

from app import db
from app.ideas.models import Idea, IdeaEdit, IdeaStatusChange
from app.responses.models import Response
from tests.helpers import PASSWORD, api_token, login, make_user, post_form
from tests.ideas.conftest import make_section

IDEA = {"title": "Ein Treffpunkt für alle", "body": "Ein Raum ohne Konsumzwang für die Nachbarschaft.",
        "category": "begegnung", "quarter_id": 105}
EDIT = {"title": "Ein Treffpunkt für alle Generationen", "body": "Ein Raum ohne Konsumzwang, auch abends offen.",
        "category": "aelterwerden"}


@pytest.fixture
def people(client, open_round):
    author, other = make_user("resident", name="Nachbarin Ana"), make_user("resident", name="Nachbar Nils")
    lead, moderator = make_user("lead", name="Lena Leitung"), make_user("moderator")
    headers = {name: api_token(client, u) for name, u in
               (("author", author), ("other", other), ("lead", lead), ("moderator", moderator))}
    r = client.post("/api/v1/ideas", json=IDEA, headers=headers["author"])
    assert r.status_code == 201, r.text
    return {"author_user": author, "lead_user": lead, "idea": r.json()["id"], **headers}


def _idea(idea_id: int) -> Idea:
    with db.new_session() as s:
        return s.get(Idea, idea_id)


def _current_response(idea_id: int) -> Response | None:
    with db.new_session() as s:
        return s.exec(select(Response).where(Response.idea_id == idea_id, Response.is_current.is_(True))).first()


# --- one status ------------------------------------------------------------------------------------

@pytest.mark.parametrize("response_status,idea_status,label", [
    ("accepted", "adopted", "berücksichtigt"), ("partly", "partly", "teilweise berücksichtigt"),
    ("rejected", "declined", "nicht berücksichtigt"), ("noted", "noted", "zur Kenntnis genommen")])
def test_the_response_sets_the_ideas_status(client, people, response_status, idea_status, label):
    idea = people["idea"]
    r = client.put(f"/api/v1/ideas/{idea}/response", headers=people["lead"],
                   json={"status": response_status, "text": "Wir haben das im Team besprochen."})
    assert r.status_code == 200, r.text
    got = client.get(f"/api/v1/ideas/{idea}").json()
    assert (got["status"], got["status_label"]) == (idea_status, label)
    assert got["status_reason"] == "Wir haben das im Team besprochen."
    assert [h["status"] for h in got["history"]] == [idea_status]
    page = client.get(f"/ideen/{idea}").text
    assert f"Stand: {label}" in page and "eingegangen" not in page.split("Stand:")[1].split("</h2>")[0]


def test_a_final_status_on_the_idea_is_its_response(client, people):
    idea, section = people["idea"], make_section()
    r = client.put(f"/api/v1/ideas/{idea}/status", headers=people["lead"],
                   json={"status": "adopted", "reason": "Aufgenommen in den Abschnitt Begegnung.",
                         "section_id": section})
    assert r.status_code == 200, r.text
    response = client.get(f"/api/v1/ideas/{idea}/response").json()
    assert response["status"] == "accepted" and response["text"] == "Aufgenommen in den Abschnitt Begegnung."
    # a later response changes both again
    client.put(f"/api/v1/ideas/{idea}/response", headers=people["lead"],
               json={"status": "partly", "text": "Nur ein Teil ist umsetzbar."})
    assert client.get(f"/api/v1/ideas/{idea}").json()["status"] == "partly"
    assert _current_response(idea).status == "partly"


def test_open_statuses_cannot_overwrite_a_response_and_moderators_give_no_decision(client, people):
    idea = people["idea"]
    mod = people["moderator"]
    body = {"status": "declined", "reason": "Moderation entscheidet das nicht."}
    assert client.put(f"/api/v1/ideas/{idea}/status", headers=mod, json=body).status_code == 403
    assert _current_response(idea) is None and _idea(idea).status == "received"
    r = client.put(f"/api/v1/ideas/{idea}/status", headers=mod, json={"status": "reviewing",
                                                                       "reason": "Wir schauen uns das an."})
    assert r.status_code == 200 and r.json()["status"] == "reviewing"
    client.put(f"/api/v1/ideas/{idea}/response", headers=people["lead"], json={"status": "noted", "text": "Danke!"})
    r = client.put(f"/api/v1/ideas/{idea}/status", headers=people["lead"],
                   json={"status": "received", "reason": "Zurück auf Anfang, bitte."})
    assert r.status_code == 409
    assert (_idea(idea).status, _current_response(idea).status) == ("noted", "noted")


# --- edit ------------------------------------------------------------------------------------------

def test_author_edits_while_unanswered_and_the_earlier_text_is_kept(client, people):
    idea = people["idea"]
    r = client.patch(f"/api/v1/ideas/{idea}", headers=people["author"], json=EDIT)
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["title"] == EDIT["title"] and got["category"] == "aelterwerden" and got["edited"] is True
    with db.new_session() as s:
        kept = s.exec(select(IdeaEdit).where(IdeaEdit.idea_id == idea)).all()
    assert [(e.title, e.body, e.category) for e in kept] == [(IDEA["title"], IDEA["body"], "begegnung")]
    assert "bearbeitet" in client.get(f"/ideen/{idea}").text
    # the search finds the new words
    assert client.get("/api/v1/ideas", params={"q": "Generationen"}).json()["total"] == 1


@pytest.mark.parametrize("who,status", [("other", 403), ("lead", 403), (None, 401)])
def test_only_the_author_edits(client, people, who, status):
    headers = people[who] if who else {}
    assert client.patch(f"/api/v1/ideas/{people['idea']}", headers=headers, json=EDIT).status_code == status
    assert _idea(people["idea"]).title == IDEA["title"]


@pytest.mark.parametrize("step", ["reviewing", "response"])
def test_no_edit_once_someone_responded(client, people, step):
    idea = people["idea"]
    if step == "reviewing":
        client.put(f"/api/v1/ideas/{idea}/status", headers=people["lead"],
                   json={"status": "reviewing", "reason": "Wir prüfen das gerade."})
    else:
        client.put(f"/api/v1/ideas/{idea}/response", headers=people["lead"], json={"status": "noted", "text": "Ok."})
    r = client.patch(f"/api/v1/ideas/{idea}", headers=people["author"], json=EDIT)
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")
    assert _idea(idea).title == IDEA["title"]


@pytest.mark.parametrize("body,field", [({**EDIT, "title": "x"}, "title"), ({**EDIT, "body": "kurz"}, "body"),
                                        ({**EDIT, "category": "nix"}, "category"),
                                        ({**EDIT, "title": "a\u202eb titel"}, "title"),
                                        ({**EDIT, "body": "null\x00byte im Text"}, "body")])
def test_bad_edits_are_refused_and_store_nothing(client, people, body, field):
    r = client.patch(f"/api/v1/ideas/{people['idea']}", headers=people["author"], json=body)
    assert r.status_code == 422
    assert _idea(people["idea"]).edited_at is None


# --- withdraw --------------------------------------------------------------------------------------

def test_author_withdraws_and_a_placeholder_stays(client, people):
    idea = people["idea"]
    assert client.delete(f"/api/v1/ideas/{idea}", headers=people["other"]).status_code == 403
    r = client.delete(f"/api/v1/ideas/{idea}", headers=people["author"])
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["withdrawn"] is True and got["title"] == "Zurückgezogene Idee" and IDEA["body"] not in got["body"]
    assert client.delete(f"/api/v1/ideas/{idea}", headers=people["author"]).status_code == 409
    assert client.get("/api/v1/ideas").json()["total"] == 0
    page = client.get(f"/ideen/{idea}").text
    assert "Zurückgezogene Idee" in page and IDEA["title"] not in page
    # nobody answers, comments on or edits a withdrawn idea
    assert client.put(f"/api/v1/ideas/{idea}/response", headers=people["lead"],
                      json={"status": "noted", "text": "Ok."}).status_code == 409
    assert client.post(f"/api/v1/ideas/{idea}/comments", headers=people["other"],
                       json={"body": "Schade!"}).status_code == 409
    assert client.patch(f"/api/v1/ideas/{idea}", headers=people["author"], json=EDIT).status_code == 409


def test_pages_edit_and_withdraw(client, people):
    idea = people["idea"]
    login(client, people["author_user"])
    page = client.get(f"/ideen/{idea}").text
    assert "Idee bearbeiten" in page and "Idee zurückziehen" in page
    assert client.get(f"/ideen/{idea}/bearbeiten").status_code == 200
    r = post_form(client, f"/ideen/{idea}/bearbeiten", {**EDIT, "title": ""})
    assert r.status_code == 422 and "Titel" in r.text
    r = post_form(client, f"/ideen/{idea}/bearbeiten", EDIT, follow_redirects=False)
    assert r.status_code == 303
    assert _idea(idea).title == EDIT["title"]
    r = post_form(client, f"/ideen/{idea}/zurueckziehen", {}, follow_redirects=False)
    assert r.status_code == 303 and _idea(idea).withdrawn_at is not None
    assert "Idee bearbeiten" not in client.get(f"/ideen/{idea}").text


# --- double submits over real HTTP -----------------------------------------------------------------

def _token(base: str, user) -> dict:
    with httpx.Client(base_url=base, timeout=60) as c:
        return {"Authorization": "Bearer " + c.post("/api/v1/tokens", json={"email": user.email,
                                                                             "password": PASSWORD}).json()["token"]}


def test_parallel_edits_and_withdrawals(live_server, client, people):
    idea = people["idea"]
    author = _token(live_server, people["author_user"])
    texts = [{**EDIT, "body": f"Überarbeitete Beschreibung Nummer {i}"} for i in range(6)]

    def edit(body: dict) -> int:
        with httpx.Client(base_url=live_server, timeout=60) as c:
            return c.patch(f"/api/v1/ideas/{idea}", json=body, headers=author).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert list(pool.map(edit, texts)) == [200] * 6
    with db.new_session() as s:
        kept = [e.body for e in s.exec(select(IdeaEdit).where(IdeaEdit.idea_id == idea)).all()]
    assert sorted(kept + [_idea(idea).body]) == sorted([IDEA["body"], *(t["body"] for t in texts)])

    def withdraw(_n) -> int:
        with httpx.Client(base_url=live_server, timeout=60) as c:
            return c.delete(f"/api/v1/ideas/{idea}", headers=author).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert sorted(pool.map(withdraw, range(4))) == [200, 409, 409, 409]


def test_an_edit_racing_a_response_never_changes_an_answered_idea(live_server, client, people):
    idea = people["idea"]
    author, lead = _token(live_server, people["author_user"]), _token(live_server, people["lead_user"])

    def go(n: int) -> int:
        with httpx.Client(base_url=live_server, timeout=60) as c:
            if n % 2:
                return c.put(f"/api/v1/ideas/{idea}/response", headers=lead,
                             json={"status": "rejected", "text": f"Nicht umsetzbar ({n})."}).status_code
            return c.patch(f"/api/v1/ideas/{idea}", headers=author,
                           json={**EDIT, "body": f"Neue Beschreibung, Fassung {n}"}).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = list(pool.map(go, range(6)))
    assert all(c in (200, 409) for c in codes), codes
    with db.new_session() as s:
        row = s.get(Idea, idea)
        response = s.exec(select(Response).where(Response.idea_id == idea, Response.is_current.is_(True))).one()
        changes = s.exec(select(IdeaStatusChange).where(IdeaStatusChange.idea_id == idea)).all()
        edits = s.exec(select(IdeaEdit).where(IdeaEdit.idea_id == idea)).all()
    assert row.status == "declined" and row.status_reason == response.text and changes
    # every acknowledged edit kept the text it replaced; the refused ones changed nothing
    assert len(edits) == sum(1 for n, c in enumerate(codes) if n % 2 == 0 and c == 200)
