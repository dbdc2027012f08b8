"""Input and output shapes of the documents domain."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.validation import Line, Name, Text

TITLE = Field(min_length=1, max_length=200)  # with the type Name
BODY_MAX = 100_000


def _line(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ValueError("Bitte ausfüllen.")
    return value


def _text(value: str) -> str:  # after check_text (the Text type)
    return value.replace("\r\n", "\n").replace("\r", "\n")


RESERVED_SLUGS = {"neu"}  # /konzeption/neu is the form for a new document


class DocumentIn(BaseModel):
    title: Name = TITLE
    slug: Line = Field(min_length=2, max_length=80, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    description: Text = Field(default="", max_length=5000)

    _clean_title = field_validator("title")(_line)
    _clean_description = field_validator("description")(_text)

    @field_validator("slug")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value in RESERVED_SLUGS:
            raise ValueError("Diese Kurzbezeichnung ist reserviert.")
        return value


class ChapterIn(BaseModel):
    title: Name = TITLE
    position: int | None = Field(default=None, ge=1, le=1000)

    _clean_title = field_validator("title")(_line)


class SectionIn(BaseModel):
    title: Name = TITLE
    body: Text = Field(default="", max_length=BODY_MAX)
    position: int | None = Field(default=None, ge=1, le=1000)

    _clean_title = field_validator("title")(_line)
    _clean_body = field_validator("body")(_text)


class Rename(BaseModel):
    title: Name = TITLE

    _clean_title = field_validator("title")(_line)


class Move(BaseModel):
    """A new 1-based position (API), or one step up or down (pages)."""

    position: int | None = Field(default=None, ge=1, le=1000)
    direction: Literal["up", "down"] | None = None


class StructureChange(BaseModel):
    """Rename and/or move (API PATCH)."""

    title: Name | None = Field(default=None, min_length=1, max_length=200)
    position: int | None = Field(default=None, ge=1, le=1000)

    @field_validator("title")
    @classmethod
    def _clean_title(cls, value: str | None) -> str | None:
        return None if value is None else _line(value)


class DraftIn(BaseModel):
    title: Name = TITLE
    body: Text = Field(max_length=BODY_MAX)
    revision: int = Field(ge=0, le=2_147_483_647)

    _clean_title = field_validator("title")(_line)
    _clean_body = field_validator("body")(_text)


class PublishIn(BaseModel):
    change_summary: Text = Field(min_length=3, max_length=4000)
    addresses: list[int] = Field(default_factory=list, max_length=200)
    revision: int | None = Field(default=None, ge=0, le=2_147_483_647)

    _clean_summary = field_validator("change_summary")(_text)

    @field_validator("addresses")
    @classmethod
    def _positive(cls, value: list[int]) -> list[int]:
        if any(v < 1 or v > 2_147_483_647 for v in value):
            raise ValueError("Bitte nur gültige Beitragsnummern angeben.")
        return sorted(set(value))


class EditionIn(BaseModel):
    document: Line = Field(min_length=1, max_length=80)
    title: Name = TITLE

    _clean_title = field_validator("title")(_line)


# --- output -------------------------------------------------------------------------------------

class PersonOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    display_name: str
    role: str
    organisation: str | None = None


class ParagraphOut(BaseModel):
    anchor: str
    html: str
    text: str


class VersionSummaryOut(BaseModel):
    number: int
    title: str
    change_summary: str
    published_at: datetime
    published_by: PersonOut | None
    addresses: list[int] = []


class VersionOut(VersionSummaryOut):
    id: int
    section_id: int
    body: str
    html: str
    paragraphs: list[ParagraphOut]


class DraftOut(BaseModel):
    title: str
    body: str
    revision: int
    updated_at: datetime


class SectionBriefOut(BaseModel):
    id: int
    label: str
    title: str
    position: int
    current_version_number: int
    published_at: datetime | None = None


class SectionOut(BaseModel):
    id: int
    label: str
    title: str
    chapter_id: int
    document: str
    current_version: VersionOut | None
    draft: DraftOut | None = None


class ChapterOut(BaseModel):
    id: int
    number: int
    title: str
    position: int
    sections: list[SectionBriefOut]


class DocumentOut(BaseModel):
    id: int
    slug: str
    title: str
    description: str
    created_at: datetime
    chapters: list[ChapterOut] = []


class DiffOpOut(BaseModel):
    op: Literal["equal", "insert", "delete"]
    text: str


class DiffOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: int = Field(alias="from")
    to: int
    ops: list[DiffOpOut]
    html: str


class EditionSectionOut(BaseModel):
    section_id: int
    label: str
    chapter_title: str
    title: str
    version_number: int


class EditionOut(BaseModel):
    id: int
    document: str
    number: int
    title: str
    published_at: datetime
    published_by: PersonOut | None
    sections: list[EditionSectionOut] = []


class EditionChangeOut(BaseModel):
    section_id: int
    label: str
    title: str
    status: Literal["unchanged", "changed", "added", "removed"]
    from_version: int | None
    to_version: int | None
    diff: DiffOut | None = None


class EditionComparisonOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: int = Field(alias="from")
    to: int
    sections: list[EditionChangeOut]


class ImportedSectionIn(BaseModel):
    title: Name = TITLE
    body: Text = Field(default="", max_length=BODY_MAX)

    _clean_title = field_validator("title")(_line)
    _clean_body = field_validator("body")(_text)


class ImportedChapterIn(BaseModel):
    title: Name = TITLE
    sections: list[ImportedSectionIn] = Field(min_length=1, max_length=1000)

    _clean_title = field_validator("title")(_line)


class ImportIn(BaseModel):
    """A draft read from a file (app/documents/importing.py), as the lead confirmed it after the preview."""

    chapters: list[ImportedChapterIn] = Field(min_length=1, max_length=200)


class ImportedSectionOut(BaseModel):
    title: str
    body: str
    section_id: int | None = None


class ImportedChapterOut(BaseModel):
    title: str
    sections: list[ImportedSectionOut]
    chapter_id: int | None = None


class ImportOut(BaseModel):
    """The chapters and sections read from the file; with ids once stored (without, in a dry run)."""

    document: str
    title: str
    stored: bool
    chapters: list[ImportedChapterOut]
    notes: list[str]
