"""The browser test of issue 17, in Chromium, through the pages only: a resident registers for a Werkstatt with an
interpreting need and cancels; after the Werkstatt a facilitator records three contributions from it (an idea for
the Stadtteil and two comments on a section) from the event page; the event page lists them; the lead answers one
and sees its source, the Werkstatt, in the Abwägungstabelle. axe-core clean on every page, and 320 px wide."""

import re
from datetime import datetime, timedelta

from playwright.sync_api import expect
from sqlalchemy import update

from app import db
from app.db import utcnow
from app.events.models import Event
from app.web.i18n import BERLIN
from tests.browser.fixtures import browser_login, page_width, share_login
from tests.helpers import make_user
from tests.responses.factory import World

OSTHEIM = 145
SAID = ("Der Stadtteiltreff soll abends länger offen sein.", "Mehr Sitzbänke auf dem Weg zum Markt.")


def _took_place(event_id: int) -> datetime:
    """The Werkstatt has happened: it began yesterday (time passing, for the test)."""
    start = (utcnow() - timedelta(days=1)).replace(microsecond=0)
    with db.new_session(writer=True) as s:
        s.exec(update(Event).where(Event.id == event_id).values(starts_at=start, ends_at=start + timedelta(hours=2)))
        s.commit()
    return start


