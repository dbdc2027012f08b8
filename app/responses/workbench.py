"""The leads' response workbench: all contributions of a round, unanswered first, filterable, paginated.

Comments and ideas are listed together through one UNION query of (kind, id, answered, created_at), so
filtering, ordering and paging happen in the database; only one page of contributions is loaded.
"""

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

from sqlalchemy import and_, case, false, func, literal, union_all
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.discussion import service as discussion
from app.discussion.models import Comment
from app.discussion.views import ALIGNMENT_LABELS
from app.documents import service as documents
from app.documents.models import Document, Paragraph, SectionVersion
from app.errors import Forbidden
from app.ideas.models import Idea
from app.quartiere.models import District, Quarter
from app.responses import casework, policy, service
from app.responses.models import DRAFT_STATE_LABELS, STATUS_LABELS, Casework, Response
from app.rounds import service as rounds
from app.rounds.models import Round
from app.validation import is_number
from app.web.i18n import gettext as _

PER_PAGE = 50
STATES = {"": "alle (unbeantwortete zuerst)", "open": "nur unbeantwortete", "answered": "nur beantwortete"}


@dataclass
class Filter:
    state: str = ""
    status: str = ""
    kind: str = ""
    section: int | None = None
    paragraph: str = ""
    organisation: str = ""
    alignment: str = ""
    district: int | None = None
    quarter: int | None = None
    unit: str = ""      # a unit's id, or "none": without a unit
    assignee: str = ""  # a lead's id, or "none": nobody assigned
    page: int = 1

    @classmethod
    def parse(cls, query) -> "Filter":
        def number(name: str) -> int | None:
            value = (query.get(name) or "").strip()
            return int(value) if is_number(value) and len(value) < 10 else None

        state = query.get("state", "")
        status = query.get("status", "")
        kind = query.get("kind", "")
        alignment = query.get("alignment", "")
        return cls(state=state if state in STATES else "", status=status if status in STATUS_LABELS else "",
                   kind=kind if kind in ("comment", "idea") else "",
                   section=number("section"), paragraph=(query.get("paragraph") or "").strip()[:16],
                   organisation=(query.get("organisation") or "").strip()[:160],
                   alignment=alignment if alignment in ALIGNMENT_LABELS else "",
                   district=number("district"), quarter=number("quarter"),
                   unit=_choice(query.get("unit")), assignee=_choice(query.get("assignee")),
                   page=max(1, min(number("page") or 1, 10_000)))

    def query(self, **changes) -> str:
        values = {**self.__dict__, **changes}
        return urlencode({k: v for k, v in values.items() if v not in (None, "") and not (k == "page" and v == 1)})


def _choice(value: str | None) -> str:
    value = (value or "").strip()
    return value if value == "none" or (is_number(value) and len(value) < 10) else ""


def _case_filters(f: Filter, column) -> list:
    """Conditions of the unit and assignee filters; `column` is Casework.comment_id == Comment.id or the idea's."""
    where = []
    for value, field_ in ((f.unit, Casework.unit_id), (f.assignee, Casework.assignee_id)):
        if value == "none":
            where.append(~select(Casework.id).where(column, field_.is_not(None)).exists())
        elif value:
            where.append(select(Casework.id).where(column, field_ == int(value)).exists())
    return where


@dataclass
class Item:
    kind: str
    id: int
    created_at: datetime
    author: str
    text: str
    html: str
    hidden: bool
    section_label: str = ""
    section_id: int | None = None
    version_number: int | None = None
    paragraph: int | None = None
    quote: str | None = None
    alignment: str | None = None
    up: int = 0
    down: int = 0
    place: str = ""
    title: str = ""
    response: service.Shown | None = None
    case: casework.CaseInfo | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass
class Workbench:
    round: Round
    filter: Filter
    items: list[Item]
    total: int
    answered: int
    answerable: int
    sections: list[tuple[int, str]]
    organisations: list[str]
    districts: list[District]
    quarters: list[Quarter]
    versions: list[tuple[int, str]]
    paragraphs: list[tuple[str, str]] = field(default_factory=list)
    units: list = field(default_factory=list)
    leads: list = field(default_factory=list)
    unit_progress: list = field(default_factory=list)
    draft_labels: dict = field(default_factory=lambda: DRAFT_STATE_LABELS)
    status_labels: dict = field(default_factory=lambda: STATUS_LABELS)
    alignment_labels: dict = field(default_factory=lambda: ALIGNMENT_LABELS)
    states: dict = field(default_factory=lambda: STATES)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.answerable) if self.answerable else 100


