"""API shapes of Stellungnahmen."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from app.responses.models import ResponseStatus
from app.validation import Name, Text, filled

MAX_TEXT = 10_000


class ResponseIn(BaseModel):
    status: ResponseStatus
    text: Text = Field(min_length=1, max_length=MAX_TEXT)
    version_id: int | None = Field(default=None, ge=1)

    _filled = field_validator("text")(filled)


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


# --- the workbench of the three offices ----------------------------------------------------------

class UnitIn(BaseModel):
    name: Name = Field(min_length=1, max_length=120)

    _filled = field_validator("name")(filled)


class UnitPatch(BaseModel):
    name: Name | None = Field(default=None, min_length=1, max_length=120)
    active: bool | None = None

    _filled = field_validator("name")(filled)


class UnitOut(BaseModel):
    id: int
    name: str
    active: bool


class AssignIn(BaseModel):
    unit_id: int | None = Field(default=None, ge=1)
    assignee_id: int | None = Field(default=None, ge=1)


class NoteIn(BaseModel):
    body: Text = Field(min_length=1, max_length=MAX_TEXT)

    _filled = field_validator("body")(filled)


class NoteOut(BaseModel):
    id: int
    target: Literal["comment", "idea"]
    target_id: int
    body: str
    author: str
    created_at: datetime


class DraftOut(BaseModel):
    state: Literal["draft", "approved"]
    status: ResponseStatus
    text: str
    version_id: int | None


class CaseworkOut(BaseModel):
    """The leads' internal handling of a contribution (never shown to anyone else)."""

    target: Literal["comment", "idea"]
    target_id: int
    unit_id: int | None
    unit: str | None
    assignee_id: int | None
    assignee: str | None
    draft: DraftOut | None
    notes: list[NoteOut]


class UnitProgressOut(BaseModel):
    unit_id: int | None
    name: str
    answered: int
    total: int


class GroupMemberOut(BaseModel):
    target: Literal["comment", "idea"]
    target_id: int
    excerpt: str
    answered: bool


class GroupOut(BaseModel):
    number: int
    terms: list[str]
    members: list[GroupMemberOut]


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
