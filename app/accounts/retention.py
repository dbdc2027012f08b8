"""Retention (Löschfristen): what the privacy text promises to delete, deleted automatically.

Run by the deliver-mail worker (app/notifications/service.PERIODIC, at most once an hour across all workers) and
by `python -m app purge`. The periods are settings (QW_RETENTION_*); the defaults are what the default
Datenschutzerklärung (app/legal/defaults/datenschutz.md) states:

- mail outbox: sent, cancelled or undeliverable messages after QW_RETENTION_MAIL_DAYS (30);
- login sessions, API tokens and confirmation links QW_RETENTION_TOKEN_DAYS (7) after they expired or were
  ended (a used confirmation link answers "already confirmed" for that long); unused invitations likewise;
- rate-limit events after 24 hours (app/ratelimit.RETENTION);
- the audit log's entries about persons after QW_RETENTION_AUDIT_DAYS (365); the entries documenting the
  procedure (app/audit.RECORD_ACTIONS) are kept.
"""

from datetime import datetime, timedelta

from sqlalchemy import and_, delete, or_
from sqlmodel import Session

from app import audit, ratelimit
from app.accounts.models import AuthToken, Invitation
from app.db import utcnow
from app.notifications import service as mail
from app.settings import get_settings

EVERY = timedelta(hours=1)


def purge_tokens(session: Session, *, before: datetime) -> int:
    """Delete tokens that expired or were revoked before `before`, and invitations that expired unused."""
    tokens = session.exec(delete(AuthToken).where(or_(AuthToken.expires_at < before, AuthToken.revoked_at < before)))
    invitations = session.exec(delete(Invitation).where(and_(Invitation.used_at.is_(None),
                                                             Invitation.expires_at < before)))
    return (tokens.rowcount or 0) + (invitations.rowcount or 0)


def purge(session: Session, now: datetime | None = None) -> dict[str, int]:
    """Delete everything past its period, in the caller's transaction; how many rows of each kind."""
    now = now or utcnow()
    settings = get_settings()
    return {
        "mails": mail.purge_outbox(session, before=now - timedelta(days=settings.retention_mail_days)),
        "tokens": purge_tokens(session, before=now - timedelta(days=settings.retention_token_days)),
        "rate_limits": ratelimit.purge(session, now=now),
        "audit": audit.purge(session, before=now - timedelta(days=settings.retention_audit_days)),
    }


def periodic(session: Session, now: datetime) -> dict[str, int] | None:
    """The worker's job: purge at most once an hour (across all workers and processes)."""
    if not mail.at_most_every(session, "retention", EVERY, now):
        return None
    return purge(session, now)
