"""Who may do what with the document: named predicates used by pages and API alike."""

from app.accounts.models import Role, User
from app.accounts.policy import has_role

EDITORS = (Role.lead, Role.admin)


def can_edit_document(user: User | None) -> bool:
    """Create and arrange documents, chapters and sections; edit drafts."""
    return has_role(user, *EDITORS)


def can_publish(user: User | None) -> bool:
    """Publish a section's draft as a version, or the whole document as an edition."""
    return has_role(user, *EDITORS)


def can_see_drafts(user: User | None) -> bool:
    """See drafts and sections that have no published version yet."""
    return has_role(user, *EDITORS)
