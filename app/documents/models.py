"""The Rahmenkonzeption: documents, chapters, sections, drafts, immutable versions, paragraphs, editions."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, Text, UniqueConstraint, event
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class Document(SQLModel, table=True):
    __tablename__ = "document"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True)
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Chapter(SQLModel, table=True):
    """A Kapitel; numbered by position within its document."""

    __tablename__ = "chapter"

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    position: int = 0
    title: str = Field(max_length=200)


class Section(SQLModel, table=True):
    """An Abschnitt; numbered "chapter.position". `current_number` is 0 until the first version.

    `title` is the title shown in the table of contents: set on creation, rename and publish.
    """

    __tablename__ = "section"

    id: int | None = Field(default=None, primary_key=True)
    chapter_id: int = Field(foreign_key="chapter.id", index=True)
    position: int = 0
    title: str = Field(default="", max_length=200)
    current_number: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Draft(SQLModel, table=True):
    """The editable working copy of a section; `revision` guards against stale saves (invariant 4)."""

    __tablename__ = "draft"

    id: int | None = Field(default=None, primary_key=True)
    section_id: int = Field(foreign_key="section.id", unique=True)
    title: str = Field(max_length=200)
    body: str = Field(default="", sa_type=Text)
    revision: int = 1
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_by_id: int | None = Field(default=None, foreign_key="user_account.id")


class SectionVersion(SQLModel, table=True):
    """A Fassung: an immutable, published snapshot of a section (invariant 1)."""

    __tablename__ = "section_version"
    __table_args__ = (UniqueConstraint("section_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    section_id: int = Field(foreign_key="section.id", index=True)
    number: int
    title: str = Field(max_length=200)
    body: str = Field(sa_type=Text)
    html: str = Field(sa_type=Text)
    change_summary: str = Field(default="", sa_type=Text)
    published_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    published_by_id: int | None = Field(default=None, foreign_key="user_account.id")


class Paragraph(SQLModel, table=True):
    """An Absatz of a version; its `anchor` survives revisions where the paragraph survives."""

    __tablename__ = "paragraph"
    __table_args__ = (UniqueConstraint("version_id", "anchor"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(sa_column=Column(Integer, ForeignKey("section_version.id"), nullable=False))
    position: int
    anchor: str = Field(max_length=16)
    text: str = Field(sa_type=Text)
    html: str = Field(sa_type=Text)


class AnchorMapping(SQLModel, table=True):
    """How a paragraph of the previous version lives on in a version: kept, changed, merged or removed."""

    __tablename__ = "anchor_mapping"
    __table_args__ = (
        UniqueConstraint("version_id", "old_anchor"),
        CheckConstraint("change IN ('unchanged', 'changed', 'merged', 'removed')", name="change"),
    )

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="section_version.id", index=True)  # the newer version
    old_anchor: str = Field(max_length=16)
    new_anchor: str | None = Field(default=None, max_length=16)  # None: the paragraph was removed
    change: str = Field(max_length=16)  # unchanged | changed | merged | removed


class VersionAddress(SQLModel, table=True):
    """A comment that a version takes up. `comment_id` has no foreign key on purpose: comments live in
    another domain that builds on this one, so the link is a plain indexed integer."""

    __tablename__ = "version_address"
    __table_args__ = (UniqueConstraint("version_id", "comment_id"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="section_version.id", index=True)
    comment_id: int = Field(index=True)


class Edition(SQLModel, table=True):
    """A Gesamtfassung: a named, published state of the whole document."""

    __tablename__ = "edition"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    number: int
    title: str = Field(max_length=200)
    published_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    published_by_id: int | None = Field(default=None, foreign_key="user_account.id")


class EditionSection(SQLModel, table=True):
    """One section's version in an edition, with its number and chapter at that time."""

    __tablename__ = "edition_section"
    __table_args__ = (UniqueConstraint("edition_id", "section_id"),)

    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="edition.id", index=True)
    section_id: int = Field(foreign_key="section.id")
    version_id: int = Field(foreign_key="section_version.id")
    label: str = Field(max_length=16)  # "2.3"
    chapter_title: str = Field(max_length=200)
    position: int


class ImmutableVersion(Exception):
    """Raised when code tries to change or delete a published version or what belongs to it."""


def _refuse_change(_mapper, _connection, target) -> None:
    raise ImmutableVersion(f"{type(target).__name__} {target.id} is published and cannot be changed (invariant 1)")


# A published version is immutable (invariant 1): the ORM refuses updates and deletes of it and its parts.
for _model in (SectionVersion, Paragraph, AnchorMapping, VersionAddress, Edition, EditionSection):
    event.listen(_model, "before_update", _refuse_change)
    event.listen(_model, "before_delete", _refuse_change)
