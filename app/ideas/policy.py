"""Who may do what with ideas: named predicates used by pages and API alike."""

from app.accounts.models import Role, User
from app.accounts.policy import has_role, is_blocked
from app.ideas.models import OPEN_STATUSES, Idea
from app.rounds.models import Round

# Residents submit ideas; experts and the project lead may too (they often bring ideas from their
# Quartier). Moderation and administration stay neutral and do not submit.
SUBMITTER_ROLES = (Role.resident, Role.expert, Role.lead)


def can_submit_idea(user: User | None, round_: Round | None) -> bool:
    return round_ is not None and has_role(user, *SUBMITTER_ROLES) and not is_blocked(user)


def can_set_status(user: User | None) -> bool:
    return has_role(user, Role.lead, Role.moderator)


def can_see_idea(user: User | None, idea: Idea) -> bool:
    """Hidden ideas are visible only to moderation, the project lead and their author (who sees why)."""
    return (idea.hidden_at is None or has_role(user, Role.moderator, Role.lead)
            or (user is not None and user.id == idea.author_id))


def can_give_final_status(user: User | None) -> bool:
    """A final status (berücksichtigt, teilweise, nicht berücksichtigt, zur Kenntnis genommen) is the idea's
    Stellungnahme: only the project lead gives it. Moderation sets "eingegangen" and "in Prüfung"."""
    return has_role(user, Role.lead)


def may_edit_idea(user: User | None, idea: Idea) -> bool:
    """Authors edit their idea while nobody has answered it (Stand "eingegangen"), while it is visible."""
    return bool(user is not None and idea.author_id == user.id and idea.withdrawn_at is None
                and idea.hidden_at is None and idea.status == OPEN_STATUSES[0] and not is_blocked(user))


def may_withdraw_idea(user: User | None, idea: Idea) -> bool:
    return bool(user is not None and idea.author_id == user.id and idea.withdrawn_at is None)
