"""Ideas of residents for their Quartier."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, Text
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class Category(StrEnum):
    begegnung = "begegnung"                        # Begegnung und Nachbarschaft
    wohnen = "wohnen"                              # Wohnen
    gesundheit = "gesundheit"                      # Gesundheit und Pflege
    kinder_jugend_familie = "kinder_jugend_familie"  # Kinder, Jugend und Familie
    bildung = "bildung"                            # Bildung
    aelterwerden = "aelterwerden"                  # Älterwerden
    inklusion = "inklusion"                        # Inklusion und Teilhabe
    mobilitaet_raum = "mobilitaet_raum"            # Mobilität und öffentlicher Raum
    kultur_sport = "kultur_sport"                  # Kultur und Sport
    sonstiges = "sonstiges"                        # Sonstiges


class IdeaStatus(StrEnum):
    """The one status ("Stand") of an idea. The last four are the official response's statuses: an idea's
    Stellungnahme sets them and setting them writes the Stellungnahme (README, "One status for an idea")."""

    received = "received"      # eingegangen
    reviewing = "reviewing"    # in Prüfung
    adopted = "adopted"        # berücksichtigt (response: accepted)
    partly = "partly"          # teilweise berücksichtigt (response: partly)
    declined = "declined"      # nicht berücksichtigt (response: rejected)
    noted = "noted"            # zur Kenntnis genommen (response: noted)


# The official response's status ⇄ the idea's status (one vocabulary per table, one meaning).
RESPONSE_TO_STATUS = {"accepted": "adopted", "partly": "partly", "rejected": "declined", "noted": "noted"}
STATUS_TO_RESPONSE = {value: key for key, value in RESPONSE_TO_STATUS.items()}
OPEN_STATUSES = (IdeaStatus.received.value, IdeaStatus.reviewing.value)


class Idea(SQLModel, table=True):
    __tablename__ = "idea"
    __table_args__ = (
        CheckConstraint("status IN ('received', 'reviewing', 'adopted', 'partly', 'declined', 'noted')",
                        name="status"),
        CheckConstraint("(lat IS NULL) = (lon IS NULL)", name="point"),
        # Covering indexes of the maps: the counts per Stadtteil and the points are read from the index alone.
        Index("ix_idea_quarter_visible", "quarter_id", "hidden_at", "withdrawn_at"),
        Index("ix_idea_located", "lat", "lon", "hidden_at", "withdrawn_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    author_id: int = Field(foreign_key="user_account.id", index=True)
    quarter_id: int = Field(foreign_key="quarter.id", index=True)
    round_id: int | None = Field(default=None, foreign_key="round.id", index=True)
    section_id: int | None = Field(default=None, foreign_key="section.id", index=True)
    title: str = Field(max_length=160)
    body: str = Field(sa_type=Text)
    html: str = Field(sa_type=Text)
    category: str = Field(max_length=32, index=True)
    status: str = Field(default="received", max_length=16, index=True)
    status_reason: str = Field(default="", sa_type=Text)
    lat: float | None = None
    lon: float | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    hidden_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    hidden_reason: str | None = Field(default=None, sa_type=Text)
    edited_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Denormalised counters, kept by the discussion service in the same transaction as the vote or comment.
    support_count: int = 0
    comment_count: int = 0
    # Recorded from outside the platform (see app/ideas/offline.py and Comment).
    source: str | None = Field(default=None, max_length=16)
    source_label: str | None = Field(default=None, max_length=160)
    source_date: date | None = None
    given_author: str | None = Field(default=None, max_length=160)
    recorded_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=True))
    # Recorded from a Werkstatt of the platform: the event (source "werkstatt"; label and day are the event's).
    event_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("event.id"), nullable=True, index=True))


class IdeaStatusChange(SQLModel, table=True):
    """History of status changes, each with its written reason."""

    __tablename__ = "idea_status_change"

    id: int | None = Field(default=None, primary_key=True)
    idea_id: int = Field(foreign_key="idea.id", index=True)
    status: str = Field(max_length=16)
    reason: str = Field(sa_type=Text)
    section_id: int | None = Field(default=None, foreign_key="section.id")
    changed_by_id: int = Field(foreign_key="user_account.id")
    changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class IdeaEdit(SQLModel, table=True):
    """What an idea said before its author edited it (the history behind "bearbeitet")."""

    __tablename__ = "idea_edit"

    id: int | None = Field(default=None, primary_key=True)
    idea_id: int = Field(foreign_key="idea.id", index=True)
    title: str = Field(max_length=160)
    body: str = Field(sa_type=Text)
    category: str = Field(max_length=32)
    edited_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
