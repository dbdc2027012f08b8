"""The content generation: one number in the database that every content-changing commit increases.

Cached anonymous pages are valid while the generation is unchanged. Because the number lives in the
database and is raised inside the writing transaction, a change made through one worker or host is seen
by every other at once. Bookkeeping tables (sessions, rate limits, outbox) do not count as content.
"""

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


def current_generation() -> int:
    with get_engine().connect() as conn:
        value = conn.execute(text("SELECT generation FROM site_state WHERE id = 1")).scalar()
    return int(value or 0)


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
        session.execute(text("UPDATE site_state SET generation = generation + 1 WHERE id = 1"))
        session.info.pop(_KEY, None)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_KEY, None)
