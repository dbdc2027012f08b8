"""What the section page shows of the discussion, loaded with a bounded number of queries.

The cost depends on the page size, never on how many comments the database holds: every query is an
indexed range on one section or version, limited to one page of threads.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func
from sqlmodel import Session, select

from app.accounts.models import User
from app.db import utcnow
from app.discussion import notify, policy, service, sources, votes
from app.discussion.models import Alignment, Comment, VoteTarget
from app.errors import DomainError
from app.rounds import policy as rounds_policy
from app.rounds import service as rounds_service
from app.web.i18n import N_

PER_PAGE = 25
EARLIER_LIMIT = 25
REPLY_LIMIT = 400
ALIGNMENT_LABELS = {"support": N_("Zustimmung"), "objection": N_("Einwand"), "note": N_("Hinweis")}
SORT_LABELS = {"new": N_("Neueste zuerst"), "top": N_("Meiste Zustimmung"), "paragraph": N_("Nach Absatz")}


@dataclass
class Params:
    sort: str = "new"
    alignment: str | None = None
    organisation: str | None = None
    round_id: int | None = None
    paragraph: str | None = None
    page: int = 1

    @classmethod
    def parse(cls, query) -> "Params":
        sort = query.get("sort", "new")
        alignment = query.get("alignment") or None
        try:
            round_id = int(query.get("round") or 0) or None
            page = max(1, min(int(query.get("page") or 1), 10_000))
        except ValueError:
            round_id, page = None, 1
        return cls(sort=sort if sort in SORT_LABELS else "new",
                   alignment=alignment if alignment in ALIGNMENT_LABELS else None,
                   organisation=(query.get("organisation") or "").strip()[:160] or None, round_id=round_id,
                   paragraph=(query.get("paragraph") or "").strip()[:16] or None, page=page)

    def query(self, **changes) -> str:
        """The query string for these parameters with some changed (for sort, filter and page links)."""
        from urllib.parse import urlencode

        values = {"sort": self.sort, "alignment": self.alignment, "organisation": self.organisation,
                  "round": self.round_id, "paragraph": self.paragraph, "page": self.page, **changes}
        defaults = {"sort": "new", "page": 1}
        return urlencode({k: v for k, v in values.items() if v not in (None, "") and defaults.get(k) != v})


@dataclass
class Node:
    comment: Comment
    out: dict
    level: int = 0
    reply_to: str | None = None
    marker: str | None = None
    current_anchor: str | None = None  # where the paragraph commented on lives in the shown version
    may_edit: bool = False
    may_withdraw: bool = False
    may_hide: bool = False
    may_reply: bool = False
    may_vote: bool = False
    children: list["Node"] = field(default_factory=list)
    container: "Node | None" = None


@dataclass
class VersionGroup:
    number: int
    threads: list[Node]


@dataclass
class Discussion:
    section_id: int
    version_id: int
    version_number: int
    is_current: bool
    params: Params
    open_rounds: list
    next_round: object | None
    audience_labels: dict
    may_comment: bool
    may_reply: bool
    refusal: str | None
    refusal_status: int | None
    margin: dict[str, int]
    paragraphs: list
    threads: list[Node]
    total: int
    pages: int
    earlier: list[VersionGroup]
    earlier_total: int
    version_votes: dict
    may_vote_version: bool
    rounds: list
    alignment_labels: dict = field(default_factory=lambda: ALIGNMENT_LABELS)
    sort_labels: dict = field(default_factory=lambda: SORT_LABELS)
    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    message: str | None = None
    failed: bool = False
    positions: dict = field(default_factory=dict)
    back_url: str = ""
    post_url: str = ""


def _filtered(query, params: Params):
    if params.alignment:
        query = query.where(Comment.alignment == params.alignment)
    if params.round_id:
        query = query.where(Comment.round_id == params.round_id)
    if params.organisation:
        query = query.join(User, User.id == Comment.author_id).where(User.organisation == params.organisation)
    return query


def _ordered(query, sort: str, positions: dict[str, int]):
    if sort == "paragraph" and positions:
        position = case(positions, value=Comment.paragraph_anchor, else_=0)
        return query.order_by(position, Comment.created_at, Comment.id)
    return service.ordered(query, sort)


def build(session: Session, *, section, version, user: User | None, is_current: bool, params: Params,
          now: datetime | None = None) -> Discussion:
    now = now or utcnow()
    rounds = rounds_service.rounds_for_section(session, section.id)
    open_rounds = [r for r in rounds if rounds_service.effective_state(r, now).value == "open"]
    coming = [r for r in rounds if rounds_service.effective_state(r, now).value == "planned"]
    refusal: DomainError | None = None
    if is_current:
        _r, refusal = policy.pick_round(user, open_rounds, section, now)
        _r2, reply_refusal = policy.pick_round(user, open_rounds, section, now, reply=True)
        _r3, vote_refusal = policy.pick_round(user, open_rounds, section, now, voting=True)
    else:
        reply_refusal = vote_refusal = refusal = None
    may_comment = is_current and refusal is None
    may_reply = is_current and reply_refusal is None
    may_vote = is_current and vote_refusal is None

    paragraphs = sources.paragraphs(session, version.id)
    positions = {p.anchor: p.position for p in paragraphs}
    margin = dict(session.exec(
        select(Comment.paragraph_anchor, func.count()).where(
            Comment.section_version_id == version.id, Comment.paragraph_anchor.is_not(None),
            Comment.hidden_at.is_(None), Comment.withdrawn_at.is_(None), Comment.erased.is_(False))
        .group_by(Comment.paragraph_anchor)).all())

    roots_query = _filtered(select(Comment).where(Comment.section_version_id == version.id,
                                                  Comment.parent_id.is_(None)), params)
    if params.paragraph:
        roots_query = roots_query.where(Comment.paragraph_anchor == params.paragraph)
    total = session.exec(select(func.count()).select_from(roots_query.subquery())).one()
    roots = list(session.exec(_ordered(roots_query, params.sort, positions)
                              .offset((params.page - 1) * PER_PAGE).limit(PER_PAGE)).all())

    earlier_roots: list[Comment] = []
    earlier_total = 0
    if is_current and version.number > 1 and not params.paragraph:
        earlier_query = _filtered(select(Comment).where(Comment.section_id == section.id,
                                                        Comment.section_version_id != version.id,
                                                        Comment.parent_id.is_(None)), params)
        earlier_total = session.exec(select(func.count()).select_from(earlier_query.subquery())).one()
        earlier_roots = list(session.exec(
            service.ordered(earlier_query, params.sort).limit(EARLIER_LIMIT)).all())

    root_ids = [c.id for c in roots + earlier_roots]
    replies = list(session.exec(select(Comment).where(Comment.root_id.in_(root_ids))
                                .order_by(Comment.created_at, Comment.id).limit(REPLY_LIMIT)).all()) if root_ids else []
    everything = roots + earlier_roots + replies
    outs = {o["id"]: o for o in service.comments_out(session, everything, user)}

    def node(c: Comment) -> Node:
        mine = user is not None and c.author_id == user.id
        visible = outs[c.id]["status"] == "visible"
        return Node(comment=c, out=outs[c.id], current_anchor=c.paragraph_anchor if c.section_version_id == version.id
                    else None,
                    may_edit=policy.may_edit(user, c, now, int(service.EDIT_WINDOW.total_seconds())),
                    may_withdraw=visible and policy.may_withdraw(user, c),
                    may_hide=visible and policy.may_hide(user, c),
                    may_reply=may_reply and visible and c.section_version_id == version.id,
                    may_vote=may_vote and visible and not mine and c.section_version_id == version.id)

    nodes = {c.id: node(c) for c in roots + earlier_roots}
    _tree(list(nodes.values()), replies, node, outs)

    groups: list[VersionGroup] = []
    if earlier_roots:
        numbers = {v.id: v.number for v in sources.versions_by_id(
            session, {c.section_version_id for c in earlier_roots}).values()}
        pairs = {(numbers[c.section_version_id], c.paragraph_anchor) for c in earlier_roots if c.paragraph_anchor}
        fates = sources.paragraph_fates(session, section_id=section.id, pairs=pairs, to_number=version.number)
        by_number: dict[int, list[Node]] = {}
        for c in earlier_roots:
            number = numbers[c.section_version_id]
            n = nodes[c.id]
            if c.paragraph_anchor:
                fate, n.current_anchor = fates.get((number, c.paragraph_anchor), ("unchanged", c.paragraph_anchor))
                n.marker = {"changed": f"changed:{number}", "removed": "removed"}.get(fate)
            by_number.setdefault(number, []).append(n)
        groups = [VersionGroup(number=k, threads=by_number[k]) for k in sorted(by_number, reverse=True)]

    version_votes = votes.counts(session, target=VoteTarget.section_version, target_id=version.id, user=user)
    return Discussion(
        section_id=section.id, version_id=version.id, version_number=version.number, is_current=is_current,
        params=params, open_rounds=open_rounds, next_round=coming[0] if coming else None,
        audience_labels=rounds_policy.AUDIENCE_LABELS, may_comment=may_comment, may_reply=may_reply,
        refusal=refusal.message if refusal else None, refusal_status=refusal.status if refusal else None,
        margin=margin, paragraphs=paragraphs, threads=[nodes[c.id] for c in roots], total=total,
        pages=max(1, -(-total // PER_PAGE)), earlier=groups, earlier_total=earlier_total,
        version_votes=version_votes, may_vote_version=may_vote, rounds=rounds, positions=positions,
        back_url=(notify.section_url(section.id) if is_current
                  else f"{notify.section_url(section.id)}/fassungen/{version.number}"),
        post_url=f"{notify.section_url(section.id)}/beitraege",
        values={"paragraph": params.paragraph} if params.paragraph in positions else {})


ALIGNMENTS = [a.value for a in Alignment]


@dataclass
class IdeaDiscussion:
    idea_id: int
    threads: list[Node]
    total: int
    page: int
    pages: int
    support: dict
    may_comment: bool
    refusal: str | None
    back_url: str
    post_url: str
    alignment_labels: dict = field(default_factory=lambda: ALIGNMENT_LABELS)
    positions: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    message: str | None = None
    failed: bool = False


def _tree(roots: list[Node], replies: list[Comment], make, outs: dict) -> None:
    """Hang replies under their parents, nesting at most SHOWN_DEPTH levels deep."""
    nodes = {n.comment.id: n for n in roots}
    for c in replies:
        parent = nodes.get(c.parent_id) or nodes.get(c.root_id)
        if parent is None:
            continue
        n = make(c)
        host = parent if parent.level < service.SHOWN_DEPTH else (parent.container or parent)
        n.level = min(parent.level + 1, service.SHOWN_DEPTH)
        if parent.level >= service.SHOWN_DEPTH:
            author = outs[parent.comment.id]["author"]
            n.reply_to = author["display_name"] if author else None
        n.container = host
        host.children.append(n)
        nodes[c.id] = n


def build_idea(session: Session, *, idea, user: User | None, page: int = 1,
               now: datetime | None = None) -> IdeaDiscussion:
    """An idea's comments (oldest first, threaded, paginated) and its support."""
    now = now or utcnow()
    refusal = policy.idea_comment_refusal(user, idea, now)
    may = refusal is None
    query = select(Comment).where(Comment.idea_id == idea.id, Comment.parent_id.is_(None))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    roots = list(session.exec(query.order_by(Comment.created_at, Comment.id)
                              .offset((page - 1) * PER_PAGE).limit(PER_PAGE)).all())
    ids = [c.id for c in roots]
    replies = list(session.exec(select(Comment).where(Comment.root_id.in_(ids))
                                .order_by(Comment.created_at, Comment.id).limit(REPLY_LIMIT)).all()) if ids else []
    outs = {o["id"]: o for o in service.comments_out(session, roots + replies, user)}

    def make(c: Comment) -> Node:
        visible = outs[c.id]["status"] == "visible"
        return Node(comment=c, out=outs[c.id],
                    may_edit=policy.may_edit(user, c, now, int(service.EDIT_WINDOW.total_seconds())),
                    may_withdraw=visible and policy.may_withdraw(user, c),
                    may_hide=visible and policy.may_hide(user, c), may_reply=may and visible,
                    may_vote=may and visible and not (user is not None and c.author_id == user.id))

    threads = [make(c) for c in roots]
    _tree(threads, replies, make, outs)
    support = votes.counts(session, target=VoteTarget.idea, target_id=idea.id, user=user)
    return IdeaDiscussion(idea_id=idea.id, threads=threads, total=total, page=page,
                          pages=max(1, -(-total // PER_PAGE)), support=support, may_comment=may,
                          refusal=refusal.message if refusal else None, back_url=f"/ideen/{idea.id}",
                          post_url=f"/ideen/{idea.id}/beitraege")
