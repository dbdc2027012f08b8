"""HTML pages of Werkstätten: the list, an event with registration, the lead's forms and sign-in sheet, the
minutes with attachments; the calendar feeds; extensions for the round's and the Quartier pages."""

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, File, Form, Request, UploadFile
from fastapi.responses import Response
from sqlmodel import Session

from app.accounts.models import Role, User
from app.db import utcnow
from app.deps import CurrentUser, SessionDep, page_router, require_roles
from app.errors import DomainError, Invalid, NotFound
from app.events import policy, service
from app.events.schemas import EventIn, MinutesIn, RegistrationIn
from app.quartiere import geometry, mapview
from app.quartiere import service as places
from app.quartiere.reference import BOUNDARY_ATTRIBUTION
from app.rounds import service as rounds
from app.rounds.schemas import BERLIN
from app.validation import coordinate, is_number, parse
from app.web import templating
from app.web.i18n import gettext as _
from app.web.markdown import render as markdown
from app.web.templating import redirect, render, url

router = page_router()
Lead = Annotated[User, Depends(require_roles(Role.lead, Role.admin))]
FLAGS = ("step_free", "induction_loop", "interpreting", "childcare")
NEEDS = ("sign_language", "barrier_free_seat", "childcare")
ICS = "text/calendar; charset=utf-8"
# What later domains show on an event's page (app/wiring.py): (request, session, event) → safe HTML, or "" (the
# discussion: the contributions recorded from the Werkstatt and, for recorders, the way to record more).
EVENT_EXTENSIONS: list[Callable[..., str]] = []


def _labels() -> dict:
    return {"access_labels": service.ACCESS_LABELS, "status_labels": service.STATUS_LABELS}


def _choices(session: Session) -> dict:
    districts = places.list_districts(session)
    return {"round_choices": [(r.id, r.title) for r in rounds.list_rounds(session, page=1, per_page=200)[0]],
            "district_choices": [(d.slug, d.name) for d, _qs in districts],
            "quarter_choices": [(q.id, f"{q.name} ({d.name})") for d, qs in districts for q in qs]}


def _values(event=None, slug: str = "") -> dict:
    if event is None:
        return {"capacity": "20", "registration_open": True}
    return {"round_id": str(event.round_id), "title": event.title, "description": event.description,
            "district": slug, "quarter_id": str(event.quarter_id or ""), "venue": event.venue,
            "address": event.address, **{f: getattr(event, f) for f in FLAGS},
            "starts_at": event.starts_at.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": event.ends_at.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M"),
            "capacity": str(event.capacity), "registration_open": event.registration_open,
            "online_url": event.online_url or "", "lat": _coordinate(event.lat), "lon": _coordinate(event.lon)}


def _coordinate(value: float | None) -> str:
    return f"{value:.5f}" if value is not None else ""


def _event_form(round_id: str = Form(""), title: str = Form(""), description: str = Form(""),
                district: str = Form(""), quarter_id: str = Form(""), venue: str = Form(""), address: str = Form(""),
                starts_at: str = Form(""), ends_at: str = Form(""), capacity: str = Form(""),
                online_url: str = Form(""), step_free: str = Form(""), induction_loop: str = Form(""),
                interpreting: str = Form(""), childcare: str = Form(""), registration_open: str = Form(""),
                lat: str = Form(""), lon: str = Form("")) -> dict:
    """The event form's fields as typed (checkboxes send "1")."""
    return {"round_id": round_id, "title": title, "description": description, "district": district,
            "quarter_id": quarter_id, "venue": venue, "address": address, "starts_at": starts_at,
            "ends_at": ends_at, "capacity": capacity, "online_url": online_url, "step_free": step_free == "1",
            "induction_loop": induction_loop == "1", "interpreting": interpreting == "1",
            "childcare": childcare == "1", "registration_open": registration_open == "1",
            "lat": lat[:40], "lon": lon[:40]}


EventForm = Annotated[dict, Depends(_event_form)]


