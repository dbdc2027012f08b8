"""Werkstätten: on-site workshops of a round, with registrations, a waiting list, minutes and attachments."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class RegistrationStatus(StrEnum):
    confirmed = "confirmed"
    waiting = "waiting"
    cancelled = "cancelled"


class Event(SQLModel, table=True):
    """A Werkstatt of a round at a venue, in a Stadtbezirk (and optionally one of its Stadtteile)."""

    __tablename__ = "event"
    __table_args__ = (CheckConstraint("capacity >= 1", name="capacity"),
                      CheckConstraint("ends_at > starts_at", name="times"))

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_type=Text)
    district_id: int = Field(foreign_key="district.id", index=True)
    quarter_id: int | None = Field(default=None, foreign_key="quarter.id")
    venue: str = Field(max_length=200)
    address: str = Field(max_length=300)
    lat: float | None = None  # the venue on the map (WGS84), set by pointing like an idea's place; optional
    lon: float | None = None
    step_free: bool = False
    induction_loop: bool = False
    interpreting: bool = False
    childcare: bool = False
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    capacity: int
    registration_open: bool = True
    online_url: str | None = Field(default=None, max_length=500)
    cancelled: bool = False
    minutes: str = Field(default="", sa_type=Text)
    sequence: int = 0  # iCalendar SEQUENCE: raised by every change calendar apps must take over
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class EventRegistration(SQLModel, table=True):
    """A person's registration for a Werkstatt (one per person and event; cancelled rows are reused)."""

    __tablename__ = "event_registration"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),
                      CheckConstraint("status IN ('confirmed', 'waiting', 'cancelled')", name="status"),
                      CheckConstraint("people >= 1", name="people"))

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    name: str = Field(max_length=120)
    people: int = 1
    interpreting_language: str = Field(default="", max_length=80)
    sign_language: bool = False
    barrier_free_seat: bool = False
    childcare: bool = False
    status: str = Field(default="waiting", max_length=16)
    queued_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)  # order on the waiting list
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class EventAttachment(SQLModel, table=True):
    """A file of the minutes (PDF or image), stored base64-encoded (the platform export is JSON)."""

    __tablename__ = "event_attachment"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=40)
    size: int
    data: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
