"""Database: engines, SQLite pragmas, naming convention, column types and the session dependency."""

import asyncio
import contextlib
import contextvars
import fcntl
import functools
import inspect
import os
import select
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from typing import Annotated

import anyio
from fastapi import Depends
from fastapi.datastructures import DefaultPlaceholder
from fastapi.exceptions import ResponseValidationError
from fastapi.routing import APIRoute
from fastapi.utils import is_body_allowed_for_status_code
from sqlalchemy import DateTime, event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel, create_engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from app.errors import Busy
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
    cur.execute(f"PRAGMA busy_timeout={int(get_settings().lock_timeout_seconds * 1000)}")
    cur.close()


# A plain lock, not an RLock: the transaction may end (rollback at session close) on another thread of the
# thread pool than the one that began it.
_WRITE_LOCK = threading.Lock()
_LOCK_FILES: dict[str, int] = {}
# A quick write's lock, taken on the event loop before it ran (see `quick`): handed to the first writing
# transaction it begins, or given back when it wrote nothing.
_TAKEN_ON_LOOP: contextvars.ContextVar[list | None] = contextvars.ContextVar("qw_taken_on_loop", default=None)


def _lock_file(database: str | None) -> int | None:
    if not database or database == ":memory:":
        return None
    fd = _LOCK_FILES.get(database)
    if fd is None:
        fd = _LOCK_FILES[database] = os.open(f"{database}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
    return fd


def _try_file_lock(fd: int | None) -> bool:
    if fd is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _acquire_write_lock(database: str | None, timeout: float) -> None:
    """Writers take turns: in this process on a lock, across worker processes on a file lock beside the
    database, polled every millisecond (SQLite's own busy handler sleeps up to 100 ms between tries).
    Raises Busy (503) when the lock is not free within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    if not _WRITE_LOCK.acquire(timeout=timeout):
        raise Busy()
    fd = _lock_file(database)
    while not _try_file_lock(fd):
        if time.monotonic() > deadline:
            _WRITE_LOCK.release()
            raise Busy()
        time.sleep(0.001)


async def _acquire_write_lock_on_loop(database: str | None, timeout: float) -> None:
    """The same on the event loop, polled without holding it up: the holder may need the loop to finish."""
    deadline = time.monotonic() + timeout
    fd = _lock_file(database)
    while True:
        if _WRITE_LOCK.acquire(blocking=False):
            if _try_file_lock(fd):
                return
            _WRITE_LOCK.release()
        if time.monotonic() > deadline:
            raise Busy()
        await asyncio.sleep(0.001)


def _release(database: str | None) -> None:
    fd = _LOCK_FILES.get(database) if database else None
    if fd is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
    _WRITE_LOCK.release()


def _release_write_lock(record) -> None:
    database = record.info.pop("qw_write_lock", False)
    if database is not False:
        _release(database)


def _make_engine(url: str, *, writer: bool, pool_size: int | None = None) -> Engine:
    settings = get_settings()
    pool_size = settings.db_pool_size if pool_size is None else pool_size
    if url.startswith("sqlite"):
        file = make_url(url).database not in (None, "", ":memory:")
        # A file database gets the same pool size as PostgreSQL (app/web/admission.py counts on it).
        pool = {"pool_size": pool_size, "max_overflow": pool_size} if file else {}
        engine = create_engine(url, connect_args={"check_same_thread": False,
                                                  "timeout": settings.lock_timeout_seconds}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)

        # A writer takes SQLite's write lock at BEGIN, so concurrent writers queue on busy_timeout
        # instead of failing with "database is locked" when a read transaction upgrades.
        if not writer:
            # Reads only: a write through this engine would bypass the writers' lock and could fail with
            # "database is locked" under load; it fails at once instead (declare such a route with `writes`).
            @event.listens_for(engine, "connect")
            def _read_only(dbapi_conn, _record):
                dbapi_conn.execute("PRAGMA query_only=ON")

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
            taken = _TAKEN_ON_LOOP.get()
            if taken:
                taken.clear()  # a quick write's, taken before it ran: now this transaction's
            else:
                _acquire_write_lock(database, settings.lock_timeout_seconds)  # bounded: Busy (503) after the timeout
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
    engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size,
                           connect_args={"options": _postgres_options(url)})
    event.listen(engine, "checkout", _check_alive)
    return engine


def _postgres_options(url: str) -> str:
    """Bounded waits, set once per connection: a lock wait ends after QW_LOCK_TIMEOUT_SECONDS (then 503, see
    app/web/problems.py), and a transaction left idle is ended by the server (a backstop). Keeps any
    `options` of the URL (e.g. a search_path)."""
    settings = get_settings()
    given = make_url(url).query.get("options", "")
    ours = (f"-c lock_timeout={int(settings.lock_timeout_seconds * 1000)} "
            f"-c idle_in_transaction_session_timeout={int(settings.idle_transaction_timeout_seconds * 1000)}")
    return f"{given if isinstance(given, str) else ' '.join(given)} {ours}".strip()


def _check_alive(_dbapi_conn, record, _proxy) -> None:
    """Hand out no connection the server has closed (restart, pg_terminate_backend, idle timeout).

    An idle connection has nothing to read: if its socket is readable, the server has hung up (or sent the
    reason first). Checking costs a system call, where pool_pre_ping costs a round trip per checkout; the
    pool answers DisconnectionError by replacing the connection. (A good connection that got an unprompted
    notice, e.g. after a configuration reload, is merely replaced.)"""
    connection = record.driver_connection  # psycopg's, synchronous or asynchronous (quick routes)
    if connection.closed:
        raise DisconnectionError("connection closed")
    poller = select.poll()
    poller.register(connection.fileno(), select.POLLIN)
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


def health_engine() -> Engine:
    """The health check's own small pool (one connection, one spare): during a rush every connection of the
    routes' pool may be in use, and /healthz must not wait for one of them to be given back, nor open a new
    connection each time (a backend's start-up costs most on a machine that is busy already)."""
    if "health" not in _engines:
        _engines["health"] = _make_engine(get_settings().database_url, writer=False, pool_size=1)
    return _engines["health"]


_on_loop: dict = {"loop": None, "engine": None}


def loop_engine() -> AsyncEngine:
    """PostgreSQL: the engine of quick routes, psycopg in its asynchronous mode (see `quick`), one per event loop
    (a connection belongs to the loop it was made on): the same database and server-side bounds."""
    loop = asyncio.get_running_loop()
    if _on_loop["loop"] is not loop:
        settings = get_settings()
        url = make_url(settings.database_url).set(drivername="postgresql+psycopg")
        # as many connections as requests may work at once (app/web/admission.py): none waits for one
        engine = create_async_engine(url, pool_size=settings.db_pool_size, max_overflow=0,
                                     connect_args={"options": _postgres_options(settings.database_url)})
        event.listen(engine.sync_engine, "checkout", _check_alive)
        _on_loop.update(loop=loop, engine=engine)
    return _on_loop["engine"]


async def dispose_loop_engine() -> None:
    """Close the connections of this event loop's engine (the app's lifespan, at shutdown)."""
    engine = _on_loop["engine"]
    if engine is not None and _on_loop["loop"] is asyncio.get_running_loop():
        _on_loop.update(loop=None, engine=None)
        await engine.dispose()


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
    exact is decided by the writes themselves (unique constraints, conditional inserts, counters).

    A quick route on SQLite holds the write lock before it runs (see `quick`): its checks read in its writer
    transaction, which spares a second connection and transaction. So do a quick route's on PostgreSQL (their
    session's engine is the asynchronous one)."""
    if _TAKEN_ON_LOOP.get() is not None or _ON_LOOP in session.info:
        yield
        return
    session.info[_EARLY_READS] = True
    try:
        yield
    finally:
        session.info.pop(_EARLY_READS, None)


def new_session(*, writer: bool = False) -> Session:
    return AppSession(get_engine(writer), expire_on_commit=False)


@contextlib.contextmanager
def streaming_session() -> Iterator[Session]:
    """A reader session for a response streamed after the route has returned (the request's own session has
    ended by then). It waits on the client between chunks, so PostgreSQL's idle-transaction backstop is off
    for its transaction (it reads only: it holds no lock a writer needs)."""
    with new_session() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.connection().exec_driver_sql("SET LOCAL idle_in_transaction_session_timeout = 0")
        yield session


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


def writes(endpoint: Callable) -> Callable:
    """Declare that a route writes although its method is safe (e.g. a confirmation link, a GET): its
    session then uses the writer engine. Unsafe methods (POST, PUT, PATCH, DELETE) write anyway."""
    endpoint.qw_writes = True  # type: ignore[attr-defined]
    return endpoint


def _writes(request: Request) -> bool:
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        return True
    return getattr(request.scope.get("endpoint"), "qw_writes", False)


# The session lifecycle, one rule: a request's transaction ends before its response is sent, on every path,
# and nothing that a refused or finished request held (SQLite's write lock, PostgreSQL's row locks) waits for
# a free thread to be given back. Two places carry it out:
# - in the thread where a synchronous route ran, as soon as it returns or raises (SessionRoute): commit when
#   the transaction wrote nothing uncommitted (a read, or a no-op that locked a row), roll back otherwise;
# - then the dependency's teardown, before the response is sent (scope="function"): a transaction opened
#   since (an asynchronous route, the serialization of the answer) is rolled back on a thread of its own,
#   never one of the routes' thread pool, whose threads may all be waiting for that very lock.
_REQUEST_SESSION: contextvars.ContextVar[Session | None] = contextvars.ContextVar("qw_request_session",
                                                                                    default=None)
_UNCOMMITTED = "qw_uncommitted_writes"
_ON_LOOP = "qw_on_loop"  # a quick route's session on PostgreSQL: its AsyncSession
_READER_AFTER_COMMIT = "qw_reader_after_commit"


async def session_dependency(request: Request) -> AsyncIterator[Session]:
    """One session per request, writer or reader by the route's intent (see `writes`); services own the commit.

    Asynchronous, so that FastAPI does not spend two trips through its thread pool on it: making a session
    does no I/O, and closing one does only when a transaction is still open."""
    writer = _writes(request)
    if writer and not get_settings().is_sqlite and getattr(request.scope.get("endpoint"), "qw_quick", False):
        on_loop = AsyncSession(loop_engine(), sync_session_class=AppSession, expire_on_commit=False)
        session = on_loop.sync_session  # the route works with it as with any session, inside on_loop.run_sync
        session.info[_ON_LOOP] = on_loop
    else:
        session = new_session(writer=writer)
    if writer and get_settings().is_sqlite:
        # What a route reads after the service's commit (counts, the stored object for the response) must
        # not hold SQLite's write lock until the response is sent: later transactions use the reader engine.
        session.info[_READER_AFTER_COMMIT] = True  # see _after_commit (a listener per session costs ~0.1 ms)
    token = _REQUEST_SESSION.set(session)
    try:
        yield session
    finally:
        with contextlib.suppress(ValueError):  # another context than the one that set it: nothing to undo
            _REQUEST_SESSION.reset(token)
        await end_session(session)


def _wrote(session: Session, _flush_context) -> None:
    session.info[_UNCOMMITTED] = True


def _wrote_by_statement(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_UNCOMMITTED] = True


def _ended(session: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction: committed or rolled back
        session.info.pop(_UNCOMMITTED, None)


def _after_commit(session: Session) -> None:
    if session.info.get(_READER_AFTER_COMMIT):
        _to_reader(session)


# Whether a session's transaction holds writes not yet committed (listened to once, for every AppSession), and
# a request's SQLite writer session turning reader once it committed.
event.listen(AppSession, "after_commit", _after_commit)
event.listen(AppSession, "after_flush", _wrote)
event.listen(AppSession, "do_orm_execute", _wrote_by_statement)
event.listen(AppSession, "after_transaction_end", _ended)


def end_transaction(session: Session, *, failed: bool) -> None:
    """End the request's transaction where the route ran. A failed route's session is closed (its connection
    rolled back and given back; the objects it loaded stay readable for the error page, as after the
    request). A route that returned commits what it only read or left unchanged (its objects stay usable for
    the answer) and rolls back any write it left uncommitted."""
    if session.get_transaction() is None:
        return
    if failed:
        session.close()
    elif session.info.get(_UNCOMMITTED):
        session.rollback()
        if session.bind is not None and session.bind is _engines.get(True):
            _to_reader(session)  # the route is done writing; reading its answer needs no write lock
    else:
        session.commit()


def quick(endpoint: Callable) -> Callable:
    """Declare a write of a few short statements (a vote, a comment). On SQLite it runs on the event loop: the
    statements take microseconds on a local file, while each trip through the thread pool waits for a thread
    and then for the loop and the interpreter lock, behind every request the loop is answering (in a rush of
    readers, most of a write's time). It takes the write lock before it runs, waiting for it without holding
    up the loop (the holder may need the loop to finish), and so never waits on the loop. On PostgreSQL it runs
    on the loop too, as synchronous code over psycopg's asynchronous connections (SQLAlchemy's asyncio bridge,
    `AsyncSession.run_sync`): each round trip to the server, and a lock wait, lets the loop answer others."""
    endpoint.qw_quick = True  # type: ignore[attr-defined]
    return endpoint


def _ending_in_thread(endpoint: Callable, answer: list[Callable]) -> Callable:
    run = _ending_where_run(endpoint, answer)
    if not getattr(endpoint, "qw_quick", False):
        return run

    @functools.wraps(endpoint)
    async def run_quick(*args, **kwargs):
        settings = get_settings()
        if not settings.is_sqlite:
            session = _REQUEST_SESSION.get()
            on_loop = session.info.get(_ON_LOOP) if session is not None else None
            if on_loop is None:  # not the request's session of a quick route (never so in the app)
                return await run_in_threadpool(run, *args, **kwargs)
            return await on_loop.run_sync(lambda _session: run(*args, **kwargs))
        database = get_engine(writer=True).url.database  # the path the writer's `begin` listener locks
        await _acquire_write_lock_on_loop(database, settings.lock_timeout_seconds)
        taken = [database]
        token = _TAKEN_ON_LOOP.set(taken)
        try:
            return run(*args, **kwargs)
        finally:
            _TAKEN_ON_LOOP.reset(token)
            if taken:  # it wrote nothing (refused, or nothing to change)
                _release(database)

    return run_quick


def _ending_where_run(endpoint: Callable, answer: list[Callable]) -> Callable:
    @functools.wraps(endpoint)
    def run(*args, **kwargs):
        try:
            result = endpoint(*args, **kwargs)
        except BaseException:
            session = _REQUEST_SESSION.get()
            if session is not None:
                end_transaction(session, failed=True)
            raise
        session = _REQUEST_SESSION.get()
        if session is not None:
            end_transaction(session, failed=False)
        return answer[0](result) if answer and not isinstance(result, Response) else result

    return run


class SessionRoute(APIRoute):
    """A route whose synchronous endpoint ends the request's transaction in its own thread (see above), and there
    also turns its result into the JSON answer: FastAPI would validate a synchronous endpoint's result against
    its response model in a further trip through the thread pool, which under load waits for a thread and
    for the event loop once more (in a rush of votes, a write's slowest step)."""

    def __init__(self, path: str, endpoint: Callable, **kwargs):
        answer: list[Callable] = []
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = _ending_in_thread(endpoint, answer)
        super().__init__(path, endpoint, **kwargs)
        if (self.response_field is not None and isinstance(self.response_class, DefaultPlaceholder)
                and not _sets_response(self.dependant)):
            answer.append(self._answer)

    def _answer(self, result) -> Response:
        """What FastAPI makes of a result when no dependency sets the status or headers (see _sets_response)."""
        value, errors = self.response_field.validate(result, {}, loc=("response",))
        if errors:
            raise ResponseValidationError(errors=errors, body=result)
        content = self.response_field.serialize_json(
            value, include=self.response_model_include, exclude=self.response_model_exclude,
            by_alias=self.response_model_by_alias, exclude_unset=self.response_model_exclude_unset,
            exclude_defaults=self.response_model_exclude_defaults, exclude_none=self.response_model_exclude_none)
        status = self.status_code or 200
        return Response(content if is_body_allowed_for_status_code(status) else b"", status_code=status,
                        media_type="application/json")


def _sets_response(dependant) -> bool:
    """Whether the endpoint or one of its dependencies takes FastAPI's `Response` to set status or headers."""
    return dependant.response_param_name is not None or any(_sets_response(d) for d in dependant.dependencies)


async def end_session(session: Session) -> None:
    """Close the session; an open transaction is rolled back on a thread outside the routes' thread pool
    (as FastAPI does for synchronous yield dependencies), shielded from cancellation (a client that went
    away must not leave a lock behind)."""
    if session.get_transaction() is None:
        session.close()
        return
    on_loop = session.info.get(_ON_LOOP)
    with anyio.CancelScope(shield=True):
        if on_loop is not None:
            await on_loop.close()
        else:
            await anyio.to_thread.run_sync(session.close, limiter=anyio.CapacityLimiter(1))


# The request's session (routes and dependencies take it as `session: SessionDep`).
SessionDep = Annotated[Session, Depends(session_dependency, scope="function")]


def _to_reader(session: Session) -> None:
    session.bind = get_engine(writer=False)