def _parse_event(values: dict) -> EventIn:
    data = {**values, "quarter_id": values["quarter_id"] or None, "online_url": values["online_url"] or None,
            "lat": coordinate(values.get("lat", "")), "lon": coordinate(values.get("lon", ""))}
    for key in ("round_id", "capacity"):
        if not is_number(values[key] or "x") or len(values[key]) > 9:
            raise Invalid(_("Bitte prüfen Sie Ihre Eingaben."), errors=[(key, _("Bitte eine ganze Zahl angeben."))])
    return parse(EventIn, data)


def _form_page(request: Request, session: Session, *, event=None, values: dict, exc: DomainError | None = None):
    return render(request, "events/form.html", {
        "event": event, "values": values, "errors": dict(exc.errors) if exc else {},
        "message": exc.message if exc else None, **_choices(session), **_labels(),
        "picker": mapview.picker(coordinate(values.get("lat", "")), coordinate(values.get("lon", ""))),
        "attribution": BOUNDARY_ATTRIBUTION},
        status_code=(exc.status if exc.status != 401 else 400) if exc else 200)


@router.get("/werkstaetten", name="events")
def events(request: Request, session: SessionDep):
    rows, _total = service.list_events(session, per_page=500)
    return render(request, "events/index.html", {"groups": _groups(session, rows),
                                                 "may_manage": policy.can_manage(request.state.user)})


def _groups(session: Session, rows: list) -> list[tuple[str, list]]:
    """Coming and past Werkstätten, each as (event, place, counts)."""
    all_counts = service.counts(session, [e.id for e in rows])
    names = service.places(session, rows)
    now = utcnow()
    items = [(e, names[e.id], all_counts[e.id]) for e in rows]
    coming = [i for i in items if i[0].ends_at >= now]
    past = [i for i in reversed(items) if i[0].ends_at < now]
    return [(_("Kommende Werkstätten"), coming), (_("Vergangene Werkstätten"), past)]


@router.get("/werkstaetten/neu", name="event_new")
def new_event(request: Request, lead: Lead, session: SessionDep, runde: str = ""):
    values = _values()
    if is_number(runde) and len(runde) < 10:
        values["round_id"] = runde
    return _form_page(request, session, values=values)


@router.post("/werkstaetten/neu")
def create_event(request: Request, lead: Lead, session: SessionDep, values: EventForm):
    try:
        event = service.create_event(session, actor=lead, data=_parse_event(values))
    except DomainError as exc:
        return _form_page(request, session, values=values, exc=exc)
    return redirect(url("event", event_id=event.id), flash=_("Die Werkstatt ist angelegt."))


def _venue_map(session: Session, event) -> mapview.MapView | None:
    """A Werkstatt placed on the map: its venue on a small map of its Stadtbezirk (the shape of the Quartier maps)."""
    if event.lat is None or event.lon is None:
        return None
    district = service.district_of(session, event)
    layer = geometry.provider().district(district.number, 260)
    title = _("Ort der Werkstatt im Stadtbezirk {name}").format(name=district.name)
    return mapview.build(layer, [mapview.Area(district.number, district.name, 0, "")], counts=False, title=title,
                         venues=[mapview.Venue(event.lat, event.lon, url("district", district_slug=district.slug),
                                               f"{event.venue} – {title}")])


@router.get("/werkstaetten/{event_id}", name="event")
def event_detail(request: Request, event_id: int, session: SessionDep):
    event = service.get_event(session, event_id)
    user = request.state.user
    mine = service.my_registration(session, event.id, user)
    count = service.counts(session, [event.id])[event.id]
    positions = service.waiting_positions(session, event.id) if mine else {}
    return render(request, "events/detail.html", {
        "event": event, "place": service.places(session, [event])[event.id],
        "round": rounds.get_round(session, event.round_id), "count": count,
        "places_left": max(event.capacity - count.taken, 0), "mine": mine,
        "position": positions.get(mine.id) if mine else None,
        "online_url": service.visible_online_url(session, event, user),
        "may_register": policy.can_register(user), "may_manage": policy.can_manage(user),
        "open_for_registration": event.registration_open and not event.cancelled and event.starts_at > utcnow(),
        "minutes_html": markdown(event.minutes) if event.minutes else "", "venue_map": _venue_map(session, event),
        "attachments": service.attachments(session, event.id), "needs": service.needs_of(mine) if mine else [],
        "values": {"name": user.display_name if user else ""}, "errors": {}, **_labels(),
        "extensions": [extension(request, session, event) for extension in EVENT_EXTENSIONS]})


