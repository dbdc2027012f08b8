"""Append-only audit log of privileged actions (invariant 7): who, when, what.

Nothing in the app changes or deletes an entry; only the retention job (app/accounts/retention.py) deletes the
entries about persons once they are older than QW_RETENTION_AUDIT_DAYS. The entries that document the procedure
itself (RECORD_ACTIONS: what was published, answered, decided, opened and closed) are part of the official record
and are kept as long as the platform's data are kept.
"""

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, Text, delete
from sqlmodel import Field, Session, SQLModel, select

from app.db import UTCDateTime, utcnow
from app.web.i18n import N_

# What the log shows for each action code (German; translated where shown). Every code passed to record() is here.
ACTION_LABELS = {
    "account.register": N_("Konto registriert"),
    "account.delete": N_("Konto gelöscht"),
    "user.create": N_("Konto angelegt"),
    "user.role": N_("Rolle geändert"),
    "user.block": N_("Konto gesperrt"),
    "user.unblock": N_("Sperre aufgehoben"),
    "invitation.create": N_("Einladung verschickt"),
    "invitation.accept": N_("Einladung angenommen"),
    "document.create": N_("Dokument angelegt"),
    "document.import": N_("Entwurf aus Datei übernommen"),
    "chapter.create": N_("Kapitel angelegt"),
    "chapter.rename": N_("Kapitel umbenannt"),
    "chapter.move": N_("Kapitel verschoben"),
    "section.create": N_("Abschnitt angelegt"),
    "section.rename": N_("Abschnitt umbenannt"),
    "section.move": N_("Abschnitt verschoben"),
    "draft.save": N_("Entwurf gespeichert"),
    "amendment.adopt": N_("Änderungsvorschlag in den Entwurf übernommen"),
    "version.publish": N_("Fassung veröffentlicht"),
    "edition.publish": N_("Gesamtfassung veröffentlicht"),
    "round.create": N_("Beteiligungsrunde angelegt"),
    "round.update": N_("Beteiligungsrunde geändert"),
    "round.open": N_("Beteiligungsrunde geöffnet"),
    "round.close": N_("Beteiligungsrunde geschlossen"),
    "round.evaluate": N_("Beteiligungsrunde als ausgewertet markiert"),
    "response.set": N_("Stellungnahme abgegeben"),
    "idea.status": N_("Status einer Idee geändert"),
    "comment.hide": N_("Beitrag ausgeblendet"),
    "comment.restore": N_("Beitrag wieder eingeblendet"),
    "idea.hide": N_("Idee ausgeblendet"),
    "idea.restore": N_("Idee wieder eingeblendet"),
    "flag.dismiss": N_("Meldungen zurückgewiesen"),
    "platform.import": N_("Plattform importiert"),
    "site_page.edit": N_("Seite der Stadt geändert"),
    "barrier.status": N_("Status einer Barriere-Meldung geändert"),
    "event.create": N_("Werkstatt angelegt"),
    "event.update": N_("Werkstatt geändert"),
    "event.open": N_("Anmeldung zur Werkstatt geöffnet"),
    "event.close": N_("Anmeldung zur Werkstatt geschlossen"),
    "event.cancel": N_("Werkstatt abgesagt"),
    "event.minutes": N_("Protokoll der Werkstatt veröffentlicht"),
    "event.attachment": N_("Anhang zum Protokoll hinzugefügt"),
    "event.attachment_delete": N_("Anhang zum Protokoll entfernt"),
    "casework.assign": N_("Beitrag zugewiesen"),
    "note.add": N_("Interne Notiz geschrieben"),
    "response.draft": N_("Antwortentwurf gespeichert"),
    "response.approve": N_("Antwort freigegeben"),
    "unit.add": N_("Zuständigkeit angelegt"),
    "unit.change": N_("Zuständigkeit geändert"),
}
# The procedure's record: kept (the city archives or deletes it with the procedure, by its own rules).
RECORD_ACTIONS = frozenset({
    "document.create", "document.import", "chapter.create", "chapter.rename", "chapter.move", "section.create",
    "section.rename", "section.move", "draft.save", "amendment.adopt", "version.publish", "edition.publish",
    "round.create", "round.update", "round.open", "round.close", "round.evaluate", "response.set",
    "response.approve", "idea.status", "platform.import", "site_page.edit", "event.create", "event.update",
    "event.open", "event.close", "event.cancel", "event.minutes", "event.attachment", "event.attachment_delete",
    "unit.add", "unit.change",
})
# About persons (accounts, roles, blocks, invitations, moderation, internal casework): deleted after the period.
PERSONAL_ACTIONS = frozenset({
    "account.register", "account.delete", "user.create", "user.role", "user.block", "user.unblock",
    "invitation.create", "invitation.accept", "comment.hide", "comment.restore", "idea.hide", "idea.restore",
    "flag.dismiss", "barrier.status", "casework.assign", "note.add", "response.draft",
})
TARGET_LABELS = {
    "user": N_("Konto"), "invitation": N_("Einladung"), "document": N_("Dokument"), "chapter": N_("Kapitel"),
    "section": N_("Abschnitt"), "edition": N_("Gesamtfassung"), "round": N_("Beteiligungsrunde"),
    "comment": N_("Beitrag"), "idea": N_("Idee"), "platform": N_("Plattform"),
    "site_page": N_("Seite"), "barrier_report": N_("Barriere-Meldung"), "event": N_("Werkstatt"),
    "unit": N_("Zuständigkeit"),
}


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    actor_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=True, index=True)
    )
    action: str = Field(max_length=64, index=True)
    target_type: str = Field(max_length=32)
    target_id: int | None = None
    summary: str = Field(default="", sa_type=Text)


def record(session: Session, *, actor_id: int | None, action: str, target_type: str,
           target_id: int | None = None, summary: str = "") -> AuditEntry:
    """Add an entry to the caller's transaction; it commits or rolls back with the action it records."""
    entry = AuditEntry(actor_id=actor_id, action=action, target_type=target_type,
                       target_id=target_id, summary=summary[:2000])
    session.add(entry)
    return entry


def list_entries(session: Session, *, page: int, per_page: int, action: str | None = None):
    """Newest first, paginated: (entries, total)."""
    from sqlalchemy import func

    query = select(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(AuditEntry.id.desc()).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return rows, total


def purge(session: Session, *, before: datetime) -> int:
    """Delete the entries about persons created before `before` (the procedure's record stays); how many."""
    result = session.exec(delete(AuditEntry).where(AuditEntry.created_at < before,
                                                   AuditEntry.action.not_in(RECORD_ACTIONS)))
    return result.rowcount or 0
