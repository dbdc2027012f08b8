"""Beteiligungsrunden: time-boxed consultations on given sections for a given audience."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class Audience(StrEnum):
    experts = "experts"      # invited experts only
    residents = "residents"  # registered residents too
    public = "public"        # everyone with an account, and the ideas of residents


class RoundState(StrEnum):
    planned = "planned"
    open = "open"
    closed = "closed"
    evaluated = "evaluated"


class Round(SQLModel, table=True):
    """A Beteiligungsrunde. `state` is the lead's last decision; time moves planned → open → closed too."""

    __tablename__ = "round"
    __table_args__ = (
        CheckConstraint("audience IN ('experts', 'residents', 'public')", name="audience"),
        CheckConstraint("state IN ('planned', 'open', 'closed', 'evaluated')", name="state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_type=Text)
    opens_at: datetime = Field(sa_type=UTCDateTime)
    closes_at: datetime = Field(sa_type=UTCDateTime)
    audience: str = Field(max_length=16)
    state: str = Field(default="planned", max_length=16)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RoundSection(SQLModel, table=True):
    """A section in the scope of a round."""

    __tablename__ = "round_section"
    __table_args__ = (UniqueConstraint("round_id", "section_id"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    section_id: int = Field(foreign_key="section.id", index=True)


class RoundFollow(SQLModel, table=True):
    """A person follows a round: mail when it opens and 24 hours before it closes."""

    __tablename__ = "round_follow"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
