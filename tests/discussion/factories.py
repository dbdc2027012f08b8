"""Small helpers that build documents, versions and rounds through the services, as a lead would."""

from datetime import datetime, timedelta

from app import db
from app.db import utcnow
from app.documents import service as documents
from app.documents.schemas import ChapterIn, DocumentIn, DraftIn, SectionIn
from app.rounds import service as rounds
from app.rounds.schemas import RoundIn
from tests.conftest import make_user

PARAGRAPHS = [
    "Soziale Quartiersentwicklung stärkt Nachbarschaften in allen Stadtbezirken.",
    "Quartiersmanagement braucht verlässliche Finanzierung und feste Ansprechpersonen vor Ort.",
    "Begegnungsorte sollen barrierefrei und für alle Generationen offen sein.",
]


def lead():
    return make_user("lead", name="Lena Leitung")


def section(actor=None, *, paragraphs=None, title="Ziele der Quartiersentwicklung", slug="rahmenkonzeption"):
    """A document (if needed), a chapter and a section published as version 1. Returns the section id."""
    actor = actor or lead()
    with db.new_session(writer=True) as s:
        try:
            documents.get_document(s, slug)
        except Exception:
            documents.create_document(s, actor=actor, data=DocumentIn(title="Rahmenkonzeption", slug=slug,
                                                                      description=""))
        chapter = documents.create_chapter(s, actor=actor, slug=slug, data=ChapterIn(title="Grundlagen"))
        sec = documents.create_section(s, actor=actor, chapter_id=chapter.id,
                                       data=SectionIn(title=title, body="\n\n".join(paragraphs or PARAGRAPHS)))
        documents.publish_version(s, actor=actor, section_id=sec.id, change_summary="Erste Fassung")
        return sec.id


def publish(section_id: int, paragraphs: list[str], actor=None, summary="Überarbeitet nach der Runde") -> int:
    """Publish a new version with these paragraphs; returns its number."""
    actor = actor or lead()
    with db.new_session(writer=True) as s:
        draft = documents.get_draft(s, section_id=section_id)
        documents.save_draft(s, actor=actor, section_id=section_id,
                             data=DraftIn(title=draft.title, body="\n\n".join(paragraphs), revision=draft.revision))
        return documents.publish_version(s, actor=actor, section_id=section_id, change_summary=summary).number


def anchors(section_id: int, number: int | None = None) -> list[str]:
    with db.new_session() as s:
        sec = documents.get_section(s, section_id)
        version = documents.get_version(s, section_id, number or sec.current_number)
        return [p.anchor for p in documents.paragraphs_of(s, version.id)]


def version_id(section_id: int, number: int | None = None) -> int:
    with db.new_session() as s:
        sec = documents.get_section(s, section_id)
        return documents.get_version(s, section_id, number or sec.current_number).id


def round_(section_ids, *, audience="experts", opens_at: datetime | None = None, closes_at: datetime | None = None,
           actor=None, title="Expert*innenrunde Herbst"):
    """A round over these sections; by default open now for a week."""
    actor = actor or lead()
    now = utcnow()
    with db.new_session(writer=True) as s:
        return rounds.create_round(s, actor=actor, data=RoundIn(
            document="rahmenkonzeption", title=title, description="", audience=audience,
            opens_at=opens_at or now - timedelta(hours=1), closes_at=closes_at or now + timedelta(days=7),
            section_ids=list(section_ids)))
