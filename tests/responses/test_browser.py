"""In a real browser: a lead answers three comments in the workbench, publishes a version taking one up and
downloads the Abwägungstabelle; a moderator hides a flagged comment; axe-core on workbench, report and queue."""

import io
import re

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.fixtures import browser_login
from tests.responses.factory import World


def test_lead_answers_publishes_downloads_and_moderator_hides(client, page, axe):
    world = World(client)
    c1 = world.comment(body="Mehr Treffpunkte für Ältere")
    c2 = world.comment(body="Treffpunkte auch für Jugendliche")
    c3 = world.comment(body="Treffpunkte barrierefrei planen")
    c4 = world.comment(user=world.resident, body="Das Wohnen kommt zu kurz")
    rude = world.comment(user=world.resident, body="Ihr seid alle unfähig")
    r = client.post("/api/v1/flags", json={"target": "comment", "target_id": rude["id"], "reason": "Beleidigend"},
                    headers=world.auth(world.expert))
    assert r.status_code == 201

    browser_login(page, world.lead)
    page.goto(f"/runden/{world.round_id}/abwaegung")
    expect(page.get_by_role("status")).to_contain_text("0 von 5 Beiträgen beantwortet")
    assert axe(page) == []
    for c in (c1, c2, c3):
        page.get_by_label(f"Kommentar #{c['id']} auswählen").check()
    page.get_by_label("teilweise berücksichtigt").check()
    page.get_by_role("textbox", name=re.compile("^Stellungnahme")).fill("Treffpunkte für alle nehmen wir auf.")
    page.get_by_role("button", name="Stellungnahme für die Auswahl freigeben und veröffentlichen").click()
    expect(page.locator(".flash")).to_contain_text("3 Stellungnahmen freigegeben und veröffentlicht.")
    expect(page.get_by_role("status").last).to_contain_text("3 von 5 Beiträgen beantwortet")
    assert axe(page) == []

    world.docs.save(world.section_id, "Erster Absatz über Begegnung.\n\nZweiter Absatz über Wohnen und Nachbarschaft.")
    page.goto(f"/abschnitte/{world.section_id}/veroeffentlichen")
    page.get_by_label("Was hat sich geändert und warum?").fill("Wohnen ergänzt nach dem Hinweis aus der Runde.")
    page.get_by_role("checkbox", name=f"#{c4['id']} ").check()
    page.get_by_role("button", name="Fassung veröffentlichen").click()
    expect(page.locator(".flash")).to_contain_text("Fassung 2")
    answer = client.get(f"/api/v1/comments/{c4['id']}/response").json()
    assert answer["status"] == "accepted" and answer["version"]["number"] == 2

    page.goto(f"/runden/{world.round_id}/abwaegung")
    expect(page.get_by_role("status").last).to_contain_text("4 von 5 Beiträgen beantwortet")
    with page.expect_download() as info:
        page.get_by_role("link", name="Abwägungstabelle als Excel-Datei (XLSX)").click()
    download = info.value
    assert download.suggested_filename == f"abwaegungstabelle-runde-{world.round_id}.xlsx"
    with open(download.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert "Stellungnahme" in rows[0] and len(rows) == 6
    text, status, done = (rows[0].index(c) for c in ("Beitrag", "Status", "umgesetzt in Fassung"))
    by_text = {row[text]: row for row in rows[1:]}
    assert by_text["Mehr Treffpunkte für Ältere"][status] == "teilweise berücksichtigt"
    assert by_text["Das Wohnen kommt zu kurz"][status] == "berücksichtigt"
    assert by_text["Das Wohnen kommt zu kurz"][done] == 2

    page.goto(f"/berichte?round={world.round_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Beteiligungsbericht")
    assert axe(page) == []
    for path in (f"/beitraege/{c1['id']}/stellungnahme", f"/runden/{world.round_id}/abwaegungstabelle",
                 "/verwaltung/protokoll", f"/melden/beitrag/{c4['id']}"):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert axe(page) == [], path

    page.get_by_role("button", name="Abmelden").click()
    browser_login(page, world.moderator)
    page.goto("/moderation")
    expect(page.get_by_text("1 Person hat gemeldet")).to_be_visible()
    assert axe(page) == []
    page.get_by_label(re.compile("Begründung für das Ausblenden")).fill("Beleidigt andere Teilnehmende")
    page.get_by_role("button", name=re.compile("^Ausblenden")).click()
    expect(page.locator(".flash")).to_contain_text("ausgeblendet")
    expect(page.get_by_text("Keine offenen Meldungen.")).to_be_visible()
    assert client.get(f"/api/v1/comments/{rude['id']}").json()["status"] == "hidden"
    assert axe(page) == []
