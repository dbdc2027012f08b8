"""Ideas of residents per Stadtteil: submission, one idea with its history, status changes, Meine Daten.

Reading (filters, search, lists, map counts) lives in browse.py; its names are re-exported here so pages
and API call one module.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from app import audit, ratelimit
from app.accounts import policy as accounts_policy
from app.accounts.models import User
from app.db import utcnow
from app.documents.models import Section
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.events.models import Event
from app.ideas import notify, offline, policy
from app.ideas.browse import (  # noqa: F401 - re-exported for pages, API and other domains
    CATEGORY_LABELS,
    MAX_PAGE,
    SORTS,
    STATUS_LABELS,
    Browse,
    Cell,
    IdeaFilter,
    IdeaList,
    IdeaRow,
    PlaceCount,
    Places,
    QuartierIdeas,
    ResolvedFilter,
    browse,
    category_label,
    counts_by_category,
    counts_by_place,
    district_counts,
    filter_choices,
    linked_sections,
    list_ideas,
    located_cells,
    map_counts,
    places,
    quartier_ideas,
    resolve_filter,
    rows_for,
    section_choices,
    section_labels,
    status_label,
)
from app.ideas.models import OPEN_STATUSES, STATUS_TO_RESPONSE, Idea, IdeaEdit, IdeaStatus, IdeaStatusChange
from app.ideas.schemas import IdeaEditIn, IdeaIn, StatusIn
from app.quartiere import service as places_service
from app.quartiere.models import Quarter
from app.rounds import service as rounds_service
from app.rounds.models import Round, RoundState
from app.web import i18n
from app.web.i18n import gettext as _
from app.web.markdown import render as render_markdown

ERASED_TEXT = "Text auf Wunsch der Person entfernt"
WITHDRAWN_TITLE = "Zurückgezogene Idee"
WITHDRAWN_TEXT = "Diese Idee wurde von der Person zurückgezogen, die sie eingereicht hat."
# A final status set on an idea is its Stellungnahme: the responses domain writes it (app/wiring.py), in the same
# transaction: (session, idea, response status, text, actor, now).
FINAL_STATUS_SET: list[Callable[[Session, Idea, str, str, User, datetime], None]] = []
# Submissions per person and hour (module constants, so tests can lower them).
IDEA_RATE_LIMIT = 20
IDEA_RATE_WINDOW = 3600


def _when(value: datetime) -> str:
    return i18n.format_datetime(value)


def _check_section(session: Session, section_id: int | None) -> None:
    section = session.get(Section, section_id) if section_id is not None else None
    if section_id is not None and (section is None or section.current_number == 0):  # unpublished: unknown
        raise Invalid(_("Bitte prüfen Sie Ihre Eingaben."),
                      errors=[("section_id", _("Diesen Abschnitt der Rahmenkonzeption gibt es nicht."))])


# --- submission ----------------------------------------------------------------------------------

@dataclass
class SubmissionState:
    """Whether ideas can be submitted now, and if not, why and when again."""

    round: Round | None
    next_round: Round | None
    allowed: bool
    message: str


def closed_message(next_round: Round | None) -> str:
    if next_round is None:
        return _("Zurzeit läuft keine Beteiligungsrunde, in der Ideen eingereicht werden können. "
                 "Eine neue Runde ist noch nicht angekündigt.")
    return _("Zurzeit läuft keine Beteiligungsrunde, in der Ideen eingereicht werden können. Die nächste "
             "Runde „{title}“ beginnt am {when}.").format(title=next_round.title, when=_when(next_round.opens_at))


def submission_state(session: Session, *, user: User | None) -> SubmissionState:
    current = rounds_service.current_round_for_ideas(session)
    if current is None:
        upcoming = rounds_service.next_round_for_ideas(session)
        return SubmissionState(None, upcoming, False, closed_message(upcoming))
    if user is None:
        return SubmissionState(current, None, False, _("Bitte melden Sie sich an, um eine Idee einzureichen."))
    if accounts_policy.is_blocked(user):
        return SubmissionState(current, None, False, _("Ihr Konto ist vorübergehend gesperrt; Sie können "
                                                       "zurzeit keine Ideen einreichen."))
    if not policy.can_submit_idea(user, current):
        return SubmissionState(current, None, False,
                               _("Ideen reichen Bürger*innen, Expert*innen und die Projektleitung ein; "
                                 "Ihre Rolle ist dafür nicht vorgesehen."))
    return SubmissionState(current, None, True, "")


def _recording_round(session: Session) -> Round | None:
    """The round a recorded idea belongs to: the open one for ideas, else the one that closed last."""
    current = rounds_service.current_round_for_ideas(session)
    if current is not None:
        return current
    now = utcnow()
    begun = [r for r in rounds_service.rounds_for_ideas(session)
             if rounds_service.effective_state(r, now) != RoundState.planned]
    return max(begun, key=lambda r: r.closes_at) if begun else None


def create_idea(session: Session, *, actor: User, data: IdeaIn) -> Idea:
    """Store a new idea in the open round; nothing is stored when any rule fails. With `data.source`: an idea
    recorded by the lead or a facilitator on behalf of someone outside the platform."""
    if data.source is not None:
        refusal = offline.record_refusal(actor)
        if refusal:
            raise refusal
        if data.source.event_id is not None:  # the Werkstatt's round, if ideas may be recorded in it
            now = utcnow()
            begun = offline.begun(rounds_service.rounds_for_ideas(session), now)
            round_ = offline.event_round(session, data.source, begun, now)
        else:
            round_ = _recording_round(session)
        if round_ is None:
            raise Conflict(_("Es gibt keine begonnene Beteiligungsrunde, der die Idee zugeordnet werden kann."))
        state = SubmissionState(round_, None, True, "")
    else:
        state = submission_state(session, user=actor)
    if state.round is None:
        raise Conflict(state.message)
    if not state.allowed:
        raise Forbidden(state.message)
    quarter = session.get(Quarter, data.quarter_id)
    if quarter is None:
        raise Invalid(_("Bitte prüfen Sie Ihre Eingaben."),
                      errors=[("quarter_id", _("Diesen Stadtteil gibt es nicht. Bitte wählen Sie einen "
                                               "Stadtteil aus der Liste."))])
    if data.lat is not None and data.lon is not None:
        places_service.check_point(session, data.lat, data.lon, quarter)
    _check_section(session, data.section_id)
    ratelimit.hit(session, [f"idea:user:{actor.id}"], limit=IDEA_RATE_LIMIT, window_seconds=IDEA_RATE_WINDOW)
    idea = Idea(author_id=actor.id, quarter_id=data.quarter_id, round_id=state.round.id,
                section_id=data.section_id, title=data.title, body=data.body, html=render_markdown(data.body),
                category=data.category.value, lat=data.lat, lon=data.lon, **offline.fields(data.source, actor))
    session.add(idea)
    session.commit()
    return idea


# --- one idea ------------------------------------------------------------------------------------

@dataclass
class HistoryEntry:
    change: IdeaStatusChange
    label: str
    section_label: str
    by: str


@dataclass
class IdeaDetail:
    row: IdeaRow
    section_label: str
    history: list[HistoryEntry]
    adopted_section: str
    recorder: User | None = None  # who recorded it, for ideas from outside the platform

    @property
    def idea(self) -> Idea:
        return self.row.idea


def get_idea(session: Session, *, idea_id: int, viewer: User | None = None) -> Idea:
    idea = session.get(Idea, idea_id)
    if idea is None or not policy.can_see_idea(viewer, idea):
        raise NotFound(_("Diese Idee gibt es nicht."))
    return idea


def idea_detail(session: Session, *, idea_id: int, viewer: User | None = None) -> IdeaDetail:
    idea = get_idea(session, idea_id=idea_id, viewer=viewer)
    row = rows_for(session, [idea])[0]
    changes = session.exec(select(IdeaStatusChange).where(IdeaStatusChange.idea_id == idea.id)
                           .order_by(IdeaStatusChange.changed_at.desc(), IdeaStatusChange.id.desc())).all()
    ids = {c.section_id for c in changes if c.section_id} | ({idea.section_id} if idea.section_id else set())
    labels = section_labels(session, ids) if ids else {}
    by_ids = {c.changed_by_id for c in changes}
    names = dict(session.exec(select(User.id, User.display_name).where(User.id.in_(by_ids))).all()) if by_ids else {}
    history = [HistoryEntry(change=c, label=status_label(c.status), section_label=labels.get(c.section_id, "")
                            if c.section_id else "", by=names.get(c.changed_by_id, "")) for c in changes]
    adopted = ""
    if idea.status == IdeaStatus.adopted.value and history:
        adopted = history[0].section_label
    return IdeaDetail(row=row, section_label=labels.get(idea.section_id, "") if idea.section_id else "",
                      history=history, adopted_section=adopted,
                      recorder=session.get(User, idea.recorded_by_id) if idea.recorded_by_id else None)


def record_status(session: Session, *, idea: Idea, status: str, reason: str, section_id: int | None,
                  actor_id: int | None, now: datetime) -> bool:
    """Set the idea's one status and add it to its history (no commit). False when nothing changed."""
    if (idea.status, idea.status_reason) == (status, reason):
        return False
    idea.status, idea.status_reason = status, reason
    session.add(idea)
    if actor_id is not None:
        session.add(IdeaStatusChange(idea_id=idea.id, status=status, reason=reason, section_id=section_id,
                                     changed_by_id=actor_id, changed_at=now))
    return True


