"""Participation reports per round and overall: who took part, where, on what, when, and what was answered.

Hidden and withdrawn contributions never count. Every figure comes from grouped queries; only the days
are bucketed in Python (in Europe/Berlin), reading one timestamp column in batches.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.accounts.models import ORGANISATION_KIND_LABELS, ROLE_LABELS, User
from app.discussion.models import Comment
from app.documents import service as documents
from app.documents.models import Paragraph, SectionVersion
from app.events.models import Event
from app.exports.abwaegung import neutralise
from app.ideas import offline
from app.ideas import service as ideas_service
from app.ideas.models import Idea
from app.quartiere import service as quartiere
from app.quartiere.models import Quarter
from app.responses import service as responses
from app.responses import workbench
from app.responses.models import STATUS_LABELS, Response
from app.rounds import service as rounds
from app.rounds.models import Round
from app.web import i18n
from app.web.i18n import BERLIN
from app.web.i18n import gettext as _

TOP = 10
CHART_WIDTH = 640
ROW = 40


@dataclass
class Bar:
    key: str
    label: str
    count: int
    width: float = 0
    y: float = 0


@dataclass
class Chart:
    id: str
    title: str
    description: str
    unit: str
    bars: list[Bar]
    height: float = 0
    scale_max: int = 0

    @property
    def total(self) -> int:
        return sum(b.count for b in self.bars)

    def as_list(self) -> list[dict]:
        return [{"key": b.key, "label": b.label, "count": b.count} for b in self.bars]


def chart(id: str, title: str, description: str, rows: list[tuple[str, str, int]], unit: str) -> Chart:
    """Bars with their geometry: label above, bar below, scaled to the largest count."""
    top = max((n for _k, _l, n in rows), default=0)
    bars = []
    for i, (key, label, count) in enumerate(rows):
        width = 0 if top == 0 else max(2.0, (CHART_WIDTH - 80) * count / top) if count else 0
        bars.append(Bar(key=str(key), label=label, count=count, width=round(width, 1), y=i * ROW))
    return Chart(id=id, title=title, description=description, unit=unit, bars=bars,
                 height=max(ROW, len(bars) * ROW), scale_max=top)


@dataclass
class Report:
    round: Round | None
    rounds: list[Round]
    comments: int
    ideas: int
    people: int
    answered: int
    answerable: int
    charts: list[Chart] = field(default_factory=list)
    district_counts: dict[int, int] = field(default_factory=dict)

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.answerable) if self.answerable else 0

    def chart(self, id: str) -> Chart:
        return next(c for c in self.charts if c.id == id)

    def as_dict(self) -> dict:
        return {"round": {"id": self.round.id, "title": self.round.title} if self.round else None,
                "contributions": {"comments": self.comments, "ideas": self.ideas, "total": self.comments + self.ideas},
                "participants": self.people,
                "responses": {"answered": self.answered, "total": self.answerable, "percent": self.percent},
                **{c.id: c.as_list() for c in self.charts}}


def _comment_where(round_id: int | None) -> list:
    where = [Comment.hidden_at.is_(None), Comment.withdrawn_at.is_(None)]
    if round_id is not None:
        where.append(Comment.round_id == round_id)
    return where


def _idea_where(round_id: int | None) -> list:
    return responses.idea_conditions(round_id=round_id, include_hidden=False)


def _grouped(session: Session, column, round_id: int | None) -> dict:
    """{value: count} over comments and ideas together, grouped by a column of the author (User). Contributions
    recorded from outside the platform have no author account (their recorder is none): not counted here."""
    result: dict = {}
    for query in (select(column, func.count()).select_from(Comment).join(User, User.id == Comment.author_id)
                  .where(*_comment_where(round_id), Comment.source.is_(None)).group_by(column),
                  select(column, func.count()).select_from(Idea).join(User, User.id == Idea.author_id)
                  .where(*_idea_where(round_id), Idea.source.is_(None)).group_by(column)):
        for value, count in session.exec(query).all():
            result[value] = result.get(value, 0) + count
    return result


def _days(session: Session, round_id: int | None) -> list[tuple[str, str, int]]:
    counts: dict[date, int] = {}
    for query in (select(Comment.created_at).where(*_comment_where(round_id)),
                  select(Idea.created_at).where(*_idea_where(round_id))):
        for partition in session.exec(query.execution_options(yield_per=2000)).partitions():
            for created in partition:
                day = created.astimezone(BERLIN).date()
                counts[day] = counts.get(day, 0) + 1
    return [(d.isoformat(), i18n.format_date(d, "medium"), counts[d]) for d in sorted(counts)]


def _sections(session: Session, round_id: int | None) -> list[tuple[str, str, int]]:
    rows = session.exec(select(Comment.section_id, func.count()).where(*_comment_where(round_id),
                                                                        Comment.section_id.is_not(None))
                        .group_by(Comment.section_id).order_by(func.count().desc(), Comment.section_id)
                        .limit(TOP)).all()
    labels = {c.id: f"{c.label} {c.title}".strip() for c in documents.list_sections(session)} if rows else {}
    return [(str(sid), labels.get(sid, str(sid)), n) for sid, n in rows]


def _paragraphs(session: Session, round_id: int | None) -> list[tuple[str, str, int]]:
    rows = session.exec(
        select(Comment.section_version_id, Comment.paragraph_anchor, func.count())
        .where(*_comment_where(round_id), Comment.paragraph_anchor.is_not(None))
        .group_by(Comment.section_version_id, Comment.paragraph_anchor)
        .order_by(func.count().desc(), Comment.section_version_id, Comment.paragraph_anchor).limit(TOP)).all()
    if not rows:
        return []
    versions = {v.id: v for v in session.exec(select(SectionVersion).where(
        col(SectionVersion.id).in_({r[0] for r in rows})))}
    positions = {(p.version_id, p.anchor): p.position for p in session.exec(
        select(Paragraph).where(col(Paragraph.version_id).in_(set(versions))))}
    labels = {c.id: c.label for c in documents.list_sections(session)}
    result = []
    for vid, anchor, n in rows:
        v = versions.get(vid)
        label = _("Abschnitt {s}, Fassung {v}, Absatz {p}").format(
            s=labels.get(v.section_id, "?") if v else "?", v=v.number if v else "?",
            p=positions.get((vid, anchor), anchor))
        result.append((f"{vid}:{anchor}", label, n))
    return result


def _statuses(session: Session, round_id: int | None) -> list[tuple[str, str, int]]:
    counts: dict[str, int] = {}
    queries = (
        select(Response.status, func.count()).join(Comment, Comment.id == Response.comment_id)
        .join(User, User.id == Comment.author_id)
        .where(Response.is_current.is_(True), Comment.round_id.is_not(None),
               *responses.comment_conditions(round_id=round_id, include_hidden=False)).group_by(Response.status),
        select(Response.status, func.count()).join(Idea, Idea.id == Response.idea_id)
        .where(Response.is_current.is_(True), Idea.round_id.is_not(None), *_idea_where(round_id))
        .group_by(Response.status))
    for query in queries:
        for status, n in session.exec(query).all():
            counts[status] = counts.get(status, 0) + n
    return [(k, _(v), counts.get(k, 0)) for k, v in STATUS_LABELS.items()]


def _sources(session: Session, round_id: int | None) -> list[tuple[str, str, int]]:
    """Beiträge nach Beteiligungsweg: online, and each way contributions are recorded from outside the platform."""
    counts: dict[str, int] = {}
    for query in (select(Comment.source, func.count()).where(*_comment_where(round_id)).group_by(Comment.source),
                  select(Idea.source, func.count()).where(*_idea_where(round_id)).group_by(Idea.source)):
        for source, n in session.exec(query).all():
            key = source or offline.ONLINE
            counts[key] = counts.get(key, 0) + n
    return [(k, _(v), counts.get(k, 0)) for k, v in offline.SOURCE_LABELS.items()]


def _events(session: Session, round_id: int | None) -> list[tuple[str, str, int]]:
    """Beiträge nach Werkstatt: the contributions recorded from each Werkstatt of the platform (those with any),
    then those from a Werkstatt given only by name (recorded before events were chosen, or held elsewhere)."""
    counts: dict[int | None, int] = {}
    for model, where in ((Comment, _comment_where(round_id)), (Idea, _idea_where(round_id))):
        query = (select(model.event_id, func.count()).where(*where, model.source == offline.Source.werkstatt.value)
                 .group_by(model.event_id))
        for event_id, n in session.exec(query).all():
            counts[event_id] = counts.get(event_id, 0) + n
    ids = [i for i in counts if i is not None]
    events = session.exec(select(Event).where(col(Event.id).in_(ids))
                          .order_by(Event.starts_at, Event.id)).all() if ids else []
    rows = [(str(e.id), _("{title} ({place}, {day})").format(
        title=e.title, place=offline.event_place(session, e), day=e.starts_at.astimezone(BERLIN).strftime("%d.%m.%Y")),
        counts[e.id]) for e in events]
    if counts.get(None):
        rows.append(("", _("Werkstatt ohne Termin auf der Plattform"), counts[None]))
    return rows


def district_counts(session: Session, round_id: int | None) -> dict[int, int]:
    return dict(session.exec(select(Quarter.district_id, func.count()).join(Idea, Idea.quarter_id == Quarter.id)
                             .where(*_idea_where(round_id)).group_by(Quarter.district_id)).all())


def participation(session: Session, *, round_id: int | None = None) -> Report:
    round_ = rounds.get_round(session, round_id) if round_id is not None else None
    comments = session.exec(select(func.count()).select_from(Comment).where(*_comment_where(round_id))).one()
    ideas = session.exec(select(func.count()).select_from(Idea).where(*_idea_where(round_id))).one()
    people = len(set(session.exec(select(Comment.author_id).where(*_comment_where(round_id), Comment.source.is_(None))
                                  .distinct()).all())
                 | set(session.exec(select(Idea.author_id).where(*_idea_where(round_id), Idea.source.is_(None))
                                    .distinct()).all()))
    answered, answerable = workbench.progress(session, round_id=round_id)
    roles = _grouped(session, User.role, round_id)
    kinds = _grouped(session, User.organisation_kind, round_id)
    per_district = district_counts(session, round_id)
    districts = quartiere.list_districts(session)
    categories = dict(session.exec(select(Idea.category, func.count()).where(*_idea_where(round_id))
                                   .group_by(Idea.category)).all())
    unit = _("Beiträge")
    charts = [
        chart("by_role", _("Beiträge nach Rolle"), _("Kommentare und Ideen zusammen, nach der Rolle der Person."),
              [(k, _(v), roles.get(k, 0)) for k, v in ROLE_LABELS.items()], unit),
        chart("by_source", _("Beiträge nach Beteiligungsweg"),
              _("Kommentare und Ideen: online eingereicht, oder aus Werkstätten, Briefen, E-Mails, Telefonaten und "
                "Infoständen von der Projektleitung oder der Moderation vor Ort erfasst."),
              _sources(session, round_id), unit),
        chart("by_event", _("Beiträge nach Werkstatt"),
              _("Kommentare und Ideen, die die Projektleitung oder die Moderation vor Ort aus einer Werkstatt "
                "erfasst hat, nach der Werkstatt."), _events(session, round_id), unit),
        chart("by_organisation_kind", _("Beiträge nach Art der Organisation"),
              _("Kommentare und Ideen, nach der Art der Organisation der Expert*innen; ohne Angabe: Bürger*innen "
                "und Personen ohne Organisation."),
              [(k, _(v), kinds.get(k, 0)) for k, v in ORGANISATION_KIND_LABELS.items()]
              + [("", _("ohne Angabe"), kinds.get(None, 0))], unit),
        chart("by_district", _("Ideen nach Stadtbezirk"), _("Ideen der Bürger*innen nach dem Stadtbezirk ihres "
                                                              "Stadtteils."),
              [(str(d.id), d.name, per_district.get(d.id, 0)) for d, _qs in districts], _("Ideen")),
        chart("by_category", _("Ideen nach Themenfeld"), _("Ideen nach der Kategorie, die die Person gewählt hat."),
              [(k, ideas_service.category_label(k), categories.get(k, 0)) for k in ideas_service.CATEGORY_LABELS],
              _("Ideen")),
        chart("by_day", _("Beiträge nach Tag"), _("Kommentare und Ideen nach dem Tag, an dem sie eingingen "
                                                  "(Ortszeit Stuttgart)."), _days(session, round_id), unit),
        chart("by_status", _("Stand der Abwägung"), _("Beantwortete Beiträge nach dem Ergebnis der Stellungnahme."),
              _statuses(session, round_id), unit),
        chart("top_sections", _("Meistdiskutierte Abschnitte"), _("Die Abschnitte mit den meisten Kommentaren."),
              _sections(session, round_id), _("Kommentare")),
        chart("top_paragraphs", _("Meistdiskutierte Absätze"), _("Die Absätze mit den meisten Kommentaren."),
              _paragraphs(session, round_id), _("Kommentare")),
    ]
    all_rounds, _total = rounds.list_rounds(session, page=1, per_page=200)
    return Report(round=round_, rounds=all_rounds, comments=comments, ideas=ideas, people=people, answered=answered,
                  answerable=answerable, charts=charts, district_counts=per_district)


def csv_rows(report: Report) -> list[list]:
    """Long format: one row per figure (Auswertung; Schlüssel; Bezeichnung; Anzahl)."""
    rows: list[list] = [["Auswertung", "Schlüssel", "Bezeichnung", "Anzahl"],
                        ["Beiträge", "comments", _("Kommentare"), report.comments],
                        ["Beiträge", "ideas", _("Ideen"), report.ideas],
                        ["Beteiligte", "people", _("Personen"), report.people],
                        ["Abwägung", "answered", _("beantwortet"), report.answered],
                        ["Abwägung", "total", _("zu beantworten"), report.answerable]]
    for c in report.charts:
        rows.extend([c.title, b.key, b.label, b.count] for b in c.bars)
    return [[neutralise(v) for v in row] for row in rows]
