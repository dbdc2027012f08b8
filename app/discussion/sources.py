"""What the discussion reads from other domains: sections, versions, paragraphs, paragraph fates, and the one-query
checks of a write (section or comment with the rounds covering it)."""

from sqlalchemy import bindparam
from sqlalchemy.orm import defer, load_only
from sqlmodel import Session, select

from app.db import held
from app.discussion.models import Comment
from app.documents import service as documents
from app.documents.models import Paragraph, Section, SectionVersion
from app.errors import NotFound
from app.rounds import service as rounds
from app.rounds.models import Round
from app.web.i18n import gettext as _


def get_section(session: Session, section_id: int) -> Section:
    return documents.get_section(session, section_id)


def section_and_current(session: Session, section_id: int) -> tuple[Section, SectionVersion | None]:
    return documents.section_and_current(session, section_id)


# The two checks of a write, built once with parameters (building a statement per request costs more than
# running it): the section, its current version and the rounds covering it; a comment, its section, rounds.
_SECTION_FOR_POSTING = rounds.with_rounds(
    documents.section_and_current_query(bindparam("section_id")).options(  # texts only if a quote needs them
        defer(SectionVersion.body), defer(SectionVersion.html)), Section.id)
_COMMENT_FOR_VOTING = rounds.with_rounds(
    select(Comment, Section).outerjoin(Section, Section.id == Comment.section_id)
    .where(Comment.id == bindparam("comment_id")), Comment.section_id).options(
    # what a vote's check and answer read: not the texts (a comment's body and html are most of its row)
    load_only(Comment.section_id, Comment.idea_id, Comment.author_id, Comment.amendment, Comment.withdrawn_at,
              Comment.hidden_at, Comment.erased, Comment.up_count, Comment.down_count),
    defer(Round.description))


def section_for_posting(session: Session, section_id: int) -> tuple[Section, SectionVersion | None, list[Round]]:
    """The section, its current version and the rounds covering it, in one query (404 for no section)."""
    rows = session.exec(_SECTION_FOR_POSTING, params={"section_id": section_id}).all()
    if not rows:
        raise NotFound(_("Diesen Abschnitt gibt es nicht."))
    return _with_rounds(rows)


def comment_for_voting(session: Session, comment_id: int) -> tuple[Comment | None, Section | None, list[Round]]:
    """A comment, its section (None on ideas) and the rounds covering that section, in one query."""
    rows = session.exec(_COMMENT_FOR_VOTING, params={"comment_id": comment_id}).all()
    if not rows:
        return None, None, []
    return _with_rounds(rows)


def _with_rounds(rows) -> tuple:
    """Rows of (a, b, round or None), one per round: a, b and the rounds."""
    return rows[0][0], rows[0][1], [row[2] for row in rows if row[2] is not None]


def current_version(session: Session, section: Section) -> SectionVersion | None:
    return documents.current_version(session, section.id)


def version(session: Session, section_id: int, number: int) -> SectionVersion | None:
    try:
        return documents.get_version(session, section_id, number)
    except NotFound:
        return None


def versions_by_id(session: Session, ids: set[int]) -> dict[int, SectionVersion]:
    versions, missing = held(session, SectionVersion, ids)
    if missing:
        versions.update((v.id, v) for v in session.exec(select(SectionVersion).where(SectionVersion.id.in_(missing))))
    return versions


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
