"""Stellungnahmen: the project lead's official response to a contribution (comment or idea), with history."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, Text, text
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow
from app.web.i18n import N_


class ResponseStatus(StrEnum):
    accepted = "accepted"  # berücksichtigt
    partly = "partly"      # teilweise berücksichtigt
    rejected = "rejected"  # nicht berücksichtigt
    noted = "noted"        # zur Kenntnis genommen


STATUS_LABELS = {"accepted": N_("berücksichtigt"), "partly": N_("teilweise berücksichtigt"),
                 "rejected": N_("nicht berücksichtigt"), "noted": N_("zur Kenntnis genommen")}


class Response(SQLModel, table=True):
    """One revision of a Stellungnahme. Exactly one revision per contribution is current (invariant 5):
    a partial unique index per target kind enforces it; older revisions stay as the history."""

    __tablename__ = "response"
    __table_args__ = (
        CheckConstraint("(comment_id IS NULL) <> (idea_id IS NULL)", name="one_target"),
        CheckConstraint("status IN ('accepted', 'partly', 'rejected', 'noted')", name="status"),
        Index("uq_response_current_comment", "comment_id", unique=True,
              sqlite_where=text("is_current"), postgresql_where=text("is_current")),
        Index("uq_response_current_idea", "idea_id", unique=True,
              sqlite_where=text("is_current"), postgresql_where=text("is_current")),
        Index("ix_response_comment_revision", "comment_id", "revision"),
        Index("ix_response_idea_revision", "idea_id", "revision"),
    )

    id: int | None = Field(default=None, primary_key=True)
    comment_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("comment.id"), nullable=True))
    idea_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("idea.id"), nullable=True))
    status: str = Field(max_length=16)
    text: str = Field(sa_type=Text)
    version_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("section_version.id"),
                                                                  nullable=True, index=True))
    revision: int = 1
    is_current: bool = True
    author_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


# --- the workbench of the three offices: units, assignment, answer drafts, internal notes ------------------

DEFAULT_UNITS = ("Gesundheitsamt", "Jugendamt", "Sozialamt")


class DraftState(StrEnum):
    draft = "draft"        # Entwurf
    approved = "approved"  # freigegeben (published: the draft becomes the current Response and goes)


DRAFT_STATE_LABELS = {"draft": N_("Entwurf"), "approved": N_("freigegeben")}


class Unit(SQLModel, table=True):
    """A responsible unit (Zuständigkeit), by default the three offices; administrators manage the list."""

    __tablename__ = "responsible_unit"
    __table_args__ = (Index("uq_responsible_unit_name", "name", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    position: int = 0
    active: bool = True


class Casework(SQLModel, table=True):
    """The leads' internal handling of one contribution: its unit and assignee, and the answer being prepared
    (draft → approved; publishing makes it the current Response). Never shown to anyone but leads, except the
    unit's name (Zuständigkeit) in the Abwägungstabelle."""

    __tablename__ = "casework"
    __table_args__ = (
        CheckConstraint("(comment_id IS NULL) <> (idea_id IS NULL)", name="one_target"),
        CheckConstraint("draft_state IS NULL OR draft_state IN ('draft', 'approved')", name="draft_state"),
        CheckConstraint("draft_status IS NULL OR draft_status IN ('accepted', 'partly', 'rejected', 'noted')",
                        name="draft_status"),
        Index("uq_casework_comment", "comment_id", unique=True),
        Index("uq_casework_idea", "idea_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    comment_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("comment.id"), nullable=True))
    idea_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("idea.id"), nullable=True))
    unit_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("responsible_unit.id"),
                                                               nullable=True, index=True))
    assignee_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("user_account.id"),
                                                                   nullable=True, index=True))
    draft_state: str | None = Field(default=None, max_length=16)
    draft_status: str | None = Field(default=None, max_length=16)
    draft_text: str | None = Field(default=None, sa_type=Text)
    draft_version_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("section_version.id"),
                                                                        nullable=True))
    drafted_by_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("user_account.id"),
                                                                     nullable=True))
    approved_by_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("user_account.id"),
                                                                      nullable=True))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class InternalNote(SQLModel, table=True):
    """A lead's internal note on a contribution: only leads ever see it (no page, export or search of others)."""

    __tablename__ = "internal_note"
    __table_args__ = (CheckConstraint("(comment_id IS NULL) <> (idea_id IS NULL)", name="one_target"),)

    id: int | None = Field(default=None, primary_key=True)
    comment_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("comment.id"), nullable=True,
                                                                  index=True))
    idea_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("idea.id"), nullable=True,
                                                               index=True))
    author_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("user_account.id"),
                                                                 nullable=True, index=True))
    body: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