@router.post("/werkstaetten/{event_id}/anmelden", name="event_register")
def register(request: Request, event_id: int, user: CurrentUser, session: SessionDep, name: str = Form(""),
             people: str = Form("1"), interpreting_language: str = Form(""), sign_language: str = Form(""),
             barrier_free_seat: str = Form(""), childcare: str = Form("")):
    target = url("event", event_id=event_id)
    try:
        if not is_number(people or "x") or len(people) > 3:
            raise Invalid(_("Bitte prüfen Sie Ihre Eingaben."),
                          errors=[("people", _("Bitte eine ganze Zahl angeben."))])
        data = parse(RegistrationIn, {"name": name, "people": people, "interpreting_language": interpreting_language,
                                      "sign_language": sign_language == "1",
                                      "barrier_free_seat": barrier_free_seat == "1", "childcare": childcare == "1"})
        reg = service.register(session, user=user, event_id=event_id, data=data)
    except Invalid as exc:
        return redirect(target + "#anmeldung", flash=exc.message + " " + " ".join(m for _f, m in exc.errors))
    except DomainError as exc:
        return redirect(target, flash=exc.message)
    if reg.status == "confirmed":
        return redirect(target, flash=_("Sie sind angemeldet. Die Bestätigung kommt per E-Mail."))
    return redirect(target, flash=_("Die Werkstatt ist ausgebucht: Sie stehen auf der Warteliste."))


@router.post("/werkstaetten/{event_id}/anmeldungen/{registration_id}/absagen", name="event_cancel_registration")
def cancel_registration(request: Request, event_id: int, registration_id: int, user: CurrentUser,
                        session: SessionDep):
    try:
        service.cancel_registration(session, actor=user, event_id=event_id, registration_id=registration_id)
    except DomainError as exc:
        return redirect(url("event", event_id=event_id), flash=exc.message)
    if policy.can_manage(user) and service.get_registration(session, event_id, registration_id).user_id != user.id:
        return redirect(url("event_registrations", event_id=event_id), flash=_("Die Anmeldung ist abgesagt."))
    return redirect(url("event", event_id=event_id), flash=_("Ihre Anmeldung ist abgesagt."))


@router.get("/werkstaetten/{event_id}/bearbeiten", name="event_edit")
def edit_event(request: Request, event_id: int, lead: Lead, session: SessionDep):
    event = service.get_event(session, event_id)
    return _form_page(request, session, event=event, values=_values(event, service.district_slug(session, event)))


@router.post("/werkstaetten/{event_id}/bearbeiten")
def update_event(request: Request, event_id: int, lead: Lead, session: SessionDep, values: EventForm):
    event = service.get_event(session, event_id)
    try:
        service.update_event(session, actor=lead, event_id=event_id, data=_parse_event(values))
    except DomainError as exc:
        session.rollback()
        return _form_page(request, session, event=event, values=values, exc=exc)
    return redirect(url("event", event_id=event_id), flash=_("Die Änderungen sind gespeichert."))


STATE_FLASH = {"close": "Die Anmeldung ist geschlossen.", "open": "Die Anmeldung ist wieder offen.",
               "cancel": "Die Werkstatt ist abgesagt; die Angemeldeten bekommen eine E-Mail."}


