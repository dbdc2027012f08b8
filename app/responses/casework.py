"""The workbench of the three offices: responsible units (Zuständigkeit), assignment to a lead, internal notes,
and answers moved through draft → approved → published.

Everything here is the leads' internal work: only `unit_names` (the Zuständigkeit column of the Abwägungstabelle)
leaves it. Publishing an approved draft goes through the same path as every official response
(`service.publish_response`, the one answer workflow), which makes it the current, public Stellungnahme, tells the
author and clears the draft.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app import audit
from app.accounts.models import Role, User
from app.accounts.policy import has_role
from app.db import utcnow
from app.discussion.models import Comment
from app.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from app.ideas.models import Idea
from app.responses import policy, service
from app.responses.models import DEFAULT_UNITS, Casework, DraftState, InternalNote, Response, Unit
from app.responses.schemas import ResponseIn
from app.rounds import service as rounds
from app.web.i18n import gettext as _

MAX_ITEMS = 500


def _lead(actor: User | None) -> User:
    if not policy.can_respond(actor):
        raise Forbidden(_("Das ist Aufgabe der Projektleitung."))
    return actor


def _column(model, kind: str):
    return model.comment_id if kind == "comment" else model.idea_id


def _items(items: list[tuple[str, int]]) -> list[tuple[str, int]]:
    if not items:
        message = _("Bitte wählen Sie mindestens einen Beitrag aus.")
        raise Invalid(message, errors=[("items", message)])
    if len(items) > MAX_ITEMS:
        raise Invalid(_("Bitte höchstens 500 Beiträge auf einmal bearbeiten."))
    return list(dict.fromkeys(items))


def _savepoint(session: Session):
    """A savepoint for an insert that may lose a race (PostgreSQL). SQLite's writers take turns (app/db.py), so
    there is no race there, and a savepoint's release would hand the session to the reader engine."""
    if session.get_bind().dialect.name == "postgresql":
        return session.begin_nested()
    return _Flushing(session)


class _Flushing:
    def __init__(self, session: Session):
        self.session = session

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.session.flush()
        return False


# --- units ---------------------------------------------------------------------------------------

def ensure_units(session: Session) -> None:
    """The three offices, the first time units are needed (an empty list is never left behind: units are
    deactivated, not deleted). A concurrent first use inserts them once."""
    if session.exec(select(func.count()).select_from(Unit)).one():
        return
    try:
        with _savepoint(session):
            for position, name in enumerate(DEFAULT_UNITS):
                session.add(Unit(name=name, position=position))
    except IntegrityError:
        pass  # another request made them


def list_units(session: Session, *, active_only: bool = True) -> list[Unit]:
    query = select(Unit).order_by(Unit.position, Unit.id)
    if active_only:
        query = query.where(Unit.active.is_(True))
    return list(session.exec(query).all())


def units_for(session: Session, *, viewer: User | None, include_inactive: bool = False) -> list[Unit]:
    """The units for leads (to assign) and administrators (to manage); made on first use."""
    if not (policy.can_respond(viewer) or has_role(viewer, Role.admin)):
        raise Forbidden(_("Die Zuständigkeiten sieht nur die Projektleitung."))
    ensure_units(session)
    units = list_units(session, active_only=not include_inactive)
    session.commit()
    return units


def round_progress(session: Session, *, viewer: User | None, round_id: int) -> list["UnitProgress"]:
    _lead(viewer)
    rounds.get_round(session, round_id)
    return progress_by_unit(session, round_id=round_id)


def _check_admin(actor: User | None) -> User:
    if not has_role(actor, Role.admin):
        raise Forbidden(_("Die Liste der Zuständigkeiten pflegt die Administration."))
    return actor


def _unique_name(session: Session, name: str, *, other_than: int | None = None) -> None:
    query = select(Unit.id).where(func.lower(Unit.name) == name.lower())
    if other_than is not None:
        query = query.where(Unit.id != other_than)
    if session.exec(query).first() is not None:
        message = _("Diese Zuständigkeit gibt es schon.")
        raise Conflict(message, errors=[("name", message)])


def add_unit(session: Session, *, actor: User | None, name: str) -> Unit:
    _check_admin(actor)
    ensure_units(session)
    _unique_name(session, name)
    position = (session.exec(select(func.max(Unit.position))).one() or 0) + 1
    unit = Unit(name=name, position=position)
    session.add(unit)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(_("Diese Zuständigkeit gibt es schon.")) from None
    audit.record(session, actor_id=actor.id, action="unit.add", target_type="unit", target_id=unit.id, summary=name)
    _commit(session, _("Diese Zuständigkeit gibt es schon."))
    return unit


