"""After every htmx write the focus goes to the new content or its message, never to <body>; the live regions
(ideas filter, version compare) stay on the page and are updated, not replaced; the writing page's form works
with JavaScript on. In Debian's Chromium, by keyboard."""

import contextlib
import re

import playwright.sync_api as pw

from app import db
from app.discussion import service
from app.discussion.schemas import CommentIn
from app.ideas import service as ideas
from app.ideas.models import Category
from app.ideas.schemas import IdeaIn
from tests.browser.fixtures import browser_login
from tests.discussion import factories as f
from tests.helpers import make_user
from tests.ideas.conftest import make_round

FOCUSED = "() => { const el = document.activeElement; return el === document.body ? 'BODY' : el.outerHTML; }"


def _focused(page) -> str:
    """The focused element once the swap has settled (htmx moves the focus after its settle delay; on a busy
    machine that can come a moment after the new content is visible)."""
    with contextlib.suppress(pw.TimeoutError):
        page.wait_for_function("() => document.activeElement !== document.body", timeout=3000)
    html = page.evaluate(FOCUSED)
    assert html != "BODY", "the focus fell to <body>"
    return html


def _press(page, locator) -> None:
    """Activate a button by keyboard, as a keyboard user does: after the previous swap has settled (htmx wires
    swapped-in forms, out-of-band ones included, only then; a robot's Enter before that posts the plain form and
    the page reloads, as without JavaScript)."""
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
    locator.focus()
    page.keyboard.press("Enter")


def _other_comment(section_id: int, body: str) -> int:
    other = make_user("expert", name="Otto Other")
    with db.new_session(writer=True) as s:
        return service.post_comment(s, user=other, section_id=section_id, data=CommentIn(body=body)).id


def test_focus_after_quote_error_comment_reply_and_vote(page):
    sid = f.section()
    f.round_([sid])
    theirs = _other_comment(sid, "Mehr Räume für Jugendliche!")
    browser_login(page, make_user("expert", name="Erika Expertin"))
    page.goto(f"/abschnitte/{sid}")

    page.get_by_label("Worauf bezieht sich Ihr Beitrag?").select_option(value=f.anchors(sid)[1])
    page.get_by_label("Zitat aus dem Absatz (optional)").fill("steht da nicht")
    page.locator("#c-body").fill("Die Finanzierung muss mehrjährig sein.")
    _press(page, page.get_by_role("button", name="Beitrag veröffentlichen"))
    pw.expect(page.get_by_role("alert")).to_contain_text("Das Zitat kommt in diesem Absatz nicht vor")
    assert 'role="alert"' in _focused(page) and "Das Zitat kommt" in _focused(page)

    page.get_by_label("Zitat aus dem Absatz (optional)").fill("verlässliche Finanzierung")
    _press(page, page.get_by_role("button", name="Beitrag veröffentlichen"))
    pw.expect(page.get_by_role("status")).to_contain_text("Ihr Beitrag ist veröffentlicht.")
    focused = _focused(page)
    assert focused.startswith("<article") and "Die Finanzierung muss mehrjährig sein." in focused

    thread = page.locator(f"#beitrag-{theirs}")
    thread.locator("summary").first.click()
    thread.get_by_label("Ihre Antwort").fill("Dem schließe ich mich an.")
    _press(page, thread.get_by_role("button", name="Antwort veröffentlichen"))
    pw.expect(page.locator("li.comment.level-1", has_text="Dem schließe ich mich an.")).to_be_visible()
    focused = _focused(page)
    assert focused.startswith("<article") and "Dem schließe ich mich an." in focused

    up = page.locator(f"#beitrag-{theirs} > article").get_by_role("button", name="Zustimmung")
    _press(page, up)
    pw.expect(page.locator(f"#beitrag-{theirs} > article").get_by_role("button", name="Zustimmung")) \
        .to_have_attribute("aria-pressed", "true")
    focused = _focused(page)
    assert 'value="1"' in focused and 'aria-pressed="true"' in focused  # the same button, in the new content
    # htmx wires the new form when the swap has settled (20 ms); a robot's Enter before that would post the plain
    # form (the page reloads, as without JavaScript): wait as a person's second key press does.
    pw.expect(page.locator(f"#votes-comment-{theirs}")).not_to_have_class(re.compile("htmx-settling"))
    page.keyboard.press("Enter")  # and the keyboard user can take the vote back at once
    pw.expect(page.locator(f"#beitrag-{theirs} > article").get_by_role("button", name="Zustimmung")) \
        .to_have_attribute("aria-pressed", "false")
    assert 'aria-pressed="false"' in _focused(page)


