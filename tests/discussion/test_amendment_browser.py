"""In a real browser (issue 16): an expert selects a passage and comments on it ("Zitieren und kommentieren"),
then proposes wording for a paragraph; the lead adopts the proposal into the draft and publishes; the proposal
reads "Übernommen in Fassung 2". axe-core clean on every page on the way."""

import playwright.sync_api as pw

from tests.browser.fixtures import browser_login
from tests.discussion import factories as f
from tests.helpers import make_user

NEW = "Quartiersmanagement braucht dauerhafte Finanzierung und feste Ansprechpersonen vor Ort."


def _select(page, anchor: str, words: str) -> None:
    """Select these words inside the paragraph, as a drag of the mouse or Shift + arrows would."""
    page.evaluate("""([anchor, words]) => {
        const p = document.getElementById(anchor).querySelector("p");
        const node = p.firstChild, start = node.textContent.indexOf(words);
        const range = document.createRange();
        range.setStart(node, start); range.setEnd(node, start + words.length);
        const selection = window.getSelection(); selection.removeAllRanges(); selection.addRange(range);
    }""", [anchor, words])


def test_expert_quotes_by_selecting_and_proposes_wording_lead_adopts_and_publishes(page, axe):
    lead = f.lead()
    sid = f.section(lead)
    f.round_([sid], actor=lead)
    anchors = f.anchors(sid)
    expert = make_user("expert", name="Erika Expertin", organisation="Caritas Stuttgart")
    browser_login(page, expert)
    page.goto(f"/abschnitte/{sid}")
    assert axe(page) == []

    # a double click selects a word with the mouse: the offer appears after that paragraph
    page.locator(f"#text-{anchors[2]} > p").first.dblclick(position={"x": 30, "y": 10})  # on the first word
    pw.expect(page.locator(f"#{anchors[2]} .quote-offer")).to_be_visible()
    # selecting a passage in another paragraph moves the offer there; keyboard: focus it and press Enter
    _select(page, anchors[1], "verlässliche Finanzierung")
    offer = page.locator(f"#{anchors[1]} .quote-offer")
    pw.expect(offer).to_have_text("Zitieren und kommentieren")
    pw.expect(page.locator(".quote-offer")).to_have_count(1)
    assert axe(page) == []
    offer.focus()
    page.keyboard.press("Enter")
    pw.expect(page.locator("#c-quote")).to_have_value("verlässliche Finanzierung")
    pw.expect(page.locator("#c-paragraph")).to_have_value(anchors[1])
    pw.expect(page.locator("#c-body")).to_be_focused()
    page.keyboard.type("Für wie viele Jahre?")
    page.get_by_role("button", name="Beitrag veröffentlichen").click()
    mine = page.locator(".comment-card", has_text="Für wie viele Jahre?")
    pw.expect(mine.locator("blockquote")).to_have_text("verlässliche Finanzierung")
    mark = page.locator(f"#{anchors[1]} mark")
    pw.expect(mark).to_have_text("verlässliche Finanzierung")
    mine.get_by_role("link", name="Zitierte Stelle im Absatz zeigen").click()
    assert page.url.endswith("#" + mark.get_attribute("id"))
    assert axe(page) == []

    # proposing wording: the form starts with the paragraph's text
    page.get_by_role("link", name="Wortlaut vorschlagen für Absatz 2").click()
    pw.expect(page.locator("#a-text")).to_have_value(f.PARAGRAPHS[1])
    assert axe(page) == []
    page.get_by_label("Vorgeschlagener Wortlaut").fill(NEW)
    page.get_by_label("Begründung").fill("Befristete Mittel tragen kein Quartiersmanagement.")
    page.get_by_role("button", name="Änderungsvorschlag veröffentlichen").click()
    proposal = page.locator(".comment-card", has_text="Befristete Mittel tragen")
    pw.expect(proposal.locator(".amendment-badge")).to_have_text("Änderungsvorschlag")
    pw.expect(proposal.locator(".amendment-diff ins")).to_contain_text("dauerhafte")
    pw.expect(proposal.locator(".amendment-diff del")).to_contain_text("verlässliche")
    assert axe(page) == []

    # the lead adopts it with one action and publishes
    page.context.clear_cookies()
    browser_login(page, lead)
    page.goto(f"/abschnitte/{sid}")
    page.locator(".comment-card", has_text="Befristete Mittel tragen").get_by_role(
        "link", name="In den Entwurf übernehmen").click()
    pw.expect(page.get_by_role("heading", level=1)).to_contain_text("übernehmen")
    assert axe(page) == []
    page.get_by_role("button", name="In den Entwurf übernehmen").click()
    page.wait_for_url(f"**/abschnitte/{sid}/entwurf")
    pw.expect(page.get_by_role("status").first).to_contain_text("in den Entwurf übernommen")
    page.goto(f"/abschnitte/{sid}/veroeffentlichen")
    pw.expect(page.get_by_role("note")).to_contain_text("übernommenen Änderungsvorschlag")
    assert axe(page) == []
    page.get_by_label("Was hat sich geändert und warum?").fill("Finanzierung nach dem Vorschlag der Caritas.")
    page.get_by_role("button", name="Fassung veröffentlichen").click()
    page.goto(f"/abschnitte/{sid}")
    pw.expect(page.locator(".section-body")).to_contain_text("dauerhafte Finanzierung")
    proposal = page.locator(".comment-card", has_text="Befristete Mittel tragen")
    pw.expect(proposal.locator(".amendment-state")).to_have_text("Übernommen in Fassung 2")
    assert axe(page) == []