def _answered_comment():
    return select(Response.id).where(Response.comment_id == Comment.id, Response.is_current.is_(True)).exists()


def _answered_idea():
    return select(Response.id).where(Response.idea_id == Idea.id, Response.is_current.is_(True)).exists()


def _status_filter(column, status: str):
    return select(Response.id).where(column, Response.is_current.is_(True), Response.status == status).exists()


def _comment_query(round_id: int, f: Filter, include_hidden: bool):
    answered = _answered_comment()
    where = [*service.comment_conditions(round_id=round_id, include_hidden=include_hidden)]
    if f.kind == "idea" or f.district or f.quarter:
        where.append(false())
    where += discussion.comment_filters(section_id=f.section or None, paragraph=f.paragraph,
                                        organisation=f.organisation, alignment=f.alignment)
    if f.state == "open":
        where.append(~answered)
    elif f.state == "answered":
        where.append(answered)
    if f.status:
        where.append(_status_filter(Response.comment_id == Comment.id, f.status))
    where += _case_filters(f, Casework.comment_id == Comment.id)
    return (select(literal("comment").label("kind"), Comment.id.label("id"),
                   case((answered, 1), else_=0).label("answered"), Comment.created_at.label("created_at"))
            .join(User, User.id == Comment.author_id).where(*where))


def _idea_query(round_id: int, f: Filter, include_hidden: bool):
    answered = _answered_idea()
    where = [*service.idea_conditions(round_id=round_id, include_hidden=include_hidden)]
    if f.kind == "comment" or f.paragraph or f.alignment:
        where.append(false())
    if f.section:
        where.append(Idea.section_id == f.section)
    if f.organisation:
        where.append(User.organisation == f.organisation)
    if f.quarter:
        where.append(Idea.quarter_id == f.quarter)
    elif f.district:
        where.append(Quarter.district_id == f.district)
    if f.state == "open":
        where.append(~answered)
    elif f.state == "answered":
        where.append(answered)
    if f.status:
        where.append(_status_filter(Response.idea_id == Idea.id, f.status))
    where += _case_filters(f, Casework.idea_id == Idea.id)
    return (select(literal("idea").label("kind"), Idea.id.label("id"), case((answered, 1), else_=0).label("answered"),
                   Idea.created_at.label("created_at"))
            .join(User, User.id == Idea.author_id).join(Quarter, Quarter.id == Idea.quarter_id).where(*where))


def progress(session: Session, *, round_id: int | None) -> tuple[int, int]:
    """(answered, answerable) over the visible contributions of a round (or all rounds)."""
    comments = (select(func.count(), func.count(Response.id)).select_from(Comment)
                .join(User, User.id == Comment.author_id)
                .outerjoin(Response, and_(Response.comment_id == Comment.id, Response.is_current.is_(True)))
                .where(*service.comment_conditions(round_id=round_id, include_hidden=False),
                       Comment.round_id.is_not(None)))
    ideas = (select(func.count(), func.count(Response.id)).select_from(Idea)
             .outerjoin(Response, and_(Response.idea_id == Idea.id, Response.is_current.is_(True)))
             .where(*service.idea_conditions(round_id=round_id, include_hidden=False), Idea.round_id.is_not(None)))
    c_total, c_answered = session.exec(comments).one()
    i_total, i_answered = session.exec(ideas).one()
    return c_answered + i_answered, c_total + i_total


