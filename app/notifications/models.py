"""The mail outbox: messages are stored in the same transaction as what caused them."""

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"

    id: int | None = Field(default=None, primary_key=True)
    to_email: str = Field(max_length=254)
    subject: str = Field(max_length=200)
    body: str = Field(sa_type=Text)
    kind: str = Field(default="general", max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    attempts: int = 0
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    last_error: str | None = Field(default=None, sa_type=Text)
    # Held for the person's daily digest instead of being sent alone (see notices.assemble_digests).
    digest: bool = False
    # What the message is about ("comment:12", "response:3"): checked again just before delivery, so that the
    # text of something withdrawn or hidden meanwhile is never sent (see service.STILL_SHOWN).
    ref: str | None = Field(default=None, max_length=40)
    # Not sent because what it was about is gone; its body is emptied.
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # one optional text attachment (an .ics invitation): file name, MIME type, content
    attachment_name: str | None = Field(default=None, max_length=120)
    attachment_type: str | None = Field(default=None, max_length=80)
    attachment: str | None = Field(default=None, sa_type=Text)


class NoticeMark(SQLModel, table=True):
    """Something that must happen once only (a round's opening notice, its 24-hour reminder) or at most so often
    (the moderators' flag batch): the primary key makes the first writer win, also between parallel workers."""

    __tablename__ = "notice_mark"

    key: str = Field(primary_key=True, max_length=160)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
