"""Meine Beiträge: one person's comments, ideas and votes with their Stellungnahmen and statuses, filterable.

Only the caller's own rows are read (every query is bound to `author_id`/`user_id`). A person's contributions are
few (hundreds at most), so the list is built in memory from one query per kind and filtered and paged here.
The same service gives "Meine Daten" the official responses to one's own contributions (app/wiring.py).
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from app.accounts.models import User
from app.discussion.models import Comment, Vote
from app.documents.models import SectionVersion
from app.errors import Invalid
from app.ideas import service as ideas_service
from app.ideas.models import Idea
from app.responses import service
from app.responses.models import STATUS_LABELS, Response
from app.rounds.models import Round
from app.web.i18n import N_
from app.web.i18n import gettext as _

KINDS = {"comment": N_("Kommentare"), "idea": N_("Ideen"), "vote": N_("Stimmen")}
# The status of a contribution as its author sees it: the Stellungnahme's status once there is one.
STATES = {"open": N_("noch ohne Stellungnahme"), "reviewing": N_("in Prüfung"), **STATUS_LABELS,
          "withdrawn": N_("zurückgezogen"), "hidden": N_("ausgeblendet")}
VOTE_LABELS = {1: N_("Zustimmung"), -1: N_("Ablehnung")}
EXCERPT = 160


@dataclass
class MyFilter:
    kind: str = ""
    status: str = ""
    round: str = ""


@dataclass
class Item:
    kind: str
    id: int
    title: str
    excerpt: str
    url: str
    created_at: datetime
    status: str
    status_label: str
    round_id: int | None
    round_title: str
    edited: bool = False
    response: dict | None = None
    vote: int | None = None


@dataclass
class Mine:
    items: list[Item]
    total: int
    page: int
    per_page: int
    filter: MyFilter
    rounds: list[tuple[str, str]] = field(default_factory=list)
    kinds: list[tuple[str, str]] = field(default_factory=list)
    states: list[tuple[str, str]] = field(default_factory=list)


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[:EXCERPT].rstrip() + "…"


def _state(item, response: Response | None) -> str:
    if item.withdrawn_at is not None:
        return "withdrawn"
    if item.hidden_at is not None:
        return "hidden"
    if response is not None:
        return response.status
    if isinstance(item, Idea) and item.status == "reviewing":
        return "reviewing"
    return "open"


def _response_dict(response: Response | None, versions: dict[int, SectionVersion]) -> dict | None:
    if response is None:
        return None
    v = versions.get(response.version_id) if response.version_id else None
    return {"status": response.status, "status_label": service.status_label(response.status), "text": response.text,
            "revision": response.revision, "created_at": response.created_at,
            "version": {"id": v.id, "section_id": v.section_id, "number": v.number} if v else None}


def _check(f: MyFilter, rounds: dict[int, Round]) -> None:
    errors = []
    if f.kind and f.kind not in KINDS:
        errors.append(("kind", _("Bitte comment, idea oder vote wählen.")))
    if f.status and f.status not in STATES:
        errors.append(("status", _("Diesen Status gibt es nicht.")))
    if f.round and not (f.round.isdigit() and int(f.round) in rounds):
        errors.append(("round", _("Diese Beteiligungsrunde gibt es nicht.")))
    if errors:
        raise Invalid(_("Bitte prüfen Sie die Filter."), errors=errors)


def _all(session: Session, user: User, rounds: dict[int, Round]) -> list[Item]:
    comments = session.exec(select(Comment).where(Comment.author_id == user.id, Comment.erased.is_(False))).all()
    ideas = session.exec(select(Idea).where(Idea.author_id == user.id)).all()
    votes = session.exec(select(Vote).where(Vote.user_id == user.id)).all()
    responses = service.current_map(session, comment_ids=[c.id for c in comments], idea_ids=[i.id for i in ideas])
    versions = service.versions_of(session, responses.values())
    section_ids = {c.section_id for c in comments if c.section_id}
    # others' ideas that were hidden or withdrawn since are named by a placeholder, not by their title
    idea_titles = {i: t if own == user.id or (hidden is None and withdrawn is None) else _("nicht mehr sichtbar")
                   for i, t, own, hidden, withdrawn in session.exec(
                       select(Idea.id, Idea.title, Idea.author_id, Idea.hidden_at, Idea.withdrawn_at)
                       .where(col(Idea.id).in_({c.idea_id for c in comments if c.idea_id}
                                               | {v.idea_id for v in votes if v.idea_id}))).all()} \
        if comments or votes else {}
    voted_comments = {c.id: c for c in session.exec(select(Comment).where(col(Comment.id).in_(
        {v.comment_id for v in votes if v.comment_id})))} if votes else {}
    voted_versions = {v.id: v for v in session.exec(select(SectionVersion).where(col(SectionVersion.id).in_(
        {v.section_version_id for v in votes if v.section_version_id})))} if votes else {}
    section_ids |= {c.section_id for c in voted_comments.values() if c.section_id}
    section_ids |= {v.section_id for v in voted_versions.values()}
    labels = ideas_service.section_labels(session, section_ids) if section_ids else {}

    def round_title(round_id: int | None) -> str:
        return rounds[round_id].title if round_id in rounds else ""

    def comment_place(c: Comment) -> tuple[str, str]:
        if c.idea_id:
            return (_("Zur Idee „{title}“").format(title=idea_titles.get(c.idea_id, "")),
                    f"/ideen/{c.idea_id}#beitrag-{c.id}")
        return (_("Zu Abschnitt {label}").format(label=labels.get(c.section_id, "")),
                f"/abschnitte/{c.section_id}#beitrag-{c.id}")

    items = []
    for c in comments:
        r = responses.get(("comment", c.id))
        state = _state(c, r)
        title, url = comment_place(c)
        items.append(Item("comment", c.id, title, "" if state == "withdrawn" else _excerpt(c.body), url,
                          c.created_at, state, _(STATES[state]), c.round_id, round_title(c.round_id),
                          edited=c.edited_at is not None, response=_response_dict(r, versions)))
    for i in ideas:
        r = responses.get(("idea", i.id))
        state = _state(i, r)
        items.append(Item("idea", i.id, i.title, _excerpt(i.body), f"/ideen/{i.id}", i.created_at, state,
                          _(STATES[state]), i.round_id, round_title(i.round_id), edited=i.edited_at is not None,
                          response=_response_dict(r, versions)))
    for v in votes:
        if v.idea_id:
            title, url, round_id = (_("Idee „{title}“").format(title=idea_titles.get(v.idea_id, "")),
                                    f"/ideen/{v.idea_id}", None)
        elif v.comment_id and v.comment_id in voted_comments:
            c = voted_comments[v.comment_id]
            title, url = comment_place(c)
            title, round_id = _("Kommentar: {title}").format(title=title), c.round_id
        elif v.section_version_id in voted_versions:
            sv = voted_versions[v.section_version_id]
            title, url, round_id = (_("Abschnitt {label}, Fassung {n}").format(label=labels.get(sv.section_id, ""),
                                                                                n=sv.number),
                                    f"/abschnitte/{sv.section_id}", None)
        else:
            continue
        items.append(Item("vote", v.id, title, _(VOTE_LABELS.get(v.value, "")), url, v.updated_at, "",
                          "", round_id, round_title(round_id), vote=v.value))
    items.sort(key=lambda it: (it.created_at, it.kind, it.id), reverse=True)
    return items


def my_contributions(session: Session, *, user: User, filters: MyFilter, page: int = 1, per_page: int = 50,
                     strict: bool = True) -> Mine:
    """The caller's contributions, newest first; `strict` refuses unknown filter values (API), otherwise they
    are ignored (the page shows everything)."""
    rounds = {r.id: r for r in session.exec(select(Round).order_by(col(Round.opens_at).desc())).all()}
    try:
        _check(filters, rounds)
    except Invalid:
        if strict:
            raise
        filters = MyFilter()
    items = _all(session, user, rounds)
    if filters.kind:
        items = [it for it in items if it.kind == filters.kind]
    if filters.status:
        items = [it for it in items if it.status == filters.status]
    if filters.round:
        items = [it for it in items if it.round_id == int(filters.round)]
    start = (page - 1) * per_page
    return Mine(items=items[start:start + per_page], total=len(items), page=page, per_page=per_page,
                filter=filters, rounds=[(str(r.id), r.title) for r in rounds.values()],
                kinds=[(k, _(v)) for k, v in KINDS.items()], states=[(k, _(v)) for k, v in STATES.items()])


def export_responses(session: Session, user: User) -> tuple[str, object]:
    """Meine Daten: the official responses (current and earlier revisions) to the person's comments and ideas."""
    comment_ids = list(session.exec(select(Comment.id).where(Comment.author_id == user.id)).all())
    idea_ids = list(session.exec(select(Idea.id).where(Idea.author_id == user.id)).all())
    rows = []
    if comment_ids:
        rows += session.exec(select(Response).where(col(Response.comment_id).in_(comment_ids))).all()
    if idea_ids:
        rows += session.exec(select(Response).where(col(Response.idea_id).in_(idea_ids))).all()
    rows.sort(key=lambda r: (r.comment_id is None, r.comment_id or r.idea_id, r.revision))
    return "responses_to_my_contributions", [
        {"target": "comment" if r.comment_id else "idea", "target_id": r.comment_id or r.idea_id,
         "revision": r.revision, "current": r.is_current, "status": r.status,
         "status_label": service.status_label(r.status), "text": r.text, "version_id": r.version_id,
         "created_at": r.created_at.isoformat()} for r in rows]
