"""A lead places a Werkstatt's venue by clicking the map on the event form (the Stadtbezirk is suggested), saves,
and finds it as a diamond on the Quartier map, linked to the event; axe clean, 320 px without sideways scrolling."""

from datetime import timedelta

from playwright.sync_api import expect

from app.db import utcnow
from tests.browser.fixtures import browser_login, click_on_place_map, page_width
from tests.events.factory import Setting

KURSAAL = (48.8075, 9.2207)  # Bad Cannstatt


def test_lead_places_the_venue_by_clicking_and_finds_it_on_the_quartier_map(client, page, axe):
    s = Setting(client)
    browser_login(page, s.lead)
    page.goto("/werkstaetten/neu")
    svg = page.locator("svg.place-svg")
    expect(svg).to_be_visible()
    assert axe(page) == []
    click_on_place_map(page, *KURSAAL)
    expect(page.locator("#ort-status")).to_contain_text("Stadtbezirk Bad Cannstatt")
    expect(page.locator("#f-district")).to_have_value("bad-cannstatt")  # suggested from the point
    start = (utcnow() + timedelta(days=4)).astimezone()
    page.get_by_label("Titel").fill("Werkstatt am Kursaal")
    page.get_by_label("Ort (Name)").fill("Kursaal")
    page.get_by_label("Adresse").fill("Königsplatz 1, 70372 Stuttgart")
    page.get_by_label("Beginn (deutsche Zeit)").fill(start.strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Ende (deutsche Zeit)").fill(start.strftime("%Y-%m-%dT12:00"))
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Werkstatt am Kursaal")

    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/quartiere/bad-cannstatt")
    venue = page.locator("a.qmap-venue")
    expect(venue).to_have_count(1)
    expect(page.get_by_text("Werkstatt am Veranstaltungsort (1)")).to_be_visible()
    assert axe(page) == [] and page_width(page) <= 320
    venue.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Werkstatt am Kursaal")
