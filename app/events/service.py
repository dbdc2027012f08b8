"""Werkstätten: create and change them, register and cancel with a waiting list, reminders, minutes and
attachments, and the calendar feeds.

No overbooking under concurrency: every registration and cancellation first locks its event's row (SELECT …
FOR UPDATE on PostgreSQL; on SQLite a writer holds the database's write lock from its first statement, see
app/db.py), so the places are counted and taken by one request at a time."""

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from app import audit
from app.accounts.models import User
from app.db import utcnow
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.events import calendar, policy
from app.events.models import Event, EventAttachment, EventRegistration, RegistrationStatus
from app.events.schemas import EventIn, RegistrationIn
from app.notifications import service as outbox
from app.quartiere import service as places_service
from app.quartiere.models import District, Quarter
from app.rounds.models import Round
from app.rounds.schemas import BERLIN
from app.settings import get_settings
from app.validation import is_number
from app.web.i18n import gettext as _
from app.web.templating import url

REMINDER_BEFORE = timedelta(hours=24)
MAX_ATTACHMENT_BYTES = 600_000  # a request may carry 1 MB (QW_MAX_BODY_BYTES); stored base64 (+33 %)
ATTACHMENT_TYPES = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif",
                    "image/webp": ".webp"}
NEED_LABELS = {"interpreting_language": "Dolmetschen", "sign_language": "Gebärdensprache",
               "barrier_free_seat": "barrierefreier Platz", "childcare": "Kinderbetreuung"}
ACCESS_LABELS = {"step_free": "stufenloser Zugang", "induction_loop": "Induktionsschleife",
                 "interpreting": "Dolmetschen auf Anfrage", "childcare": "Kinderbetreuung"}
class TooLarge(Invalid):
    status = 413


class WrongType(Invalid):
    status = 415


STATUS_LABELS = {"confirmed": "bestätigt", "waiting": "auf der Warteliste", "cancelled": "abgesagt"}


# --- reading -------------------------------------------------------------------------------------

def get_event(session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id) if 0 < event_id < 2**31 else None
    if event is None:
        raise NotFound(_("Diese Werkstatt gibt es nicht."))
    return event


def _lock_event(session: Session, event_id: int) -> Event:
    """The event's row, locked until the transaction ends (PostgreSQL; SQLite writers are serial anyway)."""
    event = session.exec(select(Event).where(Event.id == event_id).with_for_update()
                         .execution_options(populate_existing=True)).first() if 0 < event_id < 2**31 else None
    if event is None:
        raise NotFound(_("Diese Werkstatt gibt es nicht."))
    return event


@dataclass
class Counts:
    taken: int = 0    # people confirmed
    waiting: int = 0  # registrations waiting


def counts(session: Session, event_ids: list[int]) -> dict[int, Counts]:
    result = {i: Counts() for i in event_ids}
    if event_ids:
        for eid, status, people, n in session.exec(
                select(EventRegistration.event_id, EventRegistration.status, func.sum(EventRegistration.people),
                       func.count()).where(col(EventRegistration.event_id).in_(event_ids))
                .group_by(EventRegistration.event_id, EventRegistration.status)).all():
            if status == RegistrationStatus.confirmed.value:
                result[eid].taken = int(people or 0)
            elif status == RegistrationStatus.waiting.value:
                result[eid].waiting = int(n)
    return result


def list_events(session: Session, *, round_id: int | None = None, district_id: int | None = None,
                quarter_id: int | None = None, upcoming: bool | None = None, page: int = 1,
                per_page: int = 50) -> tuple[list[Event], int]:
    query = select(Event)
    if round_id is not None:
        query = query.where(Event.round_id == round_id)
    if district_id is not None:
        query = query.where(Event.district_id == district_id)
    if quarter_id is not None:
        query = query.where(Event.quarter_id == quarter_id)
    if upcoming is True:
        query = query.where(Event.ends_at >= utcnow())
    elif upcoming is False:
        query = query.where(Event.ends_at < utcnow())
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(Event.starts_at, Event.id).offset((page - 1) * per_page)
                        .limit(per_page)).all()
    return list(rows), total


