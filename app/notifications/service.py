"""Queue mail in the caller's transaction; deliver it later with retries and backoff."""

import asyncio
import logging
import smtplib
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage

import anyio.to_thread
from sqlalchemy import and_, delete, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.db import new_session, utcnow
from app.notifications.models import NoticeMark, OutboxMessage
from app.settings import get_settings
from app.web.i18n import gettext as _

log = logging.getLogger("quartierswerkstatt.mail")
MAX_BACKOFF = timedelta(hours=6)
DIGEST_EVERY = timedelta(hours=24)

# "comment" → f(session, id): is what a message is about still there to be told about (not withdrawn, not
# hidden)? Filled in app/wiring.py; a message whose ref fails it is cancelled, never sent nor put in a digest.
STILL_SHOWN: dict[str, Callable[[Session, int], bool]] = {}
# Jobs of the deliver-mail worker besides sending: f(session, now), each run in a transaction of its own
# (round notices, the moderators' flag batch); filled in app/wiring.py. The daily digests come last.
PERIODIC: list[Callable[[Session, datetime], object]] = []


def enqueue(session: Session, *, to: str, subject: str, body: str, kind: str = "general", ref: str | None = None,
            digest: bool = False, attachment: tuple[str, str, str] | None = None) -> OutboxMessage:
    """Add a message to the caller's transaction: stored together with what caused it, or not at all.
    `attachment`: (file name, MIME type such as "text/calendar", text content), e.g. an .ics invitation."""
    message = OutboxMessage(to_email=to, subject=subject, body=body, kind=kind, ref=ref, digest=digest)
    if attachment is not None:
        message.attachment_name, message.attachment_type, message.attachment = attachment
    session.add(message)
    return message


def reachable(person) -> bool:
    return bool(person is not None and person.email and person.is_active and person.deleted_at is None)


def notice(session: Session, person, *, setting: str, kind: str, subject: str, body: str,
           ref: str | None = None) -> OutboxMessage | None:
    """A notice to one person, if they can be reached and have not switched this kind off (`setting`: the
    account's flag, e.g. "notify_responses"); held for their daily digest if they chose one."""
    if not reachable(person) or not getattr(person, setting, True):
        return None
    footer = _("Benachrichtigungen einstellen oder abbestellen: {url}").format(url=f"{get_settings().base_url}/konto")
    return enqueue(session, to=person.email, subject=subject[:200], body=f"{body}\n\n{footer}", kind=kind, ref=ref,
                   digest=bool(getattr(person, "notify_digest", False)))


def release_digest(session: Session, email: str) -> None:
    """The person no longer wants a digest: what was held goes out as single mails."""
    session.exec(update(OutboxMessage).where(OutboxMessage.to_email == email, OutboxMessage.digest.is_(True),
                                             OutboxMessage.sent_at.is_(None), OutboxMessage.cancelled_at.is_(None))
                 .values(digest=False, next_attempt_at=utcnow()))


def still_shown(session: Session, ref: str | None) -> bool:
    if not ref:
        return True
    kind, _sep, number = ref.partition(":")
    check = STILL_SHOWN.get(kind)
    return check is None or not number.isdigit() or check(session, int(number))


def _cancel(message: OutboxMessage, now: datetime) -> None:
    message.cancelled_at, message.body = now, ""


# --- once only, at most so often ------------------------------------------------------------------

def mark_once(session: Session, key: str, now: datetime | None = None) -> bool:
    """True for the first caller only (across transactions and workers): the mark is stored with the caller's
    transaction, and a second writer fails on the primary key (its savepoint is rolled back, nothing else)."""
    if session.get(NoticeMark, key) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(NoticeMark(key=key, at=now or utcnow()))
    except IntegrityError:
        return False
    return True


def at_most_every(session: Session, key: str, every: timedelta, now: datetime) -> bool:
    """True if nothing under `key` ran in the last `every` (and records that it runs now); a conditional UPDATE
    lets only one of parallel workers through."""
    if mark_once(session, key, now):
        return True
    result = session.exec(update(NoticeMark).where(NoticeMark.key == key, NoticeMark.at <= now - every)
                          .values(at=now))
    return bool(result.rowcount)


# --- daily digest ---------------------------------------------------------------------------------

def assemble_digests(session: Session, now: datetime) -> int:
    """Once the oldest message held for a person is a day old, everything held for them goes out as one mail
    (the held ones count as sent with it; what was withdrawn or hidden meanwhile is left out)."""
    due = session.exec(select(OutboxMessage.to_email)
                       .where(OutboxMessage.digest.is_(True), OutboxMessage.sent_at.is_(None),
                              OutboxMessage.cancelled_at.is_(None))
                       .group_by(OutboxMessage.to_email)
                       .having(func.min(OutboxMessage.created_at) <= now - DIGEST_EVERY)).all()
    made = 0
    for email in due:
        held = session.exec(select(OutboxMessage)
                            .where(OutboxMessage.to_email == email, OutboxMessage.digest.is_(True),
                                   OutboxMessage.sent_at.is_(None), OutboxMessage.cancelled_at.is_(None))
                            .order_by(col(OutboxMessage.id)).with_for_update()
                            .execution_options(populate_existing=True)).all()
        parts = []
        for message in held:
            if message.sent_at is not None or message.cancelled_at is not None:
                continue  # a parallel worker took it
            if not still_shown(session, message.ref):
                _cancel(message, now)
            else:
                body = message.body.rsplit("\n\n", 1)[0]  # without the settings footer; the digest has one
                parts.append(f"— {message.subject} —\n\n{body}")
                message.sent_at = now
            session.add(message)
        if parts:
            footer = _("Benachrichtigungen einstellen oder abbestellen: {url}").format(
                url=f"{get_settings().base_url}/konto")
            enqueue(session, to=email, kind="digest",
                    subject=_("Ihre Benachrichtigungen ({n})").format(n=len(parts)),
                    body=_("Was seit Ihrer letzten Zusammenfassung geschehen ist:") + "\n\n"
                    + "\n\n".join(parts) + f"\n\n{footer}")
            made += 1
    return made


