"""Stellungnahmen: leads answer comments and ideas; one current response per contribution, history kept.

Other domains build on `contribution_filters` (which comments and ideas of a round count as contributions),
`current_map` and `author_label`. Publishing a version that takes up comments answers them (see
`on_version_published`, one of the documents' VERSION_PUBLISHED hooks, see app/wiring.py).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import bindparam, func, literal_column, or_, union_all, update
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app import audit
from app.accounts.models import Role, User
from app.db import utcnow
from app.discussion.models import Comment
from app.documents import service as documents
from app.documents.models import SectionVersion, VersionAddress
from app.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from app.ideas import offline
from app.ideas import service as ideas_service
from app.ideas.models import RESPONSE_TO_STATUS, Idea
from app.responses import notify, policy
from app.responses.models import STATUS_LABELS, Casework, Response, ResponseStatus
from app.responses.schemas import ResponseIn
from app.validation import is_number
from app.web import i18n
from app.web.i18n import gettext as _

TARGETS = ("comment", "idea")
PARTICIPANT_ROLES = (Role.expert.value, Role.resident.value)
DELETED_NAME = "gelöschtes Konto"


def status_label(status: str) -> str:
    return _(STATUS_LABELS.get(status, status))


def author_label(user: User | None, item=None, *, marked: bool = True) -> str:
    """Organisation for experts, the (pseudonymous) display name for residents, "gelöschtes Konto" after deletion.
    A contribution recorded from outside the platform (`item.source`): the author as given, never the recording
    account, with where it comes from unless `marked=False` ("Teilnehmerin (aus der Werkstatt „Ostheim“ am …)")."""
    if item is not None and getattr(item, "source", None):
        name = item.given_author or ""
        return f"{name} ({offline.marker(item)})" if marked else name
    if user is None or user.deleted_at is not None:
        return _(DELETED_NAME)
    if user.role == Role.expert.value and user.organisation:
        return user.organisation
    return user.display_name


# --- which comments and ideas are contributions of a round ---------------------------------------

def comment_conditions(*, round_id: int | None, include_hidden: bool) -> list:
    """Comments by participants (not the lead's or moderation's replies) and those recorded on behalf of
    participants outside the platform, not withdrawn; hidden ones only for those who may see them. Needs a join
    of User on Comment.author_id."""
    where = [Comment.withdrawn_at.is_(None), or_(col(User.role).in_(PARTICIPANT_ROLES), Comment.source.is_not(None))]
    if round_id is not None:
        where.append(Comment.round_id == round_id)
    if not include_hidden:
        where.append(Comment.hidden_at.is_(None))
    return where


def idea_conditions(*, round_id: int | None, include_hidden: bool) -> list:
    where = [Idea.withdrawn_at.is_(None)]
    if round_id is not None:
        where.append(Idea.round_id == round_id)
    if not include_hidden:
        where.append(Idea.hidden_at.is_(None))
    return where


# --- targets -------------------------------------------------------------------------------------

@dataclass
class Target:
    kind: str
    id: int
    comment: Comment | None = None
    idea: Idea | None = None

    @property
    def section_id(self) -> int | None:
        return self.comment.section_id if self.comment else self.idea.section_id


def _column(kind: str):
    return Response.comment_id if kind == "comment" else Response.idea_id


def load_target(session: Session, *, kind: str, target_id: int, viewer: User | None) -> Target:
    """The contribution, 404 when unknown or hidden from this viewer."""
    if kind == "comment":
        comment = session.get(Comment, target_id)
        if comment is None or (comment.hidden_at is not None and not policy.sees_hidden(viewer)):
            raise NotFound(_("Diesen Beitrag gibt es nicht."))
        if comment.idea_id is not None:  # a comment on a hidden idea is hidden with it
            idea = session.get(Idea, comment.idea_id)
            if idea is None or (idea.hidden_at is not None and not policy.sees_hidden(viewer)):
                raise NotFound(_("Diesen Beitrag gibt es nicht."))
        return Target(kind, target_id, comment=comment)
    if kind == "idea":
        idea = session.get(Idea, target_id)
        if idea is None or (idea.hidden_at is not None and not policy.sees_hidden(viewer)):
            raise NotFound(_("Diese Idee gibt es nicht."))
        return Target(kind, target_id, idea=idea)
    raise NotFound(_("Unbekannte Art von Beitrag."))


def answerable(session: Session, kind: str, target_id: int) -> Target:
    target = load_target(session, kind=kind, target_id=target_id, viewer=None)  # hidden: 404 even for leads
    item = target.comment or target.idea
    if item.withdrawn_at is not None:
        raise Conflict(_("Dieser Beitrag wurde zurückgezogen; er braucht keine Stellungnahme."))
    return target


def _idea_follows(session: Session, target: Target, response: Response) -> None:
    """One status for an idea (README): its Stellungnahme sets its status, in the same transaction."""
    if target.idea is None:
        return
    version = session.get(SectionVersion, response.version_id) if response.version_id else None
    ideas_service.record_status(session, idea=target.idea, status=RESPONSE_TO_STATUS[response.status],
                                reason=response.text, section_id=version.section_id if version else None,
                                actor_id=response.author_id, now=response.created_at)


def on_idea_final_status(session: Session, idea: Idea, status: str, text: str, actor: User, now: datetime) -> None:
    """A final status set on the idea (ideas.FINAL_STATUS_SET) is its Stellungnahme: a new current revision."""
    publish_response(session, actor_id=actor.id, target=Target("idea", idea.id, idea=idea), status=status, text=text,
                     version_id=None, now=now, summary="Status der Idee", idea_follows=False)


def check_version(session: Session, target: Target, version_id: int | None) -> SectionVersion | None:
    if version_id is None:
        return None
    version = session.get(SectionVersion, version_id)
    wrong = version is None or (target.comment is not None and version.section_id != target.comment.section_id)
    if wrong:
        message = _("Diese Fassung gehört nicht zum Abschnitt des Beitrags.")
        raise Invalid(message, errors=[("version_id", message)])
    return version


# --- writing -------------------------------------------------------------------------------------

def current(session: Session, *, kind: str, target_id: int) -> Response | None:
    return session.exec(select(Response).where(_column(kind) == target_id, Response.is_current.is_(True))).first()


def _save(session: Session, *, target: Target, status: str, text: str, version_id: int | None,
          author_id: int | None, now: datetime) -> Response | None:
    """Make a new current revision (None when it would change nothing)."""
    column = _column(target.kind)
    previous = session.exec(select(Response).where(column == target.id, Response.is_current.is_(True))
                            .with_for_update()).first()
    if previous and (previous.status, previous.text, previous.version_id) == (status, text, version_id):
        return None
    last = session.exec(select(func.max(Response.revision)).where(column == target.id)).one() or 0
    if previous is not None:
        # Exactly one current revision (invariant 5): a concurrent writer finds no current row left and
        # fails on the partial unique index instead of adding a second current one.
        session.exec(update(Response).where(Response.id == previous.id, Response.is_current.is_(True))
                     .values(is_current=False))
    response = Response(comment_id=target.id if target.kind == "comment" else None,
                        idea_id=target.id if target.kind == "idea" else None, status=status, text=text,
                        version_id=version_id, revision=last + 1, is_current=True, author_id=author_id,
                        created_at=now)
    session.add(response)
    try:
        session.flush()
    except IntegrityError:
        _concurrent(session)
    notify.response_saved(session, item=target.comment or target.idea, response=response, previous=previous)
    return response


def _concurrent(session: Session):
    """Another lead's response won the race (the partial unique index said so): nothing of ours stays."""
    session.rollback()
    raise Conflict(_("Gerade wurde eine andere Stellungnahme gespeichert. Bitte laden Sie die Seite neu."))


