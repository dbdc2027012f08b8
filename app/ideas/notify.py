"""E-mail to the author when their idea's status changes (queued with the change, checked before delivery)."""

from sqlmodel import Session

from app.accounts.models import User
from app.ideas.browse import STATUS_LABELS
from app.ideas.models import Idea
from app.notifications import service as mail
from app.settings import get_settings
from app.web.i18n import gettext as _


def idea_shown(session: Session, idea_id: int) -> bool:
    """For the outbox (STILL_SHOWN["idea"]): neither hidden nor withdrawn."""
    idea = session.get(Idea, idea_id)
    return idea is not None and idea.hidden_at is None and getattr(idea, "withdrawn_at", None) is None


def status_changed(session: Session, *, idea: Idea, old: str, actor: User) -> None:
    if old == idea.status:
        return
    author = session.get(User, idea.author_id)
    if author is None or author.id == actor.id:
        return
    label = _(STATUS_LABELS.get(idea.status, idea.status))
    mail.notice(session, author, setting="notify_idea_status", kind="idea_status", ref=f"idea:{idea.id}",
                subject=_("Neuer Stand Ihrer Idee „{title}“").format(title=idea.title[:120]),
                body=_("Der Stand Ihrer Idee „{title}“ ist jetzt: {status}.\n\nBegründung: {reason}\n\n"
                       "Ansehen: {url}").format(title=idea.title, status=label, reason=idea.status_reason or "",
                                                url=f"{get_settings().base_url}/ideen/{idea.id}"))
