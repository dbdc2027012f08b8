"""The workbench and the response pages as a lead and as the public see them."""

import re

import pytest

from tests.helpers import login, make_user, post_form
from tests.responses.factory import World


@pytest.fixture
def world(client):
    return World(client)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_workbench_lists_unanswered_first_with_progress(client, world):
    a = world.comment(body="Erster Hinweis zur Begegnung")
    b = world.comment(user=world.resident, body="Zweiter Hinweis zum Wohnen")
    world.idea(title="Bänke am Marktplatz")
    world.respond("comment", a["id"], status="noted", text="Danke.")
    login(client, world.lead)
    page = client.get(f"/runden/{world.round_id}/abwaegung")
    assert page.status_code == 200
    text = _text(page.text)
    assert "1 von 3 Beiträgen beantwortet" in text
    assert '<progress id="progress" max="3" value="1">' in page.text
    assert text.index("Zweiter Hinweis") < text.index("Bänke am Marktplatz") < text.index("Erster Hinweis")
    assert f'value="comment:{b["id"]}"' in page.text
    only_ideas = _text(client.get(f"/runden/{world.round_id}/abwaegung?kind=idea").text)
    assert "Bänke am Marktplatz" in only_ideas and "Zweiter Hinweis" not in only_ideas
    by_org = _text(client.get(f"/runden/{world.round_id}/abwaegung?organisation=Caritas+Stuttgart").text)
    assert "Erster Hinweis" in by_org and "Zweiter Hinweis" not in by_org
    open_only = _text(client.get(f"/runden/{world.round_id}/abwaegung?state=open").text)
    assert "Erster Hinweis" not in open_only and "2 Beiträge" in open_only


@pytest.mark.parametrize("role", ["expert", "resident", "moderator", "admin"])
def test_workbench_is_for_leads_only(client, world, role):
    login(client, make_user(role))
    assert client.get(f"/runden/{world.round_id}/abwaegung").status_code == 403


def test_bulk_answer_answers_the_selection(client, world):
    a, b, c = (world.comment(body=f"Beitrag {n}") for n in "ABC")
    login(client, world.lead)
    r = post_form(client, f"/runden/{world.round_id}/abwaegung", {
        "items": [f"comment:{a['id']}", f"comment:{b['id']}"], "status": "partly",
        "text": "Wir nehmen den Gedanken teilweise auf.", "version_id": "", "back": "?state=open"})
    assert r.status_code == 303, r.text
    assert r.headers["location"].startswith(f"/runden/{world.round_id}/abwaegung?state=open")
    text = _text(client.get(f"/runden/{world.round_id}/abwaegung").text)
    assert "2 von 3 Beiträgen beantwortet" in text and "2 Stellungnahmen freigegeben und veröffentlicht." in text
    assert client.get(f"/api/v1/comments/{b['id']}/response").json()["status"] == "partly"
    assert client.get(f"/api/v1/comments/{c['id']}/response").status_code == 404


def test_bulk_answer_errors_keep_the_input_and_store_nothing(client, world):
    a = world.comment(body="Beitrag A")
    login(client, world.lead)
    r = post_form(client, f"/runden/{world.round_id}/abwaegung", {
        "items": [f"comment:{a['id']}"], "status": "", "text": "Mein Entwurf einer Antwort"})
    assert r.status_code == 422
    assert "Mein Entwurf einer Antwort" in r.text and 'checked' in r.text
    assert 'aria-invalid' in r.text or 'class="error"' in r.text
    none = post_form(client, f"/runden/{world.round_id}/abwaegung", {"status": "noted", "text": "Text"})
    assert none.status_code == 422 and "mindestens einen Beitrag" in none.text
    assert client.get(f"/api/v1/comments/{a['id']}/response").status_code == 404


def test_contribution_page_shows_response_and_history(client, world):
    c = world.comment(body="Bitte Spielplätze")
    world.respond("comment", c["id"], status="noted", text="Wird geprüft.")
    world.respond("comment", c["id"], status="accepted", text="Aufgenommen.")
    public = _text(client.get(f"/beitraege/{c['id']}/stellungnahme").text)
    assert "berücksichtigt" in public and "Aufgenommen." in public
    assert "Frühere Fassungen der Stellungnahme" in public and "Wird geprüft." in public
    assert "Stellungnahme freigeben und veröffentlichen" not in public
    login(client, world.lead)
    form = client.get(f"/beitraege/{c['id']}/stellungnahme").text
    assert "Stellungnahme freigeben und veröffentlichen" in form and 'value="accepted" checked' in form
    r = post_form(client, f"/beitraege/{c['id']}/stellungnahme", {"status": "rejected", "text": "Doch nicht."})
    assert r.status_code == 303
    assert client.get(f"/api/v1/comments/{c['id']}/response").json()["revision"] == 3
    bad = post_form(client, f"/beitraege/{c['id']}/stellungnahme", {"status": "rejected", "text": "x",
                                                                     "version_id": "abc"})
    assert bad.status_code == 422


def test_expert_cannot_post_a_response_form(client, world):
    c = world.comment()
    login(client, world.expert)
    r = post_form(client, f"/beitraege/{c['id']}/stellungnahme", {"status": "accepted", "text": "Ich selbst"})
    assert r.status_code == 403
    assert client.get(f"/api/v1/comments/{c['id']}/response").status_code == 404


def test_printable_table_and_downloads(client, world):
    c = world.comment(body="Für die Tabelle")
    world.respond("comment", c["id"], status="accepted", text="Ja")
    page = client.get(f"/runden/{world.round_id}/abwaegungstabelle")
    assert page.status_code == 200 and "Für die Tabelle" in page.text
    assert '<th scope="col">Stellungnahme</th>' in page.text
    assert client.get(f"/runden/{world.round_id}/abwaegungstabelle.csv").content.startswith(b"\xef\xbb\xbf")
    assert client.get(f"/runden/{world.round_id}/abwaegungstabelle.xlsx").content[:2] == b"PK"


def test_paragraph_filter_offers_the_paragraphs_of_the_chosen_section(client, world):
    anchors = world.paragraphs()
    world.comment(body="Zum ersten Absatz", paragraph=anchors[0])
    world.comment(body="Zum zweiten Absatz", paragraph=anchors[1])
    login(client, world.lead)
    page = client.get(f"/runden/{world.round_id}/abwaegung?section={world.section_id}")
    assert f'<option value="{anchors[1]}" >Absatz 2:' in page.text.replace("  ", " ")
    text = _text(client.get(f"/runden/{world.round_id}/abwaegung?section={world.section_id}"
                            f"&paragraph={anchors[1]}").text)
    assert "Zum zweiten Absatz" in text and "Zum ersten Absatz" not in text
