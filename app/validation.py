"""Turn Pydantic validation errors into German field messages (pages and API alike)."""

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from app.errors import Invalid
from app.web.i18n import gettext as _

M = TypeVar("M", bound=BaseModel)


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
