"""A lead in a real browser: edits a draft with live preview, publishes, and reads the diff; axe-core clean."""

from playwright.sync_api import expect

from tests.browser.conftest import axe, browser, browser_login, live_server, page  # noqa: F401
from tests.helpers import make_user


def _setup_section(lead) -> int:
    from app import db
    from app.documents import service
    from app.documents.schemas import ChapterIn, DocumentIn, SectionIn

    with db.new_session(writer=True) as s:
        service.create_document(s, actor=lead, data=DocumentIn(
            title="Rahmenkonzeption soziale Quartiersentwicklung", slug="rahmenkonzeption", description="Entwurf"))
        chapter = service.create_chapter(s, actor=lead, slug="rahmenkonzeption",
                                         data=ChapterIn(title="Gesundheit im Quartier"))
        section = service.create_section(s, actor=lead, chapter_id=chapter.id, data=SectionIn(
            title="Gesundheitsförderung in Lebenswelten",
            body="Gesundheitsförderung wirkt dort, wo Menschen leben.\n\nKitas und Schulen sind wichtige Orte."))
        service.publish_version(s, actor=lead, section_id=section.id, change_summary="Erste Fassung.", addresses=[])
        return section.id


def test_lead_edits_previews_publishes_and_reads_the_diff(page, axe):  # noqa: F811
    lead = make_user("lead", name="Dr. Miriam Kessler", organisation="Gesundheitsamt")
    section_id = _setup_section(lead)

    page.goto("/konzeption")
    expect(page.get_by_role("link", name="1.1 Gesundheitsförderung in Lebenswelten").first).to_be_visible()
    assert axe(page) == []

    browser_login(page, lead)
    page.goto(f"/abschnitte/{section_id}/entwurf")
    body = page.get_by_label("Text (Markdown)")
    body.fill("Gesundheitsförderung wirkt dort, wo Menschen **gemeinsam** leben.\n\n"
              "Kitas und Schulen sind wichtige Orte.\n\nNeu: Sportvereine gehören dazu.")
    preview = page.locator("#vorschau")
    expect(preview.locator("strong")).to_have_text("gemeinsam")
    expect(preview).to_contain_text("Neu: Sportvereine gehören dazu.")
    assert axe(page) == []
    page.get_by_role("button", name="Entwurf speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Der Entwurf ist gespeichert")

    page.get_by_role("link", name="Zum Veröffentlichen").click()
    page.get_by_label("Was hat sich geändert und warum?").fill("Sportvereine ergänzt, Hinweis aus der Fachrunde.")
    page.get_by_role("button", name="Fassung veröffentlichen").click()
    expect(page.get_by_role("status")).to_contain_text("Fassung 2 ist veröffentlicht")
    expect(page.get_by_role("heading", level=1)).to_have_text("1.1 Gesundheitsförderung in Lebenswelten")
    expect(page.locator(".version-meta")).to_contain_text("Fassung 2")
    assert axe(page) == []

    page.get_by_role("link", name="Verlauf: alle Fassungen und Änderungen").click()
    expect(page.get_by_role("heading", name="Änderungen von Fassung 1 zu Fassung 2")).to_be_visible()
    expect(page.locator(".diff-inline ins").first).to_contain_text("gemeinsam")
    expect(page.locator(".diff-inline")).to_contain_text("eingefügt:")
    expect(page.get_by_role("cell", name="Sportvereine ergänzt, Hinweis aus der Fachrunde.")).to_be_visible()
    assert axe(page) == []

    page.get_by_label("von Fassung", exact=True).select_option("2")
    page.get_by_label("bis Fassung", exact=True).select_option("1")
    page.get_by_role("button", name="Vergleichen").click()
    expect(page.get_by_role("heading", name="Änderungen von Fassung 2 zu Fassung 1")).to_be_visible()
    expect(page.locator(".diff-inline del").first).to_contain_text("gemeinsam")
    assert axe(page) == []
