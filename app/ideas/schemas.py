"""Input and output shapes of the ideas domain."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.ideas.models import Category, IdeaStatus
from app.ideas.offline import RecordedByOut, SourceIn, SourceOut
from app.quartiere.schemas import latitude_in_stuttgart, longitude_in_stuttgart
from app.validation import Name, Text

TITLE_MAX = 160
BODY_MAX = 10_000
REASON_MAX = 5_000


def _one_line(value: str) -> str:
    return " ".join(value.split())  # after check_text (the Name type) refused control characters


class IdeaIn(BaseModel):
    title: Name = Field(min_length=3, max_length=TITLE_MAX)
    body: Text = Field(min_length=10, max_length=BODY_MAX)
    category: Category
    quarter_id: int = Field(ge=1, le=100_000)
    section_id: int | None = Field(default=None, ge=1)
    lat: float | None = None
    lon: float | None = Field(default=None, validate_default=True)
    source: SourceIn | None = Field(default=None, description=(
        "Recorded on behalf of participants outside the platform (Werkstatt, Brief, E-Mail, Telefon, Infostand): "
        "project lead and facilitators („Moderation vor Ort“) only. The idea then shows `source.author`, never "
        "the recording account."))

    _clean_title = field_validator("title")(_one_line)

    @field_validator("body")
    @classmethod
    def _strip_body(cls, value: str) -> str:
        return value.strip()

    _lat_in_stuttgart = field_validator("lat")(latitude_in_stuttgart)
    _lon_in_stuttgart = field_validator("lon")(longitude_in_stuttgart)


class IdeaEditIn(BaseModel):
    """The author's edit: title, text and category (place and section stay as submitted)."""

    title: Name = Field(min_length=3, max_length=TITLE_MAX)
    body: Text = Field(min_length=10, max_length=BODY_MAX)
    category: Category

    _clean_title = field_validator("title")(_one_line)

    @field_validator("body")
    @classmethod
    def _strip_body(cls, value: str) -> str:
        return value.strip()


class StatusIn(BaseModel):
    status: IdeaStatus
    reason: Text = Field(min_length=10, max_length=REASON_MAX)
    section_id: int | None = Field(default=None, ge=1)

    @field_validator("reason")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()


class QuarterRef(BaseModel):
    id: int
    number: int
    name: str
    slug: str


class PlaceCountOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    number: int
    name: str
    slug: str
    count: int


class MapCountsOut(BaseModel):
    level: str  # district | quarter
    district: QuarterRef | None
    total: int
    places: list[PlaceCountOut]


class StatusChangeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    status: str
    reason: str
    section_id: int | None
    changed_at: datetime


class IdeaOut(BaseModel):
    id: int
    title: str
    body: str
    html: str
    category: str
    category_label: str
    status: str
    status_label: str
    status_reason: str
    quarter: QuarterRef
    district: QuarterRef
    round_id: int | None
    section_id: int | None
    lat: float | None
    lon: float | None
    author: str
    source: SourceOut | None = Field(default=None, description="Where a recorded idea comes from; null: online.")
    recorded_by: RecordedByOut | None = Field(default=None, description=(
        "Who recorded it (shown to the project lead, moderation and facilitators only)."))
    created_at: datetime
    support_count: int
    comment_count: int
    url: str
    edited: bool = False
    edited_at: datetime | None = None
    withdrawn: bool = False


class IdeaDetailOut(IdeaOut):
    history: list[StatusChangeOut]


# --- GeoJSON (RFC 7946): WGS84 longitude, latitude -------------------------------------------------

class PointGeometry(BaseModel):
    type: Literal["Point"] = "Point"
    coordinates: list[float] = Field(min_length=2, max_length=2, description="[Länge, Breite] in Grad (WGS84)")


class PolygonGeometry(BaseModel):
    type: Literal["Polygon"] = "Polygon"
    coordinates: list[list[list[float]]]


class IdeaPointProperties(BaseModel):
    id: int
    title: str
    category: str
    category_label: str
    status: str
    status_label: str
    quarter: QuarterRef
    district: QuarterRef
    round_id: int | None
    created_at: datetime
    support_count: int
    comment_count: int
    url: str


class IdeaFeature(BaseModel):
    type: Literal["Feature"] = "Feature"
    id: int
    geometry: PointGeometry
    properties: IdeaPointProperties


class IdeaFeatureCollection(BaseModel):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[IdeaFeature]
    page: int
    per_page: int
    total: int = Field(description="Ideen mit Ort, die den Filtern entsprechen (alle Seiten)")


class DistrictProperties(BaseModel):
    number: int
    name: str
    slug: str
    idea_count: int = Field(description="sichtbare Ideen im Stadtbezirk (für die Filter), mit und ohne Ort")
    url: str
    quarters: list[PlaceCountOut] | None = Field(default=None, description="nur für einen einzelnen Stadtbezirk")


class DistrictFeature(BaseModel):
    type: Literal["Feature"] = "Feature"
    id: int
    geometry: PolygonGeometry
    properties: DistrictProperties
    attribution: str | None = None
    license: str | None = None


class DistrictFeatureCollection(BaseModel):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[DistrictFeature]
    attribution: str
    license: str
