"""Who may do what with rounds, and which roles a round's audience admits."""

from datetime import datetime

from app.accounts.models import Role, User
from app.rounds.models import Audience, Round
from app.web.i18n import N_

# experts: invited experts only; residents: registered residents too; public: everyone with an account
# who takes part as a participant (experts and residents). Leads and moderators answer, see discussion.policy.
AUDIENCE_ROLES: dict[str, frozenset[str]] = {
    Audience.experts.value: frozenset({Role.expert.value}),
    Audience.residents.value: frozenset({Role.expert.value, Role.resident.value}),
    Audience.public.value: frozenset({Role.expert.value, Role.resident.value}),
}
AUDIENCE_LABELS = {
    Audience.experts.value: N_("eingeladene Expert*innen"),
    Audience.residents.value: N_("Expert*innen und registrierte Bürger*innen"),
    Audience.public.value: N_("alle Angemeldeten (öffentlich)"),
}


def is_blocked(user: User | None, now: datetime) -> bool:
    return bool(user and user.blocked_until and user.blocked_until > now)


def can_manage_rounds(user: User | None) -> bool:
    """Leads run rounds; admins may step in."""
    return bool(user and user.role in (Role.lead.value, Role.admin.value))


def audience_admits(round_: Round, user: User | None) -> bool:
    """Whether the round's audience includes this person's role as a participant."""
    return bool(user and user.role in AUDIENCE_ROLES.get(round_.audience, frozenset()))
