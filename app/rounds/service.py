"""Rounds: state by time and by the lead's hand, and which round is open for whom."""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import bindparam, delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app import audit
from app.accounts.models import User
from app.db import utcnow
from app.documents.models import Chapter, Document, Section
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.rounds import policy
from app.rounds.models import Audience, Round, RoundFollow, RoundSection, RoundState
from app.rounds.schemas import BERLIN, RoundIn
from app.validation import is_number
from app.web.i18n import N_
from app.web.i18n import gettext as _

STATE_LABELS = {"planned": N_("geplant"), "open": N_("offen"), "closed": N_("abgeschlossen"),
                "evaluated": N_("ausgewertet")}


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


# --- reading -------------------------------------------------------------------------------------

def get_round(session: Session, round_id: int) -> Round:
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise NotFound(_("Diese Beteiligungsrunde gibt es nicht."))
    return round_


def section_ids(session: Session, round_id: int) -> list[int]:
    return list(session.exec(select(RoundSection.section_id).where(RoundSection.round_id == round_id)
                             .order_by(RoundSection.section_id)).all())


def section_ids_by_round(session: Session, round_ids: list[int]) -> dict[int, list[int]]:
    result: dict[int, list[int]] = {rid: [] for rid in round_ids}
    if round_ids:
        for rid, sid in session.exec(select(RoundSection.round_id, RoundSection.section_id)
                                     .where(RoundSection.round_id.in_(round_ids))
                                     .order_by(RoundSection.section_id)).all():
            result[rid].append(sid)
    return result


def list_rounds(session: Session, *, page: int = 1, per_page: int = 50) -> tuple[list[Round], int]:
    """All rounds, latest opening first."""
    total = session.exec(select(func.count()).select_from(Round)).one()
    rows = session.exec(select(Round).order_by(Round.opens_at.desc(), Round.id.desc())
                        .offset((page - 1) * per_page).limit(per_page)).all()
    return list(rows), total


def timeline(session: Session, now: datetime | None = None) -> dict[str, list[Round]]:
    """Rounds grouped for the timeline: open now, coming, past (each in a sensible order)."""
    now = now or utcnow()
    rows = session.exec(select(Round).order_by(Round.opens_at, Round.id)).all()
    groups: dict[str, list[Round]] = {"open": [], "planned": [], "past": []}
    for r in rows:
        state = effective_state(r, now)
        key = state.value if state in (RoundState.open, RoundState.planned) else "past"
        groups[key].append(r)
    groups["past"].reverse()
    return groups


def rounds_for_section(session: Session, section_id: int) -> list[Round]:
    return list(session.exec(_rounds_for_section_query(), params={"section_id": section_id}).all())


@lru_cache
def _rounds_for_section_query():
    """Built once (every section page asks): building a statement costs about as much as running this one."""
    return (select(Round).join(RoundSection, RoundSection.round_id == Round.id)
            .where(RoundSection.section_id == bindparam("section_id")).order_by(Round.opens_at, Round.id))


def open_rounds_for_section(session: Session, section_id: int, now: datetime | None = None) -> list[Round]:
    return open_only(rounds_for_section(session, section_id), now)


def open_only(rounds: list[Round], now: datetime | None = None) -> list[Round]:
    now = now or utcnow()
    return [r for r in rounds if effective_state(r, now) == RoundState.open]


def with_rounds(query, section_id_column):
    """The query, with the rounds covering the section added: a row per round (one row with None if none),
    in the order of rounds_for_section. Lets a write check its section and rounds in one query."""
    return (query.add_columns(Round).outerjoin(RoundSection, RoundSection.section_id == section_id_column)
            .outerjoin(Round, Round.id == RoundSection.round_id).order_by(Round.opens_at, Round.id))


