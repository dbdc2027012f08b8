"""Queue mail in the caller's transaction; deliver it later with retries and backoff."""

import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage

from sqlmodel import Session, select

from app.db import new_session, utcnow
from app.notifications.models import OutboxMessage
from app.settings import get_settings

log = logging.getLogger("quartierswerkstatt.mail")
MAX_BACKOFF = timedelta(hours=6)


def enqueue(session: Session, *, to: str, subject: str, body: str, kind: str = "general",
            attachment: tuple[str, str, str] | None = None) -> OutboxMessage:
    """Add a message to the caller's transaction: stored together with what caused it, or not at all.
    `attachment`: (file name, MIME type such as "text/calendar", text content), e.g. an .ics invitation."""
    message = OutboxMessage(to_email=to, subject=subject, body=body, kind=kind)
    if attachment is not None:
        message.attachment_name, message.attachment_type, message.attachment = attachment
    session.add(message)
    return message


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
