"""German first, English second: gettext catalogues read from the project's .po files at start-up."""

from collections.abc import Callable
from contextvars import ContextVar
from datetime import date, datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale, dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES = ("de", "en")
DEFAULT_LOCALE = "de"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
BERLIN = ZoneInfo("Europe/Berlin")

current_locale: ContextVar[str] = ContextVar("current_locale", default=DEFAULT_LOCALE)


@lru_cache
def translations(locale: str) -> NullTranslations:
    """German is the source language; other locales come from locale/<lang>/LC_MESSAGES/messages.po."""
    po = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    if locale == DEFAULT_LOCALE or not po.exists():
        return NullTranslations()
    with open(po, "rb") as f:
        catalog = read_po(f, locale=locale)
    buf = BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf)


def gettext(message: str) -> str:
    return translations(current_locale.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_locale.get()).ngettext(singular, plural, n)


_ = gettext


def pick_locale(query: str | None, cookie: str | None) -> str:
    for candidate in (query, cookie):
        if candidate in LOCALES:
            return candidate
    return DEFAULT_LOCALE


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


# --- dates and numbers in the reader's locale: Babel's patterns ("5. Januar 2023" / "January 5, 2023") ---------
# A page formats a date per comment, and Babel parsing pattern and locale on every call cost a tenth of the section
# page's render; so each locale's pattern is split into its fields once and then filled in by hand. A field not
# handled here leaves the whole pattern to Babel. tests/test_templating.py checks both give the same text.

def _local(value: datetime | date) -> datetime | date:
    return value.astimezone(BERLIN) if isinstance(value, datetime) else value


def _field(locale: Locale, name: str, width: int) -> Callable[[datetime | date], str] | None:
    # Plain dicts: Babel's locale data resolves aliases on every lookup.
    wide, abbreviated = dict(locale.months["format"]["wide"]), dict(locale.months["format"]["abbreviated"])
    periods = dict(locale.day_periods["format"]["abbreviated"])
    fields: dict[tuple[str, int], Callable] = {
        ("d", 1): lambda v: str(v.day), ("d", 2): lambda v: f"{v.day:02d}",
        ("M", 1): lambda v: str(v.month), ("M", 2): lambda v: f"{v.month:02d}",
        ("M", 3): lambda v: abbreviated[v.month], ("M", 4): lambda v: wide[v.month],
        ("y", 1): lambda v: str(v.year),
        ("H", 1): lambda v: str(v.hour), ("H", 2): lambda v: f"{v.hour:02d}",
        ("h", 1): lambda v: str(v.hour % 12 or 12), ("h", 2): lambda v: f"{v.hour % 12 or 12:02d}",
        ("m", 2): lambda v: f"{v.minute:02d}",
        ("a", 1): lambda v: periods["am" if v.hour < 12 else "pm"],
    }
    return fields.get((name, width))


@lru_cache
def _compiled(locale: str, kind: str, length: str) -> tuple[str | Callable, ...] | None:
    """The pattern as literal text and field functions; None when a field is not handled here.
    kind "datetime" is the long date and the short time of day, joined by a comma."""
    if kind == "datetime":
        day, time = _compiled(locale, "date", "long"), _compiled(locale, "time", "short")
        return None if day is None or time is None else (*day, ", ", *time)
    pattern = (dates.get_date_format if kind == "date" else dates.get_time_format)(length, locale=locale).pattern
    loc = Locale.parse(locale)
    parts: list[str | Callable] = []
    for token, value in dates.tokenize_pattern(pattern):
        if token == "chars":
            parts.append(value)
            continue
        field = _field(loc, *value)
        if field is None:
            return None
        parts.append(field)
    return tuple(parts)


def _apply(value: datetime | date, kind: str, length: str = "") -> str:
    locale = current_locale.get()
    parts = _compiled(locale, kind, length)
    if parts is not None:
        return "".join([p if p.__class__ is str else p(value) for p in parts])
    if kind == "datetime":
        return f"{dates.format_date(value, 'long', locale=locale)}, {dates.format_time(value, 'short', locale=locale)}"
    return (dates.format_date if kind == "date" else dates.format_time)(value, length, locale=locale)


def format_date(value: datetime | date | None, length: str = "long") -> str:
    """A calendar date in Stuttgart: "long" (5. Januar 2023) or "medium" (05.01.2023 / Jan 5, 2023)."""
    return "" if value is None else _apply(_local(value), "date", length)


def format_datetime(value: datetime | None) -> str:
    """Date and time of day in Stuttgart: "5. Januar 2023, 14:30" / "January 5, 2023, 2:30 PM"."""
    return "" if value is None else _apply(value.astimezone(BERLIN), "datetime")


def format_number(value: int | float, digits: int | None = None) -> str:
    """A number with the locale's separators; `digits` fixes the places after the decimal sign (48,77580)."""
    pattern = None if digits is None else "0." + "0" * digits if digits else "0"
    return numbers.format_decimal(value, pattern, locale=current_locale.get())
