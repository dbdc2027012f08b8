"""Rounds and sections for the idea tests, made directly in the database (the rounds domain is tested apart)."""

from datetime import timedelta

import pytest

from app import db
from app.documents.models import Chapter, Document, Draft, Section, SectionVersion
from app.rounds.models import Round


def _document_id(s) -> int:
    """The document the rounds and sections belong to, created on first use."""
    doc = s.exec(Document.__table__.select()).first()
    if doc is not None:
        return doc.id
    d = Document(slug="rahmenkonzeption", title="Rahmenkonzeption")
    s.add(d)
    s.flush()
    return d.id


def make_round(*, open_now: bool = True, audience: str = "residents", title: str = "Ideen für die Quartiere",
               starts_in_days: int = 7) -> int:
    now = db.utcnow()
    with db.new_session(writer=True) as s:
        doc_id = _document_id(s)
        if open_now:
            r = Round(document_id=doc_id, title=title, opens_at=now - timedelta(days=1),
                      closes_at=now + timedelta(days=30), audience=audience, state="open")
        else:
            r = Round(document_id=doc_id, title=title, opens_at=now + timedelta(days=starts_in_days),
                      closes_at=now + timedelta(days=starts_in_days + 30), audience=audience, state="planned")
        s.add(r)
        s.commit()
        return r.id


def make_section(title: str = "Begegnungsorte im Quartier") -> int:
    with db.new_session(writer=True) as s:
        doc_id = _document_id(s)
        chapter = Chapter(document_id=doc_id, position=1, title="Handlungsfelder")
        s.add(chapter)
        s.flush()
        section = Section(chapter_id=chapter.id, position=1, title=title, current_number=1)  # published
        s.add(section)
        s.flush()
        s.add(Draft(section_id=section.id, title=title, body="Text"))
        s.add(SectionVersion(section_id=section.id, number=1, title=title, body="Text", html="<p>Text</p>"))
        s.commit()
        return section.id


@pytest.fixture
def open_round() -> int:
    return make_round()
