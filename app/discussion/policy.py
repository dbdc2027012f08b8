"""Who may comment and vote: named predicates used by pages and API alike (tested as a role × state matrix).

Rules (decided here):
- Participants (experts; residents where the audience is residents or public) comment on sections that an
  open round covers. Leads and moderators may *reply* in any open round on the section, to answer and to
  clarify; they do not open new threads (their official answer is the Stellungnahme). Admins administer only.
- Anonymous and blocked people (blocked_until in the future) never comment or vote.
- Votes on a section version or on comments follow the participant rule (no lead/moderator votes); nobody
  votes on their own comment.
- Ideas: any logged-in, unblocked person comments on and supports a visible idea, outside rounds too.
"""

from datetime import datetime

from app.accounts.models import Role, User
from app.errors import Conflict, DomainError, Forbidden, Unauthorized
from app.rounds import policy as rounds_policy
from app.rounds.models import Round, RoundState
from app.rounds.service import effective_state
from app.web.i18n import gettext as _

ANSWER_ROLES = frozenset({Role.lead.value, Role.moderator.value})
IDEA_ROLES = frozenset({Role.resident.value, Role.expert.value, Role.lead.value, Role.moderator.value,
                        Role.admin.value})


def _base_refusal(user: User | None, now: datetime) -> DomainError | None:
    if user is None:
        return Unauthorized(_("Bitte melden Sie sich an, um sich zu beteiligen."))
    if rounds_policy.is_blocked(user, now):
        return Forbidden(_("Ihr Konto ist vorübergehend gesperrt."))
    return None


def comment_refusal(user: User | None, round_: Round | None, section, now: datetime, *,
                    reply: bool = False) -> DomainError | None:
    """Why this person may not comment on this section in this round now (None: allowed)."""
    refusal = _base_refusal(user, now)
    if refusal:
        return refusal
    if section is not None and not getattr(section, "current_number", 1):
        return Conflict(_("Dieser Abschnitt hat noch keine veröffentlichte Fassung."))
    if round_ is None or effective_state(round_, now) != RoundState.open:
        return Conflict(_("Zu diesem Abschnitt ist gerade keine Beteiligungsrunde offen."))
    if rounds_policy.audience_admits(round_, user) or (reply and user.role in ANSWER_ROLES):
        return None
    return Forbidden(_("Diese Beteiligungsrunde ist nur für {who} offen.").format(
        who=_(rounds_policy.AUDIENCE_LABELS[round_.audience])))


def can_comment(user: User | None, round_: Round | None, section, now: datetime, *, reply: bool = False) -> bool:
    return comment_refusal(user, round_, section, now, reply=reply) is None


def vote_refusal(user: User | None, round_: Round | None, section, now: datetime) -> DomainError | None:
    """Votes on a section version or its comments: participants of an open round only."""
    refusal = comment_refusal(user, round_, section, now)
    if refusal is None and not rounds_policy.audience_admits(round_, user):
        return Forbidden(_("Abstimmen können nur Teilnehmende dieser Runde."))
    return refusal


def can_vote(user: User | None, round_: Round | None, section, now: datetime) -> bool:
    return vote_refusal(user, round_, section, now) is None


def pick_round(user: User | None, rounds: list[Round], section, now: datetime, *, reply: bool = False,
               voting: bool = False) -> tuple[Round | None, DomainError | None]:
    """Of the rounds covering a section, the one that lets this person take part (or the reason why none)."""
    check = vote_refusal if voting else comment_refusal
    first: DomainError | None = None
    for round_ in rounds:
        refusal = (check(user, round_, section, now) if voting
                   else check(user, round_, section, now, reply=reply))
        if refusal is None:
            return round_, None
        # An open round that excludes this role explains more than a closed one.
        if first is None or (isinstance(first, Conflict) and not isinstance(refusal, Conflict)):
            first = refusal
    return None, first or check(user, None, section, now)


def idea_comment_refusal(user: User | None, idea, now: datetime) -> DomainError | None:
    refusal = _base_refusal(user, now)
    if refusal:
        return refusal
    if user.role not in IDEA_ROLES:
        return Forbidden(_("Diese Aktion ist für Ihre Rolle nicht vorgesehen."))
    if idea is not None and idea.hidden_at is not None:
        return Conflict(_("Diese Idee ist ausgeblendet."))
    if idea is not None and getattr(idea, "withdrawn_at", None) is not None:
        return Conflict(_("Diese Idee wurde zurückgezogen."))
    return None


def can_comment_idea(user: User | None, idea, now: datetime) -> bool:
    return idea_comment_refusal(user, idea, now) is None


def may_edit(user: User | None, comment, now: datetime, window_seconds: int) -> bool:
    """Authors edit within the edit window, while the comment is visible."""
    return bool(user and comment.author_id == user.id and comment.withdrawn_at is None
                and comment.hidden_at is None and not comment.erased
                and (now - comment.created_at).total_seconds() <= window_seconds
                and not rounds_policy.is_blocked(user, now))


def may_withdraw(user: User | None, comment) -> bool:
    return bool(user and comment.withdrawn_at is None and not comment.erased and comment.author_id == user.id)


def may_hide(user: User | None, comment) -> bool:
    """Moderators hide others' comments, with a reason, through the moderation service."""
    return bool(user and user.role == Role.moderator.value and comment.author_id != user.id
                and comment.hidden_at is None and comment.withdrawn_at is None and not comment.erased)