def places(session: Session, events: list[Event]) -> dict[int, str]:
    """Each event's place as shown: "Stadtteil, Stadtbezirk" or the Stadtbezirk."""
    districts = {d.id: d for d in session.exec(select(District)).all()}
    quarter_ids = {e.quarter_id for e in events if e.quarter_id}
    quarters = {q.id: q for q in session.exec(select(Quarter).where(col(Quarter.id).in_(quarter_ids))).all()} \
        if quarter_ids else {}
    result = {}
    for e in events:
        district = districts.get(e.district_id)
        name = district.name if district else ""
        result[e.id] = f"{quarters[e.quarter_id].name}, {name}" if e.quarter_id in quarters else name
    return result


def district_of(session: Session, event: Event) -> District:
    return session.get(District, event.district_id)


def district_slug(session: Session, event: Event) -> str:
    district = district_of(session, event)
    return district.slug if district else ""


def visible_online_url(session: Session, event: Event, user: User | None) -> str | None:
    """The online link, for leads and for people with a confirmed registration only."""
    if not event.online_url or user is None:
        return None
    if policy.can_manage(user):
        return event.online_url
    mine = my_registration(session, event.id, user)
    return event.online_url if mine and mine.status == RegistrationStatus.confirmed.value else None


def to_out(session: Session, event: Event, *, user: User | None, count: Counts | None = None,
           slug: str | None = None) -> dict:
    count = count or counts(session, [event.id])[event.id]
    return {**event.model_dump(exclude={"created_by_id", "updated_at", "sequence", "online_url"}),
            "district": slug if slug is not None else district_slug(session, event),
            "places_taken": count.taken, "waiting": count.waiting, "online": bool(event.online_url),
            "online_url": visible_online_url(session, event, user)}


# --- leads: create, change, close registration, cancel -----------------------------------------------

def _resolve_place(session: Session, data: EventIn) -> tuple[int, int | None]:
    key = data.district.strip()
    query = select(District).where(District.id == int(key)) if is_number(key) and len(key) < 10 \
        else select(District).where(District.slug == key[:80])
    district = session.exec(query).first()
    if district is None:
        raise Invalid(_("Bitte prüfen Sie Ihre Eingaben."),
                      errors=[("district", _("Diesen Stadtbezirk gibt es nicht."))])
    if data.quarter_id is not None:
        quarter = session.get(Quarter, data.quarter_id)
        if quarter is None or quarter.district_id != district.id:
            raise Invalid(_("Bitte prüfen Sie Ihre Eingaben."),
                          errors=[("quarter_id", _("Dieser Stadtteil liegt nicht im gewählten Stadtbezirk."))])
    return district.id, data.quarter_id


def _check_venue(session: Session, data: EventIn, district_id: int) -> None:
    """A venue placed on the map lies in Stuttgart and in the event's Stadtbezirk."""
    if data.lat is None or data.lon is None:
        return
    where = places_service.locate(session, data.lat, data.lon)
    if where.district is None:
        raise Invalid(_("Bitte prüfen Sie Ihre Eingaben."), errors=[("lat", where.message)])
    if where.district.id != district_id:
        chosen = session.get(District, district_id)
        raise Invalid(_("Bitte prüfen Sie Ihre Eingaben."), errors=[("lat", _(
            "Dieser Ort liegt im Stadtbezirk {here}, nicht im gewählten Stadtbezirk {chosen}. Bitte wählen Sie "
            "den Stadtbezirk {here} – oder einen anderen Ort.").format(here=where.district.name,
                                                                      chosen=chosen.name if chosen else ""))])


