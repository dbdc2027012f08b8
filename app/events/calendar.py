"""iCalendar (RFC 5545) for Werkstätten and the rounds' openings and closings, built with `icalendar`.

UIDs are stable (one per Werkstatt, two per round), so a calendar app that subscribed to a feed replaces an
entry when it changes (SEQUENCE rises) or is cancelled (STATUS:CANCELLED) instead of adding a second one.
Times are written in UTC, which every calendar shows in its own zone."""

from urllib.parse import urlsplit

from icalendar import Calendar
from icalendar import Event as VEvent

from app.db import utcnow
from app.events.models import Event
from app.rounds.models import Round
from app.settings import get_settings
from app.web.templating import url

PRODID = "-//Landeshauptstadt Stuttgart//Quartierswerkstatt//DE"


def _host() -> str:
    return urlsplit(get_settings().base_url).hostname or "quartierswerkstatt"


def event_uid(event_id: int) -> str:
    return f"werkstatt-{event_id}@{_host()}"


def round_uids(round_id: int) -> tuple[str, str]:
    return f"runde-{round_id}-beginn@{_host()}", f"runde-{round_id}-ende@{_host()}"


def _calendar(name: str, *, method: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", name)
    return cal


def _event_component(event: Event, *, place: str) -> VEvent:
    base = get_settings().base_url
    item = VEvent()
    item.add("uid", event_uid(event.id))
    item.add("dtstamp", utcnow())
    item.add("created", event.created_at)
    item.add("last-modified", event.updated_at)
    item.add("sequence", event.sequence)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("summary", f"Werkstatt: {event.title}")
    item.add("location", f"{event.venue}, {event.address}")
    item.add("description", (event.description + "\n\n" if event.description else "") + place)
    item.add("url", base + url("event", event_id=event.id))
    item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    return item


def _round_components(round_: Round) -> list[VEvent]:
    base = get_settings().base_url
    items = []
    for uid, moment, label in zip(round_uids(round_.id), (round_.opens_at, round_.closes_at),
                                  ("Beginn", "Ende"), strict=True):
        item = VEvent()
        item.add("uid", uid)
        item.add("dtstamp", utcnow())
        item.add("created", round_.created_at)
        item.add("dtstart", moment)
        item.add("dtend", moment)
        item.add("summary", f"{label} der Beteiligungsrunde: {round_.title}")
        item.add("url", base + url("round", round_id=round_.id))
        item.add("transp", "TRANSPARENT")
        item.add("status", "CONFIRMED")
        items.append(item)
    return items


def feed(name: str, events: list[tuple[Event, str]], rounds: list[Round]) -> bytes:
    """A calendar to subscribe to: the given Werkstätten (each with its place's name) and rounds."""
    cal = _calendar(name)
    for round_ in rounds:
        for item in _round_components(round_):
            cal.add_component(item)
    for event, place in events:
        cal.add_component(_event_component(event, place=place))
    return cal.to_ical()


def invitation(event: Event, place: str) -> str:
    """The .ics attached to a confirmation: the one Werkstatt, with the feed's UID."""
    cal = _calendar(event.title, method="PUBLISH")
    cal.add_component(_event_component(event, place=place))
    return cal.to_ical().decode()