def change_unit(session: Session, *, actor: User | None, unit_id: int, name: str | None, active: bool | None) -> Unit:
    _check_admin(actor)
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound(_("Diese Zuständigkeit gibt es nicht."))
    if name is not None and name != unit.name:
        _unique_name(session, name, other_than=unit.id)
        unit.name = name
    if active is not None:
        unit.active = active
    session.add(unit)
    audit.record(session, actor_id=actor.id, action="unit.change", target_type="unit", target_id=unit.id,
                 summary=f"{unit.name} ({'aktiv' if unit.active else 'inaktiv'})")
    _commit(session, _("Diese Zuständigkeit gibt es schon."))
    return unit


def leads(session: Session) -> list[User]:
    """Who may be assigned a contribution: the active project leads."""
    return list(session.exec(select(User).where(User.role == Role.lead.value, User.is_active.is_(True),
                                                User.deleted_at.is_(None)).order_by(User.display_name)).all())


# --- one casework row per contribution -----------------------------------------------------------

def _commit(session: Session, message: str | None = None) -> None:
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(message or _("Gerade hat jemand anderes diesen Beitrag bearbeitet. Bitte laden Sie die "
                                    "Seite neu.")) from None


def _row(session: Session, kind: str, target_id: int) -> Casework:
    """The contribution's casework row, locked for this transaction; made when missing (once, even when two
    requests make it at the same moment: the loser of the unique index reads the winner's row)."""
    column = _column(Casework, kind)
    row = session.exec(select(Casework).where(column == target_id).with_for_update()).first()
    if row is not None:
        return row
    row = Casework(comment_id=target_id if kind == "comment" else None, idea_id=target_id if kind == "idea" else None)
    try:
        with _savepoint(session):
            session.add(row)
    except IntegrityError:
        row = session.exec(select(Casework).where(column == target_id).with_for_update()
                           .execution_options(populate_existing=True)).first()
    return row


def get(session: Session, *, kind: str, target_id: int) -> Casework | None:
    return session.exec(select(Casework).where(_column(Casework, kind) == target_id)).first()


def assign(session: Session, *, actor: User | None, items: list[tuple[str, int]], unit_id: int | None,
           assignee_id: int | None) -> int:
    """Set unit and assignee (None clears) of one or several contributions, all or none."""
    _lead(actor)
    items = _items(items)
    if unit_id is not None:
        unit = session.get(Unit, unit_id)
        if unit is None or not unit.active:
            message = _("Diese Zuständigkeit gibt es nicht.")
            raise Invalid(message, errors=[("unit_id", message)])
    if assignee_id is not None:
        person = session.get(User, assignee_id)
        if person is None or person.role != Role.lead.value or not person.is_active or person.deleted_at:
            message = _("Zugewiesen werden kann nur ein Konto der Projektleitung.")
            raise Invalid(message, errors=[("assignee_id", message)])
    changed = 0
    try:
        for kind, target_id in items:
            service.load_target(session, kind=kind, target_id=target_id, viewer=None)
            row = _row(session, kind, target_id)
            if (row.unit_id, row.assignee_id) == (unit_id, assignee_id):
                continue
            row.unit_id, row.assignee_id, row.updated_at = unit_id, assignee_id, utcnow()
            session.add(row)
            changed += 1
            audit.record(session, actor_id=actor.id, action="casework.assign", target_type=kind, target_id=target_id,
                         summary=f"unit={unit_id} assignee={assignee_id}")
    except DomainError:
        session.rollback()
        raise
    _commit(session)
    return changed


# --- internal notes ------------------------------------------------------------------------------

def add_note(session: Session, *, actor: User | None, kind: str, target_id: int, body: str) -> InternalNote:
    _lead(actor)
    service.load_target(session, kind=kind, target_id=target_id, viewer=actor)
    note = InternalNote(comment_id=target_id if kind == "comment" else None,
                        idea_id=target_id if kind == "idea" else None, author_id=actor.id, body=body)
    session.add(note)
    session.flush()
    audit.record(session, actor_id=actor.id, action="note.add", target_type=kind, target_id=target_id,
                 summary=f"Notiz {note.id}")  # the note's text stays out of the audit log
    _commit(session)
    return note


