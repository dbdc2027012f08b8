"""Queue mail in the caller's transaction; deliver it later with retries and backoff."""

import asyncio
import logging
import smtplib
import sys
from datetime import timedelta
from email.message import EmailMessage

import anyio.to_thread
from sqlmodel import Session, select

from app.db import new_session, utcnow
from app.notifications.models import OutboxMessage
from app.settings import get_settings

log = logging.getLogger("quartierswerkstatt.mail")
MAX_BACKOFF = timedelta(hours=6)


def enqueue(session: Session, *, to: str, subject: str, body: str, kind: str = "general") -> OutboxMessage:
    """Add a message to the caller's transaction: stored together with what caused it, or not at all."""
    message = OutboxMessage(to_email=to, subject=subject, body=body, kind=kind)
    session.add(message)
    return message


def _send(message: OutboxMessage) -> None:
    settings = get_settings()
    if settings.mail_backend == "log":
        log.info("Mail an %s: %s\n%s", message.to_email, message.subject, message.body)
        return
    email = EmailMessage()
    email["From"] = settings.mail_from
    email["To"] = message.to_email
    email["Subject"] = message.subject
    email.set_content(message.body)
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
        message = session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= utcnow())
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if message is None:
            return None
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
    for _ in range(limit):
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
