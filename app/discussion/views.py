"""What the section page shows of the discussion, loaded with a bounded number of queries.

The cost depends on the page size, never on how many comments the database holds: every query is an
indexed range on one section or version, limited to one page of threads. Three queries whatever the page
shows (the rounds, the counts, the comments with their authors and the reader's votes), a fourth for
the fate of paragraphs that earlier versions' comments refer to. Comments come back as plain rows read
into slotted dataclasses, not ORM objects: the page only reads them.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Integer, and_, bindparam, case, cast, func, literal_column, null, select, tuple_, union_all
from sqlmodel import Session

from app.accounts.models import Role, User
from app.db import utcnow
from app.discussion import amendments, notify, policy, quotes, service, sources, votes
from app.discussion.models import Alignment, Comment, Vote, VoteTarget
from app.documents import policy as documents_policy
from app.documents.models import Paragraph, SectionVersion
from app.errors import DomainError
from app.ideas import offline
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


# --- the read model: a comment as the page shows it --------------------------------------------------

@dataclass(slots=True)
class Author:
    id: int
    display_name: str
    organisation: str | None
    role: str
    source: str = ""  # recorded from outside the platform: the marker ("aus der Werkstatt „Ostheim“ am 12.03.2026")
    source_href: str = ""  # recorded from a Werkstatt of the platform: its page


@dataclass(slots=True)
class ShownComment:
    """A comment's stored fields as read (what the rules and the author's own hidden note need)."""

    id: int
    section_version_id: int | None
    section_id: int | None
    idea_id: int | None
    paragraph_anchor: str | None
    quote: str | None
    parent_id: int | None
    root_id: int | None
    round_id: int | None
    author_id: int
    alignment: str
    html: str
    created_at: datetime
    edited_at: datetime | None
    withdrawn_at: datetime | None
    hidden_at: datetime | None
    hidden_reason: str | None
    erased: bool
    up_count: int
    down_count: int
    version_number: int | None
    author: Author | None
    mine: int | None
    amendment: str | None = None  # an Änderungsvorschlag: "replace" or "after" (see discussion.amendments)
    proposed_text: str | None = None
    base_text: str | None = None
    adopted_at: datetime | None = None


@dataclass(slots=True)
class CommentOut:
    """The public shape (service.to_out as attributes): hidden, withdrawn and erased comments keep their place,
    not their text."""

    id: int
    alignment: str
    author: Author | None
    created_at: datetime
    edited: bool
    paragraph: str | None
    version: int | None
    status: str
    quote: str | None
    html: str | None
    up: int
    down: int
    mine: int | None
    amendment: str | None = None
    diff_html: str = ""  # the proposed wording as a word diff against its paragraph (when shown)


def _out(c: ShownComment, viewer: User | None) -> CommentOut:
    state = service.status(c)
    shown = state == "visible" or (state == "hidden" and viewer is not None and viewer.role == Role.moderator.value)
    return CommentOut(id=c.id, alignment=c.alignment, author=c.author if state != "erased" else None,
                      created_at=c.created_at, edited=c.edited_at is not None, paragraph=c.paragraph_anchor,
                      version=c.version_number, status=state, quote=c.quote if shown else None,
                      html=c.html if shown else None, up=c.up_count, down=c.down_count, mine=c.mine,
                      amendment=c.amendment,
                      diff_html=amendments.diff_html(c.amendment, c.base_text, c.proposed_text) if shown else "")


_C = Comment.__table__.c
_U = User.__table__.c
_V = Vote.__table__.c
_SV = SectionVersion.__table__.c
_P = Paragraph.__table__.c
_COLUMNS = (_C.id, _C.section_version_id, _C.section_id, _C.idea_id, _C.paragraph_anchor, _C.quote, _C.parent_id,
            _C.root_id, _C.round_id, _C.author_id, _C.alignment, _C.html, _C.created_at, _C.edited_at,
            _C.withdrawn_at, _C.hidden_at, _C.hidden_reason, _C.erased, _C.up_count, _C.down_count, _SV.number,
            _U.display_name, _U.organisation, _U.role, _C.source, _C.source_label, _C.source_date, _C.given_author)
_AMENDMENT = (_C.amendment, _C.proposed_text, _C.base_text, _C.adopted_at)


def _shown_select(viewer: bool, *extra):
    """Comments with their version's number, their author and (viewer=True) the viewer's vote on each."""
    mine = _V.value if viewer else null()
    query = (select(*_COLUMNS, mine, *_AMENDMENT, _C.event_id, *extra).select_from(Comment.__table__)
             .outerjoin(SectionVersion.__table__, _SV.id == _C.section_version_id)
             .outerjoin(User.__table__, _U.id == _C.author_id))
    if viewer:
        query = query.outerjoin(Vote.__table__, and_(_V.comment_id == _C.id, _V.user_id == bindparam("viewer_id")))
    return query


def _row(r) -> ShownComment:
    if r[24] is not None:  # recorded on behalf of someone outside the platform: the author as given
        recorded = _Recorded(r[24], r[25], r[26], r[33])
        author = Author(r[9], r[27] or "", None, "", offline.marker(recorded), offline.event_url(recorded))
    else:
        author = Author(r[9], r[21], r[22], r[23]) if r[21] is not None else None
    return ShownComment(*r[:20], version_number=r[20], author=author, mine=r[28], amendment=r[29],
                        proposed_text=r[30], base_text=r[31], adopted_at=r[32])


@dataclass(slots=True)
class _Recorded:
    source: str
    source_label: str | None
    source_date: object
    event_id: int | None


def _filters(params_shape: tuple) -> list:
    """The reader's filters as bind parameters (the statements are cached per shape), written once in
    discussion.service.comment_filters."""
    alignment, organisation, round_id = params_shape
    return service.comment_filters(alignment=bindparam("alignment") if alignment else None,
                                   organisation=bindparam("organisation") if organisation else None,
                                   round_id=bindparam("round_id") if round_id else None)


def _order(sort: str, by_position: bool) -> list:
    if sort == "paragraph" and by_position:
        position = (select(_P.position).where(_P.version_id == _C.section_version_id,
                                              _P.anchor == _C.paragraph_anchor).scalar_subquery())
        return [func.coalesce(position, 0), _C.created_at, _C.id]
    if sort == "top":
        return [(_C.up_count - _C.down_count).desc(), _C.created_at.desc(), _C.id.desc()]
    if sort == "paragraph":
        return [_C.paragraph_anchor.is_(None), _C.paragraph_anchor, _C.created_at, _C.id]
    return [_C.created_at.desc(), _C.id.desc()]


def _sort_key(sort: str, positions: dict[str, int] | None):
    """The same order as _order, for the few rows of one page (a union does not keep the order of its parts)."""
    if sort == "paragraph" and positions:
        return lambda c: (positions.get(c.paragraph_anchor, 0), c.created_at, c.id)
    if sort == "top":
        return lambda c: (-(c.up_count - c.down_count), -c.created_at.timestamp(), -c.id)
    if sort == "paragraph":
        return lambda c: (c.paragraph_anchor is None, c.paragraph_anchor or "", c.created_at, c.id)
    return lambda c: (-c.created_at.timestamp(), -c.id)


def _threads(filters: tuple, paragraph: bool) -> tuple[list, list, list]:
    """The reader's filters, and the conditions of the shown version's threads and of the earlier versions'."""
    where = _filters(filters)
    roots = [_C.section_version_id == bindparam("version_id"), _C.parent_id.is_(None), *where]
    if paragraph:
        roots.append(_C.paragraph_anchor == bindparam("paragraph"))
    old = [_C.section_id == bindparam("section_id"), _C.section_version_id != bindparam("version_id"),
           _C.parent_id.is_(None), *where]
    return where, roots, old