def notes(session: Session, *, viewer: User | None, kind: str, target_id: int) -> list[InternalNote]:
    _lead(viewer)
    return list(session.exec(select(InternalNote).where(_column(InternalNote, kind) == target_id)
                             .order_by(InternalNote.created_at, InternalNote.id)).all())


def note_out(session: Session, note: InternalNote) -> dict:
    author = session.get(User, note.author_id) if note.author_id else None
    return {"id": note.id, "target": "comment" if note.comment_id else "idea",
            "target_id": note.comment_id or note.idea_id, "body": note.body,
            "author": service.author_label(author) if author else _(service.DELETED_NAME),
            "created_at": note.created_at}


# --- answers: draft → approved → published -------------------------------------------------------

def save_draft(session: Session, *, actor: User | None, items: list[tuple[str, int]], data: ResponseIn) -> int:
    """The same draft answer for one or several contributions (all or none). A changed approved draft is a
    draft again: what is published is what was approved."""
    _lead(actor)
    items = _items(items)
    changed = 0
    try:
        for kind, target_id in items:
            target = service.answerable(session, kind, target_id)
            service.check_version(session, target, data.version_id)
            row = _row(session, kind, target_id)
            same = (row.draft_status, row.draft_text, row.draft_version_id) == (data.status.value, data.text,
                                                                               data.version_id)
            if same and row.draft_state is not None:
                continue
            row.draft_state, row.draft_status, row.draft_text = DraftState.draft.value, data.status.value, data.text
            row.draft_version_id, row.drafted_by_id, row.approved_by_id = data.version_id, actor.id, None
            row.updated_at = utcnow()
            session.add(row)
            changed += 1
            audit.record(session, actor_id=actor.id, action="response.draft", target_type=kind, target_id=target_id,
                         summary=f"Entwurf ({data.status.value})")  # the text stays internal until published
    except DomainError:
        session.rollback()
        raise
    _commit(session)
    return changed


def _drafted(session: Session, kind: str, target_id: int, states: tuple[str, ...]) -> Casework:
    service.answerable(session, kind, target_id)
    row = session.exec(select(Casework).where(_column(Casework, kind) == target_id).with_for_update()).first()
    if row is None or row.draft_state not in states:
        label = _("Kommentar #{id}") if kind == "comment" else _("Idee #{id}")
        if DraftState.approved.value in states and DraftState.draft.value not in states:
            message = _("{what} hat keine freigegebene Antwort (erst freigeben, dann veröffentlichen).")
        else:
            message = _("{what} hat keinen Antwortentwurf.")
        raise Conflict(message.format(what=label.format(id=target_id)), errors=[("items", message.format(
            what=label.format(id=target_id)))])
    return row


def approve(session: Session, *, actor: User | None, items: list[tuple[str, int]]) -> int:
    _lead(actor)
    items = _items(items)
    changed = 0
    try:
        for kind, target_id in items:
            row = _drafted(session, kind, target_id, (DraftState.draft.value, DraftState.approved.value))
            if row.draft_state == DraftState.approved.value:
                continue
            row.draft_state, row.approved_by_id, row.updated_at = DraftState.approved.value, actor.id, utcnow()
            session.add(row)
            changed += 1
            audit.record(session, actor_id=actor.id, action="response.approve", target_type=kind,
                         target_id=target_id, summary="freigegeben")
    except DomainError:
        session.rollback()
        raise
    _commit(session)
    return changed


def publish(session: Session, *, actor: User | None, items: list[tuple[str, int]]) -> int:
    """Approved drafts become the current, public Stellungnahmen (and their authors are told), all or none.
    A double submit finds no approved draft left: 409, and nothing is published twice."""
    _lead(actor)
    items = _items(items)
    now = utcnow()
    published = 0
    try:
        for kind, target_id in items:
            row = _drafted(session, kind, target_id, (DraftState.approved.value,))
            target = service.answerable(session, kind, target_id)
            service.check_version(session, target, row.draft_version_id)
            service.publish_response(session, actor_id=actor.id, target=target, status=row.draft_status,
                                     text=row.draft_text, version_id=row.draft_version_id, now=now,
                                     summary="freigegebener Entwurf veröffentlicht", approved=True)
            published += 1
    except DomainError:
        session.rollback()
        raise
    service.commit(session)
    return published


