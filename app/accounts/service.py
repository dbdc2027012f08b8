"""Accounts: registration, login tokens, invitations, roles, personal data and account deletion."""

import contextlib
import functools
import hashlib
import secrets
import unicodedata
from collections.abc import Callable
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import bindparam, func, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.postgresql import psycopg
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, select

from app import audit, ratelimit
from app.accounts import passwords
from app.accounts.models import ROLE_LABELS, AuthToken, Invitation, Role, User
from app.accounts.schemas import (
    AcceptInvitationIn,
    InvitationIn,
    RegisterIn,
    RoleChange,
    TokenIn,
    UserCreate,
)
from app.db import UTCDateTime, utcnow
from app.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from app.notifications import service as mail
from app.settings import get_settings
from app.web import i18n
from app.web.i18n import gettext as _

DELETED_NAME = "gelöschtes Konto"
REGISTER_DONE = ("Fast geschafft: Wir haben Ihnen eine E-Mail mit einem Bestätigungslink geschickt. "
                 "Bitte bestätigen Sie Ihre Adresse, danach können Sie sich anmelden.")

# What other domains hold about a person (Meine Daten) and how to erase it on account deletion, keeping imports
# pointing one way: accounts never imports them. Filled by app.wiring.wire() at start (app and CLI).
DataExporter = Callable[[Session, User], tuple[str, object]]
Eraser = Callable[[Session, User, bool], None]
DATA_EXPORTERS: list[DataExporter] = []
ERASERS: list[Eraser] = []

# Consent to the texts the city publishes (Nutzungsbedingungen, Datenschutzerklärung; app/legal): which of them a
# person still has to agree to (titles), and recording that they agreed now (register | invitation | login).
# Filled by app.wiring.wire().
ConsentMissing = Callable[[Session, User], list[str]]
ConsentRecorder = Callable[[Session, User, str], None]
CONSENT_MISSING: list[ConsentMissing] = []
CONSENT_RECORDERS: list[ConsentRecorder] = []


class ConsentRequired(Forbidden):
    """Login refused until the person agrees to the new versions of the texts in `missing` (titles)."""

    def __init__(self, missing: list[str]):
        message = _("Die Stadt hat eine neue Fassung veröffentlicht: {texts}. Bitte lesen Sie sie und stimmen Sie "
                    "zu, um sich anzumelden. Ohne Zustimmung bleiben Sie abgemeldet; Ihr Konto bleibt "
                    "bestehen.").format(texts=", ".join(missing))
        super().__init__(message, errors=[("accept_terms", message), ("acknowledge_privacy", message)])
        self.missing = missing


def consent_errors(*, accept_terms: bool, acknowledge_privacy: bool) -> list[tuple[str, str]]:
    """The message beside each consent box that is not ticked."""
    errors = []
    if not accept_terms:
        errors.append(("accept_terms", _("Bitte bestätigen Sie die Nutzungsbedingungen.")))
    if not acknowledge_privacy:
        errors.append(("acknowledge_privacy",
                       _("Bitte bestätigen Sie, dass Sie die Datenschutzerklärung zur Kenntnis genommen haben.")))
    return errors


def _require_consent(data) -> None:
    """Registration and invitation acceptance: both boxes ticked, or 422 with the field that is missing."""
    errors = consent_errors(accept_terms=data.accept_terms, acknowledge_privacy=data.acknowledge_privacy)
    if errors:
        raise Invalid(errors[0][1] if len(errors) == 1 else _("Bitte bestätigen Sie die Nutzungsbedingungen und "
                                                              "die Kenntnisnahme der Datenschutzerklärung."),
                      errors=errors)


def _record_consent(session: Session, user: User, occasion: str) -> None:
    for record in CONSENT_RECORDERS:
        record(session, user, occasion)


def missing_consent(session: Session, user: User) -> list[str]:
    return [title for check in CONSENT_MISSING for title in check(session, user)]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    """The one spelling in which an address is stored and looked up (registration, invitation, login,
    accounts made by the administration): email-validator's normal form (Unicode NFC, the domain's IDN in
    Unicode, so "xn--bcher-kva.example" is "bücher.example"), then lower case. An address that is not valid
    keeps its NFC lower-case spelling: it finds no account."""
    value = unicodedata.normalize("NFC", email.strip())
    with contextlib.suppress(EmailNotValidError):
        value = validate_email(value, check_deliverability=False).normalized
    return value.lower()


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        raise NotFound(_("Dieses Konto gibt es nicht."))
    return user


