"""E-mail about discussions: a reply to you, a new version of a section you commented on.

Queued through the outbox in the same transaction as the reply or the version.
"""

from sqlmodel import Session, select

from app.accounts.models import User
from app.discussion.models import Comment
from app.ideas.notify import idea_shown
from app.notifications import service as mail
from app.settings import get_settings
from app.web.i18n import gettext as _


def section_url(section_id: int) -> str:
    return f"/abschnitte/{section_id}"


def diff_url(section_id: int, from_number: int, to_number: int) -> str:
    return f"{section_url(section_id)}/fassungen?von={from_number}&bis={to_number}"


def comment_shown(session: Session, comment_id: int) -> bool:
    """For the outbox (STILL_SHOWN["comment"]): the comment is neither withdrawn, hidden nor erased, nor on a
    hidden idea, so a mail quoting it may still go out."""
    comment = session.get(Comment, comment_id)
    if comment is None or comment.withdrawn_at is not None or comment.hidden_at is not None or comment.erased:
        return False
    if comment.idea_id is not None:
        return idea_shown(session, comment.idea_id)
    return True


def reply_posted(session: Session, *, parent: Comment, reply: Comment, replier: User) -> None:
    if parent.source is not None:  # recorded on behalf of someone outside the platform: the recorder is no author
        return
    author = session.get(User, parent.author_id)
    if author is None or author.id == replier.id:
        return
    base = get_settings().base_url
    where = (f"{base}{section_url(parent.section_id)}#beitrag-{reply.id}" if parent.section_id
             else f"{base}/ideen/{parent.idea_id}#beitrag-{reply.id}")
    mail.notice(session, author, setting="notify_replies", kind="reply", ref=f"comment:{reply.id}",
                subject=_("Neue Antwort auf Ihren Beitrag"),
                body=_("{name} hat auf Ihren Beitrag geantwortet:\n\n{text}\n\nZur Diskussion: {url}").format(
                    name=replier.display_name, text=reply.body[:1000], url=where))


def version_published(session: Session, version, addressed: list[int]) -> None:
    """Hook for the documents service: tell everyone who commented on earlier versions of the section."""
    if version.number <= 1:
        return
    author_ids = session.exec(select(Comment.author_id).where(Comment.section_id == version.section_id)
                              .distinct()).all()
    if not author_ids:
        return
    people = session.exec(select(User).where(User.id.in_(list(author_ids)), User.notify_versions.is_(True))).all()
    base = get_settings().base_url
    link = f"{base}{diff_url(version.section_id, version.number - 1, version.number)}"
    for person in people:
        if person.id == version.published_by_id:
            continue
        mail.notice(session, person, setting="notify_versions", kind="version",
                    subject=_("Neue Fassung: {title}").format(title=version.title[:150]),
                    body=_("Zu einem Abschnitt, den Sie kommentiert haben, ist Fassung {n} erschienen: "
                           "„{title}“.\n\nWas sich geändert hat: {link}").format(
                        n=version.number, title=version.title, link=link))
