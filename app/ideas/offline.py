"""Contributions recorded from outside the platform: what was said in a Werkstatt, written in a letter or an
e-mail, said on the phone or at an information stand, recorded by the project lead or a facilitator
("Moderation vor Ort") on behalf of the participants.

Shared by ideas and the discussion (comments): the kinds of source, the input shape, who may record, and how a
recorded contribution is marked everywhere ("aus der Werkstatt „Ostheim“ am 12.03.2026"). A contribution from a
Werkstatt of the platform points at the event (`event_id`): its label is then the event's Stadtteil (or
Stadtbezirk), its day the event's, and the marker links to the event page ("aus der Werkstatt in Ostheim am
12.03."). A recorded contribution keeps the recorder in `author_id` and `recorded_by_id` (every join on the author
keeps working), but it is never shown as that account: pages, API and exports show `given_author`.
"""

from datetime import date as Date
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field, ValidationInfo, field_validator
from sqlmodel import Session, col, select

from app.accounts.models import Role, User
from app.accounts.policy import has_role, is_blocked
from app.db import utcnow
from app.errors import Forbidden, Invalid, Unauthorized
from app.events.models import Event
from app.quartiere.models import District, Quarter
from app.rounds import service as rounds_service
from app.rounds.models import Round, RoundState
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
# A contribution from a Werkstatt of the platform (event_id): {label} is the event's Stadtteil, {date} as 12.03.
EVENT_MARKER = N_("aus der Werkstatt in {label} am {date}")
RECORDER_ROLES = (Role.lead, Role.facilitator)
EARLIEST = Date(2000, 1, 1)


class SourceIn(BaseModel):
    """Where a contribution recorded on behalf of participants comes from (API: `source` of comments and ideas)."""

    kind: Source = Field(description="werkstatt, brief, email, telefon or infostand")
    event_id: int | None = Field(default=None, ge=1, le=2**31 - 1, description=(
        "with kind „werkstatt“: the Werkstatt (GET /events) the contribution comes from, an event of the round it "
        "is recorded in that has taken place; label and date are then the event's"))
    label: Name | None = Field(default=None, max_length=160,
                               description="e.g. the Werkstatt's name: „Werkstatt Ostheim“ (ignored with event_id)")
    date: Date | None = Field(default=None, validate_default=True, description=(
        "the day it was said or written (not in the future); optional with event_id (the event's day)"))
    author: Name = Field(min_length=2, max_length=160, description=(
        "the author as given: „Teilnehmerin der Werkstatt Ostheim“, or a named organisation with its consent; "
        "never a platform account"))

    @field_validator("label", "author")
    @classmethod
    def _squash(cls, value: str | None) -> str | None:
        value = " ".join((value or "").split())
        return value or None

    @field_validator("event_id")
    @classmethod
    def _only_werkstatt(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is not None and info.data.get("kind") not in (None, Source.werkstatt):
            raise ValueError("Eine Werkstatt kann nur beim Beteiligungsweg „Werkstatt“ gewählt werden.")
        return value

    @field_validator("date")
    @classmethod
    def _not_future(cls, value: Date | None, info: ValidationInfo) -> Date | None:
        if value is None:
            if info.data.get("event_id") is None:
                raise ValueError("Bitte das Datum angeben.")
            return None
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
    event_id: int | None = Field(default=None, description="the Werkstatt it comes from (source „werkstatt“)")
    event_url: str | None = Field(default=None, description="the Werkstatt's page, e.g. /werkstaetten/3")


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
            "given_author": source.author, "recorded_by_id": recorder.id, "event_id": source.event_id}


def _refuse(text: str) -> Invalid:
    return Invalid(_("Bitte prüfen Sie Ihre Eingaben."), errors=[("source.event_id", text)])


def begun(rounds: list[Round], now: datetime) -> list[Round]:
    """The rounds a recorded contribution may belong to: those that have opened (open or closed)."""
    return [r for r in rounds if rounds_service.effective_state(r, now) != RoundState.planned]