def _user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normalise_email(email))).first()


# --- registration and e-mail confirmation ---------------------------------------------------------

def register_resident(session: Session, *, data: RegisterIn, ip: str) -> str:
    """Create an unconfirmed resident account and mail a confirmation link.

    The answer is the same whether or not the address is known (no account enumeration); a known
    address gets a hint by mail instead.
    """
    _require_consent(data)
    ratelimit.hit(session, [f"register:ip:{ip}"], limit=20, window_seconds=3600)
    email = normalise_email(str(data.email))
    existing = _user_by_email(session, email)
    if existing is not None:
        mail.enqueue(session, to=email, subject=_("Ihr Konto bei der Quartierswerkstatt"),
                     body=_("Jemand hat versucht, mit Ihrer Adresse ein neues Konto anzulegen. "
                            "Sie haben bereits ein Konto; melden Sie sich an: {url}/anmelden")
                     .format(url=get_settings().base_url), kind="account")
        session.commit()
        return _(REGISTER_DONE)
    user = User(email=email, display_name=data.display_name, role=Role.resident.value,
                password_hash=passwords.hash_password(data.password))
    session.add(user)
    session.flush()
    _record_consent(session, user, "register")
    token = _new_token(session, user=user, kind="verify", days=3)
    mail.enqueue(session, to=email, subject=_("Bitte bestätigen Sie Ihre E-Mail-Adresse"),
                 body=_("Willkommen bei der Quartierswerkstatt! Bitte bestätigen Sie Ihre Adresse: "
                        "{url}/konto/bestaetigen/{token}").format(url=get_settings().base_url, token=token),
                 kind="verify")
    audit.record(session, actor_id=user.id, action="account.register", target_type="user",
                 target_id=user.id)
    session.commit()
    return _(REGISTER_DONE)


def confirm_email(session: Session, *, token: str) -> bool:
    """Confirm the address the link was sent to; False when it was confirmed already (the link opened again)."""
    row = session.exec(select(AuthToken).where(AuthToken.token_hash == _hash(token),
                                               AuthToken.kind == "verify")).first()
    user = session.get(User, row.user_id) if row is not None else None
    if user is not None and user.deleted_at is None and user.email_verified_at is not None:
        return False
    if row is None or user is None or user.deleted_at is not None or row.revoked_at is not None \
            or row.expires_at < utcnow():
        raise NotFound(_("Dieser Bestätigungslink ist ungültig oder abgelaufen."))
    user.email_verified_at = utcnow()
    row.revoked_at = utcnow()
    session.add_all([user, row])
    session.commit()
    return True


# --- tokens: web sessions and API tokens ---------------------------------------------------------

def _new_token(session: Session, *, user: User, kind: str, days: int) -> str:
    token = secrets.token_urlsafe(32)
    session.add(AuthToken(user_id=user.id, kind=kind, token_hash=_hash(token),
                          expires_at=utcnow() + timedelta(days=days)))
    return token


def authenticate(session: Session, *, data: TokenIn, ip: str) -> User:
    """Check e-mail and password with rate limits per account and per address; one answer for all failures."""
    settings = get_settings()
    email = normalise_email(data.email)
    keys = [f"login:acct:{email}", f"login:ip:{ip}"]
    ratelimit.check(session, keys, limit=settings.login_max_failures,
                    window_seconds=settings.login_window_seconds)
    user = _user_by_email(session, email)
    ok = passwords.verify_password(user.password_hash if user else None, data.password)
    if not ok or user is None or not user.is_active or user.deleted_at is not None:
        ratelimit.record_failure(session, keys)
        raise Unauthorized(_("E-Mail-Adresse oder Passwort ist falsch."))
    if user.email_verified_at is None:
        raise Unauthorized(_("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse über den Link in unserer E-Mail."))
    return user


def login(session: Session, *, data: TokenIn, ip: str, kind: str = "session") -> tuple[User, str]:
    """Authenticate and issue a new session or API token."""
    user = authenticate(session, data=data, ip=ip)
    missing = missing_consent(session, user)
    if missing:  # a new version of the terms or the privacy text: agree first, or stay logged out
        if not (data.accept_terms and data.acknowledge_privacy):
            raise ConsentRequired(missing)
        _record_consent(session, user, "login")
    settings = get_settings()
    days = settings.session_days if kind == "session" else settings.api_token_days
    token = _new_token(session, user=user, kind=kind, days=days)
    session.commit()
    return user, token


