"""API shapes of comments and votes."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from app.discussion.models import Alignment, AmendmentKind, VoteTarget
from app.ideas.offline import RecordedByOut, SourceIn, SourceOut
from app.validation import Line, Text, filled

MAX_BODY = 5000


class CommentIn(BaseModel):
    body: Text = Field(min_length=1, max_length=MAX_BODY)
    paragraph: Line | None = Field(default=None, max_length=16)
    quote: Text | None = Field(default=None, max_length=1000)
    parent_id: int | None = Field(default=None, ge=1)
    alignment: Alignment = Alignment.note
    source: SourceIn | None = Field(default=None, description=(
        "Recorded on behalf of participants outside the platform (Werkstatt, Brief, E-Mail, Telefon, Infostand): "
        "project lead and facilitators („Moderation vor Ort“) only; not as a reply. The comment then shows "
        "`source.author`, never the recording account."))

    _filled = field_validator("body")(filled)

    @field_validator("paragraph", "quote")
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        return value or None


class CommentEditIn(BaseModel):
    body: Text = Field(min_length=1, max_length=MAX_BODY)
    alignment: Alignment | None = None

    _filled = field_validator("body")(filled)


class AuthorOut(BaseModel):
    id: int | None
    display_name: str
    organisation: str | None = None
    role: str | None = None


class AmendmentInfo(BaseModel):
    """The proposed wording of an Änderungsvorschlag (null on ordinary comments)."""

    position: AmendmentKind = Field(description="`replace`: new wording for the paragraph; `after`: a new "
                                                "paragraph after it.")
    proposed_text: str | None = Field(description="The proposed wording (Markdown); null when the text is not "
                                                  "shown (hidden, withdrawn, erased).")
    base_text: str | None = Field(description="The paragraph's text the proposal was made against.")
    diff_html: str = Field(description="The proposal as a word diff against that paragraph (`<ins>`/`<del>`).")
    adopted_at: datetime | None = Field(description="When the project lead took it into the draft.")


class CommentOut(BaseModel):
    id: int
    section_id: int | None
    version: int | None
    idea_id: int | None
    paragraph: str | None
    quote: str | None
    parent_id: int | None
    round_id: int | None
    author: AuthorOut | None
    alignment: str
    status: Literal["visible", "withdrawn", "hidden", "erased"]
    body: str | None
    html: str | None
    created_at: datetime
    edited_at: datetime | None
    edited: bool
    up: int
    down: int
    mine: int | None = None
    paragraph_change: Literal["unchanged", "changed", "removed"] | None = Field(
        default=None, description=(
            "What became of the paragraph this comment is about by the section's current version: `unchanged`; "
            "`changed` (the pages mark the comment „Absatz seit Fassung {version} geändert“); `removed` (marked "
            "„Absatz entfallen“). Null for comments on the whole section and on ideas. Comments on the current "
            "version are `unchanged`."),
        examples=["changed"])
    source: SourceOut | None = Field(default=None, description=(
        "Where a contribution recorded from outside the platform comes from; null for online contributions."))
    recorded_by: RecordedByOut | None = Field(default=None, description=(
        "Who recorded it (shown to the project lead, moderation and facilitators only)."))
    current_paragraph: str | None = Field(
        default=None, max_length=16, description=(
            "The anchor of that paragraph in the section's current version (where the page lists the comment "
            "with `?paragraph=`); null when the paragraph was removed or the comment has none."))
    amendment: AmendmentInfo | None = Field(default=None, description=(
        "Set when the comment is an Änderungsvorschlag (proposed wording for its paragraph; its body is the "
        "reason). Votes on it use `target: amendment` or `comment` with the same id."))


class AmendmentOut(CommentOut):
    adopted_in_version: int | None = Field(default=None, description=(
        "The version that took the proposal up („übernommen in Fassung N“); null before that."))


class AmendmentIn(BaseModel):
    paragraph: Line = Field(min_length=1, max_length=16, description="Anchor of a paragraph of the current version.")
    position: AmendmentKind = AmendmentKind.replace
    text: Text = Field(min_length=1, max_length=MAX_BODY, description="The proposed wording (Markdown).")
    reason: Text = Field(min_length=1, max_length=MAX_BODY, description="Why (Begründung), shown as the comment.")
    alignment: Alignment = Alignment.note

    _filled = field_validator("text", "reason", "paragraph")(filled)


class AdoptIn(BaseModel):
    """Empty: replace the paragraph in the draft (409 when the draft's paragraph changed since the proposal).
    With `body` and `revision`: the whole draft as merged by hand, saved if nobody saved since `revision`."""

    body: Text | None = Field(default=None, max_length=100_000)
    revision: int | None = Field(default=None, ge=0, le=2_147_483_647)

    @model_validator(mode="after")
    def _revision_with_body(self):
        if self.body is not None and self.revision is None:
            raise ValueError("Zum zusammengeführten Entwurf gehört der Stand (revision), auf dem er beruht.")
        return self


class VoteIn(BaseModel):
    target: VoteTarget
    target_id: int = Field(ge=1)
    value: Literal[1, -1]


class VoteCounts(BaseModel):
    target: VoteTarget
    target_id: int
    up: int
    down: int
    mine: int | None
