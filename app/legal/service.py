"""Site pages the city edits (versions, word diff), consent to terms and privacy text, barrier reports."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app import audit, ratelimit
from app.accounts.models import Role, User
from app.db import utcnow
from app.documents import diff
from app.errors import Conflict, Invalid, NotFound
from app.legal.models import BarrierReport, Consent, SitePageVersion
from app.legal.schemas import BarrierIn, BarrierStatusIn, PageEdit
from app.notifications import service as mail
from app.settings import get_settings
from app.web import markdown
from app.web.i18n import N_
from app.web.i18n import gettext as _

DEFAULTS = Path(__file__).resolve().parent / "defaults"
TERMS, PRIVACY = "nutzungsbedingungen", "datenschutz"
CONSENT_PAGES = (TERMS, PRIVACY)


@dataclass(frozen=True)
class PageInfo:
    slug: str
    title: str  # German (gettext msgid)
    route: str  # the route name of the page


PAGES = {p.slug: p for p in (
    PageInfo("impressum", N_("Impressum"), "imprint"),
    PageInfo("datenschutz", N_("Datenschutzerklärung"), "privacy"),
    PageInfo("barrierefreiheit", N_("Erklärung zur Barrierefreiheit"), "accessibility"),
    PageInfo("nutzungsbedingungen", N_("Nutzungsbedingungen und Netiquette"), "terms"),
    PageInfo("leichte-sprache", N_("Leichte Sprache"), "easy_language"),
)}
BARRIER_STATUS_LABELS = {"neu": N_("neu"), "in_bearbeitung": N_("in Bearbeitung"), "erledigt": N_("erledigt")}
BARRIER_RATE_PER_HOUR = 5


def page_info(slug: str) -> PageInfo:
    info = PAGES.get(slug)
    if info is None:
        raise NotFound(_("Diese Seite gibt es nicht."))
    return info


@cache
def default_text(slug: str) -> str:
    return (DEFAULTS / f"{slug}.md").read_text(encoding="utf-8")


@dataclass
class PageVersion:
    slug: str
    number: int
    body: str
    note: str
    renews_consent: bool
    created_at: datetime | None  # None: the built-in default, never edited
    editor: str | None

    @property
    def html(self) -> str:
        return page_html(self.body)


def page_html(body: str) -> str:
    """The shared sanitised Markdown, with headings one level up: on these pages a "## Heading" follows the
    page's h1 directly (user text elsewhere starts at h3 below the page's own h2)."""
    html = markdown.render(body)
    for level in (3, 4, 5, 6):  # only the exact tags the sanitiser lets through
        html = html.replace(f"<h{level}>", f"<h{level - 1}>").replace(f"</h{level}>", f"</h{level - 1}>")
    return html


def _default_version(slug: str) -> PageVersion:
    return PageVersion(slug=slug, number=1, body=default_text(slug), note=_("Vorlage der Software"),
                       renews_consent=slug in CONSENT_PAGES, created_at=None, editor=None)


def _view(row: SitePageVersion, editor: str | None) -> PageVersion:
    return PageVersion(slug=row.slug, number=row.number, body=row.body, note=row.note,
                       renews_consent=row.renews_consent, created_at=row.created_at, editor=editor)


def versions(session: Session, slug: str) -> list[PageVersion]:
    """Every version of a page, newest first (the built-in default alone while it was never edited)."""
    page_info(slug)
    rows = session.exec(select(SitePageVersion, User.display_name)
                        .join(User, User.id == SitePageVersion.editor_id, isouter=True)
                        .where(SitePageVersion.slug == slug).order_by(SitePageVersion.number.desc())).all()
    return [_view(row, name) for row, name in rows] or [_default_version(slug)]


def current(session: Session, slug: str) -> PageVersion:
    page_info(slug)
    row = session.exec(select(SitePageVersion).where(SitePageVersion.slug == slug)
                       .order_by(SitePageVersion.number.desc()).limit(1)).first()
    return _view(row, None) if row else _default_version(slug)


@dataclass
class Change:
    version: PageVersion
    previous: PageVersion | None
    diff_html: str | None


def change(session: Session, slug: str, number: int) -> Change:
    """One version with the word diff from the version before it."""
    found = versions(session, slug)
    by_number = {v.number: v for v in found}
    if number not in by_number:
        raise NotFound(_("Diese Fassung gibt es nicht."))
    version, previous = by_number[number], by_number.get(number - 1)
    html = diff.inline_html(diff.word_diff(previous.body, version.body)) if previous else None
    return Change(version=version, previous=previous, diff_html=html)


def save(session: Session, *, actor: User, slug: str, data: PageEdit) -> SitePageVersion:
    """Store a new version of a page (administrators only, checked by the route). Refused when someone saved
    another version since the editor opened the form, or when nothing changed."""
    info = page_info(slug)
    now = current(session, slug)
    if data.base_version != now.number:
        raise Conflict(_("Inzwischen hat jemand eine neuere Fassung gespeichert (Fassung {n}). Bitte laden Sie "
                         "die Seite neu und übertragen Sie Ihre Änderungen.").format(n=now.number))
    body = data.body.replace("\r\n", "\n").strip() + "\n"
    if body.strip() == now.body.strip():
        raise Invalid(_("Der Text ist unverändert."), errors=[("body", _("Der Text ist unverändert."))])
    if now.created_at is None:  # the default becomes version 1, so the history shows what the first edit changed
        session.add(SitePageVersion(slug=slug, number=1, body=now.body, note=now.note,
                                    renews_consent=slug in CONSENT_PAGES, editor_id=None))
    row = SitePageVersion(slug=slug, number=now.number + 1, body=body, note=data.note.strip(),
                          renews_consent=data.renews_consent and slug in CONSENT_PAGES, editor_id=actor.id)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # two saves of the same base at once: the second one loses
        session.rollback()
        raise Conflict(_("Inzwischen hat jemand eine neuere Fassung gespeichert. Bitte laden Sie die Seite "
                         "neu.")) from None
    audit.record(session, actor_id=actor.id, action="site_page.edit", target_type="site_page", target_id=row.id,
                 summary=f"{info.title}, Fassung {row.number}" + (" (erneute Zustimmung)" if row.renews_consent
                                                                  else ""))
    session.commit()
    return row


# --- consent -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Required:
    slug: str
    number: int
    since: datetime | None  # when that version was stored (None: the built-in default)


def required(session: Session) -> dict[str, Required]:
    """The version of the terms and of the privacy text a person must have agreed to: the newest version
    saved with "ask again" (version 1, the default, until then)."""
    rows = session.exec(select(SitePageVersion.slug, SitePageVersion.number, SitePageVersion.created_at)
                        .where(SitePageVersion.slug.in_(CONSENT_PAGES), SitePageVersion.renews_consent.is_(True))
                        .order_by(SitePageVersion.number)).all()
    found = {slug: Required(slug, 1, None) for slug in CONSENT_PAGES}
    for slug, number, created_at in rows:
        if number >= found[slug].number:  # version 1 is the default everyone started with, whenever stored
            found[slug] = Required(slug, number, created_at if number > 1 else None)
    return found


def _last_consent(session: Session, user: User) -> Consent | None:
    return session.exec(select(Consent).where(Consent.user_id == user.id).order_by(Consent.id.desc())
                        .limit(1)).first()


def missing_consent(session: Session, user: User) -> list[str]:
    """The titles of the texts this person has to agree to again before logging in. With a stored consent:
    those of which a newer version asks again. Without (accounts made by the administration, or older than
    consent): those of which a version asking again was published after the account was made."""
    last = _last_consent(session, user)
    missing = []
    for slug, need in required(session).items():
        if last is not None:
            given = last.terms_version if slug == TERMS else last.privacy_version
            if given < need.number:
                missing.append(slug)
        elif need.since is not None and need.since > user.created_at:
            missing.append(slug)
    return [_(PAGES[slug].title) for slug in missing]


def record_consent(session: Session, user: User, occasion: str) -> None:
    """In the caller's transaction: this person agreed to the current versions now."""
    need = required(session)
    session.add(Consent(user_id=user.id, terms_version=need[TERMS].number, privacy_version=need[PRIVACY].number,
                        occasion=occasion))


