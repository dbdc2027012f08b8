"""What text input may contain (one validator for every text field), and German field messages for Pydantic
validation errors (pages and API alike)."""

import re
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ValidationError

from app.errors import Invalid
from app.web.i18n import gettext as _

M = TypeVar("M", bound=BaseModel)

# --- text input -----------------------------------------------------------------------------------
# Every text field of every input (API bodies, page forms, imports) passes check_text, on both databases:
# NUL and the other C0 control characters are refused (PostgreSQL cannot store NUL; SQLite could, and its
# export would then not load into PostgreSQL), except tab and line feed, and carriage return in multi-line
# text. Lone surrogates (possible in JSON as "\ud800") cannot be stored as UTF-8 and are refused too.
# Names and titles (display names, titles of documents, chapters, sections, rounds, ideas, editions) also
# refuse the characters that make one text look like another: the bidirectional embedding, override and
# isolate controls (U+202A–U+202E, U+2066–U+2069) and invisible spaces (U+200B, U+2060, U+FEFF). Zero-width
# (non-)joiners and the directional marks (U+200C, U+200D, U+200E, U+200F) stay allowed: Persian, Arabic,
# Indic scripts and emoji need them, and they cannot reorder text. Bodies keep all of these: a paragraph in
# Arabic or Hebrew may need them, and bodies are never shown where they could pass for a name.

_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL_LINE = re.compile(r"[\x00-\x08\x0b-\x1f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SPOOFING = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]")

CONTROL_MESSAGE = "Der Text enthält unzulässige Steuerzeichen."
SURROGATE_MESSAGE = "Der Text enthält ungültige Zeichen."
SPOOFING_MESSAGE = ("Namen und Titel dürfen keine unsichtbaren Zeichen und keine Steuerzeichen für die "
                    "Schreibrichtung enthalten.")


def check_text(value: str, *, multiline: bool = True, name: bool = False) -> str:
    """The one validator of text input: returns the value unchanged or raises ValueError (German)."""
    if (_CONTROL_MULTILINE if multiline else _CONTROL_LINE).search(value):
        raise ValueError(CONTROL_MESSAGE)
    if _SURROGATE.search(value):
        raise ValueError(SURROGATE_MESSAGE)
    if name and _SPOOFING.search(value):
        raise ValueError(SPOOFING_MESSAGE)
    return value


MOMENT_MESSAGE = "Dieser Zeitpunkt liegt außerhalb des darstellbaren Bereichs (Jahr 1 bis 9999)."


def check_moment(value: datetime) -> datetime:
    """A point in time that can be stored and compared: it must lie in years 1 to 9999 in UTC too
    (0001-01-01T00:00:00+14:00 does not). Raises ValueError (German)."""
    if value.tzinfo is not None:
        try:
            value.astimezone(UTC)
        except OverflowError:
            raise ValueError(MOMENT_MESSAGE) from None
    return value


def is_number(value: str) -> bool:
    """Only ASCII digits make a number here: str.isdigit() also accepts "³" or "٣", which int() then refuses
    or reads as another number."""
    return value.isascii() and value.isdigit()


def coordinate(value: str | None) -> float | str | None:
    """A coordinate typed into a form (or set by the map script): empty is none, a number (decimal comma or
    point) is a float, anything else stays text for the schema's validation to refuse with its message."""
    value = (value or "").strip().replace(",", ".")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        return value


def filled(value: str | None) -> str | None:
    """Surrounding whitespace removed; nothing left is refused ("Bitte ausfüllen."). None (an optional field not
    given) stays None. Used as a field validator: `_filled = field_validator("body")(filled)`."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        raise ValueError("Bitte ausfüllen.")
    return value


def _line(value: str) -> str:
    return check_text(value, multiline=False)


def _name(value: str) -> str:
    return check_text(value, multiline=False, name=True)


Text = Annotated[str, AfterValidator(check_text)]  # multi-line: tab, line feed and carriage return allowed
Line = Annotated[str, AfterValidator(_line)]  # one line (reasons, filters): tab and line feed allowed
Name = Annotated[str, AfterValidator(_name)]  # names and titles: a Line without spoofing characters


def _message(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return _("Bitte ausfüllen.")
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return _("Bitte ausfüllen.")
        return _("Bitte mindestens {n} Zeichen eingeben.").format(n=ctx.get("min_length"))
    if kind == "string_too_long":
        return _("Bitte höchstens {n} Zeichen eingeben.").format(n=ctx.get("max_length"))
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Bitte eine ganze Zahl angeben.")
    if kind in ("float_parsing", "float_type"):
        return _("Bitte eine Zahl angeben.")
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return _("Der Wert liegt außerhalb des erlaubten Bereichs.")
    if kind in ("literal_error", "enum"):
        return _("Bitte einen der vorgesehenen Werte wählen.")
    if kind in ("datetime_parsing", "datetime_from_date_parsing", "datetime_type"):
        return _("Bitte ein gültiges Datum mit Uhrzeit angeben.")
    if kind == "value_error":
        msg = str(ctx.get("error", err.get("msg", "")))
        if "email" in msg.lower():
            return _("Bitte eine gültige E-Mail-Adresse angeben.")
        return _(msg) if msg else _("Ungültiger Wert.")
    if kind == "string_type":
        return _("Bitte Text angeben.")
    if kind in ("json_invalid", "model_type", "model_attributes_type", "dict_type"):
        return _("Der Inhalt ist kein gültiges JSON-Objekt.")
    return _("Ungültiger Wert.")


def field_errors(errors: list[dict[str, Any]], *, skip_prefix: tuple = ()) -> list[tuple[str, str]]:
    """[(field, German message)] from Pydantic/FastAPI error dicts."""
    result = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in skip_prefix]
        result.append((".".join(loc) or "body", _message(err)))
    return result


def parse(schema: type[M], data: dict[str, Any]) -> M:
    """Validate form data against a schema; raise Invalid with German field messages."""
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise Invalid(_("Bitte prüfen Sie Ihre Eingaben."),
                      errors=field_errors(exc.errors(include_url=False))) from None
