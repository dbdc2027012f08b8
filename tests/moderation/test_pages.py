"""Moderation pages: flag form, queue with hide and restore, the audit log for admins and leads."""

import re

import pytest

from tests.helpers import login, make_user, post_form
from tests.responses.factory import World


@pytest.fixture
def world(client):
    return World(client)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_flag_then_moderator_hides_from_the_queue_and_restores(client, world):
    c = world.comment(user=world.resident, body="Ein unfreundlicher Beitrag")
    login(client, world.expert)
    form = client.get(f"/melden/beitrag/{c['id']}")
    assert form.status_code == 200 and "Warum melden Sie den Beitrag?" in form.text
    empty = post_form(client, f"/melden/beitrag/{c['id']}", {"reason": ""})
    assert empty.status_code == 422 and 'aria-invalid="true"' in empty.text
    r = post_form(client, f"/melden/beitrag/{c['id']}", {"reason": "Beleidigt andere"})
    assert r.status_code == 303
    client.cookies.clear()
    login(client, world.moderator)
    queue = client.get("/moderation")
    assert queue.status_code == 200
    text = _text(queue.text)
    assert "1 Person hat gemeldet" in text and "Beleidigt andere" in text and "Ein unfreundlicher Beitrag" in text
    hidden = post_form(client, f"/moderation/beitrag/{c['id']}/ausblenden", {"reason": "Beleidigung anderer"})
    assert hidden.status_code == 303
    after = _text(client.get("/moderation").text)
    assert "Keine offenen Meldungen." in after and "Beleidigung anderer" in after
    client.cookies.clear()
    assert "Ein unfreundlicher Beitrag" not in client.get(f"/abschnitte/{world.section_id}").text
    login(client, world.moderator)
    assert post_form(client, f"/moderation/beitrag/{c['id']}/wiederherstellen").status_code == 303
    assert client.get(f"/api/v1/comments/{c['id']}").json()["status"] == "visible"


@pytest.mark.parametrize("role", ["lead", "expert", "admin"])
def test_queue_is_for_moderators_only(client, world, role):
    login(client, make_user(role))
    assert client.get("/moderation").status_code == 403
    c = world.comment()
    r = post_form(client, f"/moderation/beitrag/{c['id']}/ausblenden", {"reason": "Versuch"})
    assert r.status_code == 403
    assert client.get(f"/api/v1/comments/{c['id']}").json()["status"] == "visible"


def test_block_form(client, world):
    c = world.comment(user=world.resident)
    login(client, world.expert)
    post_form(client, f"/melden/beitrag/{c['id']}", {"reason": "Spam Spam Spam"})
    client.cookies.clear()
    login(client, world.moderator)
    assert f"/moderation/konten/{world.resident.id}/sperren" in client.get("/moderation").text
    r = post_form(client, f"/moderation/konten/{world.resident.id}/sperren", {"days": "3", "reason": "Spam"})
    assert r.status_code == 303
    assert "gesperrt bis" in _text(client.get("/moderation").text)


def test_audit_log_page_for_admins_and_leads(client, world):
    c = world.comment()
    world.respond("comment", c["id"])
    login(client, world.lead)
    page = client.get("/verwaltung/protokoll")
    assert page.status_code == 200
    text = _text(page.text)  # what people read: labels, not the codes stored in the log
    assert "Stellungnahme abgegeben" in text and "Fassung veröffentlicht" in text and world.lead.display_name in text
    assert "response.set" not in text and "version.publish" not in text
    filtered = _text(client.get("/verwaltung/protokoll?action=response.set").text)
    table = filtered.split("Einzelheiten")[-1]
    assert "Stellungnahme abgegeben" in table and "Fassung veröffentlicht" not in table
    client.cookies.clear()
    login(client, make_user("expert"))
    assert client.get("/verwaltung/protokoll").status_code == 403
    client.cookies.clear()
    login(client, make_user("admin"))
    assert client.get("/verwaltung/protokoll").status_code == 200