def run_periodic(now: datetime | None = None) -> None:
    """The worker's jobs besides sending, each in a short transaction of its own; one failing does not stop
    the others (it is logged and tried again on the next round)."""
    for job in [*PERIODIC, assemble_digests]:
        try:
            with new_session(writer=True) as session:
                job(session, now or utcnow())
                session.commit()
        except Exception:
            log.exception("Benachrichtigungen: %s fehlgeschlagen", getattr(job, "__name__", job))


def purge_outbox(session: Session, *, before: datetime) -> int:
    """Delete the messages sent or cancelled before `before`, and those that were still not delivered after
    trying since before then (failed at least once; the outbox retries for that long). Messages waiting for
    their first try or held for a digest are never deleted. How many."""
    result = session.exec(delete(OutboxMessage).where(or_(
        OutboxMessage.sent_at < before, OutboxMessage.cancelled_at < before,
        and_(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts > 0, OutboxMessage.created_at < before))))
    return result.rowcount or 0


def _send(message: OutboxMessage) -> None:
    settings = get_settings()
    if settings.mail_backend == "log":
        log.info("Mail an %s: %s\n%s%s", message.to_email, message.subject, message.body,
                 f"\n[Anhang: {message.attachment_name}]" if message.attachment_name else "")
        return
    email = EmailMessage()
    email["From"] = settings.mail_from
    email["To"] = message.to_email
    email["Subject"] = message.subject
    email.set_content(message.body)
    if message.attachment is not None:
        _main, _sep, subtype = (message.attachment_type or "text/plain").partition("/")
        params = {"method": "PUBLISH"} if subtype == "calendar" else {}
        email.add_attachment(message.attachment, subtype=subtype or "plain", filename=message.attachment_name,
                             params=params)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(email)


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 1 min, 2 min, 4 min, … up to six hours."""
    return min(timedelta(seconds=30 * 2 ** attempts), MAX_BACKOFF)


# A claimed message is not due again for this long, so a worker that dies mid-send only delays it.
CLAIM_LEASE = timedelta(minutes=10)


def _claim() -> OutboxMessage | None:
    """Take the next due message in a short transaction of its own (SKIP LOCKED lets several workers share)."""
    with new_session(writer=True) as session:
        while True:
            message = session.exec(
                select(OutboxMessage)
                .where(OutboxMessage.sent_at.is_(None), OutboxMessage.cancelled_at.is_(None),
                       OutboxMessage.digest.is_(False), OutboxMessage.next_attempt_at <= utcnow())
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(1)
                .with_for_update(skip_locked=True)
            ).first()
            if message is None:
                return None
            if still_shown(session, message.ref):
                break
            _cancel(message, utcnow())  # withdrawn or hidden before delivery: its text is never sent
            session.add(message)
            session.commit()
        message.attempts += 1
        message.next_attempt_at = utcnow() + CLAIM_LEASE
        session.add(message)
        session.commit()
        return message


def _settle(message_id: int, error: str | None) -> None:
    with new_session(writer=True) as session:
        message = session.get(OutboxMessage, message_id)
        if error is None:
            message.sent_at, message.last_error = utcnow(), None
        else:
            message.last_error = error
            message.next_attempt_at = utcnow() + backoff(message.attempts)
        session.add(message)
        session.commit()


def deliver_pending(*, limit: int = 100, send=_send) -> tuple[int, int]:
    """Send due messages one by one; a failure keeps the message and schedules a retry with exponential
    backoff. Each message is claimed, sent and settled in separate short transactions, so no database lock is
    held while talking to the mail server (a crash after sending means at most one duplicate, never a loss).
    Returns (sent, failed)."""
    sent = failed = 0
    for _attempt in range(limit):
        message = _claim()
        if message is None:
            break
        try:
            send(message)
        except Exception as exc:  # any transport failure: keep the message and retry later
            failed += 1
            error = f"{type(exc).__name__}: {exc}"[:1000]
            log.warning("Mail %s an %s nicht zugestellt (Versuch %s): %s", message.id, message.to_email,
                        message.attempts, error)
            _settle(message.id, error)
        else:
            sent += 1
            _settle(message.id, None)
    return sent, failed


def show_mail_log() -> None:
    """Make the mail log visible on stderr (uvicorn configures only its own loggers)."""
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


async def deliver_forever(interval: float) -> None:
    """Development only (started by the app's lifespan): deliver the outbox every `interval` seconds on a thread
    of its own, so confirmation links land in the log within seconds. Production runs `deliver-mail --loop`."""
    show_mail_log()
    limiter = anyio.CapacityLimiter(1)  # never takes one of the routes' threads
    while True:
        try:
            await anyio.to_thread.run_sync(deliver_pending, limiter=limiter)
        except asyncio.CancelledError:
            raise
        except Exception:  # the database may be busy or not migrated yet: try again next time
            log.exception("Zustellung der E-Mails aus der Warteschlange fehlgeschlagen")
        await asyncio.sleep(interval)