def current_round(session: Session, now: datetime | None = None) -> tuple[Round | None, RoundState | None]:
    """For the start page: an open round (closing soonest), else the next planned one."""
    now = now or utcnow()
    rows = session.exec(select(Round).where(Round.state.in_(["planned", "open"]))
                        .order_by(Round.closes_at)).all()
    open_ = [r for r in rows if effective_state(r, now) == RoundState.open]
    if open_:
        return open_[0], RoundState.open
    planned = sorted((r for r in rows if effective_state(r, now) == RoundState.planned), key=lambda r: r.opens_at)
    return (planned[0], RoundState.planned) if planned else (None, None)


@dataclass
class HomeRound:
    round: Round
    sections: list[tuple[int, str]]


@dataclass
class HomeRounds:
    """The start page's rounds for one visitor: open ones they can join, (anonymous) open ones registering
    would open, the other open ones (readable by all), and the coming ones."""

    joinable: list[HomeRound]
    after_registration: list[HomeRound]
    others: list[HomeRound]
    coming: list[HomeRound]


# A self-registered account is a resident (app/accounts): the role a registration gives.
REGISTERED_ROLE = "resident"


def home_rounds(session: Session, *, user: User | None, now: datetime | None = None) -> HomeRounds:
    now = now or utcnow()
    rows = session.exec(select(Round).where(Round.state.in_(["planned", "open"]))
                        .order_by(Round.closes_at, Round.id)).all()
    open_ = [r for r in rows if effective_state(r, now) == RoundState.open]
    coming = sorted((r for r in rows if effective_state(r, now) == RoundState.planned),
                    key=lambda r: (r.opens_at, r.id))
    ids = section_ids_by_round(session, [r.id for r in open_ + coming])
    labels: dict[int, str] = {}
    for doc_id in {r.document_id for r in open_ + coming}:
        labels.update(sections_for_choice(session, doc_id))

    def item(r: Round) -> HomeRound:
        order = {sid: n for n, sid in enumerate(labels)}
        sids = sorted((sid for sid in ids.get(r.id, []) if sid in labels), key=lambda sid: order[sid])
        return HomeRound(r, [(sid, labels[sid]) for sid in sids])

    joinable, after_registration, others = [], [], []
    for r in open_:
        if user is not None and policy.audience_admits(r, user):
            joinable.append(item(r))
        elif user is None and REGISTERED_ROLE in policy.AUDIENCE_ROLES.get(r.audience, frozenset()):
            after_registration.append(item(r))
        else:
            others.append(item(r))
    return HomeRounds(joinable, after_registration, others, [item(r) for r in coming])


def documents(session: Session) -> list[Document]:
    return list(session.exec(select(Document).order_by(Document.id)).all())


def sections_for_choice(session: Session, document_id: int | None = None) -> list[tuple[int, str]]:
    """(section id, "2.3 Title") for the round form, in document order."""
    query = (select(Section, Chapter).join(Chapter, Chapter.id == Section.chapter_id)
             .order_by(Chapter.document_id, Chapter.position, Section.position, Section.id))
    if document_id:
        query = query.where(Chapter.document_id == document_id)
    rows = session.exec(query).all()
    return [(s.id, f"{c.position}.{s.position} {getattr(s, 'title', '') or c.title}".strip()) for s, c in rows]


# --- writing -------------------------------------------------------------------------------------

def _document(session: Session, ref: str) -> Document:
    doc = session.get(Document, int(ref)) if is_number(ref) else None
    doc = doc or session.exec(select(Document).where(Document.slug == ref)).first()
    if doc is None:
        raise Invalid(_("Dieses Dokument gibt es nicht."), errors=[("document", _("Dieses Dokument gibt es nicht."))])
    return doc


def _check(session: Session, data: RoundIn, document: Document) -> list[int]:
    errors = []
    if data.closes_at <= data.opens_at:
        errors.append(("closes_at", _("Das Ende muss nach dem Beginn liegen.")))
    ids = sorted(set(data.section_ids))
    found = set(session.exec(select(Section.id).join(Chapter, Chapter.id == Section.chapter_id)
                             .where(Section.id.in_(ids), Chapter.document_id == document.id)).all())
    if set(ids) - found:
        errors.append(("section_ids", _("Bitte nur Abschnitte dieses Dokuments wählen.")))
    if errors:
        raise Invalid(_("Bitte prüfen Sie Ihre Eingaben."), errors=errors)
    return ids


