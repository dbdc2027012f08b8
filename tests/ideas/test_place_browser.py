"""A resident places an idea by pointing: by mouse (click on the map) and by keyboard (arrow keys); the
Stadtbezirk is suggested, the idea is found as a point on the overview map; axe clean, 320 px without scrolling."""

import re

from playwright.sync_api import expect

from tests.browser.fixtures import browser_login, click_on_place_map
from tests.helpers import make_user
from tests.ideas.conftest import make_round

KURSAAL = (48.8075, 9.2207)


def _fill_and_submit(page, title: str, quarter_label: str) -> None:
    page.get_by_label("Stadtteil (Pflichtfeld)").select_option(label=quarter_label)
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Beschreibung").fill("Ein Ort zum Verweilen für die ganze Nachbarschaft, bitte.")
    page.get_by_label("Kategorie").select_option(label="Mobilität und öffentlicher Raum")
    page.get_by_role("button", name="Idee einreichen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_place_by_click_then_find_the_point(page, axe):
    make_round()
    browser_login(page, make_user("resident", name="Nachbarin Ostheim"))
    page.goto("/ideen/neu")
    svg = page.locator("svg.place-svg")
    expect(svg).to_be_visible()
    assert axe(page) == []
    click_on_place_map(page, *KURSAAL)
    expect(page.locator("#ort-status")).to_contain_text("Stadtbezirk Bad Cannstatt")
    lat = float(page.locator("#f-lat").input_value())
    assert abs(lat - KURSAAL[0]) < 0.003
    _fill_and_submit(page, "Bank am Kursaal", "Kurpark")
    expect(page.locator("#ortskarte-caption")).to_contain_text("Ort der Idee im Stadtbezirk Bad Cannstatt")
    assert axe(page) == []

    page.goto("/ideen")
    page.get_by_role("link", name="Idee: Bank am Kursaal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bank am Kursaal")


def test_place_by_keyboard_and_fit_320_px(page, axe):
    make_round()
    browser_login(page, make_user("resident", name="Nachbar Tastatur"))
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/ideen/neu")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.locator("svg.place-svg").focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#ort-status")).to_contain_text("Der Ort liegt im Stadtbezirk")
    district = re.search(r"Stadtbezirk ([^.,]+)", page.locator("#ort-status").inner_text()).group(1)
    before = float(page.locator("#f-lon").input_value())
    page.keyboard.press("Shift+ArrowLeft")
    expect(page.locator("#f-lon")).not_to_have_value(str(before))
    assert float(page.locator("#f-lon").input_value()) < before
    expect(page.locator("#ort-status")).to_contain_text("Stadtbezirk")
    assert axe(page) == []
    for url in ("/quartiere", "/ideen", "/quartiere/bad-cannstatt", "/berichte"):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
    assert district
