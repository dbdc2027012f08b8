"""The English UI keeps German content marked lang="de"; dates and numbers follow the reader's locale (Babel)."""

import re
from datetime import UTC, datetime

from app import db
from app.documents import service as documents
from app.documents.schemas import ChapterIn, DocumentIn, SectionIn
from tests.discussion import factories
from tests.helpers import api_token, make_user, outbox
from tests.text import language_of, page_text

PUBLISHED = datetime(2023, 1, 5, 13, 30, tzinfo=UTC)  # 14:30 in Stuttgart
PARAGRAPHS = ["Quartiersarbeit stärkt Nachbarschaften in allen Stadtbezirken.",
              "Begegnungsorte sollen barrierefrei und für alle Generationen offen sein."]


def _section_of_january_2023() -> int:
    """A section whose version 1 was published on 5 January 2023, in a round open to everyone."""
    lead = factories.lead()
    with db.new_session(writer=True) as s:
        documents.create_document(s, actor=lead, data=DocumentIn(title="Rahmenkonzeption", slug="rahmenkonzeption",
                                                                 description=""))
        chapter = documents.create_chapter(s, actor=lead, slug="rahmenkonzeption", data=ChapterIn(title="Grundlagen"))
        section = documents.create_section(s, actor=lead, chapter_id=chapter.id,
                                           data=SectionIn(title="Ziele", body="\n\n".join(PARAGRAPHS)))
        documents.publish_version(s, actor=lead, section_id=section.id, change_summary="Erste Fassung",
                                  now=PUBLISHED)
    factories.round_([section.id], audience="public")
    return section.id


def _idea(client, **place) -> int:
    r = client.post("/api/v1/ideas", headers=api_token(client, make_user("resident")), json={
        "title": "Bänke am Marktplatz", "body": "Schattige Sitzplätze für Ältere.", "category": "begegnung",
        "quarter_id": 105, **place})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _section() -> int:
    section_id = factories.section(title="Ziele", paragraphs=PARAGRAPHS)
    factories.round_([section_id], audience="public")
    return section_id


def test_english_ui_marks_german_content_as_german(client):
    section_id = _section()
    anchor = factories.anchors(section_id)[1]
    r = client.post(f"/api/v1/sections/{section_id}/comments", headers=api_token(client, make_user("expert")),
                    json={"body": "Bitte auch an Spielplätze denken.", "paragraph": anchor,
                          "quote": "für alle Generationen"})
    assert r.status_code == 201, r.text
    idea_id = _idea(client)

    page = client.get(f"/abschnitte/{section_id}?lang=en").text
    assert language_of(page, "Skip to content") == "en"  # the interface is English …
    # … the document, the quote (marked in its paragraph) and the comment are German
    assert language_of(page, "Begegnungsorte sollen barrierefrei und") == "de"
    assert language_of(page, "für alle Generationen") == "de"
    assert language_of(page, "Bitte auch an Spielplätze denken.") == "de"
    assert language_of(page, "Ziele") == "de"
    for path in (f"/ideen/{idea_id}", "/ideen"):
        page = client.get(f"{path}?lang=en").text
        assert language_of(page, "Skip to content") == "en"
        assert language_of(page, "Bänke am Marktplatz") == "de"
    assert language_of(client.get(f"/ideen/{idea_id}?lang=en").text, "Schattige Sitzplätze") == "de"


def test_dates_follow_the_reader_s_locale(client):
    section_id = _section_of_january_2023()
    german = page_text(client.get(f"/abschnitte/{section_id}?lang=de").text)
    assert "Fassung 1 vom 5. Januar 2023" in german
    english = page_text(client.get(f"/abschnitte/{section_id}?lang=en").text)
    assert "January 5, 2023" in english and not re.search(r"\bJanuar\b|5\. January", english)
    history_de = page_text(client.get(f"/abschnitte/{section_id}/fassungen?lang=de").text)
    assert "5. Januar 2023, 14:30" in history_de
    history_en = page_text(client.get(f"/abschnitte/{section_id}/fassungen?lang=en").text)
    assert re.search(r"January 5, 2023, 2:30\sPM", history_en), history_en


def test_coordinates_use_the_locale_s_decimal_sign(client):
    _section()
    idea_id = _idea(client, lat=48.7758, lon=9.1829)
    german = page_text(client.get(f"/ideen/{idea_id}?lang=de").text)
    assert "48,77580 °N, 9,18290 °O" in german and "48.7758" not in german
    english = page_text(client.get(f"/ideen/{idea_id}?lang=en").text)
    assert "48.77580" in english and "9.18290" in english


def test_invitation_mail_gives_its_expiry_as_a_german_date(client):
    lead = make_user("lead")
    r = client.post("/api/v1/invitations", headers=api_token(client, lead), json={
        "email": "traeger@example.org", "organisation": "Caritas Stuttgart", "organisation_kind": "traeger"})
    assert r.status_code == 201, r.text
    body = outbox("traeger@example.org")[0].body
    assert re.search(r"gültig bis \d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|"
                     r"November|Dezember) \d{4}\)", body), body
    assert not re.search(r"\d{4}-\d{2}-\d{2}", body)