def export_consents(session: Session, user: User) -> tuple[str, object]:
    rows = session.exec(select(Consent).where(Consent.user_id == user.id).order_by(Consent.id)).all()
    return "consents", [{"terms_version": c.terms_version, "privacy_version": c.privacy_version,
                         "given_at": c.given_at.isoformat(), "occasion": c.occasion} for c in rows]


def erase_consents(session: Session, user: User, erase_texts: bool) -> None:
    """The account goes: what it agreed to goes with it (nothing to agree to any more)."""
    for row in session.exec(select(Consent).where(Consent.user_id == user.id)).all():
        session.delete(row)


# --- barrier reports (BITV 2.0 § 7) ------------------------------------------------------------------------

def report_barrier(session: Session, *, data: BarrierIn, ip: str) -> BarrierReport:
    """Anyone may report; a few per address and hour. The administration and moderation get a mail each."""
    ratelimit.hit(session, [f"barrier:ip:{ip}"], limit=BARRIER_RATE_PER_HOUR, window_seconds=3600)
    report = BarrierReport(page=" ".join(data.page.split()), description=data.description.strip(),
                           contact=(" ".join(data.contact.split()) or None) if data.contact else None)
    session.add(report)
    session.flush()
    staff = session.exec(select(User.email).where(User.role.in_((Role.admin.value, Role.moderator.value)),
                                                  User.is_active.is_(True), User.deleted_at.is_(None),
                                                  User.email.is_not(None))).all()
    url = f"{get_settings().base_url}/verwaltung/barrieren#barriere-{report.id}"
    for email in staff:
        mail.enqueue(session, to=email, subject=_("Neue Barriere-Meldung #{id}").format(id=report.id),
                     body=_("Jemand hat eine Barriere gemeldet.\n\nSeite: {page}\n\nWas ist passiert:\n{text}\n\n"
                            "Kontakt: {contact}\n\nBearbeiten: {url}").format(
                         page=report.page, text=report.description, contact=report.contact or _("keine Angabe"),
                         url=url), kind="barrier")
    session.commit()
    return report


