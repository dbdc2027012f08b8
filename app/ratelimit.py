"""Rate limits kept in the database, so they hold across workers and hosts.

Old events are pruned as the app runs: at most once a minute per process, the check that comes along
deletes the events older than RETENTION in its own transaction (no separate job to forget).
"""

import threading
import time
from datetime import datetime, timedelta

from sqlalchemy import Index, String, bindparam, delete, func, insert
from sqlmodel import Field, Session, SQLModel, select

from app.db import UTCDateTime, utcnow
from app.errors import RateLimited


class RateLimitEvent(SQLModel, table=True):
    __tablename__ = "rate_limit_event"
    # The check counts one key's events inside a window: a range scan of this index. created_at has its own
    # index for pruning.
    __table_args__ = (Index("ix_rate_limit_event_key_created_at", "key", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


# Events older than this count for no window (the longest is an hour) and are deleted.
RETENTION = timedelta(days=1)
PRUNE_EVERY = 60.0  # seconds, per process
_prune_lock = threading.Lock()
_next_prune = 0.0


def _window(window_seconds: int) -> None:
    if window_seconds > RETENTION.total_seconds():
        raise ValueError(f"window of {window_seconds} s is longer than the retention of rate-limit events")


def _maybe_prune(session: Session) -> None:
    """Now and then (at most every PRUNE_EVERY seconds in this process), delete the events older than
    RETENTION in the caller's transaction. One DELETE over the created_at index."""
    global _next_prune
    now = time.monotonic()
    if now < _next_prune or not _prune_lock.acquire(blocking=False):
        return
    try:
        if now < _next_prune:
            return
        _next_prune = now + PRUNE_EVERY
    finally:
        _prune_lock.release()
    purge(session)


def purge(session: Session, *, now: datetime | None = None) -> int:
    """Delete every event older than RETENTION now (the retention job's backstop when the app is idle)."""
    result = session.exec(delete(RateLimitEvent).where(RateLimitEvent.created_at < (now or utcnow()) - RETENTION))
    return result.rowcount or 0


def count_recent(session: Session, key: str, window_seconds: int) -> int:
    since = utcnow() - timedelta(seconds=window_seconds)
    return session.exec(
        select(func.count()).where(RateLimitEvent.key == key, RateLimitEvent.created_at >= since)
    ).one()


def check(session: Session, keys: list[str], *, limit: int, window_seconds: int) -> None:
    """Raise RateLimited when any key already has `limit` events inside the window."""
    _window(window_seconds)
    for key in keys:
        if count_recent(session, key, window_seconds) >= limit:
            raise RateLimited(
                "Zu viele Versuche. Bitte warten Sie einige Minuten und versuchen Sie es erneut.",
                retry_after=window_seconds,
            )


def record_failure(session: Session, keys: list[str]) -> None:
    """Discard the caller's pending work and commit one event per key (failed logins must count)."""
    session.rollback()
    _maybe_prune(session)
    for key in keys:
        session.add(RateLimitEvent(key=key))
    session.commit()


# INSERT … SELECT … WHERE (events of the key inside the window) < limit: checks and records in one statement.
_RECENT = (select(func.count()).select_from(RateLimitEvent)
           .where(RateLimitEvent.key == bindparam("key"), RateLimitEvent.created_at >= bindparam("since"))
           .scalar_subquery())
_ADMIT = (insert(RateLimitEvent.__table__)  # the table, not the entity: a plain statement, not an ORM bulk insert
          .from_select(["key", "created_at"],
                       select(bindparam("key", type_=String), bindparam("now", type_=UTCDateTime))
                       .where(bindparam("limit") > _RECENT))
          .returning(RateLimitEvent.id))


def hit(session: Session, keys: list[str], *, limit: int, window_seconds: int) -> None:
    """Record one event per key in the caller's transaction, unless a key already has `limit` events inside
    the window: then raise RateLimited (the caller's transaction is not committed). One statement per key."""
    _window(window_seconds)
    _maybe_prune(session)
    now = utcnow()
    since = now - timedelta(seconds=window_seconds)
    for key in keys:
        admitted = session.exec(_ADMIT, params={"key": key, "now": now, "since": since, "limit": limit}).first()
        if admitted is None:
            raise RateLimited(
                "Zu viele Versuche. Bitte warten Sie einige Minuten und versuchen Sie es erneut.",
                retry_after=window_seconds,
            )
