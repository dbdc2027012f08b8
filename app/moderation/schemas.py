"""API shapes of flags and moderation."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from app.validation import Text

Target = Literal["comment", "idea"]


def _strip(value: str) -> str:
    value = value.strip()
    if len(value) < 3:
        raise ValueError("Bitte geben Sie einen Grund an (mindestens 3 Zeichen).")
    return value


class FlagIn(BaseModel):
    target: Target
    target_id: int = Field(ge=1)
    reason: Text = Field(min_length=1, max_length=1000)

    _reason = field_validator("reason")(_strip)


class FlagOut(BaseModel):
    id: int
    target: Target
    target_id: int
    reason: str
    created_at: datetime


class ReasonIn(BaseModel):
    reason: Text = Field(min_length=1, max_length=2000)

    _reason = field_validator("reason")(_strip)


class OptionalReasonIn(BaseModel):
    reason: Text = Field(default="", max_length=2000)


class BlockIn(BaseModel):
    days: int = Field(ge=1, le=3650)
    reason: Text = Field(min_length=1, max_length=2000)

    _reason = field_validator("reason")(_strip)


class QueueReason(BaseModel):
    reason: str
    created_at: datetime


class QueueItem(BaseModel):
    target: Target
    target_id: int
    flaggers: int
    first_flagged_at: datetime
    last_flagged_at: datetime
    reasons: list[QueueReason]
    excerpt: str | None
    author_id: int | None
    author: str | None
    hidden: bool
    url: str


class ModerationOut(BaseModel):
    target: Target
    target_id: int
    hidden: bool
    hidden_at: datetime | None
    hidden_reason: str | None


class BlockOut(BaseModel):
    user_id: int
    blocked_until: datetime | None
