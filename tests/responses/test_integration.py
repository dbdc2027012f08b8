"""Responses and moderation on the other domains' pages: section, idea, round and publish pages."""

import re

import pytest

from tests.helpers import login, post_form
from tests.responses.factory import World


@pytest.fixture
def world(client):
    return World(client)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_section_page_shows_responses_and_what_became_of_the_comments(client, world):
    taken = world.comment(body="Bitte das Wohnen ergänzen")
    other = world.comment(user=world.resident, body="Mehr Bänke bitte")
    world.respond("comment", other["id"], status="rejected", text="Bänke sind Sache des Tiefbauamts.")
    world.docs.save(world.section_id, "Erster Absatz über Begegnung.\n\nZweiter Absatz über Wohnen, ergänzt.")
    world.docs.publish(world.section_id, "Wohnen ergänzt.", addresses=[taken["id"]])
    text = _text(client.get(f"/abschnitte/{world.section_id}").text)
    assert "Was aus den Beiträgen wurde" in text
    block = text.split("Was aus den Beiträgen wurde")[1]
    assert "Bitte das Wohnen ergänzen" in block and "Aufgenommen in Fassung 2" in block
    assert "Mehr Bänke bitte" not in block.split("Diskussion")[0]
    assert "Bänke sind Sache des Tiefbauamts." in text and "nicht berücksichtigt" in text


def test_hidden_comment_shows_its_reason_to_the_author_only(client, world):
    c = world.comment(user=world.resident, body="Mein harscher Beitrag")
    client.post(f"/api/v1/moderation/comment/{c['id']}/hide", json={"reason": "Ton verletzt die Regeln"},
                headers=world.auth(world.moderator))
    public = client.get(f"/abschnitte/{world.section_id}").text
    assert "Mein harscher Beitrag" not in public and "Ton verletzt die Regeln" not in public
    login(client, world.resident)
    own = _text(client.get(f"/abschnitte/{world.section_id}").text)
    assert "Die Moderation hat Ihren Beitrag ausgeblendet." in own and "Ton verletzt die Regeln" in own
    assert "Mein harscher Beitrag" in own
    client.cookies.clear()
    login(client, world.expert)
    other = client.get(f"/abschnitte/{world.section_id}").text
    assert "Mein harscher Beitrag" not in other and "Ton verletzt die Regeln" not in other


def test_flag_link_beside_comments_for_logged_in_people(client, world):
    c = world.comment()
    assert f"/melden/beitrag/{c['id']}" not in client.get(f"/abschnitte/{world.section_id}").text
    login(client, world.resident)
    assert f"/melden/beitrag/{c['id']}" in client.get(f"/abschnitte/{world.section_id}").text


def test_idea_page_shows_the_response_and_a_flag_link(client, world):
    idea = world.idea()
    world.respond("idea", idea["id"], status="partly", text="Ein Raum im Stadtteilhaus ist möglich.")
    page = _text(client.get(f"/ideen/{idea['id']}").text)
    assert "Stellungnahme der Projektleitung" in page and "Ein Raum im Stadtteilhaus ist möglich." in page
    login(client, world.expert)
    assert f"/melden/idee/{idea['id']}" in client.get(f"/ideen/{idea['id']}").text


def test_round_page_links_to_table_report_and_workbench(client, world):
    page = client.get(f"/runden/{world.round_id}").text
    assert f"/runden/{world.round_id}/abwaegungstabelle" in page and f"/berichte?round={world.round_id}" in page
    assert f"/runden/{world.round_id}/abwaegung\"" not in page
    login(client, world.lead)
    assert f"/runden/{world.round_id}/abwaegung\"" in client.get(f"/runden/{world.round_id}").text


def test_publish_page_lists_the_open_comments(client, world):
    c = world.comment(body="Offener Hinweis zum Absatz")
    answered = world.comment(body="Schon beantwortet")
    world.respond("comment", answered["id"])
    world.docs.save(world.section_id, "Erster Absatz über Begegnung.\n\nNeu.")
    login(client, world.lead)
    page = _text(client.get(f"/abschnitte/{world.section_id}/veroeffentlichen").text)
    assert f"#{c['id']}" in page and "Offener Hinweis zum Absatz" in page and "Schon beantwortet" not in page
    r = post_form(client, f"/abschnitte/{world.section_id}/veroeffentlichen",
                  {"change_summary": "Neu gefasst.", "addresses": str(c["id"])})
    assert r.status_code == 303
    assert client.get(f"/api/v1/comments/{c['id']}/response").json()["status"] == "accepted"


def test_publish_page_ticks_the_comments_a_version_takes_up(client, world):
    taken, other = world.comment(body="Bitte Spielplätze nennen"), world.comment(body="Mehr Bänke")
    world.docs.save(world.section_id, "Erster Absatz über Begegnung und Spielplätze.\n\nZweiter Absatz.")
    login(client, world.lead)
    page = client.get(f"/abschnitte/{world.section_id}/veroeffentlichen").text
    assert f'name="addressed" value="{taken["id"]}"' in page and f'name="addressed" value="{other["id"]}"' in page
    refused = post_form(client, f"/abschnitte/{world.section_id}/veroeffentlichen",
                        {"change_summary": "", "addressed": [str(taken["id"])]})
    assert refused.status_code == 422
    assert re.search(rf'name="addressed" value="{taken["id"]}"[^>]*checked', refused.text)  # the tick is kept
    assert not re.search(rf'name="addressed" value="{other["id"]}"[^>]*checked', refused.text)
    r = post_form(client, f"/abschnitte/{world.section_id}/veroeffentlichen",
                  {"change_summary": "Spielplätze ergänzt.", "addressed": [str(taken["id"])]})
    assert r.status_code == 303
    assert client.get(f"/api/v1/comments/{taken['id']}/response").json()["status"] == "accepted"
    assert client.get(f"/api/v1/comments/{other['id']}/response").status_code == 404


def test_navigation_links_to_reports_moderation_and_audit(client, world):
    assert 'href="/berichte"' in client.get("/").text
    login(client, world.moderator)
    assert 'href="/moderation"' in client.get("/").text
    client.cookies.clear()
    login(client, world.lead)
    assert 'href="/verwaltung/protokoll"' in client.get("/").text


def test_hidden_idea_shows_its_reason_to_the_author_only(client, world):
    idea = world.idea(title="Werbung für meinen Laden")
    client.post(f"/api/v1/moderation/idea/{idea['id']}/hide", json={"reason": "Werbung ist nicht erlaubt"},
                headers=world.auth(world.moderator))
    assert client.get(f"/ideen/{idea['id']}").status_code == 404
    login(client, world.resident)
    own = _text(client.get(f"/ideen/{idea['id']}").text)
    assert "Die Moderation hat Ihren Beitrag ausgeblendet." in own and "Werbung ist nicht erlaubt" in own
    client.cookies.clear()
    login(client, world.expert)
    assert client.get(f"/ideen/{idea['id']}").status_code == 404