def create_round(session: Session, *, actor: User, data: RoundIn) -> Round:
    if not policy.can_manage_rounds(actor):
        raise Forbidden(_("Nur die Projektleitung legt Beteiligungsrunden an."))
    document = _document(session, data.document)
    ids = _check(session, data, document)
    round_ = Round(document_id=document.id, title=data.title, description=data.description,
                   opens_at=data.opens_at, closes_at=data.closes_at, audience=data.audience.value,
                   state=RoundState.planned.value, created_by_id=actor.id)
    session.add(round_)
    session.flush()
    session.add_all([RoundSection(round_id=round_.id, section_id=sid) for sid in ids])
    audit.record(session, actor_id=actor.id, action="round.create", target_type="round", target_id=round_.id,
                 summary=f"{round_.title} ({round_.audience}, {round_.opens_at.isoformat()} – "
                         f"{round_.closes_at.isoformat()}, Abschnitte {ids})")
    session.commit()
    return round_


def update_round(session: Session, *, actor: User, round_id: int, data: RoundIn) -> Round:
    if not policy.can_manage_rounds(actor):
        raise Forbidden(_("Nur die Projektleitung bearbeitet Beteiligungsrunden."))
    round_ = get_round(session, round_id)
    if effective_state(round_) == RoundState.evaluated:
        raise Conflict(_("Eine ausgewertete Runde kann nicht mehr geändert werden."))
    document = _document(session, data.document)
    ids = _check(session, data, document)
    round_.document_id = document.id
    round_.title, round_.description, round_.audience = data.title, data.description, data.audience.value
    round_.opens_at, round_.closes_at = data.opens_at, data.closes_at
    old = set(section_ids(session, round_id))
    for link in session.exec(select(RoundSection).where(RoundSection.round_id == round_id,
                                                        RoundSection.section_id.not_in(ids))).all():
        session.delete(link)
    session.add_all([RoundSection(round_id=round_id, section_id=sid) for sid in ids if sid not in old])
    session.add(round_)
    audit.record(session, actor_id=actor.id, action="round.update", target_type="round", target_id=round_id,
                 summary=f"{round_.title} ({round_.audience}, {round_.opens_at.isoformat()} – "
                         f"{round_.closes_at.isoformat()}, Abschnitte {ids})")
    session.commit()
    return round_


TRANSITIONS = {
    # action: (states it may start from, stored state afterwards)
    "open": ({RoundState.planned}, RoundState.open),
    "close": ({RoundState.planned, RoundState.open}, RoundState.closed),
    "evaluate": ({RoundState.closed}, RoundState.evaluated),
}
REFUSALS = {
    "open": "Nur eine geplante Runde kann geöffnet werden; diese ist {state}.",
    "close": "Nur eine geplante oder offene Runde kann geschlossen werden; diese ist {state}.",
    "evaluate": "Nur eine abgeschlossene Runde kann als ausgewertet markiert werden; diese ist {state}.",
}


def change_state(session: Session, *, actor: User, round_id: int, action: str, now: datetime | None = None) -> Round:
    """The lead opens early, closes early or marks a closed round evaluated; audited."""
    if not policy.can_manage_rounds(actor):
        raise Forbidden(_("Nur die Projektleitung ändert den Stand einer Beteiligungsrunde."))
    if action not in TRANSITIONS:
        raise NotFound(_("Diese Aktion gibt es nicht."))
    now = now or utcnow()
    round_ = session.exec(select(Round).where(Round.id == round_id).with_for_update()).first()
    if round_ is None:
        raise NotFound(_("Diese Beteiligungsrunde gibt es nicht."))
    before = effective_state(round_, now)
    allowed, after = TRANSITIONS[action]
    if before not in allowed:
        raise Conflict(_(REFUSALS[action]).format(state=_(STATE_LABELS[before.value])))
    round_.state = after.value
    summary = f"{STATE_LABELS[before.value]} → {STATE_LABELS[after.value]}"
    # Opened early or closed early: the round's dates say when it really began or ended (the plan stays in the log).
    if action == "open" and round_.opens_at > now:
        summary += f" (geplanter Beginn: {round_.opens_at.astimezone(BERLIN):%d.%m.%Y %H:%M})"
        round_.opens_at = now
    elif action == "close" and before == RoundState.open and round_.closes_at > now:
        summary += f" (geplantes Ende: {round_.closes_at.astimezone(BERLIN):%d.%m.%Y %H:%M})"
        round_.closes_at = now
    session.add(round_)
    audit.record(session, actor_id=actor.id, action=f"round.{action}", target_type="round", target_id=round_id,
                 summary=summary)
    session.commit()
    return round_


