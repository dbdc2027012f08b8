"""Votes: one per person and target, right under concurrent requests (invariant 3).

The unique constraints decide races: INSERT … ON CONFLICT DO NOTHING, then the existing row is locked
(FOR UPDATE on PostgreSQL; SQLite writers are serialised by BEGIN IMMEDIATE) and changed. Counters move
by atomic increments computed from the row's old and new value, so no update is lost.
"""

from datetime import datetime

from sqlalchemy import bindparam, delete, func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from app import ratelimit
from app.accounts.models import User
from app.db import checks_before_writing, utcnow
from app.discussion import policy, sources
from app.discussion.models import Comment, Vote, VoteTarget
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.ideas import policy as ideas_policy
from app.ideas.models import Idea
from app.rounds import service as rounds_service
from app.web.i18n import gettext as _

VOTE_RATE_PER_MINUTE = 120
COLUMN = {VoteTarget.section_version: "section_version_id", VoteTarget.comment: "comment_id",
          VoteTarget.idea: "idea_id", VoteTarget.amendment: "comment_id"}  # an amendment is a comment
COMMENTS = (VoteTarget.comment, VoteTarget.amendment)


def _check_allowed(session: Session, user: User | None, target: VoteTarget, target_id: int, value: int | None,
                   now: datetime):
    """Raise unless this person may (change a) vote on this target now; returns the target as loaded."""
    if target == VoteTarget.idea:
        idea = session.get(Idea, target_id)
        if idea is None or idea.hidden_at is not None:
            raise NotFound(_("Diese Idee gibt es nicht."))
        refusal = policy.idea_comment_refusal(user, idea, now)
        if refusal:
            raise refusal
        if value is not None and value != 1:
            raise Invalid(_("Ideen können nur unterstützt werden."),
                          errors=[("value", _("Ideen können nur unterstützt werden (Wert 1)."))])
        return idea
    if target in COMMENTS:
        with checks_before_writing(session):
            comment, section, rounds = sources.comment_for_voting(session, target_id)
        if comment is None or comment.hidden_at is not None or (
                target == VoteTarget.amendment and comment.amendment is None):
            raise NotFound(_("Diesen Beitrag gibt es nicht."))
        if comment.idea_id is not None:
            idea = session.get(Idea, comment.idea_id)
            refusal = policy.idea_comment_refusal(user, idea, now)
            if refusal:
                raise refusal
        else:
            _round, refusal = policy.pick_round(user, rounds_service.open_only(rounds, now), section, now,
                                                voting=True)
            if refusal:
                raise refusal
        if comment.withdrawn_at is not None or comment.erased:
            raise Conflict(_("Dieser Beitrag ist zurückgezogen."))
        if user is not None and comment.author_id == user.id:
            raise Forbidden(_("Über den eigenen Beitrag können Sie nicht abstimmen."))
        return comment
    from app.documents.models import SectionVersion

    version = session.get(SectionVersion, target_id)
    if version is None:
        raise NotFound(_("Diese Fassung gibt es nicht."))
    section = sources.get_section(session, version.section_id)
    _round, refusal = policy.pick_round(
        user, rounds_service.open_rounds_for_section(session, section.id, now), section, now, voting=True)
    if refusal:
        raise refusal
    if version.number != section.current_number:
        raise Conflict(_("Abgestimmt wird über die aktuelle Fassung."))
    return version


# Statements of the hot path, built once with parameters (building them per request costs more than running
# them). Table-level statements: plain SQL, no ORM bulk machinery.
_VOTES = Vote.__table__


def _insert_or_nothing(dialect, table):
    """INSERT … ON CONFLICT DO NOTHING (no conflict target) that SQLAlchemy's statement cache keeps. Its
    dialects' INSERTs and ON CONFLICT clauses opt out of the cache (the clause's target is not part of the
    cache key), so each vote compiled its INSERT anew: a quarter of a vote's CPU. A clause without a target
    has nothing to key on but its class, so these subclasses may take part."""
    class DoNothing(dialect.dml.OnConflictDoNothing):
        _traverse_internals = []  # its cache key: the class alone

    class InsertOrNothing(dialect.Insert):
        inherit_cache = True

    statement = InsertOrNothing(table)
    statement._post_values_clause = DoNothing()  # what on_conflict_do_nothing() sets, of the cacheable class
    return statement


