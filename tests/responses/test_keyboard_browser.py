"""By keyboard in a real browser: the lead reaches the workbench's first checkbox in a few key presses."""

from tests.browser.fixtures import browser_login
from tests.browser.keyboard import press_tab_until
from tests.responses.factory import World


def test_skip_link_leads_to_the_first_checkbox(client, page, axe):
    world = World(client)
    world.comment(body="Erster Hinweis")
    world.comment(body="Zweiter Hinweis")
    browser_login(page, world.lead)
    page.goto(f"/runden/{world.round_id}/abwaegung")
    on_the_way = press_tab_until(page, ".skip-link[href='#liste']")
    assert len(on_the_way) <= 2, on_the_way
    page.keyboard.press("Enter")
    press_tab_until(page, "input[name=items]", limit=1)  # the very next Tab: the first item's checkbox
    assert page.locator("input[name=items]").first.evaluate("e => e === document.activeElement")
    assert axe(page) == []
