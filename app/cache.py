"""What a write ends in the page cache: per-key generations, bumped at commit by one rule.

A cached page depends on a few keys, named from its address (`page_keys`): every page on `site`, a
section's pages on `section:<id>`, an idea's on `idea:<id>`, a comment's on `comment:<id>`, every other page
(overviews, lists, maps, reports) on `lists`. Each key has a row in `cache_key` with a generation; a cached
copy is valid while the generations of its keys are what they were when it was rendered.

Every content write is seen at commit: the rows the session flushed (`_after_flush`) and the rows its
UPDATE/INSERT/DELETE statements name (`_on_execute`). `keys_for`, THE RULE below, maps each changed row
to the keys of the pages that show it; `_before_commit` raises those keys' generations in the same
transaction. So a change made through
one worker or host is seen by every other at once, and no row is written by every write (a vote changes
only its section's key). Rows the rule cannot place end `site`, i.e. every page: safe, and rare (structure,
rounds, accounts). A change that hides or erases text also raises the key's `urgent` count: no reader gets
a copy older than that, even within the staleness bound of app/web/pagecache.py.
"""

import asyncio
import atexit
import contextlib
import functools
import logging
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import BigInteger, Column, String, event, inspect, text
from sqlalchemy.dialects.postgresql.dml import OnConflictDoNothing as _PostgresDoNothing
from sqlalchemy.dialects.sqlite.dml import OnConflictDoNothing as _SqliteDoNothing
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql import operators, visitors
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, TextClause
from sqlmodel import Field, SQLModel

from app.db import get_engine

log = logging.getLogger("quartierswerkstatt")

SITE, LISTS = "site", "lists"
# Tables that no cached page shows (sessions, rate limits, mail, this table; invitations are admin pages;
# consents to the terms are asked at login, shown nowhere).
BOOKKEEPING = {"auth_token", "rate_limit_event", "outbox_message", "cache_key", "invitation", "notice_mark",
               "consent"}
COUNTERS = {"up_count", "down_count"}   # a comment's vote counts: shown on its own page, in no list
URGENT = {"hidden_at", "erased"}        # text taken down: no copy may outlive it, not even a stale one
_NOTHING = object()
_DO_NOTHING = (_PostgresDoNothing, _SqliteDoNothing)


class CacheKey(SQLModel, table=True):
    __tablename__ = "cache_key"

    key: str = Field(sa_column=Column(String(80), primary_key=True))
    generation: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default="0"))
    urgent: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default="0"))


# --- which keys a page depends on ----------------------------------------------------------------

_PAGES = [(re.compile(r"^/(?:abschnitte|api/v1/sections)/(\d+)(?:/|$)"), "section"),
          (re.compile(r"^/(?:ideen|api/v1/ideas)/(\d+)(?:/|$)"), "idea"),
          (re.compile(r"^/(?:beitraege|api/v1/comments)/(\d+)(?:/|$)"), "comment")]
# Pages that show every contribution of a round with its vote counts, and vote counts on their own: they would
# need a key every vote raises, so they are not cached. Nor is "Meine Beiträge" (one person's votes, comments and
# ideas across every section and idea: it would depend on every key).
_UNCACHED = re.compile(r"^/runden/\d+/abwaegung|^/api/v1/votes|^/meine-beitraege|^/api/v1/me/contributions")


def page_keys(path: str) -> tuple[str, ...] | None:
    """The keys a page at this address depends on; None: not cached."""
    if _UNCACHED.match(path):
        return None
    for pattern, kind in _PAGES:
        found = pattern.match(path)
        if found:
            return SITE, f"{kind}:{int(found.group(1))}"
    return SITE, LISTS


# --- THE RULE: which keys a changed row ends ------------------------------------------------------

@dataclass
class Change:
    """A changed row as far as known: column values (new, or as loaded) and which columns changed."""

    table: str
    values: dict
    changed: set[str] = field(default_factory=set)
    old: dict = field(default_factory=dict)  # earlier values of changed columns, where known
    new: bool = False  # a row inserted


class _Unknown(Exception):
    """The rule cannot tell which pages show the row: it ends every page."""


