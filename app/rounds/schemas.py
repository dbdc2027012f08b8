"""API shapes of rounds."""

from datetime import datetime
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, field_validator

from app.rounds.models import Audience
from app.validation import Line, Name, Text, check_moment

BERLIN = ZoneInfo("Europe/Berlin")


def _berlin(value: datetime) -> datetime:
    """Times without an offset are meant in Europe/Berlin (as entered in the forms)."""
    return value.replace(tzinfo=BERLIN) if value.tzinfo is None else value


class RoundIn(BaseModel):
    document: Line = Field(min_length=1, max_length=80, description="slug or id of the document")
    title: Name = Field(min_length=3, max_length=200)
    description: Text = Field(default="", max_length=20_000)
    opens_at: datetime
    closes_at: datetime
    audience: Audience
    section_ids: list[int] = Field(min_length=1, max_length=500)

    @field_validator("document", mode="before")
    @classmethod
    def _document_as_text(cls, value):
        return str(value) if isinstance(value, int) else value

    @field_validator("title", "description")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("opens_at", "closes_at")
    @classmethod
    def _zone(cls, value: datetime) -> datetime:
        return check_moment(_berlin(value))


class RoundOut(BaseModel):
    id: int
    document_id: int
    document: str
    title: str
    description: str
    opens_at: datetime
    closes_at: datetime
    audience: Audience
    state: str
    stored_state: str
    section_ids: list[int]
    created_at: datetime
