"""In Chromium: the printed Abwägungstabelle is A4 landscape and every column fits on the page; a contribution
recorded at a Werkstatt shows its source there; the lead's page with the import form is axe-clean."""

import re

from playwright.sync_api import expect

from app.exports import abwaegung
from tests.browser.fixtures import browser_login
from tests.helpers import make_user
from tests.responses.factory import World

# A4 landscape (297 mm) less the @page margins (8 mm each side), in CSS pixels (96 per inch).
PRINTABLE_WIDTH = round((297 - 16) / 25.4 * 96)

COLUMNS_FIT = """
(limit) => {
  const table = document.querySelector(".abwaegung-table");
  const problems = [];
  const right = table.getBoundingClientRect().right;
  if (right > limit + 1) problems.push(`table reaches ${right}px`);
  for (const th of table.querySelectorAll("thead th")) {
    const box = th.getBoundingClientRect();
    if (box.width < 8 || box.right > limit + 1) problems.push(`${th.textContent}: ${box.left}-${box.right}px`);
  }
  return problems;
}
"""


def test_printed_table_fits_a4_landscape_with_every_column(client, page, axe):
    world = World(client)
    facilitator = make_user("facilitator", name="Fanny Vor-Ort")
    r = client.post(f"/api/v1/sections/{world.section_id}/comments", headers=world.auth(facilitator), json={
        "body": "Die Treffpunkte sollen auch abends offen sein, " * 8, "alignment": "objection",
        "source": {"kind": "werkstatt", "label": "Ostheim", "date": "2026-03-12",
                   "author": "Teilnehmerin der Werkstatt Ostheim"}})
    assert r.status_code == 201, r.text
    recorded = r.json()
    world.comment(body="Eine Anmerkung mit einem sehr langen Wort: Quartiersentwicklungsrahmenkonzeption.")
    world.idea()
    world.respond("comment", recorded["id"], status="partly", text="Abendöffnung prüfen wir mit den Trägern. " * 5)

    browser_login(page, world.lead)
    page.goto(f"/runden/{world.round_id}/abwaegungstabelle")
    expect(page.get_by_role("heading", name="Stellungnahmen aus der Excel-Datei übernehmen")).to_be_visible()
    row = page.locator("tr", has_text="Teilnehmerin der Werkstatt Ostheim")
    expect(row).to_contain_text("Werkstatt: Ostheim")
    expect(row).to_contain_text("12.03.2026")
    expect(row).to_contain_text("Einwand")
    assert axe(page) == []

    page.emulate_media(media="print")
    page.set_viewport_size({"width": PRINTABLE_WIDTH, "height": 700})
    expect(page.get_by_role("heading", name="Stellungnahmen aus der Excel-Datei übernehmen")).to_be_hidden()
    assert page.evaluate(COLUMNS_FIT, PRINTABLE_WIDTH) == []
    headers = page.locator(".abwaegung-table thead th").all_inner_texts()
    assert [h.strip() for h in headers] == list(abwaegung.COLUMNS)

    pdf = page.pdf(prefer_css_page_size=True, print_background=False)
    assert pdf.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert boxes, "no page in the PDF"
    for width, height in boxes:  # A4 landscape: 842 × 595 points
        assert abs(float(width) - 841.9) < 2 and abs(float(height) - 595.3) < 2, (width, height)
