"""Users, their login tokens (web sessions and API tokens) and expert invitations."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow
from app.web.i18n import N_


class Role(StrEnum):
    admin = "admin"
    lead = "lead"
    moderator = "moderator"
    expert = "expert"
    resident = "resident"
    facilitator = "facilitator"  # Moderation vor Ort: records contributions from workshops, letters, calls


ROLE_VALUES = tuple(r.value for r in Role)

# German labels (gettext msgids) of roles and organisation kinds, for pages.
ROLE_LABELS = {"admin": N_("Administration"), "lead": N_("Projektleitung"), "moderator": N_("Moderation"),
               "expert": N_("Expert*in"), "resident": N_("Bürger*in"),
               "facilitator": N_("Moderation vor Ort")}


class OrganisationKind(StrEnum):
    amt = "amt"
    traeger = "traeger"
    wohnungsunternehmen = "wohnungsunternehmen"
    verein = "verein"
    wissenschaft = "wissenschaft"
    sonstige = "sonstige"


ORGANISATION_KIND_LABELS = {"amt": N_("Amt"), "traeger": N_("Träger"),
                            "wohnungsunternehmen": N_("Wohnungsunternehmen"), "verein": N_("Verein"),
                            "wissenschaft": N_("Wissenschaft"), "sonstige": N_("Sonstige")}


class User(SQLModel, table=True):
    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(f"role IN {ROLE_VALUES}", name="role"),
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str | None = Field(default=None, max_length=254, unique=True)  # None once the account is deleted
    display_name: str = Field(max_length=80)
    password_hash: str | None = Field(default=None, max_length=255)
    role: str = Field(max_length=16, index=True)
    organisation: str | None = Field(default=None, max_length=160)
    organisation_kind: str | None = Field(default=None, max_length=32)
    is_active: bool = True
    blocked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    notify_replies: bool = True
    notify_versions: bool = True
    # Further notices (see app/notifications/notices.py); each switchable in /konto. `notify_digest`: one mail a
    # day instead of single mails.
    notify_responses: bool = True
    notify_idea_status: bool = True
    notify_rounds: bool = True
    notify_flags: bool = True
    notify_moderation: bool = True
    notify_block: bool = True
    notify_digest: bool = False
    email_verified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AuthToken(SQLModel, table=True):
    """A browser session, an API bearer token or an e-mail confirmation link; only its hash is stored."""

    __tablename__ = "auth_token"
    __table_args__ = (CheckConstraint("kind IN ('session', 'api', 'verify')", name="kind"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id", ondelete="CASCADE"),
                                          nullable=False, index=True))
    kind: str = Field(max_length=8)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Invitation(SQLModel, table=True):
    """A single-use, expiring invitation for an expert; only the token's hash is stored."""

    __tablename__ = "invitation"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    email: str = Field(max_length=254, index=True)
    organisation: str = Field(max_length=160)
    organisation_kind: str | None = Field(default=None, max_length=32)
    invited_by_id: int = Field(foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    user_id: int | None = Field(default=None, foreign_key="user_account.id")
