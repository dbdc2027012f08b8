"""Who may do what with Werkstätten."""

from app.accounts.models import Role, User

PARTICIPANTS = frozenset({Role.resident.value, Role.expert.value})


def can_manage(user: User | None) -> bool:
    """Leads run Werkstätten (admins may step in): create, edit, close registration, see registrations."""
    return bool(user and user.role in (Role.lead.value, Role.admin.value))


def can_register(user: User | None) -> bool:
    """Residents and experts register for Werkstätten."""
    return bool(user and user.role in PARTICIPANTS and user.is_active)
