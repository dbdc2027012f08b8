"""Versions of the editable site pages, the consents given to them, and barrier reports (BITV 2.0 § 7)."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow

BARRIER_STATUSES = ("neu", "in_bearbeitung", "erledigt")


class SitePageVersion(SQLModel, table=True):
    """One saved version of a site page; the newest is shown. Version 1 of a page is its built-in default,
    stored (without editor) when the page is first edited. `renews_consent`: users who agreed to an earlier
    version are asked again at their next login (terms and privacy text only)."""

    __tablename__ = "site_page_version"
    __table_args__ = (UniqueConstraint("slug", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=40)
    number: int
    body: str = Field(sa_type=Text)
    note: str = Field(default="", max_length=300)
    renews_consent: bool = False
    editor_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Consent(SQLModel, table=True):
    """A person confirmed the Nutzungsbedingungen and took note of the Datenschutzerklärung in these versions."""

    __tablename__ = "consent"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="CASCADE"),
                                          nullable=False, index=True))
    terms_version: int
    privacy_version: int
    given_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    occasion: str = Field(max_length=16)  # register | invitation | login


class BarrierReport(SQLModel, table=True):
    """Feedback about a barrier on the site, sent by anyone; worked by administration and moderation."""

    __tablename__ = "barrier_report"
    __table_args__ = (CheckConstraint(f"status IN {BARRIER_STATUSES}", name="status"),)

    id: int | None = Field(default=None, primary_key=True)
    page: str = Field(max_length=500)
    description: str = Field(sa_type=Text)
    contact: str | None = Field(default=None, max_length=254)
    status: str = Field(default="neu", max_length=16, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