def commit(session: Session) -> None:
    try:
        session.commit()
    except IntegrityError:
        _concurrent(session)


def respond(session: Session, *, actor: User | None, kind: str, target_id: int, data: ResponseIn,
            now: datetime | None = None) -> Response:
    """A lead answers one contribution; a new revision becomes current, the earlier ones stay (audited)."""
    if not policy.can_respond(actor):
        raise Forbidden(_("Nur die Projektleitung gibt Stellungnahmen ab."))
    now = now or utcnow()
    target = answerable(session, kind, target_id)
    check_version(session, target, data.version_id)
    response = publish_response(session, actor_id=actor.id, target=target, status=data.status.value, text=data.text,
                                version_id=data.version_id, now=now, summary="direkte Antwort")
    if response is None:
        return current(session, kind=kind, target_id=target_id)
    commit(session)
    return response


def publish_response(session: Session, *, actor_id: int | None, target: Target, status: str, text: str,
                     version_id: int | None, now: datetime, summary: str = "", approved: bool = False,
                     idea_follows: bool = True) -> Response | None:
    """The one answer workflow (README "One answer workflow"): an official response is a draft, approved by a lead,
    then published; only publishing makes it public and tells the author (by _save, app/responses/notify.py).
    Every path that answers comes here, in the caller's transaction. The workbench publishes a draft approved
    earlier (`approved=True`). Every other path (an answer on the contribution's page or by `PUT .../response`, a
    Sammelantwort, the import of the Abwägungstabelle, a version that takes up comments, an idea's final status) is
    one explicit action of a lead that drafts, approves and publishes at once: the three steps are recorded in the
    contribution's history (the audit log, shown on its casework page), and a pending workbench draft of it is
    settled. None when it would change nothing (and then nothing is recorded)."""
    response = _save(session, target=target, status=status, text=text, version_id=version_id,
                     author_id=actor_id, now=now)
    if response is None:
        return None
    how = f"{summary}, Revision {response.revision}" if summary else f"Revision {response.revision}"
    if not approved:
        audit.record(session, actor_id=actor_id, action="response.draft", target_type=target.kind,
                     target_id=target.id, summary=f"Entwurf ({status}), in einem Schritt freigegeben und "
                                                  f"veröffentlicht: {how}")
        audit.record(session, actor_id=actor_id, action="response.approve", target_type=target.kind,
                     target_id=target.id, summary=f"freigegeben ({how})")
    _settle_draft(session, target)
    if idea_follows:
        _idea_follows(session, target, response)
    audit.record(session, actor_id=actor_id, action="response.set", target_type=target.kind, target_id=target.id,
                 summary=f"{status_label(status)} ({how}): {text[:300]}")
    return response