@lru_cache(maxsize=256)
def _counts_statement(filters: tuple, paragraph: bool, earlier: bool, viewer: bool):
    """The counts of one page, built once per shape with bound parameters. With `earlier`, the earlier versions'
    comments per (version, paragraph): visible ones (for the margin) and threads matching the filters."""
    where, roots, old = _threads(filters, paragraph)
    visible = and_(_C.hidden_at.is_(None), _C.withdrawn_at.is_(None), _C.erased.is_(False))
    # A union's parts have the same columns (version number, version id, threads), typed: PostgreSQL reads an
    # untyped NULL in the first part as text.
    pad = (cast(null(), Integer), cast(null(), Integer), cast(null(), Integer))
    parts = [
        select(literal_column("'m'").label("kind"), _C.paragraph_anchor, func.count(), *pad).where(
            _C.section_version_id == bindparam("version_id"), _C.paragraph_anchor.is_not(None), visible)
        .group_by(_C.paragraph_anchor),
        select(literal_column("'total'"), null(), func.count(), *pad).where(*roots),
        select(literal_column("'up'"), null(), func.count(), *pad).where(
            _V.section_version_id == bindparam("version_id"), _V.value == 1),
        select(literal_column("'down'"), null(), func.count(), *pad).where(
            _V.section_version_id == bindparam("version_id"), _V.value == -1)]
    if earlier:
        parts.append(select(literal_column("'earlier'"), null(), func.count(), *pad).where(*old))
        threads = and_(_C.parent_id.is_(None), *where)
        parts.append(
            select(literal_column("'e'"), _C.paragraph_anchor, func.sum(case((visible, 1), else_=0)), _SV.number,
                   _C.section_version_id, func.sum(case((threads, 1), else_=0)))
            .select_from(Comment.__table__).join(SectionVersion.__table__, _SV.id == _C.section_version_id)
            .where(_C.section_id == bindparam("section_id"), _C.section_version_id != bindparam("version_id"),
                   _C.paragraph_anchor.is_not(None))
            .group_by(_SV.number, _C.section_version_id, _C.paragraph_anchor))
    if viewer:
        parts.append(select(literal_column("'mine'"), null(), _V.value, *pad).where(
            _V.user_id == bindparam("viewer_id"), _V.section_version_id == bindparam("version_id")))
    return union_all(*parts)