def locked_idea(session: Session, idea_id: int) -> Idea:
    """The idea, its row locked until the transaction ends (FOR UPDATE on PostgreSQL; SQLite writers are
    serialised by BEGIN IMMEDIATE): a decision on what was read is not undone by a concurrent change."""
    idea = session.exec(select(Idea).where(Idea.id == idea_id).with_for_update()
                        .execution_options(populate_existing=True)).first()
    if idea is None:
        raise NotFound(_("Diese Idee gibt es nicht."))
    return idea


def set_status(session: Session, *, actor: User, idea_id: int, data: StatusIn) -> Idea:
    """A lead or moderator sets the status with a written reason; history kept and audited.

    One status (README): "eingegangen" and "in Prüfung" are set while the idea has no Stellungnahme; a final
    status is the Stellungnahme itself (leads only), written by FINAL_STATUS_SET in the same transaction."""
    if not policy.can_set_status(actor):
        raise Forbidden(_("Den Status einer Idee setzen nur Projektleitung und Moderation."))
    get_idea(session, idea_id=idea_id, viewer=actor)
    idea = locked_idea(session, idea_id)
    final = data.status.value not in OPEN_STATUSES
    if final and not policy.can_give_final_status(actor):
        raise Forbidden(_("Eine Entscheidung über eine Idee ist eine Stellungnahme; sie gibt nur die "
                          "Projektleitung."))
    if idea.withdrawn_at is not None:
        raise Conflict(_("Diese Idee wurde zurückgezogen."))
    if not final and idea.status not in OPEN_STATUSES:
        raise Conflict(_("Diese Idee hat bereits eine Stellungnahme; ihr Stand ändert sich nur mit einer neuen "
                         "Stellungnahme."))
    section_id = data.section_id if data.status == IdeaStatus.adopted else None
    if data.status == IdeaStatus.adopted and section_id is None:
        raise Invalid(_("Bitte prüfen Sie Ihre Eingaben."),
                      errors=[("section_id", _("Bitte wählen Sie den Abschnitt, in den die Idee aufgenommen "
                                               "wird."))])
    _check_section(session, section_id)
    old = idea.status
    now = utcnow()
    record_status(session, idea=idea, status=data.status.value, reason=data.reason, section_id=section_id,
                  actor_id=actor.id, now=now)
    if final:
        for hook in FINAL_STATUS_SET:
            hook(session, idea, STATUS_TO_RESPONSE[data.status.value], data.reason, actor, now)
    audit.record(session, actor_id=actor.id, action="idea.status", target_type="idea", target_id=idea.id,
                 summary=f"{old} → {idea.status}" + (f" (Abschnitt {section_id})" if section_id else "")
                 + f": {data.reason}")
    if not final:  # a final status is the Stellungnahme: its response notice tells the author (one mail)
        notify.status_changed(session, idea=idea, old=old, actor=actor)
    session.commit()
    return idea