_INSERT = {(dialect.dialect.name, column): _insert_or_nothing(dialect, _VOTES).values(
    user_id=bindparam("user_id"), **{column: bindparam("target_id")}, value=bindparam("value"),
    created_at=bindparam("now"), updated_at=bindparam("now")).returning(_VOTES.c.id)
    for dialect in (postgresql, sqlite) for column in COLUMN.values()}
_LOCKED = {column: select(Vote).where(Vote.user_id == bindparam("user_id"),
                                      getattr(Vote, column) == bindparam("target_id"))
           .with_for_update().execution_options(populate_existing=True) for column in COLUMN.values()}
_MOVE_COMMENT = (update(Comment.__table__).where(Comment.__table__.c.id == bindparam("target_id"))
                 .values(up_count=Comment.__table__.c.up_count + bindparam("up"),
                         down_count=Comment.__table__.c.down_count + bindparam("down"))
                 .returning(Comment.__table__.c.up_count, Comment.__table__.c.down_count))


def _insert_ignore(session: Session, column: str, user_id: int, target_id: int, value: int, now: datetime) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when this call created the row."""
    dialect = session.get_bind().dialect.name
    # RETURNING tells reliably whether a row was made (psycopg reports no rowcount for ON CONFLICT).
    result = session.execute(_INSERT[dialect, column], {"user_id": user_id, "target_id": target_id,
                                                         "value": value, "now": now})
    return result.first() is not None


def _locked_vote(session: Session, user_id: int, column: str, target_id: int) -> Vote | None:
    return session.exec(_LOCKED[column], params={"user_id": user_id, "target_id": target_id}).first()


def _apply_delta(session: Session, target: VoteTarget, target_id: int, old: int | None,
                 new: int | None) -> tuple[int, int] | None:
    """Move the target's counters; returns them as (up, down) after the change, None if nothing moved."""
    up = (new == 1) - (old == 1)
    down = (new == -1) - (old == -1)
    if target in COMMENTS and (up or down):
        return tuple(session.execute(_MOVE_COMMENT, {"target_id": target_id, "up": up, "down": down}).one())
    if target == VoteTarget.idea and up:
        support = session.exec(update(Idea).where(Idea.id == target_id)
                               .values(support_count=Idea.support_count + up).returning(Idea.support_count)).one()
        return support[0], 0
    return None


def _result(session: Session, target: VoteTarget, loaded, tally: tuple[int, int] | None, mine: int | None) -> dict:
    """The counts after a vote: from the counters just moved; if nothing moved, from the target as the check
    loaded it (a comment or idea) or counted (a version). This person's vote is known."""
    if tally is None:
        if target in COMMENTS:
            tally = loaded.up_count, loaded.down_count
        elif target == VoteTarget.idea:
            tally = loaded.support_count, 0
        else:
            return counts(session, target=target, target_id=loaded.id, user=None) | {"mine": mine}
    return {"target": target.value, "target_id": loaded.id, "up": tally[0], "down": tally[1], "mine": mine}


def counts(session: Session, *, target: VoteTarget, target_id: int, user: User | None) -> dict:
    if target in COMMENTS:
        row = session.exec(select(Comment.up_count, Comment.down_count).where(Comment.id == target_id)).one()
        up, down = row
    elif target == VoteTarget.idea:
        up, down = session.exec(select(Idea.support_count).where(Idea.id == target_id)).one(), 0
    else:
        tally = dict(session.exec(select(Vote.value, func.count()).where(Vote.section_version_id == target_id)
                                  .group_by(Vote.value)).all())
        up, down = tally.get(1, 0), tally.get(-1, 0)
    mine = None
    if user is not None:
        mine = session.exec(select(Vote.value).where(Vote.user_id == user.id,
                                                     getattr(Vote, COLUMN[target]) == target_id)).first()
    return {"target": target.value, "target_id": target_id, "up": up, "down": down, "mine": mine}