@router.post("/werkstaetten/{event_id}/stand", name="event_state")
def change_state(event_id: int, lead: Lead, session: SessionDep, action: str = Form("")):
    target = url("event", event_id=event_id)
    try:
        if action == "cancel":
            service.cancel_event(session, actor=lead, event_id=event_id)
        elif action in ("open", "close"):
            service.set_registration_open(session, actor=lead, event_id=event_id, open_=action == "open")
        else:
            return redirect(target, flash=_("Unbekannte Aktion."))
    except DomainError as exc:
        return redirect(target, flash=exc.message)
    return redirect(target, flash=_(STATE_FLASH[action]))


@router.get("/werkstaetten/{event_id}/anmeldungen", name="event_registrations")
def registrations(request: Request, event_id: int, lead: Lead, session: SessionDep):
    """The list of registrations with their needs: printable as the sign-in sheet."""
    event = service.get_event(session, event_id)
    rows = service.registrations(session, actor=lead, event_id=event_id)
    positions = service.waiting_positions(session, event_id)
    active = [r for r in rows if r.status != "cancelled"]
    return render(request, "events/registrations.html", {
        "event": event, "place": service.places(session, [event])[event.id],
        "confirmed": [(r, service.needs_of(r)) for r in active if r.status == "confirmed"],
        "waiting": [(r, service.needs_of(r), positions.get(r.id)) for r in active if r.status == "waiting"],
        "cancelled": [r for r in rows if r.status == "cancelled"],
        "count": service.counts(session, [event.id])[event.id], **_labels()})


