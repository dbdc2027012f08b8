"""Contributions recorded from outside the platform: what was said in a Werkstatt, written in a letter or an
e-mail, said on the phone or at an information stand, recorded by the project lead or a facilitator
("Moderation vor Ort") on behalf of the participants.

Shared by ideas and the discussion (comments): the kinds of source, the input shape, who may record, and how a
recorded contribution is marked everywhere ("aus der Werkstatt „Ostheim“ am 12.03.2026"). A recorded
contribution keeps the recorder in `author_id` and `recorded_by_id` (every join on the author keeps working),
but it is never shown as that account: pages, API and exports show `given_author`.
"""

from datetime import date as Date
from enum import StrEnum

from pydantic import BaseModel, Field, field_validator

from app.accounts.models import Role, User
from app.accounts.policy import has_role, is_blocked
from app.db import utcnow
from app.errors import Forbidden, Unauthorized
from app.validation import Name
from app.web.i18n import BERLIN, N_
from app.web.i18n import gettext as _

ONLINE = "online"


class Source(StrEnum):
    werkstatt = "werkstatt"
    brief = "brief"
    email = "email"
    telefon = "telefon"
    infostand = "infostand"


SOURCE_LABELS = {ONLINE: N_("online"), "werkstatt": N_("Werkstatt"), "brief": N_("Brief"), "email": N_("E-Mail"),
                 "telefon": N_("Telefon"), "infostand": N_("Infostand")}
# The marker with and without a label (the Werkstatt's or stand's name); {date} as 12.03.2026.
_MARKERS = {
    "werkstatt": (N_("aus der Werkstatt „{label}“ am {date}"), N_("aus einer Werkstatt am {date}")),
    "brief": (N_("aus einem Brief ({label}) vom {date}"), N_("aus einem Brief vom {date}")),
    "email": (N_("aus einer E-Mail ({label}) vom {date}"), N_("aus einer E-Mail vom {date}")),
    "telefon": (N_("aus einem Telefonat ({label}) am {date}"), N_("aus einem Telefonat am {date}")),
    "infostand": (N_("vom Infostand „{label}“ am {date}"), N_("von einem Infostand am {date}")),
}
RECORDER_ROLES = (Role.lead, Role.facilitator)
EARLIEST = Date(2000, 1, 1)


class SourceIn(BaseModel):
    """Where a contribution recorded on behalf of participants comes from (API: `source` of comments and ideas)."""

    kind: Source = Field(description="werkstatt, brief, email, telefon or infostand")
    label: Name | None = Field(default=None, max_length=160,
                               description="e.g. the Werkstatt's name: „Werkstatt Ostheim“")
    date: Date = Field(description="the day it was said or written (not in the future)")
    author: Name = Field(min_length=2, max_length=160, description=(
        "the author as given: „Teilnehmerin der Werkstatt Ostheim“, or a named organisation with its consent; "
        "never a platform account"))

    @field_validator("label", "author")
    @classmethod
    def _squash(cls, value: str | None) -> str | None:
        value = " ".join((value or "").split())
        return value or None

    @field_validator("date")
    @classmethod
    def _not_future(cls, value: Date) -> Date:
        if value > utcnow().astimezone(BERLIN).date():
            raise ValueError("Das Datum darf nicht in der Zukunft liegen.")
        if value < EARLIEST:
            raise ValueError("Bitte ein Datum ab dem Jahr 2000 angeben.")
        return value


class SourceOut(BaseModel):
    kind: Source
    kind_label: str
    label: str | None
    date: Date
    author: str
    text: str = Field(description="the marker the pages show, e.g. „aus der Werkstatt „Ostheim“ am 12.03.2026“")


class RecordedByOut(BaseModel):
    id: int
    display_name: str


def record_refusal(user: User | None) -> Unauthorized | Forbidden | None:
    """Only the project lead and facilitators record contributions on behalf of others."""
    if user is None:
        return Unauthorized(_("Bitte melden Sie sich an."))
    if not has_role(user, *RECORDER_ROLES) or is_blocked(user):
        return Forbidden(_("Beiträge aus Werkstätten, Briefen und Gesprächen erfassen nur die Projektleitung "
                           "und die Moderation vor Ort."))
    return None


def can_record(user: User | None) -> bool:
    return record_refusal(user) is None


def sees_recorder(user: User | None) -> bool:
    """Who recorded a contribution is shown to the staff (lead, moderation, facilitators), not to the public."""
    return has_role(user, Role.lead, Role.moderator, Role.facilitator, Role.admin)


def fields(source: SourceIn | None, recorder: User) -> dict:
    """The model fields of a recorded contribution (empty for an online one)."""
    if source is None:
        return {}
    return {"source": source.kind.value, "source_label": source.label, "source_date": source.date,
            "given_author": source.author, "recorded_by_id": recorder.id}


def kind_label(source: str | None) -> str:
    return _(SOURCE_LABELS.get(source or ONLINE, source or ONLINE))


def marker(item) -> str:
    """„aus der Werkstatt „Ostheim“ am 12.03.2026“ for a recorded comment or idea; "" for an online one."""
    if not getattr(item, "source", None):
        return ""
    with_label, without = _MARKERS[item.source]
    day = item.source_date.strftime("%d.%m.%Y") if item.source_date else ""
    if item.source_label:
        return _(with_label).format(label=item.source_label, date=day)
    return _(without).format(date=day)


def source_out(item) -> dict | None:
    if not getattr(item, "source", None):
        return None
    return {"kind": item.source, "kind_label": kind_label(item.source), "label": item.source_label,
            "date": item.source_date, "author": item.given_author or "", "text": marker(item)}


def recorded_by_out(item, recorder: User | None, viewer: User | None) -> dict | None:
    if not getattr(item, "recorded_by_id", None) or recorder is None or not sees_recorder(viewer):
        return None
    return {"id": recorder.id, "display_name": recorder.display_name}