def keys_for(change: Change, find) -> set[str]:
    """The keys of the pages that show this row. `find(table, id)` gives another row's columns (or raises
    _Unknown): a vote names its comment, a paragraph its version, and so on."""
    t, row = change.table, change.values

    def get(name: str, table: str = t):  # a column of this row, looked up by id if the change lacks it
        if name in row:
            return row[name]
        return find(table, row.get("id")).get(name)

    def shown(c: dict) -> set[str]:  # a comment's own pages and its section's or idea's
        return {f"section:{c['section_id']}" if c.get("section_id") else f"idea:{c['idea_id']}", f"comment:{c['id']}"}

    def comment(comment_id) -> set[str]:
        return shown(find("comment", comment_id))

    def idea(idea_id, section_id=_NOTHING) -> set[str]:  # an idea's page, the lists and maps, its section
        section_id = find("idea", idea_id).get("section_id") if section_id is _NOTHING else section_id
        return {f"idea:{idea_id}", LISTS} | ({f"section:{section_id}"} if section_id else set())

    def version(version_id) -> set[str]:
        return {f"section:{find('section_version', version_id)['section_id']}"}

    def target(r: dict) -> set[str]:  # a row about a comment or an idea (vote, response, flag)
        return comment(r["comment_id"]) if r.get("comment_id") else idea(r["idea_id"])

    if t in BOOKKEEPING:
        return set()
    if t == "comment":
        keys = shown(row) if row.get("section_id") or row.get("idea_id") else comment(row.get("id"))
        return keys | ({LISTS} if change.changed - COUNTERS else set())
    if t == "comment_edit":
        return comment(get("comment_id"))
    if t == "vote":
        named = any(row.get(c) for c in ("section_version_id", "comment_id", "idea_id"))
        full = row if named else find("vote", row.get("id"))
        return version(full["section_version_id"]) if full.get("section_version_id") else target(full)
    if t in ("response", "flag"):
        return target(row if (row.get("comment_id") or row.get("idea_id")) else find(t, row.get("id"))) | {LISTS}
    if t == "idea":
        keys = idea(get("id"), row.get("section_id", _NOTHING))
        return keys | ({f"section:{change.old['section_id']}"} if change.old.get("section_id") else set())
    if t in ("idea_status_change", "idea_edit"):
        return idea(get("idea_id"))
    if t == "section":  # its pages and the outline; a new title, place or chapter shows on other pages too
        placed = change.changed & {"title", "position", "chapter_id"}
        moved = any(change.old.get(c, _NOTHING) != row.get(c) for c in placed)
        return {f"section:{get('id')}", LISTS} | ({SITE} if moved else set())
    if t == "draft":
        return {f"section:{get('section_id')}"}
    if t == "section_version":
        return {f"section:{get('section_id')}", LISTS}
    if t in ("paragraph", "anchor_mapping"):
        return version(get("version_id")) | {LISTS}
    if t == "version_address":
        return version(get("version_id")) | comment(get("comment_id")) | {LISTS}
    if t in ("barrier_report", "event", "event_registration", "event_attachment"):  # list pages (the barrier
        # queue) and Werkstätten: their pages, rounds, Quartiere
        return {LISTS}
    if t == "casework":  # leads' pages only (uncached), but the unit is the Abwägungstabelle's Zuständigkeit
        return {LISTS}
    if t == "internal_note":  # shown on the leads' uncached workbench pages only
        return set()
    if t in ("edition", "edition_section", "audit_entry"):
        return {LISTS}
    if t == "round_follow":  # shown only on round pages (a per-person copy of them)
        return {LISTS}
    if t == "user_account" and change.changed and all(c.startswith("notify_") for c in change.changed):
        return {LISTS}  # notification settings: shown only on /konto
    if t == "user_account":  # a new account shows nowhere yet but in lists; a changed name or role everywhere
        return {LISTS} if change.new else {SITE}
    return {SITE}  # documents, chapters, rounds, accounts, reference data, anything new


# --- collecting the changed rows of a transaction -------------------------------------------------

_CHANGES = "qw_cache_changes"


def _record(session: Session, change: Change) -> None:
    session.info.setdefault(_CHANGES, []).append(change)