@router.get("/werkstaetten/{event_id}/protokoll", name="event_minutes")
def minutes_form(request: Request, event_id: int, lead: Lead, session: SessionDep):
    event = service.get_event(session, event_id)
    return render(request, "events/minutes.html", {"event": event, "values": {"minutes": event.minutes},
                                                   "errors": {}, "attachments": service.attachments(session, event_id),
                                                   "max_kb": service.MAX_ATTACHMENT_BYTES // 1000})


@router.post("/werkstaetten/{event_id}/protokoll")
def save_minutes(request: Request, event_id: int, lead: Lead, session: SessionDep, minutes: str = Form("")):
    event = service.get_event(session, event_id)
    try:
        data = parse(MinutesIn, {"minutes": minutes})
        service.set_minutes(session, actor=lead, event_id=event_id, minutes=data.minutes)
    except DomainError as exc:
        return render(request, "events/minutes.html", {
            "event": event, "values": {"minutes": minutes}, "errors": dict(exc.errors), "message": exc.message,
            "attachments": service.attachments(session, event_id), "max_kb": service.MAX_ATTACHMENT_BYTES // 1000},
            status_code=exc.status)
    return redirect(url("event", event_id=event_id) + "#protokoll", flash=_("Das Protokoll ist veröffentlicht."))


@router.post("/werkstaetten/{event_id}/anhaenge", name="event_attachment_upload")
def upload(request: Request, event_id: int, lead: Lead, session: SessionDep, file: UploadFile = File(None)):
    event = service.get_event(session, event_id)
    data = file.file.read(service.MAX_ATTACHMENT_BYTES + 1) if file is not None else b""
    try:
        service.add_attachment(session, actor=lead, event_id=event_id, filename=file.filename if file else "",
                               data=data)
    except DomainError as exc:
        return render(request, "events/minutes.html", {
            "event": event, "values": {"minutes": event.minutes}, "errors": dict(exc.errors), "message": exc.message,
            "attachments": service.attachments(session, event_id), "max_kb": service.MAX_ATTACHMENT_BYTES // 1000},
            status_code=exc.status)
    return redirect(url("event_minutes", event_id=event_id), flash=_("Die Datei ist angehängt."))


@router.post("/werkstaetten/{event_id}/anhaenge/{attachment_id}/loeschen", name="event_attachment_delete")
def delete_attachment(event_id: int, attachment_id: int, lead: Lead, session: SessionDep):
    try:
        service.delete_attachment(session, actor=lead, event_id=event_id, attachment_id=attachment_id)
    except DomainError as exc:
        return redirect(url("event_minutes", event_id=event_id), flash=exc.message)
    return redirect(url("event_minutes", event_id=event_id), flash=_("Die Datei ist entfernt."))


@router.get("/werkstaetten/{event_id}/anhaenge/{attachment_id}", name="event_attachment")
def attachment(event_id: int, attachment_id: int, session: SessionDep):
    """A file of the minutes: its sniffed type, as a download, never interpreted by the browser as a page."""
    found, data = service.attachment_content(session, event_id, attachment_id)
    disposition = "inline" if found.content_type.startswith("image/") else "attachment"
    return Response(data, media_type=found.content_type, headers={
        "Content-Disposition": f"{disposition}; filename=\"{_ascii(found.filename)}\"; "
                               f"filename*=UTF-8''{quote(found.filename)}",
        "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, max-age=3600"})


def _ascii(name: str) -> str:
    return "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name)


# --- calendar feeds -------------------------------------------------------------------------------------

def _ics(body: bytes, filename: str) -> Response:
    return Response(body, media_type=ICS, headers={"Content-Disposition": f'inline; filename="{filename}"'})


@router.get("/kalender.ics", name="calendar")
def calendar_all(session: SessionDep, round: str = "", district: str = ""):
    """All Werkstätten and rounds; `?round=<id>` and `?district=<slug>` narrow it as the feeds below do."""
    if round:
        if not is_number(round) or len(round) > 9:
            raise NotFound(_("Diese Beteiligungsrunde gibt es nicht."))
        return calendar_round(int(round), session)
    if district:
        return calendar_district(district, session)
    return _ics(service.feed(session, name="Quartierswerkstatt Stuttgart"), "kalender.ics")


@router.get("/runden/{round_id}/kalender.ics", name="round_calendar")
def calendar_round(round_id: int, session: SessionDep):
    round_ = rounds.get_round(session, round_id)
    return _ics(service.feed(session, name=round_.title, round_id=round_.id), f"runde-{round_.id}.ics")


@router.get("/kalender/{district_slug}.ics", name="district_calendar")
def calendar_district(district_slug: str, session: SessionDep):
    district, _quarters = places.get_district(session, district_slug)
    return _ics(service.feed(session, name=f"Quartierswerkstatt – {district.name}", district_id=district.id),
                f"{district.slug}.ics")


# --- what other pages show (registered in app/wiring.py) -------------------------------------------------

def _panel(session: Session, rows: list, *, title: str, feed: str | None, new_href: str | None) -> str:
    names = service.places(session, rows)
    all_counts = service.counts(session, [e.id for e in rows])
    return templating.env.get_template("events/_panel.html").render(
        items=[(e, names[e.id], all_counts[e.id]) for e in rows], title=title, feed=feed, new_href=new_href)


def round_extension(request: Request, session: Session, round_) -> str:
    """On a round's page: its Werkstätten and its calendar."""
    rows, _total = service.list_events(session, round_id=round_.id, per_page=100)
    new_href = url("event_new") + f"?runde={round_.id}" if policy.can_manage(request.state.user) else None
    return _panel(session, rows, title=_("Werkstätten dieser Runde"),
                  feed=url("round_calendar", round_id=round_.id), new_href=new_href)


def map_venues(session: Session, district_id: int | None) -> list[mapview.Venue]:
    """Coming Werkstätten placed on the map, as venues for the real maps (the whole city, or one Stadtbezirk)."""
    return [mapview.Venue(e.lat, e.lon, url("event", event_id=e.id),
                          _("Werkstatt: {title}, {when}, {venue}").format(title=e.title, when=service.when(e),
                                                                          venue=e.venue))
            for e in service.mapped_events(session, district_id=district_id)]


def district_extension(request: Request, session: Session, district, quarter=None) -> str:
    """On a Stadtbezirk's (or Stadtteil's) page: its coming Werkstätten and the Stadtbezirk's calendar."""
    rows, _total = service.list_events(session, district_id=district.id, quarter_id=quarter.id if quarter else None,
                                       upcoming=True, per_page=50)
    return _panel(session, rows, title=_("Werkstätten vor Ort"),
                  feed=url("district_calendar", district_slug=district.slug), new_href=None)