def put_vote(session: Session, *, user: User | None, target: VoteTarget, target_id: int, value: int,
             now: datetime | None = None) -> dict:
    """Cast or change this person's vote; idempotent per person and target. Returns the counts."""
    now = now or utcnow()
    if value not in (1, -1):
        raise Invalid(_("Bitte 1 oder -1 angeben."), errors=[("value", _("Bitte 1 oder -1 angeben."))])
    loaded = _check_allowed(session, user, target, target_id, value, now)
    ratelimit.hit(session, [f"vote:user:{user.id}"], limit=VOTE_RATE_PER_MINUTE, window_seconds=60)
    column = COLUMN[target]
    # Insert, or lock and change the existing row. A concurrent withdrawal can remove the row between the
    # two statements; then the next attempt inserts (each statement sees the latest committed state).
    tally = None
    for _attempt in range(10):
        if _insert_ignore(session, column, user.id, target_id, value, now):
            tally = _apply_delta(session, target, target_id, None, value)
            break
        existing = _locked_vote(session, user.id, column, target_id)
        if existing is not None:
            old = existing.value  # read before the UPDATE, which also refreshes the loaded object
            if old != value:
                session.exec(update(Vote).where(Vote.id == existing.id).values(value=value, updated_at=now))
                tally = _apply_delta(session, target, target_id, old, value)
            break
    else:
        raise Conflict(_("Ihre Stimme wurde gleichzeitig geändert. Bitte versuchen Sie es erneut."))
    session.commit()
    return _result(session, target, loaded, tally, value)


def delete_vote(session: Session, *, user: User | None, target: VoteTarget, target_id: int,
                now: datetime | None = None) -> dict:
    """Withdraw this person's vote (nothing to withdraw is fine). Returns the counts."""
    now = now or utcnow()
    loaded = _check_allowed(session, user, target, target_id, None, now)
    ratelimit.hit(session, [f"vote:user:{user.id}"], limit=VOTE_RATE_PER_MINUTE, window_seconds=60)
    existing = _locked_vote(session, user.id, COLUMN[target], target_id)
    tally = None
    if existing is not None:
        old = existing.value
        deleted = session.exec(delete(Vote).where(Vote.id == existing.id).returning(Vote.id))
        if deleted.first() is not None:
            tally = _apply_delta(session, target, target_id, old, None)
    session.commit()
    return _result(session, target, loaded, tally, None)


def counts_checked(session: Session, *, target: VoteTarget, target_id: int, user: User | None) -> dict:
    """Counts of an existing target (404 otherwise)."""
    from app.documents.models import SectionVersion

    model = {VoteTarget.comment: Comment, VoteTarget.amendment: Comment, VoteTarget.idea: Idea,
             VoteTarget.section_version: SectionVersion}[target]
    item = session.get(model, target_id)
    if item is None or (target == VoteTarget.amendment and item.amendment is None):
        raise NotFound(_("Nicht gefunden."))
    idea = item if target == VoteTarget.idea else (
        session.get(Idea, item.idea_id) if target == VoteTarget.comment and item.idea_id else None)
    if idea is not None and not ideas_policy.can_see_idea(user, idea):  # as for the idea itself
        raise NotFound(_("Nicht gefunden."))
    return counts(session, target=target, target_id=target_id, user=user)


def toggle_vote(session: Session, *, user: User | None, target: VoteTarget, target_id: int, value: int,
                now: datetime | None = None) -> dict:
    """The page's vote buttons: pressing the button of one's current vote withdraws it, else casts it."""
    column = COLUMN[target]
    current = None if user is None else session.exec(
        select(Vote.value).where(Vote.user_id == user.id, getattr(Vote, column) == target_id)).first()
    if current == value:
        return delete_vote(session, user=user, target=target, target_id=target_id, now=now)
    return put_vote(session, user=user, target=target, target_id=target_id, value=value, now=now)
