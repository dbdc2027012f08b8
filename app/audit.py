"""Append-only audit log of privileged actions (invariant 7): who, when, what."""

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, Text
from sqlmodel import Field, Session, SQLModel, select

from app.db import UTCDateTime, utcnow


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    actor_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=True, index=True)
    )
    action: str = Field(max_length=64, index=True)
    target_type: str = Field(max_length=32)
    target_id: int | None = None
    summary: str = Field(default="", sa_type=Text)


def record(session: Session, *, actor_id: int | None, action: str, target_type: str,
           target_id: int | None = None, summary: str = "") -> AuditEntry:
    """Add an entry to the caller's transaction; it commits or rolls back with the action it records."""
    entry = AuditEntry(actor_id=actor_id, action=action, target_type=target_type,
                       target_id=target_id, summary=summary[:2000])
    session.add(entry)
    return entry


def list_entries(session: Session, *, page: int, per_page: int, action: str | None = None):
    """Newest first, paginated: (entries, total)."""
    from sqlalchemy import func

    query = select(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(AuditEntry.id.desc()).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return rows, total
