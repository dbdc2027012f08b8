"""Who may do what in the accounts domain: named predicates used by pages and API alike."""

from app.accounts.models import Role, User
from app.db import utcnow


def has_role(user: User | None, *roles: Role) -> bool:
    return user is not None and user.role in {r.value for r in roles}


def is_blocked(user: User | None) -> bool:
    return user is not None and user.blocked_until is not None and user.blocked_until > utcnow()


def can_manage_users(user: User | None) -> bool:
    return has_role(user, Role.admin)