# --- reading -------------------------------------------------------------------------------------

@dataclass
class CaseInfo:
    unit_id: int | None
    unit: str
    assignee_id: int | None
    assignee: str
    draft_state: str | None
    draft_status: str | None
    draft_text: str | None
    draft_version_id: int | None
    notes: int = 0


def case_map(session: Session, *, comment_ids: Iterable[int] = (), idea_ids: Iterable[int] = ()
             ) -> dict[tuple[str, int], CaseInfo]:
    """{(kind, id): unit, assignee, draft and number of notes} of the given contributions (leads' pages only)."""
    comment_ids, idea_ids = list(set(comment_ids)), list(set(idea_ids))
    rows: list[Casework] = []
    if comment_ids:
        rows += session.exec(select(Casework).where(col(Casework.comment_id).in_(comment_ids))).all()
    if idea_ids:
        rows += session.exec(select(Casework).where(col(Casework.idea_id).in_(idea_ids))).all()
    units = {u.id: u.name for u in session.exec(select(Unit)).all()}
    people_ids = {r.assignee_id for r in rows if r.assignee_id}
    people = dict(session.exec(select(User.id, User.display_name).where(col(User.id).in_(people_ids))).all()) \
        if people_ids else {}
    counts: dict[tuple[str, int], int] = {}
    if comment_ids:
        counts.update((("comment", cid), n) for cid, n in session.exec(
            select(InternalNote.comment_id, func.count()).where(col(InternalNote.comment_id).in_(comment_ids))
            .group_by(InternalNote.comment_id)).all())
    if idea_ids:
        counts.update((("idea", iid), n) for iid, n in session.exec(
            select(InternalNote.idea_id, func.count()).where(col(InternalNote.idea_id).in_(idea_ids))
            .group_by(InternalNote.idea_id)).all())
    result = {}
    for r in rows:
        key = ("comment", r.comment_id) if r.comment_id else ("idea", r.idea_id)
        result[key] = CaseInfo(unit_id=r.unit_id, unit=units.get(r.unit_id, ""), assignee_id=r.assignee_id,
                               assignee=people.get(r.assignee_id, ""), draft_state=r.draft_state,
                               draft_status=r.draft_status, draft_text=r.draft_text,
                               draft_version_id=r.draft_version_id, notes=counts.get(key, 0))
    for key, n in counts.items():
        result.setdefault(key, CaseInfo(None, "", None, "", None, None, None, None, n))
    return result


def case_out(session: Session, *, viewer: User | None, kind: str, target_id: int) -> dict:
    """The casework of one contribution for the API (leads only; 404 for unknown contributions)."""
    _lead(viewer)
    service.load_target(session, kind=kind, target_id=target_id, viewer=viewer)
    info = case_map(session, **{f"{kind}_ids": [target_id]}).get((kind, target_id))
    return {"target": kind, "target_id": target_id,
            "unit_id": info.unit_id if info else None, "unit": (info.unit or None) if info else None,
            "assignee_id": info.assignee_id if info else None,
            "assignee": (info.assignee or None) if info else None,
            "draft": {"state": info.draft_state, "status": info.draft_status, "text": info.draft_text,
                      "version_id": info.draft_version_id} if info and info.draft_state else None,
            "notes": [note_out(session, n) for n in notes(session, viewer=viewer, kind=kind, target_id=target_id)]}


def unit_names(session: Session, *, comment_ids: Iterable[int] = (), idea_ids: Iterable[int] = ()
               ) -> dict[tuple[str, int], str]:
    """{(kind, id): name of the responsible unit}: the Zuständigkeit column of the Abwägungstabelle (the only
    part of the casework that is public; assignees, drafts and notes never are)."""
    comment_ids, idea_ids = list(set(comment_ids)), list(set(idea_ids))
    result = {}
    if comment_ids:
        result.update((("comment", cid), name) for cid, name in session.exec(
            select(Casework.comment_id, Unit.name).join(Unit, Unit.id == Casework.unit_id)
            .where(col(Casework.comment_id).in_(comment_ids))).all())
    if idea_ids:
        result.update((("idea", iid), name) for iid, name in session.exec(
            select(Casework.idea_id, Unit.name).join(Unit, Unit.id == Casework.unit_id)
            .where(col(Casework.idea_id).in_(idea_ids))).all())
    return result


@dataclass
class UnitProgress:
    unit_id: int | None
    name: str
    answered: int
    total: int


