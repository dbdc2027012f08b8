"""E-mail to the people who follow a round: when it opens, and once 24 hours before it closes.

A job of the deliver-mail worker (app/notifications/service.py PERIODIC): marks in `notice_mark` make each
notice go out once, also with several workers. A round is marked when the worker first sees it open, with or
without followers, so following a round that is already open sends no "opened" mail. A reminder is keyed by
the closing time: a round extended after its reminder gets one for the new end.
"""

from datetime import datetime, timedelta

from sqlmodel import Session, select

from app.notifications import service as mail
from app.rounds.models import Round, RoundState
from app.rounds.service import effective_state, followers
from app.settings import get_settings
from app.web import i18n
from app.web.i18n import gettext as _

REMIND_BEFORE = timedelta(hours=24)


def _when(value: datetime) -> str:
    return f"{value.astimezone(i18n.BERLIN):%d.%m.%Y, %H:%M} Uhr"


def round_notices(session: Session, now: datetime) -> int:
    sent = 0
    base = get_settings().base_url
    rounds = session.exec(select(Round).where(Round.state.in_(["planned", "open"]))).all()
    for round_ in rounds:
        if effective_state(round_, now) != RoundState.open:
            continue
        url = f"{base}/runden/{round_.id}"
        notices = []
        if mail.mark_once(session, f"round-open:{round_.id}", now) and now - round_.opens_at < REMIND_BEFORE:
            notices.append((_("Beteiligungsrunde geöffnet: {title}").format(title=round_.title[:150]),
                            _("Die Beteiligungsrunde „{title}“, der Sie folgen, ist jetzt offen, bis {end}.\n\n"
                              "Mitmachen: {url}").format(title=round_.title, end=_when(round_.closes_at), url=url)))
        if round_.closes_at - now <= REMIND_BEFORE and \
                mail.mark_once(session, f"round-closing:{round_.id}:{round_.closes_at.isoformat()}", now):
            notices.append((_("Nur noch bis {end}: {title}").format(end=_when(round_.closes_at),
                                                                     title=round_.title[:150]),
                            _("Die Beteiligungsrunde „{title}“, der Sie folgen, schließt am {end}. Bis dahin "
                              "können Sie noch mitmachen: {url}").format(title=round_.title,
                                                                          end=_when(round_.closes_at), url=url)))
        if not notices:
            continue
        for person in followers(session, round_.id):
            for subject, body in notices:
                if mail.notice(session, person, setting="notify_rounds", kind="round", subject=subject, body=body):
                    sent += 1
    return sent
