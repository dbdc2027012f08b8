"""Who may flag and who moderates (pages and API alike)."""

from app.accounts.models import Role, User
from app.accounts.policy import has_role

BLOCKABLE_ROLES = frozenset({Role.expert.value, Role.resident.value})


def can_flag(user: User | None) -> bool:
    return user is not None


def can_moderate(user: User | None) -> bool:
    return has_role(user, Role.moderator)


def can_block(actor: User | None, target: User) -> bool:
    """The moderation blocks participants; staff accounts are the administration's business."""
    return can_moderate(actor) and target.role in BLOCKABLE_ROLES