def _settle_draft(session: Session, target: Target) -> None:
    """A published answer leaves no draft behind in the workbench (what was pending is answered now)."""
    column = Casework.comment_id if target.kind == "comment" else Casework.idea_id
    session.exec(update(Casework).where(column == target.id, Casework.draft_state.is_not(None))
                 .values(draft_state=None, draft_status=None, draft_text=None, draft_version_id=None,
                         drafted_by_id=None, approved_by_id=None, updated_at=utcnow())
                 .execution_options(synchronize_session="fetch"))


def parse_items(values: Iterable[str]) -> list[tuple[str, int]]:
    """Checkbox values "comment:12" / "idea:5" of the workbench; unknown shapes are refused."""
    items = []
    for value in values:
        kind, _sep, number = value.partition(":")
        if kind not in TARGETS or not is_number(number):
            raise Invalid(_("Unbekannter Beitrag in der Auswahl."), errors=[("items", _("Unbekannter Beitrag."))])
        items.append((kind, int(number)))
    return list(dict.fromkeys(items))


def respond_many(session: Session, *, actor: User | None, items: list[tuple[str, int]], data: ResponseIn,
                 now: datetime | None = None) -> int:
    """The same response to several similar contributions, all or none (one transaction)."""
    if not policy.can_respond(actor):
        raise Forbidden(_("Nur die Projektleitung gibt Stellungnahmen ab."))
    if not items:
        message = _("Bitte wählen Sie mindestens einen Beitrag aus.")
        raise Invalid(message, errors=[("items", message)])
    if len(items) > 500:
        raise Invalid(_("Bitte höchstens 500 Beiträge auf einmal beantworten."))
    now = now or utcnow()
    changed = 0
    try:
        for kind, target_id in items:
            target = answerable(session, kind, target_id)
            check_version(session, target, data.version_id)
            if publish_response(session, actor_id=actor.id, target=target, status=data.status.value, text=data.text,
                                version_id=data.version_id, now=now, summary="Sammelantwort") is not None:
                changed += 1
    except DomainError:
        session.rollback()  # nothing of the batch stays
        raise
    commit(session)
    return changed