@dataclass
class BarrierQueue:
    reports: list[BarrierReport]
    counts: dict[str, int]


def barrier_queue(session: Session, *, status: str | None = None, limit: int = 200) -> BarrierQueue:
    counts = dict(session.exec(select(BarrierReport.status, func.count()).group_by(BarrierReport.status)).all())
    query = select(BarrierReport)
    if status in BARRIER_STATUS_LABELS:
        query = query.where(BarrierReport.status == status)
    order = {"neu": 0, "in_bearbeitung": 1, "erledigt": 2}
    rows = sorted(session.exec(query.order_by(BarrierReport.id.desc()).limit(limit)).all(),
                  key=lambda r: order.get(r.status, 3))
    return BarrierQueue(reports=rows, counts={s: counts.get(s, 0) for s in BARRIER_STATUS_LABELS})


def set_barrier_status(session: Session, *, actor: User, report_id: int, data: BarrierStatusIn) -> BarrierReport:
    report = session.get(BarrierReport, report_id) if 0 < report_id < 2**31 else None
    if report is None:
        raise NotFound(_("Diese Meldung gibt es nicht."))
    if report.status != data.status:
        old = report.status
        report.status = data.status
        report.updated_at = utcnow()
        session.add(report)
        audit.record(session, actor_id=actor.id, action="barrier.status", target_type="barrier_report",
                     target_id=report.id,
                     summary=f"{BARRIER_STATUS_LABELS[old]} → {BARRIER_STATUS_LABELS[data.status]}")
    session.commit()
    return report
