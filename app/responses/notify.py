"""E-mail to the author of a contribution when its Stellungnahme is published (queued in the outbox, in the
same transaction). Drafts and approved drafts of the workbench tell no one: only publishing does."""

from sqlmodel import Session

from app.accounts.models import User
from app.notifications import service as mail
from app.settings import get_settings
from app.web.i18n import gettext as _


def _reachable(user: User | None) -> bool:
    return bool(user and user.email and user.is_active and user.deleted_at is None)


def response_published(session: Session, *, target, response) -> None:
    item = target.comment or target.idea
    author = session.get(User, item.author_id)
    if not _reachable(author) or author.id == response.author_id or not author.notify_replies:
        return
    base = get_settings().base_url
    where = (f"{base}/beitraege/{target.id}/stellungnahme" if target.kind == "comment"
             else f"{base}/ideen/{target.id}/stellungnahme")
    mail.enqueue(session, to=author.email, kind="response",
                 subject=_("Stellungnahme zu Ihrem Beitrag"),
                 body=_("Die Projektleitung hat zu Ihrem Beitrag Stellung genommen:\n\n{text}\n\n"
                        "Zur Stellungnahme: {url}\n\nBenachrichtigungen abbestellen: {base}/konto").format(
                     text=response.text[:2000], url=where, base=base))