def advance_by_time(session: Session, *, now: datetime | None = None) -> list[tuple[int, str, str]]:
    """Store and audit what the clock decided (planned → open → closed); run by the background worker.

    Pages and permissions never wait for this: they use effective_state. It makes the stored state and the
    audit log tell the same story. Returns [(round id, before, after)].
    """
    now = now or utcnow()
    changed = []
    rows = session.exec(select(Round).where(Round.state.in_(["planned", "open"])).with_for_update()).all()
    for round_ in rows:
        after = effective_state(round_, now)
        if after.value != round_.state:
            changed.append((round_.id, round_.state, after.value))
            audit.record(session, actor_id=None, action=f"round.{'open' if after == RoundState.open else 'close'}",
                         target_type="round", target_id=round_.id,
                         summary=f"{STATE_LABELS[round_.state]} → {STATE_LABELS[after.value]} (nach Zeitplan)")
            round_.state = after.value
            session.add(round_)
    session.commit()
    return changed


def to_out(session: Session, round_: Round, *, ids: list[int] | None = None, slug: str | None = None) -> dict:
    doc = session.get(Document, round_.document_id)
    return {"id": round_.id, "document_id": round_.document_id, "document": slug or (doc.slug if doc else ""),
            "title": round_.title, "description": round_.description,
            "opens_at": round_.opens_at.astimezone(BERLIN), "closes_at": round_.closes_at.astimezone(BERLIN),
            "audience": round_.audience, "state": effective_state(round_).value, "stored_state": round_.state,
            "section_ids": ids if ids is not None else section_ids(session, round_.id),
            "created_at": round_.created_at}


# --- following a round ---------------------------------------------------------------------------

def is_following(session: Session, *, round_id: int, user: User | None) -> bool:
    if user is None:
        return False
    return session.exec(select(RoundFollow.id).where(RoundFollow.round_id == round_id,
                                                     RoundFollow.user_id == user.id)).first() is not None


def set_follow(session: Session, *, actor: User | None, round_id: int, follow: bool) -> bool:
    """Follow or unfollow (idempotent: a double submit changes nothing; two at once store one row)."""
    if actor is None:
        raise Forbidden(_("Bitte melden Sie sich an."))
    get_round(session, round_id)
    if follow:
        if not is_following(session, round_id=round_id, user=actor):
            try:
                with session.begin_nested():
                    session.add(RoundFollow(round_id=round_id, user_id=actor.id))
            except IntegrityError:
                pass  # the parallel twin stored it
    else:
        session.exec(delete(RoundFollow).where(RoundFollow.round_id == round_id, RoundFollow.user_id == actor.id))
    session.commit()
    return follow


def followers(session: Session, round_id: int) -> list[User]:
    return list(session.exec(select(User).join(RoundFollow, RoundFollow.user_id == User.id)
                             .where(RoundFollow.round_id == round_id).order_by(User.id)).all())


def export_follows(session: Session, user: User) -> tuple[str, object]:
    rows = session.exec(select(RoundFollow).where(RoundFollow.user_id == user.id).order_by(RoundFollow.id)).all()
    return "followed_rounds", [{"round_id": r.round_id, "since": r.created_at.isoformat()} for r in rows]


def erase_follows(session: Session, user: User, erase_texts: bool) -> None:
    session.exec(delete(RoundFollow).where(RoundFollow.user_id == user.id))