# The one rule for a valid token (session cookie or API token): its hash and kind match, it is neither revoked
# nor expired, and its account is active and not deleted. Both lookups below are built from it once (a statement
# built per call costs more than the lookup itself): the ORM's and the plain row read on the event loop.
_VALID_TOKEN = (AuthToken.token_hash == bindparam("token_hash"), AuthToken.kind == bindparam("kind"),
                AuthToken.revoked_at.is_(None), AuthToken.expires_at > bindparam("now", type_=UTCDateTime),
                User.is_active.is_(True), User.deleted_at.is_(None))
_USER_FOR_TOKEN = select(User).join(AuthToken, AuthToken.user_id == User.id).where(*_VALID_TOKEN)


def _usable(token: str | None) -> bool:
    return bool(token) and len(token) <= 200


def user_for_token(session: Session, token: str | None, *, kind: str) -> User | None:
    if not _usable(token):
        return None
    return session.exec(_USER_FOR_TOKEN, params={"token_hash": _hash(token), "kind": kind, "now": utcnow()}).first()


_USER_COLUMNS = tuple(User.__table__.columns)
_USER_ROW_FOR_TOKEN = select(*_USER_COLUMNS).join(AuthToken, AuthToken.user_id == User.id).where(*_VALID_TOKEN)


def _dialect(dialect_name: str):
    return sqlite.dialect(paramstyle="qmark") if dialect_name == "sqlite" else psycopg.dialect(paramstyle="qmark")


@functools.cache
def _plain_sql(statement, dialect_name: str) -> str:
    compiled = statement.compile(dialect=_dialect(dialect_name))
    assert list(compiled.positiontup) == ["token_hash", "kind", "now"]
    return str(compiled)


def _plain_query(statement, token: str | None, kind: str, dialect_name: str) -> tuple[str, tuple] | None:
    if not _usable(token):
        return None
    now = utcnow().replace(tzinfo=None)  # UTCDateTime stores naive UTC (on SQLite as SQLAlchemy's text form)
    return _plain_sql(statement, dialect_name), (
        _hash(token), kind, now.strftime("%Y-%m-%d %H:%M:%S.%f") if dialect_name == "sqlite" else now)


def user_row_query(token: str | None, *, kind: str, dialect_name: str) -> tuple[str, tuple] | None:
    """The same rule as user_for_token as one plain DB-API query (`?` placeholders) for the user's whole row, and
    its parameters; None: no usable token. Read on the event loop without a session or a trip through the thread
    pool (app/deps.py); `user_from_row` makes the User of it, `user_id_of_row` gives its id."""
    return _plain_query(_USER_ROW_FOR_TOKEN, token, kind, dialect_name)


_ID_AT = [column.key for column in _USER_COLUMNS].index("id")


def user_id_of_row(row: tuple) -> int:
    return row[_ID_AT]


@functools.cache
def _user_processors(dialect_name: str) -> tuple:
    dialect = _dialect(dialect_name)
    return tuple((column.key, column.type.dialect_impl(dialect).result_processor(dialect, None))
                 for column in _USER_COLUMNS)


def user_from_row(row: tuple, *, dialect_name: str) -> User:
    """The User of a row of `user_row_query`, with the values SQLAlchemy would give (dates, flags) and detached,
    as if loaded by a session that has closed: a request's session takes it up without SQL (session.add).
    Made as the ORM makes each row it loads: the class's bare instance, the values put into its dict. The
    constructor would send each of the 21 values through pydantic's and SQLAlchemy's attribute hooks, which cost
    every logged-in request (each write among them) a twentieth of a millisecond."""
    user = _USER_MANAGER.new_instance()
    user.__dict__.update({key: value if process is None or value is None else process(value)
                          for (key, process), value in zip(_user_processors(dialect_name), row, strict=True)})
    make_transient_to_detached(user)
    return user


_USER_MANAGER = sa_inspect(User).class_manager


def revoke_token(session: Session, token: str | None) -> None:
    if token:
        session.exec(update(AuthToken).where(AuthToken.token_hash == _hash(token))
                     .values(revoked_at=utcnow()))
        session.commit()