def test_werkstatt_from_registration_to_the_abwaegungstabelle(client, browser, live_server, axe):
    world = World(client)
    start = utcnow() + timedelta(days=3)
    r = client.post("/api/v1/events", headers=world.lead_headers, json={
        "round_id": world.round_id, "title": "Werkstatt Ostheim", "description": "Wie geht es weiter?",
        "district": "ost", "quarter_id": OSTHEIM, "venue": "Bürgerhaus Ostheim", "interpreting": True,
        "address": "Schwarenbergstraße 120, 70188 Stuttgart", "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(), "capacity": 10})
    assert r.status_code == 201, r.text
    event_id = r.json()["id"]
    narrow = browser.new_context(base_url=live_server, viewport={"width": 320, "height": 640}, locale="de-DE")
    wide = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}, locale="de-DE")
    try:
        small, page = narrow.new_page(), wide.new_page()

        def check(where: str) -> None:
            """axe-core on the wide page, and the same page at 320 px without sideways scrolling."""
            assert axe(page) == [], where
            share_login(page, small)
            small.goto(page.url)
            assert page_width(small) <= 320, where
            assert axe(small) == [], where

        # 1. A resident registers with an interpreting need, and cancels (at 320 px).
        resident = make_user("resident", name="Ayşe Yılmaz")
        browser_login(small, resident)
        small.goto(f"/werkstaetten/{event_id}")
        small.get_by_label("Dolmetschen in die Sprache").fill("Türkisch")
        small.get_by_role("button", name="Verbindlich anmelden").click()
        expect(small.get_by_text("Sie sind angemeldet. Die Bestätigung kommt per E-Mail.")).to_be_visible()
        expect(small.get_by_text("Dolmetschen: Türkisch")).to_be_visible()
        assert axe(small) == [] and page_width(small) <= 320
        small.get_by_role("button", name="Anmeldung absagen").click()
        expect(small.get_by_text("Ihre Anmeldung ist abgesagt.")).to_be_visible()
        expect(small.get_by_role("button", name="Verbindlich anmelden")).to_be_visible()

        # 2. After the Werkstatt a facilitator records three contributions from its page.
        day = _took_place(event_id).astimezone(BERLIN)
        marker = f"aus der Werkstatt in Ostheim am {day:%d.%m.}"
        facilitator = make_user("facilitator", name="Fanny Vor-Ort")
        browser_login(page, facilitator)
        page.goto(f"/werkstaetten/{event_id}")
        page.get_by_role("link", name="Beiträge aus dieser Werkstatt erfassen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Beiträge von außerhalb erfassen")
        check("Start der Erfassung")
        page.get_by_role("link", name="Idee erfassen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Idee von außerhalb erfassen")
        expect(page.get_by_label("Werkstatt")).to_have_value(str(event_id))  # chosen on the event page
        expect(page.get_by_label("Stadtteil")).to_have_value(str(OSTHEIM))
        check("Idee erfassen")
        page.get_by_label(re.compile("Verfasser\\*in, wie angegeben")).fill("Teilnehmerin der Werkstatt")
        page.get_by_label("Titel").fill("Ein Garten hinter dem Bürgerhaus")
        page.get_by_label("Beschreibung").fill("Viele wünschen sich einen Gemeinschaftsgarten zum Gärtnern.")
        page.get_by_label("Kategorie").select_option("begegnung")
        page.get_by_role("button", name="Idee erfassen").click()
        expect(page.locator(".flash")).to_contain_text(f"Die Idee ist erfasst: {marker}")
        expect(page.get_by_role("link", name=marker)).to_have_attribute("href", f"/werkstaetten/{event_id}")
        for i, text in enumerate(SAID):
            page.goto(f"/werkstaetten/{event_id}")
            page.get_by_role("link", name="Beiträge aus dieser Werkstatt erfassen").click()
            page.get_by_role("link", name=re.compile("Kommentar zu .* erfassen")).first.click()
            expect(page.get_by_label("Werkstatt")).to_have_value(str(event_id))
            if i == 0:
                check("Kommentar erfassen")
            page.get_by_label(re.compile("Verfasser\\*in, wie angegeben")).fill(f"Teilnehmende {i + 1}")
            page.get_by_label("Haltung").select_option("objection" if i == 0 else "note")
            page.get_by_label(re.compile("^Beitrag")).fill(text)
            page.get_by_role("button", name="Beitrag erfassen").click()
            expect(page.locator(".flash")).to_contain_text(marker)
        card = page.locator(".comment-card", has_text=SAID[0])
        expect(card).to_contain_text("Teilnehmende 1")
        expect(card.get_by_role("link", name=marker)).to_have_attribute("href", f"/werkstaetten/{event_id}")
        expect(card).not_to_contain_text("Fanny")

        # The event page lists what was recorded from it.
        page.goto(f"/werkstaetten/{event_id}")
        listed = page.locator("section", has=page.get_by_role("heading", name="Beiträge aus dieser Werkstatt"))
        expect(listed.get_by_role("listitem")).to_have_count(3)
        check("Werkstatt mit Beiträgen")

        # 3. The lead answers one and sees the Werkstatt as its source in the Abwägungstabelle.
        first = client.get(f"/api/v1/sections/{world.section_id}/comments?sort=old").json()["items"][0]
        assert first["body"] == SAID[0] and first["source"]["event_id"] == event_id
        page.context.clear_cookies()
        browser_login(page, world.lead)
        page.goto(f"/beitraege/{first['id']}/stellungnahme")
        expect(page.get_by_text(marker).first).to_be_visible()
        page.get_by_label("teilweise berücksichtigt").check()
        page.get_by_role("textbox", name=re.compile("^Stellungnahme")).fill("Längere Öffnungszeiten prüfen wir.")
        page.get_by_role("button", name="Stellungnahme freigeben und veröffentlichen").click()
        expect(page.locator(".flash")).to_contain_text("veröffentlicht")
        page.goto(f"/runden/{world.round_id}/abwaegungstabelle")
        source = f"Werkstatt in Ostheim am {day:%d.%m.%Y}"
        row = page.locator("tr", has_text=SAID[0])
        expect(row).to_contain_text(source)
        expect(row).to_contain_text("Längere Öffnungszeiten prüfen wir.")
        expect(row).to_contain_text("Einwand")
        expect(page.locator("tr", has_text=source)).to_have_count(3)
        check("Abwägungstabelle")
    finally:
        narrow.close()
        wide.close()
