"""By keyboard in a real browser: the idea form is a few key presses away, past the map's 23 links."""

from playwright.sync_api import expect

from tests.browser.fixtures import browser_login
from tests.browser.keyboard import press_tab_until
from tests.helpers import make_user
from tests.ideas.conftest import make_round


def test_skip_links_lead_to_the_first_field(page, axe):
    make_round(title="Ideen für Stuttgarts Quartiere")
    browser_login(page, make_user("resident"))
    page.goto("/ideen/neu")
    assert page.locator(".qmap-svg a").count() >= 23

    on_the_way = press_tab_until(page, ".skip-link[href='#idee-formular']")
    assert len(on_the_way) <= 2, on_the_way
    page.keyboard.press("Enter")
    assert press_tab_until(page, "#f-title", limit=1)

    page.goto("/ideen/neu")  # without the form's own skip link: past the map with "Karte überspringen"
    page.locator("#inhalt").focus()
    on_the_way = press_tab_until(page, ".skip-inline")
    assert len(on_the_way) <= 3, on_the_way
    expect(page.get_by_role("link", name="Karte überspringen")).to_be_visible()  # shown while it has the focus
    page.keyboard.press("Enter")
    on_the_way = press_tab_until(page, "#f-title", limit=3)
    assert not any("Ideen" in step for step in on_the_way[:-1]), on_the_way  # no map tile on the way
    assert axe(page) == []
