"""Input and output shapes of the accounts domain."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from app.accounts.models import OrganisationKind, Role
from app.validation import Line, Name

Password = Field(min_length=10, max_length=200)
# Consent (registration, invitation acceptance, and login after the city published a new version of a text).
ACCEPT_TERMS = Field(False, description="Die Person bestätigt die Nutzungsbedingungen (geltende Fassung). "
                     "Pflicht (true) bei Registrierung und Annahme einer Einladung, und bei der Anmeldung, "
                     "wenn eine neue Fassung erschienen ist (sonst 403 mit errors[].field = accept_terms).")
ACKNOWLEDGE_PRIVACY = Field(False, description="Die Person hat die Datenschutzerklärung (geltende Fassung) zur "
                            "Kenntnis genommen. Pflicht wie accept_terms.")


def _clean(value: str) -> str:
    return " ".join(value.split())  # after check_text (the Name type) refused control characters


class RegisterIn(BaseModel):
    email: EmailStr
    display_name: Name = Field(min_length=2, max_length=80)
    password: str = Password
    accept_terms: bool = ACCEPT_TERMS
    acknowledge_privacy: bool = ACKNOWLEDGE_PRIVACY

    _clean_name = field_validator("display_name")(_clean)


class TokenIn(BaseModel):
    email: Line = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=200)
    accept_terms: bool = ACCEPT_TERMS
    acknowledge_privacy: bool = ACKNOWLEDGE_PRIVACY


class UserCreate(BaseModel):
    email: EmailStr
    display_name: Name = Field(min_length=2, max_length=80)
    role: Role
    organisation: Name | None = Field(default=None, max_length=160)
    organisation_kind: OrganisationKind | None = None
    password: str | None = Field(default=None, min_length=10, max_length=200)

    _clean_name = field_validator("display_name")(_clean)


class InvitationIn(BaseModel):
    email: EmailStr
    organisation: Name = Field(min_length=2, max_length=160)
    organisation_kind: OrganisationKind | None = None


class AcceptInvitationIn(BaseModel):
    display_name: Name = Field(min_length=2, max_length=80)
    password: str = Password
    accept_terms: bool = ACCEPT_TERMS
    acknowledge_privacy: bool = ACKNOWLEDGE_PRIVACY

    _clean_name = field_validator("display_name")(_clean)


class RoleChange(BaseModel):
    role: Role
    organisation: Name | None = Field(default=None, max_length=160)


class NotificationSettings(BaseModel):
    notify_replies: bool = False
    notify_versions: bool = False


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    display_name: str
    role: str
    organisation: str | None = None


class Me(UserPublic):
    email: str | None
    organisation_kind: str | None = None
    notify_replies: bool
    notify_versions: bool
    # the further notice settings of /konto (see README "Benachrichtigungen")
    notify_responses: bool = True
    notify_idea_status: bool = True
    notify_rounds: bool = True
    notify_flags: bool = True
    notify_moderation: bool = True
    notify_block: bool = True
    notify_digest: bool = False
    created_at: datetime


class TokenOut(BaseModel):
    token: str
    user: Me


class InvitationOut(BaseModel):
    id: int
    email: str
    organisation: str
    token: str
    url: str
    expires_at: datetime


class RegisterOut(BaseModel):
    detail: str
