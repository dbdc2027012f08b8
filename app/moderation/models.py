"""Flags (Meldungen) of contributions by users, worked by the moderation."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class Flag(SQLModel, table=True):
    """A user's report of a comment or idea; one per user and target. `resolved_at` is set when the
    moderation hides the contribution or dismisses the flags."""

    __tablename__ = "flag"
    __table_args__ = (
        CheckConstraint("(comment_id IS NULL) <> (idea_id IS NULL)", name="one_target"),
        UniqueConstraint("user_id", "comment_id"),
        UniqueConstraint("user_id", "idea_id"),
        Index("ix_flag_open_comment", "resolved_at", "comment_id"),
        Index("ix_flag_open_idea", "resolved_at", "idea_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    comment_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("comment.id"), nullable=True))
    idea_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("idea.id"), nullable=True))
    reason: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolution: str | None = Field(default=None, max_length=16)  # hidden | dismissed
