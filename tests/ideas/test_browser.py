"""A resident in a real browser: chooses a Stadtteil on the map, submits an idea, finds it, supports it."""

import re

from playwright.sync_api import expect

from tests.browser.fixtures import browser_login
from tests.helpers import make_user
from tests.ideas.conftest import make_round


def test_resident_submits_via_map_and_finds_idea(page, axe):
    make_round(title="Ideen für Stuttgarts Quartiere")
    resident = make_user("resident", name="Nachbarin Lea")
    browser_login(page, resident)

    page.goto("/ideen/neu")
    expect(page.locator(".qmap-source").first).to_contain_text("Stadtmessungsamt")
    assert axe(page) == []
    page.get_by_role("link", name="West: 0 Ideen").press("Enter")  # its centre lies in Botnang (real shapes)
    page.get_by_role("link", name="Feuersee: 0 Ideen").click()
    expect(page.get_by_label("Stadtteil (Pflichtfeld)")).to_have_value("184")

    page.get_by_label("Titel").fill("Trinkbrunnen am Feuersee")
    page.get_by_label("Beschreibung").fill("Im Sommer fehlt am Feuersee ein öffentlicher Trinkbrunnen für alle.")
    page.get_by_label("Kategorie").select_option(label="Mobilität und öffentlicher Raum")
    page.get_by_role("button", name="Idee einreichen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trinkbrunnen am Feuersee")
    expect(page.get_by_role("status")).to_contain_text("Danke")
    assert axe(page) == []

    page.goto("/ideen")
    assert axe(page) == []
    page.get_by_label("Stadtbezirk", exact=True).select_option(label="West")
    page.get_by_label("Kategorie").select_option(label="Mobilität und öffentlicher Raum")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.locator("#ergebnis-titel")).to_contain_text("1 Idee im Stadtbezirk West")
    expect(page).to_have_url(re.compile(r"/ideen\?.*district=west.*category=mobilitaet_raum"))
    assert axe(page) == []
    page.get_by_role("link", name="Feuersee: 1 Idee").click()
    expect(page.locator("#ergebnis-titel")).to_contain_text("1 Idee in Feuersee")
    page.get_by_role("link", name="Trinkbrunnen am Feuersee").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trinkbrunnen am Feuersee")

    # Support comes from the discussion domain (discussion/_idea_discussion.html via IDEA_EXTENSIONS).
    page.get_by_role("button", name="Unterstützen").click()
    expect(page.get_by_role("button", name="Unterstützen")).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(page.locator(".facts")).to_contain_text("1 Unterstützung")
    assert axe(page) == []
    page.goto("/ideen?sort=support")
    expect(page.locator(".idea-card").first).to_contain_text("1 Unterstützung")

    page.goto("/quartiere")
    assert axe(page) == []
    page.get_by_role("link", name="West: 1 Idee").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stadtbezirk West")
    assert axe(page) == []
