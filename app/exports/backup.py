"""Backup and move: the whole platform as one JSON document, between SQLite and PostgreSQL.

Tables are written in the metadata's dependency order with their ids; datetimes as ISO 8601 with offset.
An import goes only into an empty platform (reference data and, through the API, the importing admin's
own bootstrap account aside), checks the whole file before writing, and writes in one transaction.
"""

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, MetaData, String, Table, Text, delete, func, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from app import audit
from app.accounts.models import Role, User
from app.db import UTCDateTime, utcnow
from app.errors import Conflict, Forbidden, Invalid
from app.validation import check_text
from app.web.i18n import gettext as _

FORMAT = "quartierswerkstatt-export"
VERSION = 1
REFERENCE = {"district", "quarter"}
# Per-database bookkeeping, not content: the page cache's generations and rate-limit events.
SKIP = {"cache_key", "rate_limit_event"}
CHUNK = 1000
MAX_ERRORS = 20


def can_move_platform(user: User | None) -> bool:
    return user is not None and user.role == Role.admin.value


def tables(metadata: MetaData) -> list[Table]:
    return [t for t in metadata.sorted_tables if t.name not in SKIP]


def _revision(session: Session) -> str | None:
    try:
        return session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        session.rollback()
        return None


def _encode(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def export_chunks(session: Session, *, metadata: MetaData) -> Iterator[str]:
    """The JSON document in pieces, table by table, rows read in batches (bounded memory)."""
    head = {"format": FORMAT, "version": VERSION, "schema_revision": _revision(session),
            "dialect": session.get_bind().dialect.name, "exported_at": utcnow().isoformat()}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "tables": {'
    for i, table in enumerate(tables(metadata)):
        columns = [c.name for c in table.columns]
        yield ("" if i == 0 else ", ") + json.dumps(table.name) + ": " + json.dumps({"columns": columns})[:-1]
        yield ', "rows": ['
        order = list(table.primary_key.columns) or list(table.columns)
        result = session.connection().execution_options(yield_per=CHUNK).execute(select(table).order_by(*order))
        first = True
        for partition in result.partitions():
            parts = [json.dumps([_encode(v) for v in row], ensure_ascii=False) for row in partition]
            if parts:
                yield ("" if first else ", ") + ", ".join(parts)
                first = False
        yield "]}"
    yield "}}\n"


def export_document(session: Session, *, metadata: MetaData) -> dict:
    return json.loads("".join(export_chunks(session, metadata=metadata)))


# --- import --------------------------------------------------------------------------------------

def _decoder(column):
    """A function turning a JSON value into the column's Python value, or raising ValueError (German)."""
    kind = column.type
    nullable = column.nullable and not column.primary_key

    def check(value):
        if value is None:
            if nullable:
                return None
            raise ValueError(_("darf nicht leer sein"))
        if isinstance(kind, UTCDateTime | DateTime):
            if not isinstance(value, str):
                raise ValueError(_("kein Zeitpunkt"))
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                raise ValueError(_("kein gültiger ISO-8601-Zeitpunkt")) from None
            parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
            try:
                parsed.astimezone(UTC)  # stored in UTC: 0001-01-01T00:00+14:00 lies before year 1 there
            except OverflowError:
                raise ValueError(_("Zeitpunkt außerhalb des darstellbaren Bereichs")) from None
            return parsed
        if isinstance(kind, Date):
            try:
                return date.fromisoformat(value)
            except (TypeError, ValueError):
                raise ValueError(_("kein gültiges Datum")) from None
        if isinstance(kind, Boolean):
            if isinstance(value, bool):
                return value
            if value in (0, 1):
                return bool(value)
            raise ValueError(_("kein Wahrheitswert"))
        if isinstance(kind, Integer):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(_("keine ganze Zahl"))
            return value
        if isinstance(kind, Float):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(_("keine Zahl"))
            return float(value)
        if isinstance(kind, String | Text) or isinstance(getattr(kind, "impl", None), String | Text):
            kind_ = kind if isinstance(kind, String | Text) else kind.impl  # SQLModel's AutoString decorates String
            if not isinstance(value, str):
                raise ValueError(_("kein Text"))
            length = getattr(kind_, "length", None)
            if length and len(value) > length:
                raise ValueError(_("zu lang"))
            return check_text(value)  # no NUL, other control characters or lone surrogates (any database)
        return value

    return check


def validate(document, *, metadata: MetaData) -> dict[str, list[dict]]:
    """The whole file checked before anything is written: {table: [row dicts]} or Invalid with field errors."""
    errors: list[tuple[str, str]] = []

    def fail(field: str, message: str) -> None:
        if len(errors) < MAX_ERRORS:
            errors.append((field, message))

    if not isinstance(document, dict):
        raise Invalid(_("Die Datei ist kein Export der Quartierswerkstatt."), errors=[("body", _("kein JSON-Objekt"))])
    if document.get("format") != FORMAT or document.get("version") != VERSION:
        raise Invalid(_("Die Datei ist kein Export der Quartierswerkstatt (Format {f}, Version {v}).").format(
            f=FORMAT, v=VERSION), errors=[("format", _("unbekanntes Format oder unbekannte Version"))])
    data = document.get("tables")
    if not isinstance(data, dict):
        raise Invalid(_("In der Datei fehlen die Tabellen."), errors=[("tables", _("fehlt"))])
    known = {t.name: t for t in tables(metadata)}
    for name in data:
        if name not in known:
            fail(f"tables.{name}", _("unbekannte Tabelle"))
    result: dict[str, list[dict]] = {}
    for name, table in known.items():
        entry = data.get(name, {"columns": [c.name for c in table.columns], "rows": []})
        if not isinstance(entry, dict) or not isinstance(entry.get("columns"), list) \
                or not isinstance(entry.get("rows"), list):
            fail(f"tables.{name}", _("braucht „columns“ und „rows“ als Listen"))
            continue
        columns = entry["columns"]
        expected = {c.name for c in table.columns}
        if set(columns) != expected or len(columns) != len(expected):
            fail(f"tables.{name}.columns", _("Die Spalten passen nicht zum Schema dieser Installation."))
            continue
        decoders = [_decoder(table.c[c]) for c in columns]
        rows = []
        seen: set = set()
        pk = [c.name for c in table.primary_key.columns]
        for i, raw in enumerate(entry["rows"]):
            if not isinstance(raw, list) or len(raw) != len(columns):
                fail(f"tables.{name}.rows[{i}]", _("Die Zeile hat nicht {n} Werte.").format(n=len(columns)))
                continue
            row = {}
            for column, decode, value in zip(columns, decoders, raw, strict=True):
                try:
                    row[column] = decode(value)
                except ValueError as exc:
                    fail(f"tables.{name}.rows[{i}].{column}", str(exc))
            key = tuple(row.get(c) for c in pk)
            if key in seen:
                fail(f"tables.{name}.rows[{i}]", _("doppelte Kennung"))
            seen.add(key)
            rows.append(row)
        result[name] = rows
    if not errors:
        _check_complete(result, fail)
    if errors:
        raise Invalid(_("Die Datei ist fehlerhaft; es wurde nichts importiert."), errors=errors)
    return result


def _check_complete(data: dict[str, list[dict]], fail) -> None:
    """A platform needs its reference data and someone to run it: an import replaces the importing admin."""
    for name in sorted(REFERENCE):
        if not data.get(name):
            fail(f"tables.{name}", _("Die Referenzdaten fehlen (Stadtbezirke und Stadtteile)."))
    admins = [row for row in data.get("user_account", []) if row.get("role") == Role.admin.value
              and row.get("deleted_at") is None and row.get("email")]
    if not admins:
        fail("tables.user_account", _("Die Datei enthält kein aktives Administrationskonto; ohne eines könnte "
                                      "niemand die Plattform verwalten."))


def _count(session: Session, table: Table) -> int:
    return session.execute(select(func.count()).select_from(table)).scalar_one()


def _bootstrap_rows(session: Session, actor: User | None) -> dict[str, int]:
    """Rows the importing admin brings along: their own account, its tokens, audit entries about it."""
    if actor is None:
        return {}
    from app.accounts.models import AuthToken
    from app.audit import AuditEntry

    return {"user_account": 1,
            "auth_token": session.exec(select(func.count()).select_from(AuthToken)
                                       .where(AuthToken.user_id == actor.id)).one(),
            "audit_entry": session.exec(select(func.count()).select_from(AuditEntry)
                                        .where((AuditEntry.actor_id == actor.id) | (AuditEntry.actor_id.is_(None))
                                               )).one()}


def _ensure_empty(session: Session, metadata: MetaData, actor: User | None) -> None:
    allowed = _bootstrap_rows(session, actor)
    busy = [t.name for t in tables(metadata) if t.name not in REFERENCE and _count(session, t) > allowed.get(t.name, 0)]
    if busy:
        raise Conflict(_("Importiert wird nur in eine leere Plattform; hier gibt es schon Inhalte ({tables}).")
                       .format(tables=", ".join(busy[:8])))


def _remove_bootstrap(session: Session, actor: User | None) -> None:
    if actor is None:
        return
    from app.accounts.models import AuthToken
    from app.audit import AuditEntry

    session.exec(delete(AuthToken).where(AuthToken.user_id == actor.id))
    session.exec(delete(AuditEntry))
    session.exec(delete(User).where(User.id == actor.id))
    session.flush()


def _reset_sequences(session: Session, metadata: MetaData) -> None:
    """PostgreSQL: the id sequences continue after the imported ids."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables(metadata):
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        sequence = session.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                   {"t": table.name, "c": pk[0].name}).scalar()
        if sequence:
            session.execute(text(f'SELECT setval(:s, COALESCE((SELECT MAX("{pk[0].name}") FROM "{table.name}"), 1), '
                                 f'(SELECT MAX("{pk[0].name}") FROM "{table.name}") IS NOT NULL)'), {"s": sequence})


def import_platform(session: Session, *, actor: User | None, document, metadata: MetaData,
                    cli: bool = False) -> dict[str, int]:
    """Load a platform export; all or nothing. Returns {table: rows imported}."""
    if not cli and not can_move_platform(actor):
        raise Forbidden(_("Nur die Administration kann die Plattform importieren."))
    if isinstance(document, bytes | str):
        try:
            document = json.loads(document)
        except (ValueError, UnicodeDecodeError):
            raise Invalid(_("Die Datei ist kein gültiges JSON; es wurde nichts importiert."),
                          errors=[("body", _("kein gültiges JSON"))]) from None
    data = validate(document, metadata=metadata)
    revision = _revision(session)
    if document.get("schema_revision") and revision and document["schema_revision"] != revision:
        raise Invalid(_("Die Datei stammt aus Schema-Stand {a}, diese Installation hat {b}.").format(
            a=document["schema_revision"], b=revision), errors=[("schema_revision", _("passt nicht"))])
    _ensure_empty(session, metadata, None if cli else actor)
    counts: dict[str, int] = {}
    try:
        _remove_bootstrap(session, None if cli else actor)
        for table in tables(metadata):
            rows = data.get(table.name, [])
            if table.name in REFERENCE and _count(session, table) > 0:
                continue  # reference data comes with the migrations
            for start in range(0, len(rows), CHUNK):
                session.execute(table.insert(), rows[start:start + CHUNK])
            counts[table.name] = len(rows)
        _reset_sequences(session, metadata)
        audit.record(session, actor_id=None, action="platform.import", target_type="platform",
                     summary=f"{sum(counts.values())} Zeilen aus {document.get('dialect', '?')}-Export vom "
                             f"{document.get('exported_at', '?')}")
        session.commit()
    except DBAPIError as exc:
        session.rollback()
        detail = str(getattr(exc, "orig", exc)).splitlines()[0][:300]
        raise Invalid(_("Die Datei passt nicht zur Datenbank; es wurde nichts importiert."),
                      errors=[("body", detail)]) from None
    return counts
