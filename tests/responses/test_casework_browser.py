"""The workbench of the three offices in a real browser (issue 16): the lead assigns, notes and answers a group by
keyboard; every new page is axe-clean and fits 320 px without scrolling sideways."""

import pytest

from tests.browser.fixtures import browser_login, page_width, share_login
from tests.browser.keyboard import press_tab_until
from tests.helpers import make_user
from tests.responses.factory import World


@pytest.fixture
def narrow(browser, live_server):
    ctx = browser.new_context(base_url=live_server, viewport={"width": 320, "height": 640}, locale="de-DE")
    yield ctx.new_page()
    ctx.close()


def _focus_and(page, selector: str, limit: int = 120) -> None:
    press_tab_until(page, selector, limit=limit)
    page.keyboard.press("Enter")


def _submit(page, selector: str, limit: int = 120) -> None:
    """Tab to a submit button and press Enter; wait for the page the form leads to."""
    press_tab_until(page, selector, limit=limit)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def _fits(page, narrow, axe) -> list:
    problems = [(page.url, v) for v in axe(page)]
    share_login(page, narrow)
    narrow.goto(page.url)
    if page_width(narrow) > 320:
        problems.append((page.url, f"{page_width(narrow)} px wide at 320 px"))
    return problems


def test_lead_assigns_notes_and_answers_a_group_by_keyboard(client, page, axe, narrow):
    w = World(client)
    ids = [w.comment(body=text)["id"] for text in (
        "Wir brauchen mehr Spielplätze für Kinder im Stadtteil.",
        "Im Stadtteil fehlen Spielplätze für die Kinder.")]
    w.comment(body="Die Straßenbahn fährt nachts zu selten.")
    browser_login(page, w.lead)
    problems = []

    # one contribution: assign to the Jugendamt and write an internal note, keyboard only
    page.goto(f"/runden/{w.round_id}/abwaegung/kommentar/{ids[0]}")
    problems += _fits(page, narrow, axe)
    press_tab_until(page, "#case-unit")
    page.keyboard.type("Jugendamt")  # a focused select picks the option by typing
    _submit(page, "form:has(#case-unit) button[type=submit]", limit=5)
    assert page.locator("#case-unit option:checked").inner_text() == "Jugendamt"
    press_tab_until(page, "#f-note")
    page.keyboard.type("Mit dem Jugendamt abstimmen.")
    _submit(page, "form:has(#f-note) button[type=submit]", limit=5)
    assert "Mit dem Jugendamt abstimmen." in page.locator(".note-list").inner_text()

    # the group: draft one answer for both, approve, publish
    page.goto(f"/runden/{w.round_id}/abwaegung/gruppen")
    problems += _fits(page, narrow, axe)
    _focus_and(page, "#gruppe-1 details:nth-of-type(2) summary")
    press_tab_until(page, "#gruppe-1 input[name=status]", limit=10)  # a radio group: Tab in, arrows choose
    page.keyboard.press("ArrowDown")
    assert page.locator("#gruppe-1 input[name=status][value=partly]").is_checked()
    press_tab_until(page, "#g1-text", limit=10)
    page.keyboard.type("Wir prüfen zusätzliche Spielflächen.")
    _submit(page, "#gruppe-1 button[value=draft]", limit=5)
    _submit(page, "#gruppe-1 button[value=approve]")
    _submit(page, "#gruppe-1 button[value=publish]")
    for cid in ids:
        assert client.get(f"/api/v1/comments/{cid}/response").json()["text"] == "Wir prüfen zusätzliche Spielflächen."

    page.goto(f"/runden/{w.round_id}/abwaegung")
    assert "Jugendamt: 1 von 1 beantwortet" in page.locator(".unit-progress").inner_text()
    problems += _fits(page, narrow, axe)
    page.goto(f"/runden/{w.round_id}/abwaegung?unit=none&assignee=none")
    problems += _fits(page, narrow, axe)
    page.goto(f"/runden/{w.round_id}/abwaegung/kommentar/{ids[1]}")  # with a published answer
    problems += _fits(page, narrow, axe)

    # the administrators' units page
    page.context.clear_cookies()
    browser_login(page, make_user("admin"))
    page.goto("/verwaltung/zustaendigkeiten")
    problems += _fits(page, narrow, axe)
    assert problems == []