def on_version_published(session: Session, version: SectionVersion, addresses: list[int]) -> None:
    """A version that takes up comments answers them "berücksichtigt" with a link to it, in the publish
    transaction. A lead's explicit "nicht berücksichtigt" or "zur Kenntnis genommen" is kept as it is
    (the version still lists the comment); an existing positive answer gets the link to the new version.
    Ids that are no comment of this section are ignored (the documents domain stores them unchecked)."""
    if not addresses:
        return
    comments = session.exec(select(Comment).where(col(Comment.id).in_(addresses))).all()
    now = utcnow()
    for comment in comments:
        if comment.section_id != version.section_id or comment.hidden_at is not None:
            continue
        target = Target("comment", comment.id, comment=comment)
        previous = current(session, kind="comment", target_id=comment.id)
        if previous is None:
            status = ResponseStatus.accepted.value
            text = f"Aufgenommen in Fassung {version.number}: {version.change_summary}".strip()
        elif previous.status in (ResponseStatus.accepted.value, ResponseStatus.partly.value):
            status, text = previous.status, previous.text
        else:
            continue
        publish_response(session, actor_id=version.published_by_id, target=target, status=status, text=text,
                         version_id=version.id, now=now, summary=f"berücksichtigt in Fassung {version.number}")



# --- reading -------------------------------------------------------------------------------------

def current_map(session: Session, *, comment_ids: Iterable[int] = (), idea_ids: Iterable[int] = ()
                ) -> dict[tuple[str, int], Response]:
    """{("comment"|"idea", id): current response} for the given contributions (one query per kind)."""
    result: dict[tuple[str, int], Response] = {}
    comment_ids, idea_ids = list(set(comment_ids)), list(set(idea_ids))
    if comment_ids:
        for r in session.exec(select(Response).where(col(Response.comment_id).in_(comment_ids),
                                                     Response.is_current.is_(True))).all():
            result[("comment", r.comment_id)] = r
    if idea_ids:
        for r in session.exec(select(Response).where(col(Response.idea_id).in_(idea_ids),
                                                     Response.is_current.is_(True))).all():
            result[("idea", r.idea_id)] = r
    return result


def versions_of(session: Session, responses: Iterable[Response]) -> dict[int, SectionVersion]:
    ids = {r.version_id for r in responses if r.version_id}
    if not ids:
        return {}
    return {v.id: v for v in session.exec(select(SectionVersion).where(col(SectionVersion.id).in_(ids))).all()}


def _names(session: Session, responses: Iterable[Response]) -> dict[int, str]:
    ids = {r.author_id for r in responses if r.author_id}
    if not ids:
        return {}
    return dict(session.exec(select(User.id, User.display_name).where(col(User.id).in_(ids))).all())


def revision_out(r: Response, versions: dict[int, SectionVersion], names: dict[int, str]) -> dict:
    v = versions.get(r.version_id) if r.version_id else None
    return {"revision": r.revision, "status": r.status, "status_label": status_label(r.status), "text": r.text,
            "version": {"id": v.id, "section_id": v.section_id, "number": v.number} if v else None,
            "author": names.get(r.author_id), "created_at": r.created_at}


def history(session: Session, *, kind: str, target_id: int) -> list[Response]:
    """All revisions, newest first."""
    return list(session.exec(select(Response).where(_column(kind) == target_id)
                             .order_by(col(Response.revision).desc())).all())


def response_out(session: Session, *, kind: str, target_id: int, viewer: User | None) -> dict:
    """The current response with its history; 404 for unknown or hidden contributions and without a response."""
    load_target(session, kind=kind, target_id=target_id, viewer=viewer)
    revisions = history(session, kind=kind, target_id=target_id)
    if not revisions or not revisions[0].is_current:
        raise NotFound(_("Zu diesem Beitrag gibt es noch keine Stellungnahme."))
    versions, names = versions_of(session, revisions), _names(session, revisions)
    head = revisions[0]
    return {**revision_out(head, versions, names), "id": head.id, "target": kind, "target_id": target_id,
            "version_id": head.version_id, "history": [revision_out(r, versions, names) for r in revisions[1:]]}