@lru_cache(maxsize=256)
def _comments_statement(sort: str, filters: tuple, paragraph: bool, earlier: str | None, viewer: bool,
                        by_position: bool):
    """The comments of one page; `earlier` is None, "all" (the earlier versions' threads) or "pairs" (only
    those on the given (version id, paragraph) pairs: what became the paragraph shown)."""
    _where, roots, old = _threads(filters, paragraph)
    order = _order(sort, by_position)
    pages = [select(_C.id).where(*roots).order_by(*order).limit(bindparam("limit")).offset(bindparam("offset"))
             .subquery("page")]
    if earlier:
        if earlier == "pairs":
            old.append(tuple_(_C.section_version_id, _C.paragraph_anchor).in_(bindparam("pairs", expanding=True)))
        pages.append(select(_C.id).where(*old).order_by(*_order(sort, False)).limit(EARLIER_LIMIT)
                     .subquery("earlier"))
    shown = union_all(*(select(p.c.id) for p in pages)).cte("shown")
    replies = (_shown_select(viewer).where(_C.root_id.in_(select(shown.c.id)))
               .order_by(_C.created_at, _C.id).limit(REPLY_LIMIT).subquery("replies"))
    return union_all(_shown_select(viewer).where(_C.id.in_(select(shown.c.id))), select(*replies.c))


def _values(section_id: int, version_id: int, params: Params, viewer: User | None) -> dict:
    return {"version_id": version_id, "section_id": section_id, "paragraph": params.paragraph,
            "alignment": params.alignment, "organisation": params.organisation, "round_id": params.round_id,
            "viewer_id": viewer.id if viewer else None, "limit": PER_PAGE, "offset": (params.page - 1) * PER_PAGE}


