"""Demo data: the leads, moderation, experts, residents and a draft of the Rahmenkonzeption (idempotent)."""

from sqlmodel import Session, select

from app.accounts import service as accounts
from app.accounts.models import Role, User
from app.accounts.schemas import UserCreate
from app.demo import people

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
    return True