@dataclass
class Shown:
    """A response as the pages show it beside its contribution."""

    status: str
    status_label: str
    text: str
    version_number: int | None
    section_id: int | None
    created_at: datetime
    revision: int


def shown(session: Session, responses: dict[tuple[str, int], Response]) -> dict[tuple[str, int], Shown]:
    versions = versions_of(session, responses.values())
    result = {}
    for key, r in responses.items():
        v = versions.get(r.version_id) if r.version_id else None
        result[key] = Shown(status=r.status, status_label=status_label(r.status), text=r.text,
                            version_number=v.number if v else None, section_id=v.section_id if v else None,
                            created_at=r.created_at, revision=r.revision)
    return result


def shown_one(session: Session, *, kind: str, target_id: int) -> Shown | None:
    """The current response of one visible contribution, as shown beside it (None when hidden or none)."""
    try:
        load_target(session, kind=kind, target_id=target_id, viewer=None)
    except NotFound:
        return None
    response = current(session, kind=kind, target_id=target_id)
    return shown(session, {(kind, target_id): response})[(kind, target_id)] if response else None


@dataclass(slots=True)
class OutcomeComment:
    """What "Was aus den Beiträgen wurde" shows of a comment."""

    id: int
    created_at: datetime
    hidden_at: datetime | None
    erased: bool
    html: str


@dataclass
class TakenUp:
    comment: OutcomeComment
    author: str
    response: Shown | None


_R, _CM, _U = Response.__table__.c, Comment.__table__.c, User.__table__.c
_SV, _VA = SectionVersion.__table__.c, VersionAddress.__table__.c


@lru_cache
def _section_page_query():
    """Rows of (taken up?, comment, author, current response, its version) in one statement: the current responses
    to the section's visible comments, and the comments the version takes up (with their responses)."""
    columns = (_CM.id, _CM.created_at, _CM.hidden_at, _CM.erased, _CM.html, _U.display_name, _U.organisation,
               _U.role, _U.deleted_at, _R.id, _R.status, _R.text, _R.created_at, _R.revision, _SV.number,
               _SV.section_id)
    responded = (sa_select(literal_column("0"), *columns)
                 .select_from(Response.__table__.join(Comment.__table__, _CM.id == _R.comment_id))
                 .outerjoin(User.__table__, _U.id == _CM.author_id)
                 .outerjoin(SectionVersion.__table__, _SV.id == _R.version_id)
                 .where(_CM.section_id == bindparam("section_id"), _R.is_current.is_(True), _CM.hidden_at.is_(None)))
    taken_up = (sa_select(literal_column("1"), *columns)
                .select_from(VersionAddress.__table__.join(Comment.__table__, _CM.id == _VA.comment_id))
                .outerjoin(Response.__table__, (_R.comment_id == _CM.id) & _R.is_current.is_(True))
                .outerjoin(User.__table__, _U.id == _CM.author_id)
                .outerjoin(SectionVersion.__table__, _SV.id == _R.version_id)
                .where(_VA.version_id == bindparam("version_id"), _CM.section_id == bindparam("section_id"),
                       _CM.withdrawn_at.is_(None)))
    return union_all(responded, taken_up)


def section_page(session: Session, *, version: SectionVersion, viewer: User | None
                 ) -> tuple[list[TakenUp], dict[int, Shown]]:
    """For the section page, in one query: "Was aus den Beiträgen wurde" (the comments this version takes up, with
    their responses; hidden ones only for those who may see them) and {comment id: response} for the section's
    visible comments that have one."""
    sees_hidden = policy.sees_hidden(viewer)
    outcome, responses = [], {}
    rows = session.connection().execute(_section_page_query(), {"section_id": version.section_id,
                                                                "version_id": version.id})
    for (kind, cid, created_at, hidden_at, erased, html, name, organisation, role, deleted_at, rid, status, text,
         responded_at, revision, number, section_id) in rows:
        response = Shown(status=status, status_label=status_label(status), text=text, version_number=number,
                         section_id=section_id, created_at=responded_at, revision=revision) if rid else None
        if kind == 0:
            responses[cid] = response
        elif hidden_at is None or sees_hidden:
            author = None if name is None else User(display_name=name, organisation=organisation, role=role,
                                                    deleted_at=deleted_at)
            outcome.append(TakenUp(comment=OutcomeComment(cid, created_at, hidden_at, erased, html),
                                   author=author_label(author), response=response))
    outcome.sort(key=lambda t: (t.comment.created_at, t.comment.id))
    return outcome, responses


