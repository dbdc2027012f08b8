"""E-mail about moderation: to the author when their contribution is hidden or restored, to a blocked
person (until when, why, how to object), and to the moderators when contributions are flagged (one mail
per flagged contribution, at most one batch every 15 minutes, sent by the deliver-mail worker)."""

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.accounts.models import Role, User
from app.discussion.models import Comment
from app.ideas.models import Idea
from app.moderation.models import Flag
from app.notifications import service as mail
from app.notifications.models import NoticeMark
from app.responses.notify import contribution_url
from app.settings import get_settings
from app.web import i18n
from app.web.i18n import gettext as _

FLAG_BATCH_EVERY = timedelta(minutes=15)
MODERATOR_ROLES = (Role.moderator.value, Role.admin.value)


def _objection() -> str:
    return _("Wenn Sie die Entscheidung für falsch halten, können Sie widersprechen: Schreiben Sie an {contact} "
             "und begründen Sie kurz, warum. Die Moderation prüft Ihren Widerspruch und antwortet Ihnen."
             ).format(contact=get_settings().moderation_contact)


def _what(kind: str, item: Comment | Idea) -> str:
    return _("Ihre Idee „{title}“").format(title=item.title) if kind == "idea" else _("Ihr Beitrag")


def hidden(session: Session, *, kind: str, item: Comment | Idea, reason: str) -> None:
    author = session.get(User, item.author_id)
    mail.notice(session, author, setting="notify_moderation", kind="hidden",
                subject=_("Ihr Beitrag wurde ausgeblendet"),
                body=_("{what} wurde von der Moderation ausgeblendet. Andere sehen an seiner Stelle einen "
                       "Hinweis; Sie selbst sehen ihn weiterhin mit dem Grund.\n\nGrund: {reason}\n\n{url}\n\n"
                       "{objection}").format(what=_what(kind, item), reason=reason, url=contribution_url(item),
                                             objection=_objection()))


def restored(session: Session, *, kind: str, item: Comment | Idea, reason: str) -> None:
    author = session.get(User, item.author_id)
    mail.notice(session, author, setting="notify_moderation", kind="restored",
                subject=_("Ihr Beitrag ist wieder sichtbar"),
                body=_("{what} ist wieder für alle sichtbar.\n\nGrund: {reason}\n\n{url}").format(
                    what=_what(kind, item), reason=reason or _("Die Moderation hat die Ausblendung aufgehoben."),
                    url=contribution_url(item)))


def blocked(session: Session, *, person: User, until: datetime, reason: str) -> None:
    mail.notice(session, person, setting="notify_block", kind="block",
                subject=_("Ihr Konto ist vorübergehend gesperrt"),
                body=_("Die Moderation hat Ihr Konto bis {until} gesperrt. Bis dahin können Sie lesen, aber nicht "
                       "kommentieren, abstimmen oder Ideen einreichen.\n\nGrund: {reason}\n\n{objection}").format(
                    until=f"{until.astimezone(i18n.BERLIN):%d.%m.%Y, %H:%M} Uhr", reason=reason,
                    objection=_objection()))


def flag_batch(session: Session, now: datetime) -> int:
    """A worker job: every contribution with open flags not yet announced gets one mail to each moderator,
    at most one batch every 15 minutes. An item is announced once per group of open flags (flagged again after
    the flags were dismissed, it is announced again); hidden, withdrawn or resolved items are not."""
    last = session.get(NoticeMark, "flag-batch")
    if last is not None and last.at > now - FLAG_BATCH_EVERY:
        return 0  # the last batch is recent: nothing to look at (the worker calls this every few seconds)
    first_open = {}
    for column, kind in ((Flag.comment_id, "comment"), (Flag.idea_id, "idea")):
        rows = session.exec(select(column, func.min(Flag.id), func.count(func.distinct(Flag.user_id)))
                            .where(Flag.resolved_at.is_(None), column.is_not(None)).group_by(column)).all()
        for target_id, flag_id, flaggers in rows:
            first_open[(kind, target_id)] = (flag_id, flaggers)
    pending = {k: v for k, v in first_open.items()
               if session.get(NoticeMark, f"flag:{k[0]}:{k[1]}:{v[0]}") is None}
    if not pending or not mail.at_most_every(session, "flag-batch", FLAG_BATCH_EVERY, now):
        return 0
    moderators = session.exec(select(User).where(col(User.role).in_(MODERATOR_ROLES),
                                                 User.notify_flags.is_(True))).all()
    base = get_settings().base_url
    sent = 0
    for (kind, target_id), (flag_id, flaggers) in sorted(pending.items()):
        item = session.get(Comment if kind == "comment" else Idea, target_id)
        gone = item is None or item.hidden_at is not None or getattr(item, "withdrawn_at", None) is not None
        if not mail.mark_once(session, f"flag:{kind}:{target_id}:{flag_id}", now) or gone:
            continue
        reasons = session.exec(select(Flag.reason).where(Flag.resolved_at.is_(None),
                                                         (Flag.comment_id if kind == "comment" else Flag.idea_id)
                                                         == target_id).order_by(Flag.id).limit(5)).all()
        label = _("Idee „{title}“").format(title=item.title[:120]) if kind == "idea" \
            else _("Beitrag #{id}").format(id=item.id)
        for moderator in moderators:
            mail.notice(session, moderator, setting="notify_flags", kind="flag", ref=f"flagged-{kind}:{target_id}",
                        subject=_("Gemeldet: {label}").format(label=label),
                        body=_("{label} wurde gemeldet ({n} Meldende).\n\nGründe:\n{reasons}\n\nBeitrag: {url}\n"
                               "Zur Moderation: {queue}").format(
                            label=label, n=flaggers, reasons="\n".join(f"– {r[:300]}" for r in reasons),
                            url=contribution_url(item), queue=f"{base}/moderation"))
            sent += 1
    return sent


def still_flagged(kind: str):
    """For the outbox (STILL_SHOWN["flagged-comment"/"flagged-idea"]): the flags are still open and the item
    is not hidden or withdrawn; otherwise the moderators' mail is no longer needed."""
    def check(session: Session, target_id: int) -> bool:
        column = Flag.comment_id if kind == "comment" else Flag.idea_id
        item = session.get(Comment if kind == "comment" else Idea, target_id)
        if item is None or item.hidden_at is not None or getattr(item, "withdrawn_at", None) is not None:
            return False
        return session.exec(select(Flag.id).where(column == target_id, Flag.resolved_at.is_(None)).limit(1)
                            ).first() is not None
    return check