# --- administration ------------------------------------------------------------------------------

def create_user(session: Session, *, actor: User | None, data: UserCreate) -> User:
    """Admin (or the CLI, actor None) creates a confirmed account with any role."""
    email = normalise_email(str(data.email))
    if _user_by_email(session, email):
        raise Conflict(_("Für diese E-Mail-Adresse gibt es bereits ein Konto."), errors=[("email", _(
            "Für diese E-Mail-Adresse gibt es bereits ein Konto."))])
    user = User(email=email, display_name=data.display_name, role=data.role.value,
                organisation=data.organisation,
                organisation_kind=data.organisation_kind.value if data.organisation_kind else None,
                password_hash=passwords.hash_password(data.password) if data.password else None,
                email_verified_at=utcnow())
    session.add(user)
    session.flush()
    audit.record(session, actor_id=actor.id if actor else None, action="user.create", target_type="user",
                 target_id=user.id, summary=f"Rolle: {ROLE_LABELS[user.role]}")
    session.commit()
    return user


def list_users(session: Session, *, page: int, per_page: int, q: str = "") -> tuple[list[User], int]:
    query = select(User).where(User.deleted_at.is_(None))
    if q:
        like = f"%{q.lower()}%"
        query = query.where(func.lower(User.display_name).like(like) | User.email.like(like))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(User.id).offset((page - 1) * per_page).limit(per_page)).all()
    return list(rows), total


def change_role(session: Session, *, actor: User, user_id: int, data: RoleChange) -> User:
    user = get_user(session, user_id)
    if user.id == actor.id and data.role != Role.admin:
        raise Conflict(_("Sie können Ihre eigene Administrationsrolle nicht entziehen."))
    old = user.role
    user.role = data.role.value
    if data.organisation is not None:
        user.organisation = data.organisation.strip() or None
    session.add(user)
    audit.record(session, actor_id=actor.id, action="user.role", target_type="user", target_id=user.id,
                 summary=f"{ROLE_LABELS[old]} → {ROLE_LABELS[user.role]}")
    session.commit()
    return user


# --- invitations ---------------------------------------------------------------------------------

def invite_expert(session: Session, *, actor: User, data: InvitationIn) -> tuple[Invitation, str]:
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        token_hash=_hash(token), email=normalise_email(str(data.email)),
        organisation=" ".join(data.organisation.split()),
        organisation_kind=data.organisation_kind.value if data.organisation_kind else None,
        invited_by_id=actor.id, expires_at=utcnow() + timedelta(days=get_settings().invitation_days))
    session.add(invitation)
    session.flush()
    url = invitation_url(token)
    mail.enqueue(session, to=invitation.email, subject=_("Einladung zur Rahmenkonzeption soziale Quartiersentwicklung"),
                 body=_("Sie sind als Expertin oder Experte für {org} eingeladen. Ihr persönlicher Link "
                        "(gültig bis {date}): {url}").format(org=invitation.organisation,
                                                            date=i18n.format_date(invitation.expires_at), url=url),
                 kind="invitation")
    audit.record(session, actor_id=actor.id, action="invitation.create", target_type="invitation",
                 target_id=invitation.id, summary=f"{invitation.email} ({invitation.organisation})")
    session.commit()
    return invitation, token


def invitation_url(token: str) -> str:
    return f"{get_settings().base_url}/einladung/{token}"


def open_invitation(session: Session, *, token: str) -> Invitation:
    invitation = session.exec(select(Invitation).where(Invitation.token_hash == _hash(token[:200]))).first()
    if invitation is None or invitation.used_at is not None or invitation.expires_at < utcnow():
        raise NotFound(_("Diese Einladung ist ungültig, abgelaufen oder wurde bereits verwendet."))
    return invitation