def _load(session: Session, keys: list[tuple[str, int]], section_labels: dict[int, str]) -> list[Item]:
    comment_ids = [i for k, i in keys if k == "comment"]
    idea_ids = [i for k, i in keys if k == "idea"]
    comments = {c.id: c for c in session.exec(select(Comment).where(col(Comment.id).in_(comment_ids)))} \
        if comment_ids else {}
    ideas = {i.id: i for i in session.exec(select(Idea).where(col(Idea.id).in_(idea_ids)))} if idea_ids else {}
    people_ids = {c.author_id for c in comments.values()} | {i.author_id for i in ideas.values()}
    people = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(people_ids)))} if people_ids else {}
    version_ids = {c.section_version_id for c in comments.values()}
    versions = {v.id: v for v in session.exec(select(SectionVersion).where(col(SectionVersion.id).in_(version_ids)))} \
        if version_ids else {}
    positions = {(p.version_id, p.anchor): p.position for p in session.exec(
        select(Paragraph).where(col(Paragraph.version_id).in_(version_ids)))} if version_ids else {}
    quarters = {q.id: q for q in session.exec(select(Quarter).where(
        col(Quarter.id).in_({i.quarter_id for i in ideas.values()})))} if ideas else {}
    answers = service.shown(session, service.current_map(session, comment_ids=comment_ids, idea_ids=idea_ids))
    cases = casework.case_map(session, comment_ids=comment_ids, idea_ids=idea_ids)
    items = []
    for kind, target_id in keys:
        if kind == "comment":
            c = comments[target_id]
            v = versions.get(c.section_version_id)
            items.append(Item(
                kind=kind, id=c.id, created_at=c.created_at, author=service.author_label(people.get(c.author_id), c),
                text=c.body, html=c.html if not c.erased else "", hidden=c.hidden_at is not None,
                section_label=section_labels.get(c.section_id, ""), section_id=c.section_id,
                version_number=v.number if v else None,
                paragraph=positions.get((c.section_version_id, c.paragraph_anchor)) if c.paragraph_anchor else None,
                quote=c.quote, alignment=c.alignment, up=c.up_count, down=c.down_count,
                response=answers.get((kind, c.id)), case=cases.get((kind, c.id))))
        else:
            i = ideas[target_id]
            q = quarters.get(i.quarter_id)
            items.append(Item(
                kind=kind, id=i.id, created_at=i.created_at, author=service.author_label(people.get(i.author_id), i),
                text=i.body, html=i.html, hidden=i.hidden_at is not None, title=i.title,
                section_label=section_labels.get(i.section_id, "") if i.section_id else "", section_id=i.section_id,
                up=i.support_count, place=q.name if q else "", response=answers.get((kind, i.id)),
                case=cases.get((kind, i.id))))
    return items


def build(session: Session, *, round_id: int, viewer: User | None, f: Filter) -> Workbench:
    if not policy.can_respond(viewer):
        raise Forbidden(_("Die Abwägung ist Aufgabe der Projektleitung."))
    round_ = rounds.get_round(session, round_id)
    include_hidden = False  # hidden contributions are the moderation's; leads answer what the public sees
    union = union_all(_comment_query(round_id, f, include_hidden), _idea_query(round_id, f, include_hidden)).subquery()
    total = session.exec(select(func.count()).select_from(union)).one()
    rows = session.exec(select(union.c.kind, union.c.id)
                        .order_by(union.c.answered, union.c.created_at, union.c.kind, union.c.id)
                        .offset((f.page - 1) * PER_PAGE).limit(PER_PAGE)).all()
    document = session.get(Document, round_.document_id)
    in_round = set(rounds.section_ids(session, round_id))
    sections = [(c.id, f"{c.label} {c.title}".strip()) for c in documents.list_sections(session, document.slug)
                if c.id in in_round] if document else []
    labels = dict(sections)
    items = _load(session, [(k, i) for k, i in rows], labels)
    answered, answerable = progress(session, round_id=round_id)
    organisations = [o for o in session.exec(
        select(User.organisation).join(Comment, Comment.author_id == User.id)
        .where(Comment.round_id == round_id, User.organisation.is_not(None)).distinct()
        .order_by(User.organisation)).all() if o]
    districts = list(session.exec(select(District).order_by(District.number)).all())
    quarters = list(session.exec(select(Quarter).where(Quarter.district_id == f.district).order_by(Quarter.number))
                    .all()) if f.district else []
    versions = [(v.id, f"{labels.get(v.section_id, '')} – {_('Fassung')} {v.number}") for v in session.exec(
        select(SectionVersion).where(col(SectionVersion.section_id).in_(in_round))
        .order_by(SectionVersion.section_id, col(SectionVersion.number).desc())).all()] if in_round else []
    paragraphs = []
    if f.section and f.section in in_round:
        current = documents.current_version(session, f.section)
        if current is not None:
            paragraphs = [(p.anchor, _("Absatz {n}: {start}…").format(n=p.position, start=p.text[:40]))
                          for p in documents.paragraphs_of(session, current.id)]
    return Workbench(round=round_, filter=f, items=items, total=total, answered=answered, answerable=answerable,
                     sections=sections, organisations=organisations, districts=districts, quarters=quarters,
                     versions=versions, paragraphs=paragraphs, units=casework.list_units(session),
                     leads=casework.leads(session), unit_progress=casework.progress_by_unit(session, round_id=round_id))