def mapped_events(session: Session, *, district_id: int | None = None, limit: int = 200) -> list[Event]:
    """Coming Werkstätten placed on the map (not cancelled), for the maps' markers at the venue."""
    query = select(Event).where(Event.lat.is_not(None), Event.lon.is_not(None), Event.cancelled.is_(False),
                                Event.ends_at >= utcnow())
    if district_id is not None:
        query = query.where(Event.district_id == district_id)
    return list(session.exec(query.order_by(Event.starts_at, Event.id).limit(limit)).all())


def _check_round(session: Session, round_id: int) -> None:
    if session.get(Round, round_id) is None:
        raise Invalid(_("Bitte prüfen Sie Ihre Eingaben."),
                      errors=[("round_id", _("Diese Beteiligungsrunde gibt es nicht."))])


def _require_lead(actor: User | None) -> None:
    if not policy.can_manage(actor):
        raise Forbidden(_("Werkstätten legen die Projektleitungen an."))


def create_event(session: Session, *, actor: User, data: EventIn) -> Event:
    _require_lead(actor)
    _check_round(session, data.round_id)
    district_id, quarter_id = _resolve_place(session, data)
    _check_venue(session, data, district_id)
    event = Event(**data.model_dump(exclude={"district", "quarter_id"}), district_id=district_id,
                  quarter_id=quarter_id, created_by_id=actor.id)
    session.add(event)
    session.flush()
    audit.record(session, actor_id=actor.id, action="event.create", target_type="event", target_id=event.id,
                 summary=event.title[:200])
    session.commit()
    return event


def update_event(session: Session, *, actor: User, event_id: int, data: EventIn) -> Event:
    _require_lead(actor)
    event = _lock_event(session, event_id)
    _check_round(session, data.round_id)
    district_id, quarter_id = _resolve_place(session, data)
    _check_venue(session, data, district_id)
    if data.capacity < counts(session, [event.id])[event.id].taken:
        raise Invalid(_("Bitte prüfen Sie Ihre Eingaben."),
                      errors=[("capacity", _("Es sind schon mehr Plätze vergeben."))])
    for key, value in data.model_dump(exclude={"district", "quarter_id"}).items():
        setattr(event, key, value)
    event.district_id, event.quarter_id = district_id, quarter_id
    _touch(event)
    session.add(event)
    _move_up(session, event)  # more places: the waiting list moves up
    audit.record(session, actor_id=actor.id, action="event.update", target_type="event", target_id=event.id)
    session.commit()
    return event


def _touch(event: Event) -> None:
    event.sequence += 1
    event.updated_at = utcnow()


def set_registration_open(session: Session, *, actor: User, event_id: int, open_: bool) -> Event:
    _require_lead(actor)
    event = _lock_event(session, event_id)
    event.registration_open = open_
    event.updated_at = utcnow()
    session.add(event)
    audit.record(session, actor_id=actor.id, action="event.open" if open_ else "event.close",
                 target_type="event", target_id=event.id)
    session.commit()
    return event


def cancel_event(session: Session, *, actor: User, event_id: int) -> Event:
    """The Werkstatt does not take place: it stays listed as cancelled, and everyone registered is told."""
    _require_lead(actor)
    event = _lock_event(session, event_id)
    if event.cancelled:
        raise Conflict(_("Diese Werkstatt ist bereits abgesagt."))
    event.cancelled = True
    event.registration_open = False
    _touch(event)
    session.add(event)
    place = places(session, [event])[event.id]
    for _reg, email in _registrations_with_email(session, event.id, active=True):
        if email:
            outbox.enqueue(session, to=email, kind="event", subject=_("Abgesagt: {title}").format(title=event.title),
                           body=_("Die Werkstatt „{title}“ am {when} findet leider nicht statt.\n\n{link}").format(
                               title=event.title, when=when(event), link=_link(event)),
                           attachment=("werkstatt.ics", "text/calendar", calendar.invitation(event, place)))
    audit.record(session, actor_id=actor.id, action="event.cancel", target_type="event", target_id=event.id)
    session.commit()
    return event


