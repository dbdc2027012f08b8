"""API shapes of Stellungnahmen."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from app.responses.models import ResponseStatus
from app.validation import Text

MAX_TEXT = 10_000


class ResponseIn(BaseModel):
    status: ResponseStatus
    text: Text = Field(min_length=1, max_length=MAX_TEXT)
    version_id: int | None = Field(default=None, ge=1)

    @field_validator("text")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("Bitte ausfüllen.")
        return value


class VersionRef(BaseModel):
    id: int
    section_id: int
    number: int


class RevisionOut(BaseModel):
    revision: int
    status: ResponseStatus
    status_label: str
    text: str
    version: VersionRef | None
    author: str | None
    created_at: datetime


class ResponseOut(RevisionOut):
    id: int
    target: Literal["comment", "idea"]
    target_id: int
    version_id: int | None
    history: list[RevisionOut] = []


class MyResponseOut(BaseModel):
    status: str
    status_label: str
    text: str
    revision: int
    created_at: datetime
    version: dict | None = None


class MyContributionOut(BaseModel):
    """One of the caller's contributions (comment, idea) or votes, with its Stellungnahme and status."""

    kind: str  # comment | idea | vote
    id: int
    title: str
    excerpt: str
    url: str
    created_at: datetime
    status: str  # open | reviewing | accepted | partly | rejected | noted | withdrawn | hidden ("" for votes)
    status_label: str
    round_id: int | None
    round_title: str
    edited: bool
    response: MyResponseOut | None
    vote: int | None
