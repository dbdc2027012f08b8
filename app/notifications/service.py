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


def deliver_pending(*, limit: int = 100, send=_send) -> tuple[int, int]:
    """Send due messages; a failure schedules a retry with exponential backoff. Returns (sent, failed)."""
    sent = failed = 0
    with new_session(writer=True) as session:
        due = session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= utcnow())
            .order_by(OutboxMessage.id).limit(limit)
        ).all()
        for message in due:
            message.attempts += 1
            try:
                send(message)
            except Exception as exc:  # any transport failure: keep the message and retry later
                failed += 1
                message.last_error = f"{type(exc).__name__}: {exc}"[:1000]
                message.next_attempt_at = utcnow() + min(timedelta(seconds=30 * 2 ** message.attempts),
                                                         MAX_BACKOFF)
            else:
                sent += 1
                message.sent_at = utcnow()
            session.add(message)
            session.commit()
    return sent, failed
