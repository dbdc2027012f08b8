"""Rate limits kept in the database, so they hold across workers and hosts."""

from datetime import datetime, timedelta

from sqlalchemy import String, bindparam, delete, func, insert
from sqlmodel import Field, Session, SQLModel, select

from app.db import UTCDateTime, utcnow
from app.errors import RateLimited


class RateLimitEvent(SQLModel, table=True):
    __tablename__ = "rate_limit_event"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


def count_recent(session: Session, key: str, window_seconds: int) -> int:
    since = utcnow() - timedelta(seconds=window_seconds)
    return session.exec(
        select(func.count()).where(RateLimitEvent.key == key, RateLimitEvent.created_at >= since)
    ).one()


def check(session: Session, keys: list[str], *, limit: int, window_seconds: int) -> None:
    """Raise RateLimited when any key already has `limit` events inside the window."""
    for key in keys:
        if count_recent(session, key, window_seconds) >= limit:
            raise RateLimited(
                "Zu viele Versuche. Bitte warten Sie einige Minuten und versuchen Sie es erneut.",
                retry_after=window_seconds,
            )


def record_failure(session: Session, keys: list[str]) -> None:
    """Discard the caller's pending work and commit one event per key (failed logins must count)."""
    session.rollback()
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
    now = utcnow()
    since = now - timedelta(seconds=window_seconds)
    for key in keys:
        admitted = session.exec(_ADMIT, params={"key": key, "now": now, "since": since, "limit": limit}).first()
        if admitted is None:
            raise RateLimited(
                "Zu viele Versuche. Bitte warten Sie einige Minuten und versuchen Sie es erneut.",
                retry_after=window_seconds,
            )


def prune(session: Session, *, older_than: timedelta = timedelta(days=1)) -> int:
    cutoff: datetime = utcnow() - older_than
    result = session.exec(delete(RateLimitEvent).where(RateLimitEvent.created_at < cutoff))
    session.commit()
    return result.rowcount or 0
