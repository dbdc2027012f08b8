"""Database: engines, SQLite pragmas, naming convention, column types and the session dependency."""

import contextlib
import fcntl
import os
import select
import threading
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

from sqlalchemy import DateTime, event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel, create_engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from app.settings import get_settings

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every database (SQLite stores them naive, in UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware datetimes")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # Transactions are begun by hand (see _sqlite_begin) so that writers can take the lock up front.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


# A plain lock, not an RLock: the transaction may end (rollback at session close) on another thread of the
# thread pool than the one that began it.
_WRITE_LOCK = threading.Lock()
_LOCK_FILES: dict[str, int] = {}


def _acquire_write_lock(database: str | None, timeout: float = 30) -> bool:
    """Writers take turns: in this process on a lock, across worker processes on a file lock beside the
    database, polled every millisecond (SQLite's own busy handler sleeps up to 100 ms between tries)."""
    deadline = time.monotonic() + timeout
    if not _WRITE_LOCK.acquire(timeout=timeout):
        return False
    if not database or database == ":memory:":
        return True
    fd = _LOCK_FILES.get(database)
    if fd is None:
        fd = _LOCK_FILES[database] = os.open(f"{database}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() > deadline:  # give up waiting here; SQLite's busy_timeout still applies
                _WRITE_LOCK.release()
                return False
            time.sleep(0.001)


def _release_write_lock(record) -> None:
    database = record.info.pop("qw_write_lock", False)
    if database is False:
        return
    fd = _LOCK_FILES.get(database) if database else None
    if fd is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
    _WRITE_LOCK.release()


def _make_engine(url: str, *, writer: bool) -> Engine:
    settings = get_settings()
    if url.startswith("sqlite"):
        file = make_url(url).database not in (None, "", ":memory:")
        # A file database gets the same pool size as PostgreSQL (app/web/admission.py counts on it).
        pool = {"pool_size": settings.db_pool_size, "max_overflow": settings.db_pool_size} if file else {}
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)

        # A writer takes SQLite's write lock at BEGIN, so concurrent writers queue on busy_timeout
        # instead of failing with "database is locked" when a read transaction upgrades.
        if not writer:
            @event.listens_for(engine, "begin")
            def _sqlite_begin(conn):
                if not conn.get_execution_options().get(_ONE_STATEMENT):  # see lookup_session
                    conn.exec_driver_sql("BEGIN")

            return engine

        # The writers also queue on a lock, in order: SQLite's busy handler would make them poll with growing
        # sleeps (1, 2, 5 … 100 ms), which costs throughput and makes p99 latency jump.
        database = make_url(url).database
        @event.listens_for(engine, "begin")
        def _sqlite_begin_immediate(conn):
            record = conn.connection._connection_record
            # Bounded: a thread that nests two writer sessions waits here, then on SQLite's busy_timeout as before.
            if _acquire_write_lock(database):
                record.info["qw_write_lock"] = database or ""
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            except BaseException:
                _release_write_lock(record)
                raise

        # Finish the transaction here, then let the next writer in; SQLAlchemy's own commit/rollback that
        # follows finds no open transaction and does nothing.
        @event.listens_for(engine, "commit")
        def _commit(conn):
            record = conn.connection._connection_record
            try:
                conn.connection.dbapi_connection.commit()
            finally:
                _release_write_lock(record)

        @event.listens_for(engine, "rollback")
        def _rollback(conn):
            record = conn.connection._connection_record
            try:
                conn.connection.dbapi_connection.rollback()
            finally:
                _release_write_lock(record)

        @event.listens_for(engine, "checkin")
        def _checkin(_dbapi_conn, record):  # a connection given back mid-transaction never keeps the lock
            _release_write_lock(record)

        return engine
    engine = create_engine(url, pool_size=settings.db_pool_size, max_overflow=settings.db_pool_size)
    event.listen(engine, "checkout", _check_alive)
    return engine


def _check_alive(dbapi_conn, _record, _proxy) -> None:
    """Hand out no connection the server has closed (restart, pg_terminate_backend, idle timeout).

    An idle connection has nothing to read: if its socket is readable, the server has hung up (or sent the
    reason first). Checking costs a system call, where pool_pre_ping costs a round trip per checkout; the
    pool answers DisconnectionError by replacing the connection. (A good connection that got an unprompted
    notice, e.g. after a configuration reload, is merely replaced.)"""
    if dbapi_conn.closed:
        raise DisconnectionError("connection closed")
    poller = select.poll()
    poller.register(dbapi_conn.fileno(), select.POLLIN)
    if poller.poll(0):
        raise DisconnectionError("the server closed the connection")


_engines: dict[bool | str, Engine] = {}
_ONE_STATEMENT = "qw_one_statement"


def get_engine(writer: bool = False) -> Engine:
    """The engine for reads, or (writer=True) for writes; one engine (one pool) on PostgreSQL."""
    writer = writer and get_settings().is_sqlite
    if writer not in _engines:
        _engines[writer] = _make_engine(get_settings().database_url, writer=writer)
    return _engines[writer]


def reset_engines() -> None:
    """Dispose the engines (tests and the CLI switch databases)."""
    for key, engine in _engines.items():
        if key != "lookup":  # shares the reader's pool
            engine.dispose()
    _engines.clear()


class AppSession(Session):
    """A session that can do a write's checks outside SQLite's write lock (see checks_before_writing)."""

    def get_bind(self, mapper=None, *, clause=None, **kwargs):
        if (self.info.get(_EARLY_READS) and getattr(clause, "is_select", False)
                and getattr(clause, "_for_update_arg", None) is None):
            return get_engine(writer=False)
        return super().get_bind(mapper, clause=clause, **kwargs)


_EARLY_READS = "qw_early_reads"


@contextlib.contextmanager
def checks_before_writing(session: Session) -> Iterator[None]:
    """The SELECTs inside read through the reader engine: on SQLite they then run before the writer's BEGIN
    IMMEDIATE, so the write lock is held only for the writes (one engine on PostgreSQL: no change).

    Only for checks that may be a moment old (does the section exist, which rounds are open): what must be
    exact is decided by the writes themselves (unique constraints, conditional inserts, counters)."""
    session.info[_EARLY_READS] = True
    try:
        yield
    finally:
        session.info.pop(_EARLY_READS, None)


def new_session(*, writer: bool = False) -> Session:
    return AppSession(get_engine(writer), expire_on_commit=False)


def lookup_session() -> Session:
    """A session for a lookup before the request's own work (who is asking): it gives its connection back at
    once, so no connection is held while the request waits for a thread. On PostgreSQL in autocommit mode:
    no BEGIN and ROLLBACK round trips around the one query."""
    if "lookup" not in _engines:
        engine = get_engine()  # on SQLite no BEGIN either: one SELECT is consistent by itself
        _engines["lookup"] = (engine.execution_options(**{_ONE_STATEMENT: True}) if engine.dialect.name == "sqlite"
                              else engine.execution_options(isolation_level="AUTOCOMMIT"))  # same pool
    return AppSession(_engines["lookup"], expire_on_commit=False)


def hold(session: Session, *objects) -> None:
    """Keep these objects for the session's lifetime: its identity map refers to objects only weakly, and
    held() can then find them without SQL (a write's response reads what the write loaded)."""
    session.info.setdefault("qw_held", []).extend(objects)


def held(session: Session, model, ids: set[int]) -> tuple[dict, set[int]]:
    """The objects of `model` with these ids that the session already holds (no SQL), and the ids it lacks."""
    found = {}
    for id_ in ids:
        obj = session.identity_map.get(session.identity_key(model, id_))
        if obj is not None:
            found[id_] = obj
    return found, ids - found.keys()


async def session_dependency(request: Request) -> AsyncIterator[Session]:
    """One session per request; unsafe methods get the writer engine. Services own the commit.

    Asynchronous, so that FastAPI does not spend two trips through its thread pool on it: making a session
    does no I/O, and closing one does only when a transaction is still open (then in the thread pool)."""
    writer = request.method not in ("GET", "HEAD", "OPTIONS")
    session = new_session(writer=writer)
    if writer and get_settings().is_sqlite:
        # What a route reads after the service's commit (counts, the stored object for the response) must
        # not hold SQLite's write lock until the response is sent: later transactions use the reader engine.
        event.listen(session, "after_commit", _to_reader)
    try:
        yield session
    finally:
        if session.get_transaction() is None:
            session.close()
        else:
            await run_in_threadpool(session.close)


def _to_reader(session: Session) -> None:
    session.bind = get_engine(writer=False)
