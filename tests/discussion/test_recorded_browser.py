"""In Chromium (issue 17): a facilitator records three contributions from a Werkstatt through the form; the lead
answers one and sees its source in the Abwägungstabelle; axe-core on the form, and it fits 320 px."""

import re

from playwright.sync_api import expect

from tests.browser.fixtures import browser_login, page_width
from tests.helpers import make_user
from tests.responses.factory import World

SAID = ("Der Stadtteiltreff soll abends länger offen sein.", "Mehr Sitzbänke auf dem Weg zum Markt.",
        "Wohnungen für Ältere fehlen im Quartier.")


def test_facilitator_records_three_and_the_lead_answers_one(client, page, axe, browser, live_server):
    world = World(client)
    facilitator = make_user("facilitator", name="Fanny Vor-Ort")
    browser_login(page, facilitator)
    page.goto(f"/abschnitte/{world.section_id}")
    page.get_by_role("link", name=re.compile("Beitrag aus Werkstatt, Brief")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Beitrag von außerhalb erfassen")
    assert axe(page) == []
    narrow = browser.new_context(base_url=live_server, viewport={"width": 320, "height": 640}, locale="de-DE")
    try:
        small = narrow.new_page()
        narrow.add_cookies(page.context.cookies())
        small.goto(page.url)
        assert page_width(small) <= 320
    finally:
        narrow.close()
    for i, text in enumerate(SAID):
        if i:
            page.goto(f"/abschnitte/{world.section_id}/beitrag-erfassen")
        page.get_by_label("Beteiligungsweg").select_option("werkstatt")
        page.get_by_label("Bezeichnung (optional)").fill("Ostheim")
        page.get_by_label("Datum").fill("2026-03-12")
        page.get_by_label(re.compile("Verfasser\\*in, wie angegeben")).fill(f"Teilnehmende {i + 1} der Werkstatt")
        page.get_by_label("Haltung").select_option("objection" if i == 0 else "note")
        page.get_by_label(re.compile("^Beitrag")).fill(text)
        page.get_by_role("button", name="Beitrag erfassen").click()
        expect(page.locator(".flash")).to_contain_text("aus der Werkstatt „Ostheim“ am 12.03.2026")
    expect(page.locator(".comment-card", has_text=SAID[0])).to_contain_text("Teilnehmende 1 der Werkstatt")
    expect(page.locator(".comment-card", has_text=SAID[0])).not_to_contain_text("Fanny")

    first = client.get(f"/api/v1/sections/{world.section_id}/comments?sort=old").json()["items"][0]
    assert first["body"] == SAID[0]
    page.context.clear_cookies()
    browser_login(page, world.lead)
    page.goto(f"/beitraege/{first['id']}/stellungnahme")
    expect(page.get_by_text("aus der Werkstatt „Ostheim“ am 12.03.2026")).to_be_visible()
    page.get_by_label("teilweise berücksichtigt").check()
    page.get_by_role("textbox", name=re.compile("^Stellungnahme")).fill("Längere Öffnungszeiten prüfen wir.")
    page.get_by_role("button", name="Stellungnahme freigeben und veröffentlichen").click()
    expect(page.locator(".flash")).to_contain_text("freigegeben und veröffentlicht")
    page.goto(f"/runden/{world.round_id}/abwaegungstabelle")
    row = page.locator("tr", has_text=SAID[0])
    expect(row).to_contain_text("Werkstatt: Ostheim")
    expect(row).to_contain_text("Längere Öffnungszeiten prüfen wir.")
    expect(row).to_contain_text("Einwand")
    assert page.locator("tr", has_text="Werkstatt: Ostheim").count() == 3
    assert axe(page) == []