def _shape(params: Params) -> tuple:
    return tuple(bool(x) for x in (params.alignment, params.organisation, params.round_id))


def load_counts(session: Session, *, section_id: int, version_id: int, params: Params, earlier: bool,
                viewer: User | None) -> dict:
    """One query: the margin ("m"), totals, version votes, the viewer's vote and (earlier) the earlier versions'
    comments per paragraph ("e": {(version number, version id, anchor): (visible, threads)})."""
    statement = _counts_statement(_shape(params), bool(params.paragraph), earlier, viewer is not None)
    counts: dict = {"m": {}, "e": {}}
    for kind, anchor, n, number, vid, threads in session.connection().execute(
            statement, _values(section_id, version_id, params, viewer)):
        if kind == "m":
            counts["m"][anchor] = n
        elif kind == "e":
            counts["e"][(number, vid, anchor)] = (int(n or 0), int(threads or 0))
        else:
            counts[kind] = n
    return counts


def load_comments(session: Session, *, section_id: int, version_id: int, params: Params, earlier: bool,
                  viewer: User | None, positions: dict[str, int],
                  pairs: list[tuple[int, str]] | None = None) -> tuple[list, list, list]:
    """One query: (roots in order, earlier versions' roots in order, replies by date). With `pairs`, the earlier
    roots are only those on these (version id, anchor) pairs."""
    mode = ("pairs" if pairs is not None else "all") if earlier else None
    statement = _comments_statement(params.sort, _shape(params), bool(params.paragraph), mode, viewer is not None,
                                    bool(positions))
    values = _values(section_id, version_id, params, viewer)
    if pairs is not None:
        values["pairs"] = pairs
    roots, old, replies = [], [], []
    for r in session.connection().execute(statement, values):
        c = _row(r)
        if c.parent_id is not None:
            replies.append(c)
        elif c.section_version_id == version_id:
            roots.append(c)
        else:
            old.append(c)
    roots.sort(key=_sort_key(params.sort, positions))
    old.sort(key=_sort_key(params.sort, None))
    replies.sort(key=lambda c: (c.created_at, c.id))
    return roots, old, replies


@dataclass(slots=True)
class Tally:
    """A comment's votes for the vote widget (the attributes of VoteCounts): an object, not a dict, because a
    template reads a dict's keys only after a failed attribute lookup, which per comment adds up."""
    target: str
    target_id: int
    up: int
    down: int
    mine: int | None


@dataclass
class Node:
    comment: ShownComment
    out: CommentOut
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

    @property
    def votes(self) -> Tally:
        return Tally(VoteTarget.comment.value, self.out.id, self.out.up, self.out.down, self.out.mine)


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
    focus: int | None = None  # after an htmx write: the comment that gets the focus (else the message does)
    may_record: bool = False  # lead and facilitators record contributions from outside the platform
    marked: dict = field(default_factory=dict)  # paragraph anchor → its HTML with the shown quotes <mark>ed
    quote_marks: dict = field(default_factory=dict)  # comment id → id of the <mark> of its quote
    may_adopt: bool = False  # the lead may take Änderungsvorschläge into the draft

    def show_focus_on(self, comment_id: int) -> None:
        """Give the focus after a swap to this comment, if the page shows it."""
        self.focus = comment_id if _shows([*self.threads, *(n for g in self.earlier for n in g.threads)],
                                          comment_id) else None