@dataclass
class OpenComment:
    id: int
    author: str
    excerpt: str


def open_comments_view(session: Session, *, section_id: int, limit: int = 200) -> list[OpenComment]:
    comments = open_comments_of_section(session, section_id=section_id, limit=limit)
    people = {u.id: u for u in session.exec(select(User).where(col(User.id).in_({c.author_id for c in comments})))} \
        if comments else {}
    return [OpenComment(c.id, author_label(people.get(c.author_id), c),
                        (c.body[:120] + "…") if len(c.body) > 120 else c.body) for c in comments]


def open_comments_of_section(session: Session, *, section_id: int, limit: int = 200) -> list[Comment]:
    """Visible top-level comments of a section without a current response (to tick when publishing)."""
    answered = select(Response.comment_id).where(Response.is_current.is_(True), Response.comment_id.is_not(None))
    return list(session.exec(
        select(Comment).join(User, User.id == Comment.author_id)
        .where(Comment.section_id == section_id, *comment_conditions(round_id=None, include_hidden=False),
               col(Comment.id).not_in(answered))
        .order_by(Comment.created_at, Comment.id).limit(limit)).all())


@dataclass
class ContributionView:
    """One contribution with its current response, the history, and (for leads) the versions to link."""

    target: Target
    author: str
    section_label: str
    current: dict | None
    history: list[dict]
    versions: list[tuple[int, str]]
    may_respond: bool

    @property
    def back_url(self) -> str:
        if self.target.comment is not None:
            return f"/abschnitte/{self.target.comment.section_id}#beitrag-{self.target.id}"
        return f"/ideen/{self.target.id}"


def contribution_view(session: Session, *, kind: str, target_id: int, viewer: User | None) -> ContributionView:
    target = load_target(session, kind=kind, target_id=target_id, viewer=viewer)
    item = target.comment or target.idea
    revisions = history(session, kind=kind, target_id=target_id)
    versions_map, names = versions_of(session, revisions), _names(session, revisions)
    outs = [revision_out(r, versions_map, names) for r in revisions]
    section_id = target.section_id
    label = documents.section_label(session, section_id) if section_id else ""
    versions = [(v.id, _("Fassung {n} vom {date}").format(n=v.number, date=i18n.format_date(v.published_at, "medium")))
                for v in session.exec(select(SectionVersion).where(SectionVersion.section_id == section_id)
                                      .order_by(col(SectionVersion.number).desc())).all()] if section_id else []
    return ContributionView(target=target, author=author_label(session.get(User, item.author_id), item),
                            section_label=label, current=outs[0] if outs and revisions[0].is_current else None,
                            history=outs[1:] if outs and revisions[0].is_current else outs, versions=versions,
                            may_respond=policy.can_respond(viewer) and item.hidden_at is None)


def respond_each(session: Session, *, actor: User | None, items: list[tuple[str, int, ResponseIn]],
                 summary: str = "", now: datetime | None = None) -> int:
    """Several contributions, each with its own response (the import of the Abwägungstabelle): all or none."""
    if not policy.can_respond(actor):
        raise Forbidden(_("Nur die Projektleitung gibt Stellungnahmen ab."))
    now = now or utcnow()
    changed = 0
    try:
        for kind, target_id, data in items:
            target = answerable(session, kind, target_id)
            check_version(session, target, data.version_id)
            if publish_response(session, actor_id=actor.id, target=target, status=data.status.value, text=data.text,
                                version_id=data.version_id, now=now, summary=summary) is not None:
                changed += 1
    except DomainError:
        session.rollback()  # nothing of the import stays
        raise
    commit(session)
    return changed
