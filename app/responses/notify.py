"""E-mail to the author when their comment or idea gets an official response (a new current revision).

Queued with the response; checked again before delivery (STILL_SHOWN["response"]): a revision replaced
meanwhile, or a contribution withdrawn or hidden meanwhile, is not sent.
"""

from sqlmodel import Session

from app.accounts.models import User
from app.discussion.models import Comment
from app.discussion.notify import comment_shown
from app.ideas.models import Idea
from app.ideas.notify import idea_shown
from app.notifications import service as mail
from app.responses.models import STATUS_LABELS, Response
from app.settings import get_settings
from app.web.i18n import gettext as _


def response_shown(session: Session, response_id: int) -> bool:
    response = session.get(Response, response_id)
    if response is None or not response.is_current:
        return False
    if response.comment_id is not None:
        return comment_shown(session, response.comment_id)
    return idea_shown(session, response.idea_id)


def contribution_url(item: Comment | Idea) -> str:
    base = get_settings().base_url
    if isinstance(item, Idea):
        return f"{base}/ideen/{item.id}"
    if item.section_id:
        return f"{base}/abschnitte/{item.section_id}#beitrag-{item.id}"
    return f"{base}/ideen/{item.idea_id}#beitrag-{item.id}"


def response_saved(session: Session, *, item: Comment | Idea, response: Response,
                   previous: Response | None) -> None:
    """A hook of responses.service._save: tell the author, unless only the linked version changed."""
    if previous is not None and (previous.status, previous.text) == (response.status, response.text):
        return
    author = session.get(User, item.author_id)
    if author is None or author.id == response.author_id:
        return
    status = _(STATUS_LABELS.get(response.status, response.status))
    if isinstance(item, Idea):
        subject = _("Stellungnahme zu Ihrer Idee „{title}“").format(title=item.title[:120])
        what = _("Ihre Idee „{title}“").format(title=item.title)
    else:
        subject = _("Stellungnahme zu Ihrem Beitrag")
        what = _("Ihr Beitrag")
    body = _("{what} hat eine Stellungnahme der Projektleitung erhalten.\n\nStand: {status}\n\n{text}\n\n"
             "Ansehen: {url}").format(what=what, status=status, text=response.text[:2000],
                                      url=contribution_url(item))
    mail.notice(session, author, setting="notify_responses", kind="response", ref=f"response:{response.id}",
                subject=subject, body=body)