def _classes() -> dict:
    if not _classes.cache:
        _classes.cache.update((m.local_table.name, m.class_) for m in SQLModel._sa_registry.mappers)
    return _classes.cache


_classes.cache = {}


def _loaded(session: Session, table: str, row_id) -> dict | None:
    """The columns of a row this session holds (no SQL)."""
    cls = _classes().get(table)
    if cls is None or row_id is None:
        return None
    obj = session.identity_map.get(session.identity_key(cls, row_id))
    return None if obj is None else {k: v for k, v in inspect(obj).dict.items() if not k.startswith("_")}


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _ctx) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(obj, "__table__", None)
        if table is None or table.name in BOOKKEEPING:
            continue
        state = inspect(obj)
        values = {k: v for k, v in state.dict.items() if not k.startswith("_")}
        if obj in session.dirty:
            changed, old = set(), {}
            for attr in state.attrs:
                history = attr.history
                if history.has_changes():
                    changed.add(attr.key)
                    if history.deleted:
                        old[attr.key] = history.deleted[0]
            if changed:
                _record(session, Change(table.name, values, changed, old))
        else:  # a new or removed row (texts are hidden or erased, not removed: neither is urgent)
            _record(session, Change(table.name, values, set(values) - URGENT, new=obj in session.new))


def _bound(value, params: dict):
    if isinstance(value, BindParameter):
        return params.get(value.key, value.value) if value.value is None else value.value
    return value if isinstance(value, str | int | float | bool | datetime | type(None)) else _NOTHING


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    """An UPDATE, INSERT or DELETE statement: the columns it names with their values (SET, VALUES, and
    WHERE column = value), completed from the row as this session loaded it."""
    statement, params = state.statement, state.parameters
    if state.is_select or (isinstance(statement, TextClause) and statement.text.lstrip()[:6].upper() == "SELECT"):
        return
    table = getattr(statement, "table", None)
    name = getattr(table, "name", None)
    if name in BOOKKEEPING:
        return
    if name is None or not isinstance(params, dict | type(None)):
        _record(state.session, Change("?", {}))  # textual or many rows at once: unknown, ends every page
        return
    params = params or {}
    values, changed = {}, set()
    try:
        for column, value in (getattr(statement, "_values", None) or {}).items():
            key = column if isinstance(column, str) else column.key
            changed.add(key)
            if (v := _bound(value, params)) is not _NOTHING:
                values[key] = v
        if getattr(statement, "is_insert", False):
            if not changed:
                values, changed = dict(params), set(params)
            changed -= URGENT
        where = getattr(statement, "whereclause", None)
        for node in visitors.iterate(where) if where is not None else ():
            if (isinstance(node, BinaryExpression) and node.operator is operators.eq
                    and getattr(getattr(node.left, "table", None), "name", None) == name
                    and isinstance(node.right, BindParameter)):
                values.setdefault(node.left.key, _bound(node.right, params))
    except Exception:  # a statement shape this does not know: every page
        _record(state.session, Change("?", {}))
        return
    loaded = _loaded(state.session, name, values.get("id"))
    old = {c: loaded[c] for c in changed if loaded and c in loaded}
    change = Change(name, {**(loaded or {}), **values}, changed, old, new=getattr(statement, "is_insert", False))
    if change.new and isinstance(getattr(statement, "_post_values_clause", None), _DO_NOTHING) and getattr(
            statement, "_returning", ()):
        # INSERT … ON CONFLICT DO NOTHING … RETURNING: a change only if a row came back (a repeated vote, a
        # double submit, inserts nothing and so ends no page)
        frozen = state.invoke_statement().freeze()
        if frozen.data:
            _record(state.session, change)
        return frozen()
    _record(state.session, change)


def _finder(session: Session):
    """find(table, id): a row's columns as this session holds them, else from the database."""
    def find(table: str, row_id) -> dict:
        if row_id is None or table not in _classes():
            raise _Unknown
        row = _loaded(session, table, row_id)
        if row is None:
            found = session.execute(text(f'SELECT * FROM "{table}" WHERE id = :id'), {"id": row_id}).first()
            if found is None:
                raise _Unknown
            row = dict(found._mapping)
        return row
    return find


