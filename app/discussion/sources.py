"""What the discussion reads from the documents domain: sections, versions, paragraphs, paragraph fates."""

from sqlmodel import Session, select

from app.documents import service as documents
from app.documents.models import Paragraph, Section, SectionVersion
from app.errors import NotFound


def get_section(session: Session, section_id: int) -> Section:
    return documents.get_section(session, section_id)


def current_version(session: Session, section: Section) -> SectionVersion | None:
    return documents.current_version(session, section.id)


def version(session: Session, section_id: int, number: int) -> SectionVersion | None:
    try:
        return documents.get_version(session, section_id, number)
    except NotFound:
        return None


def versions_by_id(session: Session, ids: set[int]) -> dict[int, SectionVersion]:
    if not ids:
        return {}
    return {v.id: v for v in session.exec(select(SectionVersion).where(SectionVersion.id.in_(ids))).all()}


def paragraphs(session: Session, version_id: int) -> list[Paragraph]:
    return documents.paragraphs_of(session, version_id)


def paragraph(session: Session, version_id: int, anchor: str) -> Paragraph | None:
    return session.exec(select(Paragraph).where(Paragraph.version_id == version_id,
                                                Paragraph.anchor == anchor)).first()


def paragraph_fates(session: Session, *, section_id: int, pairs: set[tuple[int, str]],
                    to_number: int) -> dict[tuple[int, str], tuple[str, str | None]]:
    """(version number, anchor) → (unchanged|changed|removed, anchor in version to_number)."""
    if not pairs:
        return {}
    return documents.paragraph_fates(session, section_id=section_id, anchors=sorted(pairs),
                                     to_version_number=to_number)
