"""Input shapes of the site pages and barrier reports."""

from typing import Literal

from pydantic import BaseModel, Field

from app.validation import Line, Text


class PageEdit(BaseModel):
    body: Text = Field(min_length=1, max_length=100_000)
    note: Line = Field(default="", max_length=300)
    base_version: int = Field(ge=1, le=1_000_000)  # the version the editor started from (lost-update check)
    renews_consent: bool = False


class BarrierIn(BaseModel):
    page: Line = Field(min_length=1, max_length=500)
    description: Text = Field(min_length=3, max_length=5000)
    contact: Line | None = Field(default=None, max_length=254)


class BarrierStatusIn(BaseModel):
    status: Literal["neu", "in_bearbeitung", "erledigt"]
