"""The content generation: one number in the database that every content-changing commit increases.

Cached anonymous pages are valid while the generation is unchanged. Because the number lives in the
database and is raised inside the writing transaction, a change made through one worker or host is seen
by every other at once. Bookkeeping tables (sessions, rate limits, outbox) do not count as content.
"""

import asyncio
import atexit
import contextlib
import threading

from sqlalchemy import event, text
from sqlalchemy.orm import ORMExecuteState, Session
from sqlmodel import Field, SQLModel

from app.db import get_engine

BOOKKEEPING = {"auth_token", "rate_limit_event", "outbox_message", "site_state"}
_KEY = "qw_changed_tables"


class SiteState(SQLModel, table=True):
    __tablename__ = "site_state"

    id: int = Field(default=1, primary_key=True)
    generation: int = 0


GENERATION_SQL = "SELECT generation FROM site_state WHERE id = 1"
_BUMP = text("UPDATE site_state SET generation = generation + 1 WHERE id = 1")


def current_generation() -> int:
    with get_engine().connect() as conn:
        value = conn.execute(text(GENERATION_SQL)).scalar()
    return int(value or 0)


_held_lock = threading.Lock()
_held: list = [None, None]  # the engine, and a connection of its own kept for the lookups below


def _drop_held() -> None:
    connection, _held[:] = _held[1], [None, None]
    if connection is not None:
        with contextlib.suppress(Exception):
            connection.invalidate()  # closed for good: it may be in autocommit mode, never back into the pool


atexit.register(_drop_held)  # closed before the interpreter tears down the driver


def local_lookup() -> bool:
    """Whether the generation can be read on the event loop: SQLite, a local file, no network wait."""
    return get_engine().dialect.name == "sqlite"


def local_row(sql: str, params: tuple = ()) -> tuple | None:
    """One row on a connection kept for the page cache: no pool, no ORM, no pre-ping round trip.

    `sql` uses `?` placeholders. On PostgreSQL the connection is in autocommit mode (no transaction left
    open) and this is called from a worker thread; the lock keeps it to one statement at a time.
    """
    engine = get_engine()
    sqlite = engine.dialect.name == "sqlite"
    with _held_lock:
        if _held[0] is not engine:
            _drop_held()
            connection = engine.raw_connection()
            if not sqlite:
                connection.driver_connection.autocommit = True
            _held[:] = [engine, connection]
        try:
            cursor = _held[1].cursor()
            cursor.execute(sql if sqlite else sql.replace("?", "%s"), params)
            row = cursor.fetchone()
            cursor.close()
        except Exception:
            _drop_held()
            raise
    return tuple(row) if row else None


ASYNC_CONNECTIONS = 4
_async: dict = {"loop": None, "engine": None, "slots": []}


def _finish(conn) -> None:
    if conn is not None:
        with contextlib.suppress(Exception):
            conn.pgconn.finish()  # its event loop may be gone: close the socket without awaiting


async def async_row(sql: str, params: tuple = (), *, timeout: float = 2.0) -> tuple | None:
    """PostgreSQL: one row on one of a few asynchronous connections of the event loop's own (autocommit), so
    a cache hit needs neither a worker thread nor a pooled connection. `sql` uses `?` placeholders."""
    import psycopg

    loop = asyncio.get_running_loop()
    engine = get_engine()
    if _async["loop"] is not loop or _async["engine"] is not engine:
        for slot in _async["slots"]:
            _finish(slot["conn"])
        _async.update(loop=loop, engine=engine,
                      slots=[{"conn": None, "lock": asyncio.Lock()} for _ in range(ASYNC_CONNECTIONS)])
    slots = _async["slots"]
    slot = next((s for s in slots if not s["lock"].locked()), None) or slots[id(asyncio.current_task()) % len(slots)]
    async with slot["lock"]:
        try:
            if slot["conn"] is None or slot["conn"].closed:
                url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
                slot["conn"] = await asyncio.wait_for(psycopg.AsyncConnection.connect(url, autocommit=True), timeout)
            cursor = await asyncio.wait_for(slot["conn"].execute(sql.replace("?", "%s"), params), timeout)
            row = await cursor.fetchone()
        except BaseException:
            conn, slot["conn"] = slot["conn"], None
            _finish(conn)
            raise
    return tuple(row) if row else None


async def current_generation_async() -> int:
    row = await async_row(GENERATION_SQL)
    return int(row[0] if row else 0)


def current_generation_local() -> int:
    row = local_row(GENERATION_SQL)
    return int(row[0] if row else 0)


def _mark(session: Session, tables: set[str]) -> None:
    session.info.setdefault(_KEY, set()).update(tables)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _ctx) -> None:
    tables = {obj.__table__.name for obj in (*session.new, *session.dirty, *session.deleted)
              if hasattr(obj, "__table__")}
    _mark(session, tables)


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if not state.is_select:  # an ORM or textual write; unknown targets count as content
        table = getattr(state.statement, "table", None)
        _mark(state.session, {getattr(table, "name", "?")})


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    session.flush()
    changed = session.info.pop(_KEY, set()) - BOOKKEEPING
    if changed:
        session.execute(_BUMP)
        session.info.pop(_KEY, None)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_KEY, None)