def accept_invitation(session: Session, *, token: str, data: AcceptInvitationIn) -> User:
    invitation = open_invitation(session, token=token)
    _require_consent(data)
    if _user_by_email(session, invitation.email):
        raise Conflict(_("Für diese E-Mail-Adresse gibt es bereits ein Konto. Bitte wenden Sie sich an "
                         "die Projektleitung, damit sie Ihrem Konto die Rolle Expert*in gibt."))
    user = User(email=invitation.email, display_name=data.display_name, role=Role.expert.value,
                organisation=invitation.organisation, organisation_kind=invitation.organisation_kind,
                password_hash=passwords.hash_password(data.password), email_verified_at=utcnow())
    session.add(user)
    session.flush()
    # Single use, even under two concurrent clicks: only one UPDATE finds used_at empty.
    claimed = session.exec(update(Invitation).where(Invitation.id == invitation.id,
                                                    Invitation.used_at.is_(None))
                           .values(used_at=utcnow(), user_id=user.id))
    if claimed.rowcount != 1:
        session.rollback()
        raise NotFound(_("Diese Einladung ist ungültig, abgelaufen oder wurde bereits verwendet."))
    _record_consent(session, user, "invitation")
    audit.record(session, actor_id=user.id, action="invitation.accept", target_type="invitation",
                 target_id=invitation.id)
    session.commit()
    return user


# --- the person's own data ----------------------------------------------------------------------

# The kinds of notice a person switches on or off in /konto (column of user_account → on by default).
NOTICE_SETTINGS = ("notify_responses", "notify_idea_status", "notify_replies", "notify_versions", "notify_rounds",
                   "notify_moderation", "notify_block", "notify_flags")
STAFF_ONLY_SETTINGS = {"notify_flags": (Role.moderator.value, Role.admin.value)}


def update_notifications(session: Session, *, user: User, chosen: set[str], digest: bool) -> User:
    """Store which notices the person wants (each kind on or off) and whether as one daily digest. Settings
    the person's role does not offer keep their value. Turning the digest off sends what was held at once."""
    user = session.exec(select(User).where(User.id == user.id).with_for_update()
                        .execution_options(populate_existing=True)).one()
    for name in NOTICE_SETTINGS:
        roles = STAFF_ONLY_SETTINGS.get(name)
        if roles is None or user.role in roles:
            setattr(user, name, name in chosen)
    if user.notify_digest and not digest:
        mail.release_digest(session, user.email)
    user.notify_digest = digest
    session.add(user)
    session.commit()
    return user


def export_my_data(session: Session, *, user: User) -> dict:
    """Everything the platform holds about this person (GDPR Art. 15/20)."""
    data: dict[str, object] = {
        "account": {
            "id": user.id, "email": user.email, "display_name": user.display_name, "role": user.role,
            "organisation": user.organisation, "organisation_kind": user.organisation_kind,
            "notify_replies": user.notify_replies, "notify_versions": user.notify_versions,
            **{name: getattr(user, name) for name in (*NOTICE_SETTINGS, "notify_digest")},
            "created_at": user.created_at.isoformat(),
            "email_verified_at": user.email_verified_at.isoformat() if user.email_verified_at else None,
        },
        "sessions_and_tokens": [
            {"kind": t.kind, "created_at": t.created_at.isoformat(), "expires_at": t.expires_at.isoformat(),
             "revoked": t.revoked_at is not None}
            for t in session.exec(select(AuthToken).where(AuthToken.user_id == user.id)).all()
            if t.kind != "verify"
        ],
    }
    for exporter in DATA_EXPORTERS:
        key, value = exporter(session, user)
        data[key] = value
    return data


def delete_account(session: Session, *, user: User, password: str, erase_texts: bool) -> None:
    """Anonymise the account; contributions stay, shown as "gelöschtes Konto" (invariant 6)."""
    if user.password_hash and not passwords.verify_password(user.password_hash, password):
        raise Invalid(_("Das Passwort ist falsch."), errors=[("password", _("Das Passwort ist falsch."))])
    if user.role == Role.admin.value:
        admins = session.exec(select(func.count()).where(User.role == Role.admin.value,
                                                        User.deleted_at.is_(None))).one()
        if admins <= 1:
            raise Forbidden(_("Das letzte Administrationskonto kann nicht gelöscht werden."))
    for eraser in ERASERS:
        eraser(session, user, erase_texts)
    session.exec(update(AuthToken).where(AuthToken.user_id == user.id).values(revoked_at=utcnow()))
    user.email = None
    user.display_name = DELETED_NAME
    user.password_hash = None
    user.organisation = None
    user.is_active = False
    user.deleted_at = utcnow()
    user.notify_replies = user.notify_versions = False
    session.add(user)
    audit.record(session, actor_id=user.id, action="account.delete", target_type="user", target_id=user.id,
                 summary="erase_texts" if erase_texts else "")
    session.commit()