def changed_keys(session: Session) -> dict[str, bool]:
    """The keys this transaction ends so far, each with whether it is urgent; clears what was collected."""
    session.flush()
    changes = session.info.pop(_CHANGES, [])
    keys: dict[str, bool] = {}
    find = _finder(session)
    for change in changes:
        try:
            found = keys_for(change, find)
        except (_Unknown, KeyError, TypeError):
            found = {SITE}
        for key in found:
            keys[key] = keys.get(key, False) or bool(change.changed & URGENT)
    session.info.pop(_CHANGES, None)  # what the lookups above may have added
    return keys


_BUMP = ("INSERT INTO cache_key (key, generation, urgent) VALUES {rows} ON CONFLICT (key) DO UPDATE "
         "SET generation = cache_key.generation + 1, urgent = cache_key.urgent + excluded.urgent")


@functools.lru_cache(maxsize=64)
def _bump_statement(count: int) -> TextClause:
    """The statement for `count` keys, made once (making one costs more than running it)."""
    return text(_BUMP.format(rows=", ".join(f"(:k{i}, 1, :u{i})" for i in range(count))))


def bump(connection, keys: dict[str, bool]) -> None:
    """Raise the generations of these keys (in key order: two writers never wait on each other crosswise)."""
    if not keys:
        return
    ordered = sorted(keys)
    params = {f"k{i}": k for i, k in enumerate(ordered)} | {f"u{i}": int(keys[k]) for i, k in enumerate(ordered)}
    connection.execute(_bump_statement(len(ordered)), params)


def end_every_page(connection) -> None:
    """For writes that bypass the session (bulk loads, test clean-up): every cached page is stale."""
    bump(connection, {SITE: True})


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    keys = changed_keys(session)
    if keys:
        bump(session.connection(), keys)  # bookkeeping: on the transaction's connection, past the ORM's hooks
        session.info.pop(_CHANGES, None)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_CHANGES, None)


# --- reading generations: on connections of the cache's own --------------------------------------

def generations_sql(count: int, *, sqlite: bool = False) -> str:
    """The lookup of `count` keys. SQLite is told to use the primary key's index: its planner trusts the
    statistics of the last ANALYZE, and one taken while `cache_key` was small (it grows with every thing written
    about) makes it scan the whole table, 0.6 ms a lookup at 10,000 keys instead of 7 µs, on every cache hit."""
    index = " INDEXED BY sqlite_autoindex_cache_key_1" if sqlite else ""
    return f"SELECT key, generation, urgent FROM cache_key{index} WHERE key IN ({', '.join('?' * count)})"


BOUNDARY_SQL = ("SELECT min(t) FROM (SELECT opens_at AS t FROM round WHERE opens_at > ? "
                "UNION ALL SELECT closes_at FROM round WHERE closes_at > ?) AS later")


def _boundary_param(now: datetime, sqlite: bool):
    naive = now.astimezone(UTC).replace(tzinfo=None)
    return naive.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else naive


