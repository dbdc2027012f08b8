"""Database: engines, SQLite pragmas, naming convention, column types and the session dependency."""

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import DateTime, event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel, create_engine
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
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)

        # A writer takes SQLite's write lock at BEGIN, so concurrent writers queue on busy_timeout
        # instead of failing with "database is locked" when a read transaction upgrades.
        if not writer:
            @event.listens_for(engine, "begin")
            def _sqlite_begin(conn):
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
    return create_engine(
        url, pool_size=settings.db_pool_size, max_overflow=settings.db_pool_size, pool_pre_ping=True
    )


_engines: dict[bool, Engine] = {}


def get_engine(writer: bool = False) -> Engine:
    """The engine for reads, or (writer=True) for writes; on PostgreSQL both behave alike."""
    if writer not in _engines:
        _engines[writer] = _make_engine(get_settings().database_url, writer=writer)
    return _engines[writer]


def reset_engines() -> None:
    """Dispose the engines (tests and the CLI switch databases)."""
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


def new_session(*, writer: bool = False) -> Session:
    return Session(get_engine(writer), expire_on_commit=False)


def session_dependency(request: Request) -> Iterator[Session]:
    """One session per request; unsafe methods get the writer engine. Services own the commit."""
    writer = request.method not in ("GET", "HEAD", "OPTIONS")
    with new_session(writer=writer) as session:
        if writer and get_settings().is_sqlite:
            # What a route reads after the service's commit (counts, the stored object for the response) must
            # not hold SQLite's write lock until the response is sent: later transactions use the reader engine.
            event.listen(session, "after_commit", _to_reader)
        yield session


def _to_reader(session: Session) -> None:
    session.bind = get_engine(writer=False)