def _idea() -> int:
    make_round(title="Ideen für Stuttgarts Quartiere")
    with db.new_session(writer=True) as s:
        return ideas.create_idea(s, actor=make_user("resident", name="Ida Idee"), data=IdeaIn(
            title="Trinkbrunnen am Feuersee", body="Im Sommer fehlt am Feuersee ein öffentlicher Trinkbrunnen.",
            category=next(iter(Category)), quarter_id=184)).id


def test_focus_after_an_idea_comment_and_support(page, axe):
    idea = _idea()
    browser_login(page, make_user("resident", name="Rita Resident"))
    page.goto(f"/ideen/{idea}")
    _press(page, page.get_by_role("button", name="Unterstützen"))
    pw.expect(page.get_by_role("button", name="Unterstützen")).to_have_attribute("aria-pressed", "true")
    assert "Unterstützen" in _focused(page)
    page.locator("#c-body").fill("Gute Idee, im Sommer dringend nötig.")
    _press(page, page.get_by_role("button", name="Beitrag veröffentlichen"))
    pw.expect(page.get_by_role("status")).to_contain_text("Ihr Kommentar ist veröffentlicht.")
    focused = _focused(page)
    assert focused.startswith("<article") and "Gute Idee, im Sommer dringend nötig." in focused
    assert axe(page) == []


def test_live_regions_stay_and_are_updated(page):
    lead = f.lead()
    sid = f.section(lead)
    f.publish(sid, [*f.PARAGRAPHS[:2], "Begegnungsorte sollen barrierefrei sein."], actor=lead)
    f.publish(sid, [*f.PARAGRAPHS[:1], "Neu gefasst.", "Begegnungsorte sollen barrierefrei sein."], actor=lead)
    page.goto(f"/abschnitte/{sid}/fassungen")
    page.evaluate("window.liveRegion = document.querySelector('[aria-live]')")
    assert page.evaluate("window.liveRegion.id") == "vergleich-status"
    page.locator("#von").select_option("1")
    page.locator("#bis").select_option("3")
    _press(page, page.get_by_role("button", name="Vergleichen"))
    pw.expect(page.locator("#vergleich h2")).to_have_text("Änderungen von Fassung 1 zu Fassung 3")
    assert page.evaluate("window.liveRegion.isConnected"), "the live region was replaced"
    assert page.evaluate("window.liveRegion.textContent.trim()") == "Änderungen von Fassung 1 zu Fassung 3"
    assert page.locator("#vergleich").count() == 1 and page.locator("#vergleich-status").count() == 1
    assert "Vergleichen" in _focused(page)  # the focus stays on the button

    page.goto("/ideen")
    page.evaluate("window.liveRegion = document.querySelector('#ergebnis [aria-live]')")
    page.get_by_label("Stadtbezirk", exact=True).select_option(label="West")
    _press(page, page.get_by_role("button", name="Anzeigen"))
    pw.expect(page.locator("#ergebnis-titel")).to_contain_text("0 Ideen im Stadtbezirk West")
    assert page.evaluate("window.liveRegion.isConnected"), "the live region was replaced"
    assert page.locator("#ergebnis-titel").count() == 1 and page.locator("#ergebnis-inhalt").count() == 1
    assert re.search(r"district=west", page.url)
    assert "Anzeigen" in _focused(page)


def test_the_writing_page_submits_with_javascript_on(page):
    sid = f.section()
    f.round_([sid])
    browser_login(page, make_user("expert"))
    page.goto(f"/abschnitte/{sid}/beitrag-schreiben")
    page.locator("#c-body").fill("Geschrieben auf der eigenen Seite.")
    page.get_by_role("button", name="Beitrag veröffentlichen").click()
    page.wait_for_url(re.compile(rf"/abschnitte/{sid}#beitrag-\d+$"))
    pw.expect(page.get_by_text("Geschrieben auf der eigenen Seite.")).to_be_visible()
    pw.expect(page.get_by_role("status").first).to_contain_text("Ihr Beitrag ist veröffentlicht.")


def test_typing_beside_the_live_preview_keeps_the_focus(page):
    lead = f.lead()
    sid = f.section(lead)
    browser_login(page, lead)
    page.goto(f"/abschnitte/{sid}/entwurf")
    page.locator("#f-body").click()
    page.keyboard.press("End")
    page.keyboard.type(" Zusatz für die Vorschau.")
    pw.expect(page.locator("#vorschau")).to_contain_text("Zusatz für die Vorschau.")
    assert page.evaluate("document.activeElement.id") == "f-body"