def event_round(session: Session, source: SourceIn, rounds: list[Round], now: datetime) -> Round:
    """For a contribution from a Werkstatt of the platform: check the event (it exists, belongs to one of `rounds`
    – those the contribution may be recorded in –, was not cancelled, has begun) and take over its place and day
    into `source`; the event's round, which the contribution then belongs to. 422 with a field message else."""
    event = session.get(Event, source.event_id)
    if event is None:
        raise _refuse(_("Diese Werkstatt gibt es nicht."))
    round_ = next((r for r in rounds if r.id == event.round_id), None)
    if round_ is None:
        raise _refuse(_("Diese Werkstatt gehört zu einer anderen Beteiligungsrunde; bitte eine Werkstatt der "
                        "Runde wählen, in der der Beitrag erfasst wird."))
    if event.cancelled:
        raise _refuse(_("Diese Werkstatt ist abgesagt."))
    if event.starts_at > now:
        raise _refuse(_("Diese Werkstatt hat noch nicht stattgefunden."))
    first, last = event.starts_at.astimezone(BERLIN).date(), event.ends_at.astimezone(BERLIN).date()
    if source.date is None:
        source.date = first
    elif not first <= source.date <= last:
        message = _("Das Datum muss der Tag der Werkstatt sein ({day}).").format(day=first.strftime("%d.%m.%Y"))
        raise Invalid(_("Bitte prüfen Sie Ihre Eingaben."), errors=[("source.date", message)])
    source.label = event_place(session, event)
    return round_


def event_place(session: Session, event: Event) -> str:
    """Where a Werkstatt was, as its marker names it: the Stadtteil, else the Stadtbezirk."""
    place = session.get(Quarter, event.quarter_id) if event.quarter_id else None
    place = place or session.get(District, event.district_id)
    return place.name if place else ""


def recording_events(session: Session, round_ids: list[int], now: datetime | None = None) -> list[tuple[int, str]]:
    """The Werkstätten contributions can be recorded from (of these rounds, begun, not cancelled), newest first,
    as (id, "Titel – Ostheim, 12.03.2026") for a choice list."""
    if not round_ids:
        return []
    now = now or utcnow()
    events = session.exec(select(Event).where(col(Event.round_id).in_(round_ids), Event.starts_at <= now,
                                              Event.cancelled.is_(False))
                          .order_by(Event.starts_at.desc(), Event.id.desc()).limit(500)).all()
    return [(e.id, f"{e.title} – {event_place(session, e)}, {e.starts_at.astimezone(BERLIN).strftime('%d.%m.%Y')}")
            for e in events]


def kind_label(source: str | None) -> str:
    return _(SOURCE_LABELS.get(source or ONLINE, source or ONLINE))


def marker(item) -> str:
    """„aus der Werkstatt „Ostheim“ am 12.03.2026“ for a recorded comment or idea; "" for an online one."""
    if not getattr(item, "source", None):
        return ""
    if getattr(item, "event_id", None) and item.source_date:
        return _(EVENT_MARKER).format(label=item.source_label or "", date=item.source_date.strftime("%d.%m."))
    with_label, without = _MARKERS[item.source]
    day = item.source_date.strftime("%d.%m.%Y") if item.source_date else ""
    if item.source_label:
        return _(with_label).format(label=item.source_label, date=day)
    return _(without).format(date=day)


def event_url(item) -> str:
    """The page of the Werkstatt a recorded contribution comes from; "" for none."""
    event_id = getattr(item, "event_id", None)
    return f"/werkstaetten/{event_id}" if event_id else ""


def source_text(item) -> str:
    """The "Quelle" of a contribution in tables and exports: „online“, „Brief: Familie Maier“, „Werkstatt in Ostheim
    am 12.03.2026“."""
    if not getattr(item, "source", None):
        return _("online")
    if getattr(item, "event_id", None) and item.source_date:
        return _("Werkstatt in {place} am {date}").format(place=item.source_label or "",
                                                           date=item.source_date.strftime("%d.%m.%Y"))
    label = kind_label(item.source)
    return f"{label}: {item.source_label}" if item.source_label else label


def source_out(item) -> dict | None:
    if not getattr(item, "source", None):
        return None
    return {"kind": item.source, "kind_label": kind_label(item.source), "label": item.source_label,
            "date": item.source_date, "author": item.given_author or "", "text": marker(item),
            "event_id": getattr(item, "event_id", None), "event_url": event_url(item) or None}


def recorded_by_out(item, recorder: User | None, viewer: User | None) -> dict | None:
    if not getattr(item, "recorded_by_id", None) or recorder is None or not sees_recorder(viewer):
        return None
    return {"id": recorder.id, "display_name": recorder.display_name}
