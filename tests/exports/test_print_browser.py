"""In Chromium: the printed Abwägungstabelle is A4 landscape and every column fits on the page; the PDF's text
(read with pypdf) holds every column header and the contributions' numbers and texts; a contribution recorded at a
Werkstatt shows its source there; the lead's page with the import form is axe-clean."""

import io
import re
import unicodedata

from playwright.sync_api import expect
from pypdf import PdfReader

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
    plain = world.comment(body="Eine Anmerkung mit einem sehr langen Wort: Quartiersentwicklungsrahmenkonzeption.")
    idea = world.idea()
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
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.pages, "no page in the PDF"
    for sheet in reader.pages:  # A4 landscape: 842 × 595 points
        width, height = float(sheet.mediabox.width), float(sheet.mediabox.height)
        assert abs(width - 841.9) < 2 and abs(height - 595.3) < 2, (width, height)
    # the words as printed, whatever the line breaks in the narrow columns; rows are drawn one after another
    text = _squeezed("\n".join(sheet.extract_text() for sheet in reader.pages))
    first = _squeezed(reader.pages[0].extract_text())
    for header in abwaegung.COLUMNS:
        assert _squeezed(header) in first, f"column {header!r} missing on the first printed page"
    _in_order(text, *abwaegung.COLUMNS,
              f"{recorded['id']} 1.1 Anlass und Auftrag", "Die Treffpunkte sollen auch abends offen sein", "Einwand",
              "Teilnehmerin der Werkstatt Ostheim", "Werkstatt: Ostheim", "12.03.2026",
              "Abendöffnung prüfen wir mit den Trägern", "teilweise berücksichtigt",
              f"{plain['id']} 1.1 Anlass und Auftrag", "Quartiersentwicklungsrahmenkonzeption", "Hinweis",
              "Caritas Stuttgart", f"Idee {idea['id']} Idee", "Ein Treffpunkt für alle")


def _squeezed(text: str) -> str:
    """Without whitespace, ligatures (ﬀ) spelt out, and without a hyphen Chromium may add where it breaks a word."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", re.sub(r"(?<=[a-zäöüß])-\s*\n(?=[a-zäöüß])", "", text))


def _in_order(text: str, *needles: str) -> None:
    at = 0
    for needle in needles:
        found = text.find(_squeezed(needle), at)
        assert found >= 0, f"{needle!r} missing in the printed PDF (after position {at}): {text[at:at + 300]}"
        at = found + len(_squeezed(needle))