# --- registrations ---------------------------------------------------------------------------------

def my_registration(session: Session, event_id: int, user: User | None) -> EventRegistration | None:
    if user is None:
        return None
    return session.exec(select(EventRegistration).where(EventRegistration.event_id == event_id,
                                                        EventRegistration.user_id == user.id)).first()


def _active(session: Session, event_id: int) -> list[EventRegistration]:
    return list(session.exec(
        select(EventRegistration).where(EventRegistration.event_id == event_id,
                                        EventRegistration.status != RegistrationStatus.cancelled.value)
        .order_by(EventRegistration.queued_at, EventRegistration.id)).all())


def _registrations_with_email(session: Session, event_id: int, *, active: bool):
    query = select(EventRegistration, User.email).join(User, User.id == EventRegistration.user_id) \
        .where(EventRegistration.event_id == event_id).order_by(EventRegistration.queued_at, EventRegistration.id)
    if active:
        query = query.where(EventRegistration.status != RegistrationStatus.cancelled.value)
    return session.exec(query).all()


def registrations(session: Session, *, actor: User | None, event_id: int,
                  status: str | None = None) -> list[EventRegistration]:
    """Everyone's registrations, for leads only (names and needs are personal data)."""
    if not policy.can_manage(actor):
        raise Forbidden(_("Die Anmeldungen sehen nur die Projektleitungen."))
    get_event(session, event_id)
    query = select(EventRegistration).where(EventRegistration.event_id == event_id)
    if status:
        query = query.where(EventRegistration.status == status)
    return list(session.exec(query.order_by(EventRegistration.queued_at, EventRegistration.id)).all())


def waiting_positions(session: Session, event_id: int) -> dict[int, int]:
    waiting = [r for r in _active(session, event_id) if r.status == RegistrationStatus.waiting.value]
    return {r.id: i for i, r in enumerate(waiting, 1)}


def registration_out(reg: EventRegistration, positions: dict[int, int]) -> dict:
    return {**reg.model_dump(include={"id", "event_id", "name", "people", "interpreting_language", "sign_language",
                                      "barrier_free_seat", "childcare", "status", "created_at"}),
            "waiting_position": positions.get(reg.id)}


def needs_of(reg: EventRegistration) -> list[str]:
    needs = []
    if reg.interpreting_language:
        needs.append(_("Dolmetschen: {language}").format(language=reg.interpreting_language))
    needs += [_(NEED_LABELS[k]) for k in ("sign_language", "barrier_free_seat", "childcare") if getattr(reg, k)]
    return needs


def register(session: Session, *, user: User, event_id: int, data: RegistrationIn) -> EventRegistration:
    """Take places if there are enough (and nobody waits before), else join the waiting list; tell by mail."""
    if not policy.can_register(user):
        raise Forbidden(_("Für Werkstätten melden sich Bürger*innen und Expert*innen an."))
    event = _lock_event(session, event_id)
    if event.cancelled:
        raise Conflict(_("Diese Werkstatt ist abgesagt."))
    if not event.registration_open or event.starts_at <= utcnow():
        raise Conflict(_("Die Anmeldung für diese Werkstatt ist geschlossen."))
    reg = my_registration(session, event.id, user)
    if reg is not None and reg.status != RegistrationStatus.cancelled.value:
        raise Conflict(_("Sie sind für diese Werkstatt bereits angemeldet."))
    if reg is None:
        reg = EventRegistration(event_id=event.id, user_id=user.id, name="")
    for key, value in data.model_dump().items():
        setattr(reg, key, value)
    reg.name = (data.name or user.display_name or "")[:120]
    reg.queued_at, reg.cancelled_at, reg.reminded_at = utcnow(), None, None
    active = _active(session, event.id)
    taken = sum(r.people for r in active if r.status == RegistrationStatus.confirmed.value)
    someone_waits = any(r.status == RegistrationStatus.waiting.value for r in active)
    fits = not someone_waits and taken + reg.people <= event.capacity
    reg.status = (RegistrationStatus.confirmed if fits else RegistrationStatus.waiting).value
    session.add(reg)
    session.flush()
    if fits:
        _confirmed_mail(session, event, user.email)
    else:
        _waiting_mail(event, user.email, session)
    session.commit()
    return reg