def _shows(nodes: list["Node"], comment_id: int) -> bool:
    return any(n.comment.id == comment_id or _shows(n.children, comment_id) for n in nodes)


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
    earlier = is_current and version.number > 1
    counts = load_counts(session, section_id=section.id, version_id=version.id, params=params, earlier=earlier,
                         viewer=user)
    # The earlier versions' discussion belongs to the paragraphs it is about, as they read now: it counts in their
    # margin and shows in their thread, with its marker (changed since, removed).
    carried = counts["e"]
    fates = sources.paragraph_fates(session, section_id=section.id, pairs={(n, a) for n, _v, a in carried},
                                    to_number=version.number)
    # where each (version number, version id, anchor) is now; None: removed
    now_at = {key: fates.get((key[0], key[2]), ("removed", None))[1] for key in carried}
    margin = dict(counts["m"])
    for key, (visible, _count) in carried.items():
        if visible and now_at[key] in positions:
            margin[now_at[key]] = margin.get(now_at[key], 0) + visible
    pairs = None
    earlier_total = counts.get("earlier", 0)
    if earlier and params.paragraph:
        on_paragraph = [key for key in carried if now_at[key] == params.paragraph]
        pairs = [(vid, anchor) for _n, vid, anchor in on_paragraph]
        earlier_total = sum(carried[key][1] for key in on_paragraph)
        earlier = bool(pairs)
    roots, earlier_roots, replies = load_comments(
        session, section_id=section.id, version_id=version.id, params=params, earlier=earlier, viewer=user,
        positions=positions if params.sort == "paragraph" else {}, pairs=pairs)
    total = counts.get("total", 0)
    edit_seconds = int(service.EDIT_WINDOW.total_seconds())

    def node(c: ShownComment) -> Node:
        out = _out(c, user)
        visible = out.status == "visible"
        current = c.section_version_id == version.id
        return Node(comment=c, out=out, current_anchor=c.paragraph_anchor if current else None,
                    may_edit=policy.may_edit(user, c, now, edit_seconds),
                    may_withdraw=visible and policy.may_withdraw(user, c),
                    may_hide=visible and policy.may_hide(user, c),
                    may_reply=may_reply and visible and current,
                    may_vote=may_vote and visible and current and not (user is not None and c.author_id == user.id))

    nodes = {c.id: node(c) for c in roots + earlier_roots}
    _tree(list(nodes.values()), replies, node)

    groups: list[VersionGroup] = []
    if earlier_roots:
        by_number: dict[int, list[Node]] = {}
        for c in earlier_roots:
            number = c.version_number
            n = nodes[c.id]
            if c.paragraph_anchor:
                fate, n.current_anchor = fates.get((number, c.paragraph_anchor), ("unchanged", c.paragraph_anchor))
                n.marker = {"changed": f"changed:{number}", "removed": "removed"}.get(fate)
            by_number.setdefault(number, []).append(n)
        groups = [VersionGroup(number=k, threads=by_number[k]) for k in sorted(by_number, reverse=True)]

    # The quotes of the comments shown, marked in the paragraphs as they read in this version.
    shown_nodes = [nodes[c.id] for c in roots + earlier_roots]
    marked, quote_marks = quotes.mark_all(
        {p.anchor: p.html for p in paragraphs},
        [(n.comment.id, n.current_anchor, n.out.quote) for n in shown_nodes
         if n.out.quote and n.current_anchor and n.marker is None])

    version_votes = {"target": VoteTarget.section_version.value, "target_id": version.id, "up": counts.get("up", 0),
                     "down": counts.get("down", 0), "mine": counts.get("mine")}
    return Discussion(
        section_id=section.id, version_id=version.id, version_number=version.number, is_current=is_current,
        params=params, open_rounds=open_rounds, next_round=coming[0] if coming else None,
        audience_labels=rounds_policy.AUDIENCE_LABELS, may_comment=may_comment, may_reply=may_reply,
        may_record=is_current and offline.can_record(user),
        refusal=refusal.message if refusal else None, refusal_status=refusal.status if refusal else None,
        margin=margin, paragraphs=paragraphs, threads=[nodes[c.id] for c in roots], total=total,
        pages=max(1, -(-total // PER_PAGE)), earlier=groups, earlier_total=earlier_total,
        version_votes=version_votes, may_vote_version=may_vote, rounds=rounds, positions=positions,
        back_url=(notify.section_url(section.id) if is_current
                  else f"{notify.section_url(section.id)}/fassungen/{version.number}"),
        post_url=f"{notify.section_url(section.id)}/beitraege",
        values={"paragraph": params.paragraph} if params.paragraph in positions else {},
        marked=marked, quote_marks=quote_marks, may_adopt=is_current and documents_policy.can_edit_document(user))


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
    focus: int | None = None

    def show_focus_on(self, comment_id: int) -> None:
        self.focus = comment_id if _shows(self.threads, comment_id) else None


def _tree(roots: list[Node], replies: list, make) -> None:
    """Hang replies under their parents, nesting at most SHOWN_DEPTH levels deep. (Which node holds a reply is
    kept here, not on the node: a tree without links back up is freed at once, not by the garbage collector.)"""
    nodes = {n.comment.id: n for n in roots}
    hosts: dict[int, Node] = {}  # comment id → the node whose children list holds it
    for c in replies:
        parent = nodes.get(c.parent_id) or nodes.get(c.root_id)
        if parent is None:
            continue
        n = make(c)
        host = parent if parent.level < service.SHOWN_DEPTH else hosts.get(parent.comment.id, parent)
        n.level = min(parent.level + 1, service.SHOWN_DEPTH)
        if parent.level >= service.SHOWN_DEPTH:
            n.reply_to = parent.out.author.display_name if parent.out.author else None
        hosts[c.id] = host
        host.children.append(n)
        nodes[c.id] = n


@lru_cache(maxsize=4)
def _idea_statements(viewer: bool):
    roots = [_C.idea_id == bindparam("idea_id"), _C.parent_id.is_(None)]
    page = (select(_C.id).where(*roots).order_by(_C.created_at, _C.id).limit(bindparam("limit"))
            .offset(bindparam("offset")).subquery("page"))
    shown = select(page.c.id).cte("shown")
    replies = (_shown_select(viewer).where(_C.root_id.in_(select(shown.c.id)))
               .order_by(_C.created_at, _C.id).limit(REPLY_LIMIT).subquery("replies"))
    return (select(func.count()).where(*roots),
            union_all(_shown_select(viewer).where(_C.id.in_(select(shown.c.id))), select(*replies.c)))


def build_idea(session: Session, *, idea, user: User | None, page: int = 1,
               now: datetime | None = None) -> IdeaDiscussion:
    """An idea's comments (oldest first, threaded, paginated) and its support."""
    now = now or utcnow()
    refusal = policy.idea_comment_refusal(user, idea, now)
    may = refusal is None
    total_q, comments_q = _idea_statements(user is not None)
    values = {"idea_id": idea.id, "viewer_id": user.id if user else None, "limit": PER_PAGE,
              "offset": (page - 1) * PER_PAGE}
    connection = session.connection()
    total = connection.execute(total_q, values).scalar_one()
    rows = [_row(r) for r in connection.execute(comments_q, values)] if total else []
    roots = sorted((c for c in rows if c.parent_id is None), key=lambda c: (c.created_at, c.id))
    replies = sorted((c for c in rows if c.parent_id is not None), key=lambda c: (c.created_at, c.id))
    edit_seconds = int(service.EDIT_WINDOW.total_seconds())

    def make(c: ShownComment) -> Node:
        out = _out(c, user)
        visible = out.status == "visible"
        return Node(comment=c, out=out, may_edit=policy.may_edit(user, c, now, edit_seconds),
                    may_withdraw=visible and policy.may_withdraw(user, c),
                    may_hide=visible and policy.may_hide(user, c), may_reply=may and visible,
                    may_vote=may and visible and not (user is not None and c.author_id == user.id))

    threads = [make(c) for c in roots]
    _tree(threads, replies, make)
    support = votes.counts(session, target=VoteTarget.idea, target_id=idea.id, user=user)
    return IdeaDiscussion(idea_id=idea.id, threads=threads, total=total, page=page,
                          pages=max(1, -(-total // PER_PAGE)), support=support, may_comment=may,
                          refusal=refusal.message if refusal else None, back_url=f"/ideen/{idea.id}",
                          post_url=f"/ideen/{idea.id}/beitraege")