def progress_by_unit(session: Session, *, round_id: int) -> list[UnitProgress]:
    """Per unit (and "ohne Zuständigkeit"): how many of the round's visible contributions it holds and how many of
    them have a published Stellungnahme ("Jugendamt: 58 von 120 beantwortet")."""
    counts: dict[int | None, list[int]] = {}
    comments = (select(Casework.unit_id, func.count(), func.count(Response.id)).select_from(Comment)
                .join(User, User.id == Comment.author_id)
                .outerjoin(Casework, Casework.comment_id == Comment.id)
                .outerjoin(Response, and_(Response.comment_id == Comment.id, Response.is_current.is_(True)))
                .where(*service.comment_conditions(round_id=round_id, include_hidden=False))
                .group_by(Casework.unit_id))
    ideas = (select(Casework.unit_id, func.count(), func.count(Response.id)).select_from(Idea)
             .outerjoin(Casework, Casework.idea_id == Idea.id)
             .outerjoin(Response, and_(Response.idea_id == Idea.id, Response.is_current.is_(True)))
             .where(*service.idea_conditions(round_id=round_id, include_hidden=False))
             .group_by(Casework.unit_id))
    for query in (comments, ideas):
        for unit_id, total, answered in session.exec(query).all():
            entry = counts.setdefault(unit_id, [0, 0])
            entry[0] += answered
            entry[1] += total
    result = [UnitProgress(u.id, u.name, *counts.get(u.id, [0, 0])) for u in list_units(session, active_only=False)
              if u.active or u.id in counts]
    if counts.get(None, [0, 0])[1]:
        result.append(UnitProgress(None, _("ohne Zuständigkeit"), *counts[None]))
    return result


def last_change(session: Session, *, kind: str, target_id: int) -> datetime | None:
    row = get(session, kind=kind, target_id=target_id)
    return row.updated_at if row else None


# --- similar contributions together --------------------------------------------------------------

@dataclass
class Member:
    kind: str
    id: int
    excerpt: str
    answered: bool
    draft_state: str | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass
class SimilarGroup:
    number: int
    terms: list[str]
    members: list[Member]

    @property
    def open(self) -> int:
        return sum(1 for m in self.members if not m.answered)


def round_groups(session: Session, *, viewer: User | None, round_id: int, open_only: bool = False
                 ) -> list[SimilarGroup]:
    """Groups of the round's visible contributions that say much the same (app/responses/similar.py)."""
    from app.responses import similar  # scikit-learn loads only when groups are asked for

    _lead(viewer)
    comments = session.exec(
        select(Comment.id, Comment.body).join(User, User.id == Comment.author_id)
        .where(*service.comment_conditions(round_id=round_id, include_hidden=False), Comment.erased.is_(False))
        .order_by(Comment.id)).all()
    ideas = session.exec(select(Idea.id, Idea.title, Idea.body)
                         .where(*service.idea_conditions(round_id=round_id, include_hidden=False))
                         .order_by(Idea.id)).all()
    keys = [("comment", cid) for cid, _b in comments] + [("idea", iid) for iid, _t, _b in ideas]
    texts = [body for _c, body in comments] + [f"{title}. {body}" for _i, title, body in ideas]
    answered = set(service.current_map(session, comment_ids=[c for c, _b in comments],
                                       idea_ids=[i for i, _t, _b in ideas]))
    if open_only:
        chosen = [i for i, key in enumerate(keys) if key not in answered]
        keys, texts = [keys[i] for i in chosen], [texts[i] for i in chosen]
    cases = case_map(session, comment_ids=[i for k, i in keys if k == "comment"],
                     idea_ids=[i for k, i in keys if k == "idea"])
    groups = []
    for number, group in enumerate(similar.group_texts(texts), 1):
        members = []
        for index in group.members:
            key, text = keys[index], texts[index]
            case = cases.get(key)
            members.append(Member(kind=key[0], id=key[1], excerpt=text[:200] + ("…" if len(text) > 200 else ""),
                                  answered=key in answered, draft_state=case.draft_state if case else None))
        groups.append(SimilarGroup(number=number, terms=group.terms, members=members))
    return groups


# --- the page of one contribution's casework -----------------------------------------------------

SLUG_OF = {"comment": "kommentar", "idea": "idee"}
TARGET_SLUGS = {"kommentar": "comment", "idee": "idea", "comment": "comment", "idea": "idea"}


