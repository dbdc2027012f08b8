"""Who may answer contributions: the project lead only (pages and API alike)."""

from app.accounts.models import Role, User
from app.accounts.policy import has_role


def can_respond(user: User | None) -> bool:
    return has_role(user, Role.lead)


def sees_hidden(user: User | None) -> bool:
    """The lead and the moderation see hidden contributions (in the workbench and the full table)."""
    return has_role(user, Role.lead, Role.moderator)
