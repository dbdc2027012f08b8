"""The maps at 320 px: names on a map would render at about 7 px, so narrow screens see numbers of a legible size
(at least 11 px) and a key list that names them; the Stadtteil tiles lie inside the real Bezirk outline."""

import os

from playwright.sync_api import expect

# The rendered size (CSS px) of the smallest visible label on a map: font size in SVG units × the SVG's scale.
SMALLEST_LABEL = """
(selector) => {
  const svg = document.querySelector(selector).closest("svg");
  const scale = svg.getScreenCTM().a;
  let smallest = Infinity, shown = 0;
  for (const t of svg.closest("svg").querySelectorAll(".qmap-labels text")) {
    if (t.getBoundingClientRect().width === 0) continue;
    shown += 1;
    smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize) * scale);
  }
  return [smallest, shown];
}
"""


def _check(page, url: str, selector: str, tiles: int) -> None:
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
    if os.environ.get("QW_SCREENSHOTS"):
        page.locator(f"figure:has({selector})").screenshot(path=f"/tmp/h2-{len(url)}.png")
    smallest, shown = page.evaluate(SMALLEST_LABEL, selector)
    assert shown >= tiles and smallest >= 11, (url, smallest, shown)
    keys = page.locator(f"figure:has({selector}) .qmap-keylist li")
    expect(keys).to_have_count(tiles)
    if os.environ.get("QW_SCREENSHOTS"):
        page.screenshot(path=f"/tmp/h2-{url.strip('/').replace('/', '_') or 'root'}.png", full_page=True)


def test_maps_at_320_px_show_legible_numbers_and_a_key(page, axe):
    page.set_viewport_size({"width": 320, "height": 900})
    _check(page, "/quartiere", "#karte-title", 23)
    expect(page.locator(".qmap-keylist li[value='6'] a")).to_have_text("Bad Cannstatt")
    assert axe(page) == []
    _check(page, "/quartiere/bad-cannstatt", "#karte-title", 18)
    expect(page.locator(".qmap-schematic")).to_contain_text("Schematische Lage der Stadtteile")
    assert axe(page) == []
    _check(page, "/ideen", "#karte-title", 23)


def test_wide_screens_keep_the_names_on_the_overview(page):
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto("/quartiere")
    expect(page.locator("#karte-caption .qmap-keylist")).to_be_hidden()
    expect(page.locator(".qmap-labels .qmap-name").first).to_be_visible()
    page.goto("/quartiere/bad-cannstatt")
    expect(page.locator("#karte-caption .qmap-keylist")).to_be_visible()  # tiles too small for names: a key