def get_registration(session: Session, event_id: int, registration_id: int) -> EventRegistration:
    reg = session.get(EventRegistration, registration_id) if 0 < registration_id < 2**31 else None
    if reg is None or reg.event_id != event_id:
        raise NotFound(_("Diese Anmeldung gibt es nicht."))
    return reg


def cancel_registration(session: Session, *, actor: User, event_id: int, registration_id: int) -> EventRegistration:
    """The person (or a lead) cancels; freed places go to the waiting list, in order, who are told by mail."""
    event = _lock_event(session, event_id)
    reg = get_registration(session, event.id, registration_id)
    if reg.user_id != actor.id and not policy.can_manage(actor):
        raise Forbidden(_("Diese Anmeldung können Sie nicht absagen."))
    if reg.status == RegistrationStatus.cancelled.value:
        raise Conflict(_("Diese Anmeldung ist bereits abgesagt."))
    reg.status = RegistrationStatus.cancelled.value
    reg.cancelled_at = utcnow()
    session.add(reg)
    session.flush()
    if not event.cancelled and event.starts_at > utcnow():
        _move_up(session, event)
    session.commit()
    return reg


def cancel_own_registration(session: Session, *, user: User, event_id: int) -> EventRegistration:
    get_event(session, event_id)
    reg = my_registration(session, event_id, user)
    if reg is None:
        raise NotFound(_("Sie sind für diese Werkstatt nicht angemeldet."))
    return cancel_registration(session, actor=user, event_id=event_id, registration_id=reg.id)


def _move_up(session: Session, event: Event) -> list[EventRegistration]:
    """Confirm waiting registrations in their order while the first one fits."""
    active = _active(session, event.id)
    taken = sum(r.people for r in active if r.status == RegistrationStatus.confirmed.value)
    moved = []
    for reg in (r for r in active if r.status == RegistrationStatus.waiting.value):
        if taken + reg.people > event.capacity:
            break
        reg.status = RegistrationStatus.confirmed.value
        taken += reg.people
        session.add(reg)
        moved.append(reg)
        email = session.get(User, reg.user_id).email
        _confirmed_mail(session, event, email, moved_up=True)
    return moved


def when(event: Event) -> str:
    start, end = event.starts_at.astimezone(BERLIN), event.ends_at.astimezone(BERLIN)
    return f"{start:%d.%m.%Y, %H:%M}–{end:%H:%M} Uhr" if start.date() == end.date() \
        else f"{start:%d.%m.%Y, %H:%M} Uhr – {end:%d.%m.%Y, %H:%M} Uhr"


def _link(event: Event) -> str:
    return get_settings().base_url + url("event", event_id=event.id)


def _confirmed_mail(session: Session, event: Event, email: str | None, *, moved_up: bool = False) -> None:
    if not email:
        return
    place = places(session, [event])[event.id]
    intro = _("Für Sie ist ein Platz auf der Warteliste frei geworden: Ihre Anmeldung ist jetzt bestätigt.") \
        if moved_up else _("Ihre Anmeldung ist bestätigt.")
    online = _("\nOnline teilnehmen: {link}").format(link=event.online_url) if event.online_url else ""
    body = _("{intro}\n\nWerkstatt: {title}\nWann: {when}\nWo: {venue}, {address} ({place}){online}\n\n"
             "Den Termin für Ihren Kalender finden Sie im Anhang. Absagen können Sie hier:\n{link}").format(
        intro=intro, title=event.title, when=when(event), venue=event.venue, address=event.address, place=place,
        online=online, link=_link(event))
    subject = (_("Platz frei: {title}") if moved_up else _("Anmeldung bestätigt: {title}")).format(title=event.title)
    outbox.enqueue(session, to=email, subject=subject[:200], body=body, kind="event",
                   attachment=("werkstatt.ics", "text/calendar", calendar.invitation(event, place)))


