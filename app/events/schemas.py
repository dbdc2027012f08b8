"""API shapes of Werkstätten and their registrations."""

from datetime import datetime

from pydantic import BaseModel, Field, field_validator, model_validator

from app.quartiere.schemas import latitude_in_stuttgart, longitude_in_stuttgart
from app.rounds.schemas import BERLIN
from app.validation import Line, Name, Text, check_moment

ONLINE_LINK_MESSAGE = "Bitte einen Link angeben, der mit https:// oder http:// beginnt."
TIMES_MESSAGE = "Das Ende muss nach dem Beginn liegen."


class EventIn(BaseModel):
    round_id: int = Field(ge=1, le=2_147_483_647)
    title: Name = Field(min_length=3, max_length=200)
    description: Text = Field(default="", max_length=20_000)
    district: Line = Field(min_length=1, max_length=80, description="slug or id of the Stadtbezirk")
    quarter_id: int | None = Field(default=None, ge=1, le=2_147_483_647, description="a Stadtteil of the district")
    venue: Name = Field(min_length=2, max_length=200, description="name of the place, e.g. Bürgerhaus Ostheim")
    address: Line = Field(min_length=3, max_length=300)
    step_free: bool = Field(default=False, description="step-free access")
    induction_loop: bool = False
    interpreting: bool = Field(default=False, description="interpreting on request")
    childcare: bool = False
    starts_at: datetime = Field(description="without offset: Europe/Berlin")
    ends_at: datetime
    capacity: int = Field(ge=1, le=10_000, description="places (people)")
    registration_open: bool = True
    online_url: Line | None = Field(default=None, max_length=500,
                                    description="shown only to people with a confirmed registration")
    lat: float | None = Field(default=None, description="the venue on the map: latitude, WGS84 (optional)")
    lon: float | None = Field(default=None, validate_default=True,
                              description="longitude, WGS84; with lat, in Stuttgart and in the chosen Stadtbezirk")

    _lat_in_stuttgart = field_validator("lat")(latitude_in_stuttgart)
    _lon_in_stuttgart = field_validator("lon")(longitude_in_stuttgart)

    @field_validator("district", mode="before")
    @classmethod
    def _district_as_text(cls, value):
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("title", "description", "venue", "address")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("online_url")
    @classmethod
    def _link(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if not value:
            return None
        if not value.lower().startswith(("https://", "http://")) or any(c.isspace() for c in value):
            raise ValueError(ONLINE_LINK_MESSAGE)
        return value

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _zone(cls, value: datetime) -> datetime:
        return check_moment(value.replace(tzinfo=BERLIN) if value.tzinfo is None else value)

    @model_validator(mode="after")
    def _order(self):
        if self.ends_at <= self.starts_at:
            raise ValueError(TIMES_MESSAGE)
        return self


class EventOut(BaseModel):
    id: int
    round_id: int
    title: str
    description: str
    district_id: int
    district: str
    quarter_id: int | None
    venue: str
    address: str
    lat: float | None = Field(description="the venue: latitude, WGS84 (null: not placed on the map)")
    lon: float | None
    step_free: bool
    induction_loop: bool
    interpreting: bool
    childcare: bool
    starts_at: datetime
    ends_at: datetime
    capacity: int
    places_taken: int = Field(description="people with a confirmed registration")
    waiting: int = Field(description="registrations on the waiting list")
    registration_open: bool
    cancelled: bool
    online: bool = Field(description="whether the Werkstatt can be joined online")
    online_url: str | None = Field(description="only for leads and people with a confirmed registration")
    minutes: str = Field(description="the minutes (Markdown), once published")
    created_at: datetime


class RegistrationIn(BaseModel):
    name: Name = Field(default="", max_length=120, description="empty: the account's display name")
    people: int = Field(default=1, ge=1, le=10, description="how many people come (places taken)")
    interpreting_language: Line = Field(default="", max_length=80,
                                        description="Dolmetschen: the language, empty if none")
    sign_language: bool = Field(default=False, description="Gebärdensprache")
    barrier_free_seat: bool = False
    childcare: bool = False

    @field_validator("name", "interpreting_language")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()


class RegistrationOut(BaseModel):
    id: int
    event_id: int
    name: str
    people: int
    interpreting_language: str
    sign_language: bool
    barrier_free_seat: bool
    childcare: bool
    status: str = Field(description="confirmed, waiting or cancelled")
    waiting_position: int | None = Field(description="place on the waiting list (1 = next)")
    created_at: datetime


class MinutesIn(BaseModel):
    minutes: Text = Field(default="", max_length=50_000)
