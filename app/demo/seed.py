"""Demo data: the leads, moderation, experts, residents and a draft of the Rahmenkonzeption (idempotent)."""

from sqlmodel import Session, select

from app.accounts import service as accounts
from app.accounts.models import Role, User
from app.accounts.schemas import UserCreate
from app.demo import people
from app.demo.discussion import seed_discussion
from app.demo.document import seed_document

DEMO_PASSWORD = "demo-passwort-2023"


def _user(session: Session, person: dict, role: Role) -> User:
    existing = session.exec(select(User).where(User.email == person["email"])).first()
    if existing:
        return existing
    data = UserCreate(email=person["email"], display_name=person["display_name"], role=role,
                      organisation=person.get("organisation"), organisation_kind=person.get("organisation_kind"),
                      password=DEMO_PASSWORD)
    return accounts.create_user(session, actor=None, data=data)


def seed(session: Session) -> bool:
    """Create what is missing; returns False when the demo data was already complete."""
    if session.exec(select(User).where(User.email == people.ADMIN["email"])).first():
        return False
    _user(session, people.ADMIN, Role.admin)
    for lead in people.LEADS:
        _user(session, lead, Role.lead)
    _user(session, people.MODERATOR, Role.moderator)
    for expert in people.EXPERTS:
        _user(session, expert, Role.expert)
    for resident in people.RESIDENTS:
        _user(session, resident, Role.resident)
    seed_document(session, [_user(session, lead, Role.lead) for lead in people.LEADS])
    seed_ideas(session)
    seed_discussion(session)
    seed_events(session)
    _user(session, people.FACILITATOR, Role.facilitator)  # last: the ids of the demo data before it stay
    return True


def seed_events(session: Session) -> None:
    """Two Werkstätten of the ideas round: one coming (with a registration that needs interpreting), one past
    with its minutes."""
    from datetime import timedelta

    from app.db import utcnow
    from app.events import service as events
    from app.events.models import Event
    from app.events.schemas import EventIn, RegistrationIn
    from app.rounds import service as rounds_service

    round_ = rounds_service.current_round_for_ideas(session)
    if round_ is None or not people.LEADS or session.exec(select(Event)).first() is not None:
        return
    lead = _user(session, people.LEADS[0], Role.lead)
    start = (utcnow() + timedelta(days=10)).replace(hour=16, minute=0, second=0, microsecond=0)
    coming = events.create_event(session, actor=lead, data=EventIn(
        round_id=round_.id, title="Werkstatt Ostheim: Treffpunkte im Quartier",
        description="Wir sammeln mit Ihnen, was Ostheim an Begegnungsorten braucht. Kaffee und Kuchen gibt es auch.",
        district="ost", venue="Bürgerhaus Ostheim", address="Schwarenbergstraße 120, 70188 Stuttgart",
        step_free=True, induction_loop=True, interpreting=True, childcare=True, starts_at=start,
        ends_at=start + timedelta(hours=2, minutes=30), capacity=25, online_url="https://meet.example/ostheim"))
    past_start = start - timedelta(days=40)
    past = events.create_event(session, actor=lead, data=EventIn(
        round_id=round_.id, title="Werkstatt Bad Cannstatt: Wege und Plätze", district="bad-cannstatt",
        venue="Kursaal Bad Cannstatt", address="Königsplatz 1, 70372 Stuttgart", step_free=True,
        starts_at=past_start, ends_at=past_start + timedelta(hours=2), capacity=40, registration_open=False))
    events.set_minutes(session, actor=lead, event_id=past.id, minutes=(
        "## Ergebnisse\n\n- Mehr Sitzbänke am Wilhelmsplatz\n- Ein Treffpunkt für Jugendliche ohne Konsumzwang\n\n"
        "Die Anregungen fließen in die Abwägung der Runde ein."))
    if people.RESIDENTS:
        resident = _user(session, people.RESIDENTS[0], Role.resident)
        events.register(session, user=resident, event_id=coming.id,
                        data=RegistrationIn(interpreting_language="Türkisch", childcare=True))


def seed_ideas(session: Session) -> None:
    """A round open to residents and the demo residents' ideas (people.IDEAS); skips what exists."""
    from datetime import timedelta

    from app import models  # noqa: F401 - every table known to the mapper (Idea refers to quarter, section)
    from app.db import utcnow
    from app.documents.models import Document
    from app.ideas.models import Idea
    from app.rounds import service as rounds_service
    from app.rounds.models import Round
    from app.web.markdown import render

    round_ = rounds_service.current_round_for_ideas(session)
    if round_ is None:
        document = session.exec(select(Document).order_by(Document.id)).first()
        if document is None:
            return
        round_ = Round(document_id=document.id, title="Ideen für Ihr Quartier",
                       description="Bürger*innen bringen Ideen für ihren Stadtteil ein.",
                       opens_at=utcnow() - timedelta(days=7), closes_at=utcnow() + timedelta(days=60),
                       audience="public", state="open")
        session.add(round_)
        session.flush()
    residents = [_user(session, r, Role.resident) for r in people.RESIDENTS]
    existing = set(session.exec(select(Idea.title)).all())
    for n, item in enumerate(getattr(people, "IDEAS", [])):
        if item["title"] in existing:
            continue
        session.add(Idea(author_id=residents[n % len(residents)].id, quarter_id=item["quarter_number"],
                         round_id=round_.id, title=item["title"], body=item["body"], html=render(item["body"]),
                         category=item["category"]))
    session.commit()
    _seed_idea_statuses(session)


def _seed_idea_statuses(session: Session) -> None:
    """Two demo ideas answered by the project lead: one in review, one taken up in a section."""
    from app.documents import service as documents_service
    from app.ideas import service as ideas_service
    from app.ideas.models import Idea, IdeaStatusChange
    from app.ideas.schemas import StatusIn

    if session.exec(select(IdeaStatusChange)).first() is not None or not people.LEADS:
        return
    lead = _user(session, people.LEADS[0], Role.lead)
    ideas = session.exec(select(Idea).order_by(Idea.id).limit(2)).all()
    sections = documents_service.list_sections(session)
    if len(ideas) < 2 or not sections:
        return
    section = next((c for c in sections if "Begegnung" in c.title), sections[0])
    ideas_service.set_status(session, actor=lead, idea_id=ideas[0].id, data=StatusIn(
        status="adopted", section_id=section.id,
        reason="Offene Treffpunkte ohne Konsumzwang sind als Beispiel in den Abschnitt aufgenommen."))
    ideas_service.set_status(session, actor=lead, idea_id=ideas[1].id, data=StatusIn(
        status="reviewing", reason="Das Sozialamt prüft mit dem Amt für Sport und Bewegung geeignete Flächen."))