def _waiting_mail(event: Event, email: str | None, session: Session) -> None:
    if not email:
        return
    body = _("Die Werkstatt „{title}“ ({when}) ist ausgebucht. Sie stehen auf der Warteliste; wird ein Platz "
             "frei, rücken Sie automatisch nach und bekommen eine E-Mail.\n\n{link}").format(
        title=event.title, when=when(event), link=_link(event))
    outbox.enqueue(session, to=email, subject=_("Warteliste: {title}").format(title=event.title)[:200], body=body,
                   kind="event")


def send_reminders(session: Session, now: datetime | None = None) -> int:
    """Remind every confirmed registration once, within 24 hours before the start (the mail worker runs it)."""
    now = now or utcnow()
    rows = session.exec(
        select(EventRegistration, Event, User.email).join(Event, Event.id == EventRegistration.event_id)
        .join(User, User.id == EventRegistration.user_id)
        .where(EventRegistration.status == RegistrationStatus.confirmed.value,
               col(EventRegistration.reminded_at).is_(None), col(Event.cancelled).is_(False),
               Event.starts_at > now, Event.starts_at <= now + REMINDER_BEFORE)
        .with_for_update(of=EventRegistration, skip_locked=True)).all()
    for reg, event, email in rows:
        reg.reminded_at = now
        session.add(reg)
        if email:
            online = _("\nOnline teilnehmen: {link}").format(link=event.online_url) if event.online_url else ""
            outbox.enqueue(session, to=email, kind="event",
                           subject=_("Erinnerung: {title}").format(title=event.title)[:200],
                           body=_("Zur Erinnerung: Sie sind angemeldet.\n\nWerkstatt: {title}\nWann: {when}\n"
                                  "Wo: {venue}, {address}{online}\n\nFalls Sie nicht kommen können, sagen Sie bitte "
                                  "ab, damit jemand von der Warteliste nachrücken kann:\n{link}").format(
                               title=event.title, when=when(event), venue=event.venue, address=event.address,
                               online=online, link=_link(event)))
    session.commit()
    return len(rows)


# --- minutes and attachments ------------------------------------------------------------------------

def set_minutes(session: Session, *, actor: User, event_id: int, minutes: str) -> Event:
    _require_lead(actor)
    event = _lock_event(session, event_id)
    event.minutes = minutes.strip()
    event.updated_at = utcnow()
    session.add(event)
    audit.record(session, actor_id=actor.id, action="event.minutes", target_type="event", target_id=event.id)
    session.commit()
    return event


