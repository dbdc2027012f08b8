"""Comments (Beiträge) on section versions and ideas, their edit history, and votes (Stimmen)."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class Alignment(StrEnum):
    support = "support"      # Zustimmung
    objection = "objection"  # Einwand
    note = "note"            # Hinweis


class VoteTarget(StrEnum):
    section_version = "section_version"
    comment = "comment"
    idea = "idea"
    amendment = "amendment"  # an Änderungsvorschlag: a comment with proposed wording (stored as comment_id)


class AmendmentKind(StrEnum):
    replace = "replace"  # new wording for the paragraph
    after = "after"      # a new paragraph after it


class Comment(SQLModel, table=True):
    """A Beitrag. It belongs forever to the version (or idea) it was made on (invariant 2)."""

    __tablename__ = "comment"
    __table_args__ = (
        CheckConstraint("(section_version_id IS NULL) <> (idea_id IS NULL)", name="one_target"),
        CheckConstraint("alignment IN ('support', 'objection', 'note')", name="alignment"),
        # The section page lists a section's comments newest first, and counts them per paragraph.
        Index("ix_comment_section_created", "section_id", "created_at"),
        Index("ix_comment_version_anchor", "section_version_id", "paragraph_anchor"),
        Index("ix_comment_idea_created", "idea_id", "created_at"),
        # A page of threads (roots: parent_id IS NULL) of one version, or of a section's earlier versions, in
        # date order. Without these, SQLite picks the parent_id index for "IS NULL" (its statistics count each
        # NULL as distinct) and scans every root comment in the database: page cost grew with the data.
        Index("ix_comment_version_roots", "section_version_id", "parent_id", "created_at"),
        Index("ix_comment_section_roots", "section_id", "parent_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    section_version_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("section_version.id"), nullable=True))
    # Denormalised from the version so that a section's whole discussion is one indexed range.
    section_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("section.id"), nullable=True))
    idea_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("idea.id"), nullable=True))
    paragraph_anchor: str | None = Field(default=None, max_length=16)
    quote: str | None = Field(default=None, sa_type=Text)
    parent_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("comment.id"), nullable=True, index=True))
    # The thread's first comment (None for that comment itself): a page loads whole threads in one query.
    root_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("comment.id"), nullable=True, index=True))
    depth: int = 0
    round_id: int | None = Field(default=None, foreign_key="round.id", index=True)
    author_id: int = Field(foreign_key="user_account.id", index=True)
    alignment: str = Field(default="note", max_length=16)
    body: str = Field(sa_type=Text)
    html: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    edited_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    hidden_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    hidden_reason: str | None = Field(default=None, sa_type=Text)
    erased: bool = False
    # Denormalised vote counts, changed only by atomic increments in the vote's transaction.
    up_count: int = 0
    down_count: int = 0
    # Recorded from outside the platform (app/ideas/offline.py): how it came (None: online), a label such as the
    # Werkstatt's name, the day, the author as given (never an account) and the lead or facilitator who recorded
    # it (author_id is that person too, so that every join on the author keeps working; pages show given_author).
    source: str | None = Field(default=None, max_length=16)
    source_label: str | None = Field(default=None, max_length=160)
    source_date: date | None = None
    given_author: str | None = Field(default=None, max_length=160)
    recorded_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=True))
    # Recorded from a Werkstatt of the platform: the event (source "werkstatt"; label and day are the event's).
    event_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("event.id"), nullable=True, index=True))
    # An Änderungsvorschlag is a comment with proposed wording (issue 16): `amendment` says whether it replaces
    # the paragraph or adds one after it (None: an ordinary comment); `base_text` is the paragraph's text it was
    # made against (the diff shown, and how adoption finds the paragraph in the draft). `adopted_at`: the lead
    # took it into the draft; the next published version then takes it up (VersionAddress).
    amendment: str | None = Field(default=None, max_length=8)
    proposed_text: str | None = Field(default=None, sa_type=Text)
    base_text: str | None = Field(default=None, sa_type=Text)
    adopted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class CommentEdit(SQLModel, table=True):
    """The text a comment had before an edit (the history behind "bearbeitet")."""

    __tablename__ = "comment_edit"

    id: int | None = Field(default=None, primary_key=True)
    comment_id: int = Field(sa_column=Column(Integer, ForeignKey("comment.id"), nullable=False, index=True))
    body: str = Field(sa_type=Text)
    alignment: str = Field(max_length=16)
    edited_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Vote(SQLModel, table=True):
    """A Stimme: one per person and target, enforced by one unique constraint per target kind (invariant 3)."""

    __tablename__ = "vote"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN section_version_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN comment_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN idea_id IS NULL THEN 0 ELSE 1 END) = 1", name="one_target"),
        CheckConstraint("value IN (1, -1)", name="value"),
        UniqueConstraint("user_id", "section_version_id"),
        UniqueConstraint("user_id", "comment_id"),
        UniqueConstraint("user_id", "idea_id"),
        Index("ix_vote_section_version_value", "section_version_id", "value"),
        Index("ix_vote_comment_id", "comment_id"),
        Index("ix_vote_idea_id", "idea_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id")
    section_version_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("section_version.id"), nullable=True))
    comment_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("comment.id"), nullable=True))
    idea_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("idea.id"), nullable=True))
    value: int
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
