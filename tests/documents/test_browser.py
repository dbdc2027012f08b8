"""A lead in a real browser: edits a draft with live preview, publishes, and reads the diff; axe-core clean."""

import re

from playwright.sync_api import expect

from tests.browser.fixtures import browser_login
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


def test_lead_edits_previews_publishes_and_reads_the_diff(page, axe):
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


def test_structure_editions_and_conflict_pages_are_accessible(page, axe):
    lead = make_user("lead", name="Jonas Albrecht", organisation="Jugendamt")
    section_id = _setup_section(lead)
    browser_login(page, lead)

    page.goto("/konzeption/rahmenkonzeption/gliederung")
    page.get_by_label("Neuer Abschnitt in Kapitel 1").fill("Präventionsketten im Quartier")
    page.get_by_role("button", name="Abschnitt anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("1.2 Präventionsketten im Quartier")
    page.goto("/konzeption/rahmenkonzeption/gliederung")
    page.locator(".structure-sections li").nth(1).get_by_role("button", name=re.compile("Nach oben")).click()
    expect(page.locator(".structure-sections li").first).to_contain_text("1.1 Präventionsketten im Quartier")
    assert axe(page) == []

    page.goto("/konzeption/rahmenkonzeption/gesamtfassungen")
    page.get_by_label("Titel der Gesamtfassung").fill("Entwurf 1 – Januar 2023")
    page.get_by_role("button", name="Gesamtfassung veröffentlichen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Entwurf 1 – Januar 2023")
    assert axe(page) == []

    # A colleague saves the draft while this editor is open: the save shows both texts side by side.
    page.goto(f"/abschnitte/{section_id}/entwurf")
    from app import db
    from app.documents import service
    from app.documents.schemas import DraftIn

    with db.new_session(writer=True) as s:
        draft = service.get_draft(s, section_id=section_id)
        service.save_draft(s, actor=lead, section_id=section_id, data=DraftIn(
            title=draft.title, body="Text der Kollegin.", revision=draft.revision))
    page.get_by_label("Text (Markdown)").fill("Mein Text.")
    page.get_by_role("button", name="Entwurf speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("inzwischen von jemand anderem gespeichert")
    expect(page.get_by_label("Gespeicherter Entwurf (Stand 2)")).to_have_value("Text der Kollegin.")
    expect(page.get_by_label("Ihr ungespeicherter Text")).to_have_value("Mein Text.")
    assert axe(page) == []


def test_lead_imports_a_draft_from_a_file_with_a_preview(page, axe, tmp_path):
    from tests.browser.fixtures import page_width
    from tests.documents.test_import import SAMPLES

    lead = make_user("lead", name="Dr. Miriam Kessler", organisation="Gesundheitsamt")
    _setup_section(lead)
    upload = tmp_path / "entwurf.docx"
    upload.write_bytes(SAMPLES["entwurf.docx"])
    browser_login(page, lead)
    page.goto("/konzeption/rahmenkonzeption/gliederung")
    page.get_by_role("link", name=re.compile("Kapitel aus Datei übernehmen")).click()
    assert axe(page) == []
    page.get_by_label("Datei").set_input_files(str(upload))
    page.get_by_role("button", name="Vorschau anzeigen").click()
    expect(page.get_by_role("heading", name="Vorschau des Imports")).to_be_visible()
    expect(page.get_by_role("heading", name="Leitbild")).to_be_visible()
    assert axe(page) == []
    page.set_viewport_size({"width": 320, "height": 640})
    assert page_width(page) <= 320
    page.get_by_role("button", name="Übernehmen").click()
    expect(page.get_by_text("Der Entwurf ist übernommen.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Handlungsfelder"))).to_be_visible()