def sniff(data: bytes) -> str | None:
    """The file's type from its first bytes (never from its name or the browser's claim)."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _safe_filename(name: str, content_type: str) -> str:
    stem = "".join(c if c.isalnum() or c in "-_ ." else "_" for c in (name or "").rsplit("/", 1)[-1]
                   .rsplit("\\", 1)[-1]).strip(" .")
    stem = stem.rsplit(".", 1)[0][:120] or "anhang"
    return stem + ATTACHMENT_TYPES[content_type]


def add_attachment(session: Session, *, actor: User, event_id: int, filename: str, data: bytes) -> EventAttachment:
    _require_lead(actor)
    event = get_event(session, event_id)
    if not data:
        raise Invalid(_("Bitte eine Datei wählen."), errors=[("file", _("Bitte eine Datei wählen."))])
    if len(data) > MAX_ATTACHMENT_BYTES:
        message = _("Die Datei ist zu groß (höchstens {n} KB).").format(n=MAX_ATTACHMENT_BYTES // 1000)
        raise TooLarge(message, errors=[("file", message)])
    content_type = sniff(data)
    if content_type is None:
        message = _("Erlaubt sind nur PDF-Dateien und Bilder (PNG, JPEG, GIF, WebP).")
        raise WrongType(message, errors=[("file", message)])
    attachment = EventAttachment(event_id=event.id, filename=_safe_filename(filename, content_type),
                                 content_type=content_type, size=len(data), data=base64.b64encode(data).decode())
    session.add(attachment)
    session.flush()
    audit.record(session, actor_id=actor.id, action="event.attachment", target_type="event", target_id=event.id,
                 summary=attachment.filename)
    session.commit()
    return attachment


def attachments(session: Session, event_id: int) -> list[EventAttachment]:
    return list(session.exec(select(EventAttachment).where(EventAttachment.event_id == event_id)
                             .order_by(EventAttachment.id)).all())


def attachment_content(session: Session, event_id: int, attachment_id: int) -> tuple[EventAttachment, bytes]:
    found = session.get(EventAttachment, attachment_id) if 0 < attachment_id < 2**31 else None
    if found is None or found.event_id != event_id:
        raise NotFound(_("Diese Datei gibt es nicht."))
    try:
        return found, base64.b64decode(found.data)
    except binascii.Error:
        raise NotFound(_("Diese Datei gibt es nicht.")) from None


def delete_attachment(session: Session, *, actor: User, event_id: int, attachment_id: int) -> None:
    _require_lead(actor)
    found, _data = attachment_content(session, event_id, attachment_id)
    session.delete(found)
    audit.record(session, actor_id=actor.id, action="event.attachment_delete", target_type="event",
                 target_id=event_id, summary=found.filename)
    session.commit()


# --- calendar feeds ----------------------------------------------------------------------------------

def feed(session: Session, *, name: str, round_id: int | None = None, district_id: int | None = None) -> bytes:
    """All Werkstätten (of a round or a Stadtbezirk) and the rounds' openings and closings (rounds belong to the
    whole city: they are in the Stadtbezirk feeds too)."""
    query = select(Event).order_by(Event.starts_at, Event.id)
    rounds_query = select(Round).order_by(Round.opens_at, Round.id)
    if round_id is not None:
        query = query.where(Event.round_id == round_id)
        rounds_query = rounds_query.where(Round.id == round_id)
    if district_id is not None:
        query = query.where(Event.district_id == district_id)
    events = list(session.exec(query).all())
    names = places(session, events)
    return calendar.feed(name, [(e, names[e.id]) for e in events], list(session.exec(rounds_query).all()))


# --- personal data --------------------------------------------------------------------------------------

def export_registrations(session: Session, user: User) -> tuple[str, object]:
    """The person's registrations for the Meine-Daten export."""
    rows = session.exec(select(EventRegistration, Event.title).join(Event, Event.id == EventRegistration.event_id)
                        .where(EventRegistration.user_id == user.id).order_by(EventRegistration.id)).all()
    return "event_registrations", [
        {"id": r.id, "event_id": r.event_id, "event": title, "name": r.name, "people": r.people,
         "interpreting_language": r.interpreting_language, "sign_language": r.sign_language,
         "barrier_free_seat": r.barrier_free_seat, "childcare": r.childcare, "status": r.status,
         "created_at": r.created_at.isoformat(),
         "cancelled_at": r.cancelled_at.isoformat() if r.cancelled_at else None} for r, title in rows]


def erase_registrations(session: Session, user: User, _erase_texts: bool) -> None:
    """Registrations are removed with the account (names and needs are no contribution); places freed in
    coming Werkstätten go to the waiting list."""
    rows = list(session.exec(select(EventRegistration).where(EventRegistration.user_id == user.id)).all())
    for reg in rows:
        event = _lock_event(session, reg.event_id)
        was_confirmed = reg.status == RegistrationStatus.confirmed.value
        session.delete(reg)
        session.flush()
        if was_confirmed and not event.cancelled and event.starts_at > utcnow():
            _move_up(session, event)
