"""In a real browser: an expert comments on a paragraph with a quote, replies and votes; axe-core clean."""

import playwright.sync_api as pw

from tests.browser.fixtures import browser_login
from tests.discussion import factories as f
from tests.helpers import make_user


def test_expert_comments_replies_and_votes(page, axe):
    sid = f.section()
    f.round_([sid])
    other = make_user("expert", name="Otto Other", organisation="Caritas Stuttgart")
    from app import db
    from app.discussion import service
    from app.discussion.schemas import CommentIn

    with db.new_session(writer=True) as s:
        service.post_comment(s, user=other, section_id=sid, data=CommentIn(body="Mehr Räume für Jugendliche!"))
    expert = make_user("expert", name="Erika Expertin")
    browser_login(page, expert)
    page.goto(f"/abschnitte/{sid}")
    assert axe(page) == []

    page.get_by_label("Worauf bezieht sich Ihr Beitrag?").select_option(value=f.anchors(sid)[1])
    page.get_by_label("Zitat aus dem Absatz (optional)").fill("verlässliche Finanzierung")
    page.get_by_label("Einwand").check()
    page.locator("#c-body").fill("Die Finanzierung muss **mehrjährig** sein.")
    page.get_by_role("button", name="Beitrag veröffentlichen").click()
    mine = page.locator(".comment-card", has_text="Die Finanzierung muss mehrjährig sein.")
    pw.expect(mine).to_be_visible()
    pw.expect(mine.locator("blockquote")).to_have_text("verlässliche Finanzierung")
    pw.expect(mine.locator("strong", has_text="mehrjährig")).to_be_visible()
    pw.expect(page.get_by_role("status")).to_contain_text("Ihr Beitrag ist veröffentlicht.")

    theirs = page.locator("li.comment", has_text="Mehr Räume für Jugendliche!").first
    theirs.locator("summary").click()
    theirs.get_by_label("Ihre Antwort").fill("Dem schließe ich mich an.")
    theirs.get_by_role("button", name="Antwort veröffentlichen").click()
    reply = page.locator("li.comment.level-1", has_text="Dem schließe ich mich an.")
    pw.expect(reply).to_be_visible()

    theirs = page.locator("li.comment", has_text="Mehr Räume für Jugendliche!").first
    up = theirs.locator(".comment-card").first.get_by_role("button", name="Zustimmung")
    up.click()
    up = page.locator("li.comment", has_text="Mehr Räume für Jugendliche!").first.locator(
        ".comment-card").first.get_by_role("button", name="Zustimmung")
    pw.expect(up).to_have_attribute("aria-pressed", "true")
    pw.expect(up.locator(".count")).to_have_text("1")
    assert axe(page) == []


def test_lead_creates_and_opens_a_round(page, axe):
    lead = f.lead()
    f.section(lead)
    browser_login(page, lead)
    page.goto("/runden")
    assert axe(page) == []
    page.get_by_role("link", name="Neue Runde anlegen").click()
    page.get_by_label("Titel").fill("Fachrunde Frühjahr")
    page.get_by_label("Beginn (deutsche Zeit)").fill("2030-03-01T09:00")
    page.get_by_label("Ende (deutsche Zeit)").fill("2030-03-15T18:00")
    page.get_by_label("Zielgruppe").select_option("experts")
    page.get_by_label("Ziele der Quartiersentwicklung").check()
    assert axe(page) == []
    page.get_by_role("button", name="Speichern").click()
    pw.expect(page.get_by_role("heading", level=1)).to_have_text("Fachrunde Frühjahr")
    pw.expect(page.locator(".facts")).to_contain_text("1. März 2030, 09:00")
    page.get_by_role("button", name="Jetzt öffnen").click()
    pw.expect(page.locator(".state-badge")).to_have_text("offen")
    assert axe(page) == []
