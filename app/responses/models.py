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