def _as_utc(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


_held_lock = threading.Lock()
_held: list = [None, None]  # the engine, and a connection of its own kept for the lookups below


def _drop_held() -> None:
    connection, _held[:] = _held[1], [None, None]
    if connection is not None:
        with contextlib.suppress(Exception):
            connection.invalidate()  # closed for good: it may be in autocommit mode, never back into the pool


atexit.register(_drop_held)  # closed before the interpreter tears down the driver


def local_lookup() -> bool:
    """Whether the cache can read on the event loop: SQLite, a local file, no network wait."""
    return get_engine().dialect.name == "sqlite"


def local_rows(sql: str, params: tuple = ()) -> list[tuple]:
    """Rows on a connection kept for the page cache: no pool, no ORM, no pre-ping round trip.

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
            rows = cursor.fetchall()
            cursor.close()
        except Exception:
            _drop_held()
            raise
    return [tuple(row) for row in rows]


ASYNC_CONNECTIONS = 4
_async: dict = {"loop": None, "engine": None, "slots": []}


def _finish(conn) -> None:
    if conn is not None:
        with contextlib.suppress(Exception):
            conn.pgconn.finish()  # its event loop may be gone: close the socket without awaiting


async def async_rows(sql: str, params: tuple = (), *, timeout: float = 2.0) -> list[tuple]:
    """PostgreSQL: rows from one of a few asynchronous connections of the event loop's own (autocommit), so
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
    started = loop.time()
    try:
        # The whole read is bounded, its wait for a busy connection included. asyncio.timeout, not wait_for:
        # no task of its own per read (wait_for made one: ~1 % of a write).
        async with asyncio.timeout(timeout), slot["lock"]:
            try:
                if slot["conn"] is None or slot["conn"].closed:
                    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
                    slot["conn"] = await psycopg.AsyncConnection.connect(url, autocommit=True)
                cursor = await slot["conn"].execute(sql.replace("?", "%s"), params)
                rows = await cursor.fetchall()
            except BaseException:  # cancelled or failed midway: the connection's state is unknown
                conn, slot["conn"] = slot["conn"], None
                _finish(conn)
                raise
    except Exception as exc:
        # Callers go on without the read (the pooled lookup, the app without its cache): said here, or a
        # request's wait of up to `timeout` would pass unseen.
        log.warning("read on the event loop failed after %.0f ms (%s: %s); the request goes on without it",
                    (loop.time() - started) * 1000, type(exc).__name__, exc)
        raise
    return [tuple(row) for row in rows]


async def rows_on_loop(sql: str, params: tuple = ()) -> list[tuple]:
    """Rows read on the event loop (`?` placeholders): never a blocking wait there for a pooled connection that
    only the waiting requests could give back (it deadlocks): SQLite on the kept connection right here,
    PostgreSQL asynchronously."""
    if local_lookup():
        return local_rows(sql, params)
    return await async_rows(sql, params)


async def generations(keys: tuple[str, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The current generations and urgent counts of these keys (0 for keys never raised)."""
    if local_lookup():
        found = _found(local_rows(generations_sql(len(keys), sqlite=True), keys))
    else:
        found = await _batched(keys)
    pairs = [found.get(key, (0, 0)) for key in keys]
    return tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)


def _found(rows: list[tuple]) -> dict[str, tuple[int, int]]:
    return {row[0]: (int(row[1]), int(row[2])) for row in rows}


@dataclass
class _Batch:
    keys: set[str]
    result: asyncio.Future


_BATCH_KEYS = 200
_batch: dict = {"loop": None, "waiting": None}  # the batch of this event loop that has not been sent yet
_sending: set[asyncio.Task] = set()  # batches being sent (kept referenced while they run)


async def _batched(keys: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """PostgreSQL: the lookups of every request that asks before the next turn of the event loop, as one query.
    During a rush thirty readers ask at once; each waited for one of the few connections and paid a round trip.
    Still exact: the query is sent after every request in it has asked, so each sees every write committed
    before it asked (a hide or an erasure too)."""
    loop = asyncio.get_running_loop()
    batch = _batch["waiting"] if _batch["loop"] is loop else None
    if batch is None or len(batch.keys) + len(keys) > _BATCH_KEYS:
        batch = _Batch(keys=set(), result=loop.create_future())
        _batch.update(loop=loop, waiting=batch)
        loop.call_soon(_send, batch)
    batch.keys.update(keys)
    return await asyncio.shield(batch.result)  # one request going away does not cancel the others' lookup


def _send(batch: _Batch) -> None:
    if _batch["waiting"] is batch:
        _batch["waiting"] = None  # later requests make a new batch

    async def run() -> None:
        try:
            rows = await async_rows(generations_sql(len(batch.keys)), tuple(batch.keys))
        except BaseException as exc:  # noqa: BLE001 - handed to every request of the batch
            if not batch.result.done():
                batch.result.set_exception(exc if isinstance(exc, Exception) else RuntimeError(repr(exc)))
            batch.result.exception()  # retrieved here too: nobody may be left waiting for it
            return
        batch.result.set_result(_found(rows))

    task = asyncio.get_running_loop().create_task(run())
    _sending.add(task)
    task.add_done_callback(_sending.discard)


async def next_round_boundary(now: datetime) -> datetime | None:
    """The next moment a round opens or closes: pages that show rounds change then without a write."""
    param = _boundary_param(now, local_lookup())
    rows = await rows_on_loop(BOUNDARY_SQL, (param, param))
    return _as_utc(rows[0][0]) if rows else None