# --- the author edits or withdraws ------------------------------------------------------------------

def edit_idea(session: Session, *, user: User | None, idea_id: int, data: IdeaEditIn,
              now: datetime | None = None) -> Idea:
    """The author changes title, text and category while nobody has answered the idea; the earlier text is
    kept (IdeaEdit) and the idea is shown as "bearbeitet"."""
    now = now or utcnow()
    get_idea(session, idea_id=idea_id, viewer=user)
    idea = locked_idea(session, idea_id)
    if user is None or idea.author_id != user.id:
        raise Forbidden(_("Nur wer die Idee eingereicht hat, kann sie bearbeiten."))
    if not policy.may_edit_idea(user, idea):
        if idea.withdrawn_at is not None:
            raise Conflict(_("Diese Idee wurde zurückgezogen."))
        if accounts_policy.is_blocked(user):
            raise Forbidden(_("Ihr Konto ist vorübergehend gesperrt."))
        raise Conflict(_("Diese Idee wurde bereits beantwortet oder ist in Prüfung; sie kann nicht mehr "
                         "bearbeitet werden."))
    ratelimit.hit(session, [f"idea:user:{user.id}"], limit=IDEA_RATE_LIMIT, window_seconds=IDEA_RATE_WINDOW)
    session.add(IdeaEdit(idea_id=idea.id, title=idea.title, body=idea.body, category=idea.category, edited_at=now))
    idea.title, idea.body, idea.html = data.title, data.body, render_markdown(data.body)
    idea.category = data.category.value
    idea.edited_at = now
    session.add(idea)
    session.commit()
    return idea


