"""Rounds: state by time and by the lead's hand, and which round is open for whom."""

from datetime import datetime

from sqlmodel import Session, select

from app.db import utcnow
from app.rounds.models import Audience, Round, RoundState


def effective_state(round_: Round, now: datetime | None = None) -> RoundState:
    """The lead's decision wins (closed, evaluated, or opened early); otherwise the clock decides."""
    now = now or utcnow()
    state = RoundState(round_.state)
    if state in (RoundState.closed, RoundState.evaluated):
        return state
    if now >= round_.closes_at:
        return RoundState.closed
    if state == RoundState.open or now >= round_.opens_at:
        return RoundState.open
    return RoundState.planned


def rounds_for_ideas(session: Session) -> list[Round]:
    """Rounds whose audience includes residents, by opening time."""
    return list(session.exec(
        select(Round).where(Round.audience.in_([Audience.residents.value, Audience.public.value]))
        .order_by(Round.opens_at)
    ).all())


def current_round_for_ideas(session: Session, now: datetime | None = None) -> Round | None:
    """The open round in which residents may submit ideas, if any."""
    now = now or utcnow()
    for r in rounds_for_ideas(session):
        if effective_state(r, now) == RoundState.open:
            return r
    return None


def next_round_for_ideas(session: Session, now: datetime | None = None) -> Round | None:
    """The next planned round open to residents, to tell people when they can take part."""
    now = now or utcnow()
    for r in rounds_for_ideas(session):
        if effective_state(r, now) == RoundState.planned:
            return r
    return None