@dataclass
class CaseView:
    round_id: int
    contribution: service.ContributionView
    case: CaseInfo | None
    notes: list[dict]
    units: list[Unit]
    leads: list[User]
    history: list[dict]

    @property
    def kind(self) -> str:
        return self.contribution.target.kind

    @property
    def id(self) -> int:
        return self.contribution.target.id

    @property
    def slug(self) -> str:
        return SLUG_OF[self.kind]

    @property
    def draft(self) -> dict:
        """The draft's values for the form ({} without one)."""
        c = self.case
        if c is None or c.draft_state is None:
            return {}
        return {"status": c.draft_status, "text": c.draft_text,
                "version": {"id": c.draft_version_id} if c.draft_version_id else None}


def case_view(session: Session, *, viewer: User | None, round_id: int, slug: str, target_id: int,
              first_use: bool = False) -> CaseView:
    """A contribution of the round with its unit, assignee, draft and notes (leads only; 404 when the
    contribution is unknown, hidden or of another round). `first_use` (the page's GET only, declared a writer) makes
    the three offices when there are no units yet."""
    _lead(viewer)
    kind = TARGET_SLUGS.get(slug)
    if kind is None:
        raise NotFound(_("Diesen Beitrag gibt es nicht."))
    contribution = service.contribution_view(session, kind=kind, target_id=target_id, viewer=viewer)
    item = contribution.target.comment or contribution.target.idea
    if item.round_id != round_id:
        raise NotFound(_("Diesen Beitrag gibt es in dieser Runde nicht."))
    if first_use:  # the page's GET (a writer): the three offices on first use, committed before anything else
        ensure_units(session)
        session.commit()
    case = case_map(session, **{f"{kind}_ids": [target_id]}).get((kind, target_id))
    return CaseView(round_id=round_id, contribution=contribution, case=case,
                    notes=[note_out(session, n) for n in notes(session, viewer=viewer, kind=kind, target_id=target_id)],
                    units=list_units(session), leads=leads(session), history=history(session, kind=kind,
                                                                                      target_id=target_id))


HISTORY_ACTIONS = ("casework.assign", "note.add", "response.draft", "response.approve", "response.set", "idea.status")
DETAILED = ("response.draft", "response.approve", "response.set")


def history(session: Session, *, kind: str, target_id: int) -> list[dict]:
    """The contribution's casework history, oldest first, from the audit log: assignments, notes (never their
    text), and every answer's steps draft → approved → published (a direct answer records all three at once)."""
    entries = session.exec(select(audit.AuditEntry).where(
        audit.AuditEntry.target_type == kind, audit.AuditEntry.target_id == target_id,
        col(audit.AuditEntry.action).in_(HISTORY_ACTIONS)).order_by(col(audit.AuditEntry.id))).all()
    ids = {e.actor_id for e in entries if e.actor_id}
    people = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(ids))).all()} if ids else {}
    return [{"at": e.created_at, "action": e.action, "label": audit.ACTION_LABELS[e.action],
             "who": service.author_label(people.get(e.actor_id)) if e.actor_id else "",
             "detail": e.summary if e.action in DETAILED else ""} for e in entries]


def optional_id(value: str, field_name: str) -> int | None:
    """A select's value: "" is none, a number an id, anything else a clear error."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit() and len(value) < 10:
        return int(value)
    message = _("Bitte wählen Sie aus der Liste.")
    raise Invalid(message, errors=[(field_name, message)])


def check_in_round(session: Session, *, round_id: int, items: list[tuple[str, int]]) -> None:
    """Every chosen contribution belongs to this round (a form of one round never acts on another's)."""
    comment_ids = [i for k, i in items if k == "comment"]
    idea_ids = [i for k, i in items if k == "idea"]
    found = 0
    if comment_ids:
        found += session.exec(select(func.count()).select_from(Comment).where(
            col(Comment.id).in_(comment_ids), Comment.round_id == round_id)).one()
    if idea_ids:
        found += session.exec(select(func.count()).select_from(Idea).where(
            col(Idea.id).in_(idea_ids), Idea.round_id == round_id)).one()
    if found != len(set(items)):
        message = _("Unbekannter Beitrag in der Auswahl.")
        raise Invalid(message, errors=[("items", message)])


def round_of(session: Session, round_id: int):
    return rounds.get_round(session, round_id)