def withdraw_idea(session: Session, *, user: User | None, idea_id: int, now: datetime | None = None) -> Idea:
    """The author withdraws the idea: it leaves lists, map and counts; its page keeps a placeholder."""
    now = now or utcnow()
    get_idea(session, idea_id=idea_id, viewer=user)
    idea = locked_idea(session, idea_id)
    if not policy.may_withdraw_idea(user, idea):
        if user is not None and idea.author_id == user.id and idea.withdrawn_at is not None:
            raise Conflict(_("Diese Idee ist bereits zurückgezogen."))
        raise Forbidden(_("Nur wer die Idee eingereicht hat, kann sie zurückziehen."))
    idea.withdrawn_at = now
    session.add(idea)
    session.commit()
    return idea


def edits_of(session: Session, idea_id: int) -> list[IdeaEdit]:
    return list(session.exec(select(IdeaEdit).where(IdeaEdit.idea_id == idea_id)
                             .order_by(IdeaEdit.edited_at.desc(), IdeaEdit.id.desc())).all())


# --- Meine Daten ---------------------------------------------------------------------------------

def export_ideas(session: Session, user: User) -> tuple[str, object]:
    """The person's ideas for the Meine-Daten export."""
    ideas = session.exec(select(Idea).where(Idea.author_id == user.id, Idea.source.is_(None)).order_by(Idea.id)).all()
    return "ideas", [{"id": i.id, "title": i.title, "body": i.body, "category": i.category,
                      "quarter_id": i.quarter_id, "section_id": i.section_id, "lat": i.lat, "lon": i.lon,
                      "status": i.status, "status_label": status_label(i.status), "status_reason": i.status_reason,
                      "created_at": i.created_at.isoformat(),
                      "edited_at": i.edited_at.isoformat() if i.edited_at else None,
                      "withdrawn_at": i.withdrawn_at.isoformat() if i.withdrawn_at else None,
                      "earlier_texts": [{"title": e.title, "body": e.body, "category": e.category,
                                         "replaced_at": e.edited_at.isoformat()} for e in edits_of(session, i.id)],
                      "hidden": i.hidden_at is not None} for i in ideas]


def erase_ideas(session: Session, user: User, erase: bool) -> None:
    """On account deletion the ideas stay; with erase=True their text is replaced by a visible placeholder."""
    if not erase:
        return
    for idea in session.exec(select(Idea).where(Idea.author_id == user.id, Idea.source.is_(None))).all():
        for edit in edits_of(session, idea.id):
            session.delete(edit)
        idea.title = ERASED_TEXT
        idea.body = ERASED_TEXT
        idea.html = f"<p>{ERASED_TEXT}</p>"
        session.add(idea)



def form_context(session: Session, *, user: User | None) -> dict:
    """What the submission form needs: whether it is open, the places, categories and sections."""
    return {"state": submission_state(session, user=user), "choices": filter_choices(session),
            "sections": section_choices(session)}


def record_form_context(session: Session, *, user: User | None) -> dict:
    """What the form for recording an idea from outside the platform needs (403 for everyone but the project lead
    and facilitators): the round it goes into, the Werkstätten of the rounds of ideas to choose from, the places,
    categories and sections."""
    refusal = offline.record_refusal(user)
    if refusal:
        raise refusal
    now = utcnow()
    begun = offline.begun(rounds_service.rounds_for_ideas(session), now)
    return {"round": _recording_round(session), "events": offline.recording_events(session, [r.id for r in begun], now),
            "choices": filter_choices(session), "sections": section_choices(session)}


def recording_event_defaults(session: Session, event_id: str) -> dict:
    """Form values for recording from one Werkstatt (`?werkstatt=<id>` on the event page's link): the event and
    its Stadtteil; nothing for an unknown id."""
    event = session.get(Event, int(event_id)) if event_id.isdigit() and len(event_id) < 10 else None
    if event is None:
        return {}
    return {"source_kind": "werkstatt", "event_id": str(event.id), "quarter_id": str(event.quarter_id or "")}
