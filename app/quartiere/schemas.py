"""API shapes of Stadtbezirke and Stadtteile."""

from pydantic import BaseModel, ConfigDict, ValidationInfo

# Stuttgart's extent, generously rounded (DESIGN.md): a located idea or Werkstatt must lie inside.
LAT_MIN, LAT_MAX = 48.69, 48.87
LON_MIN, LON_MAX = 9.03, 9.32
OUTSIDE_LAT = "Dieser Ort liegt nicht in Stuttgart: die Breite muss zwischen 48,69 und 48,87 °N liegen."
OUTSIDE_LON = "Dieser Ort liegt nicht in Stuttgart: die Länge muss zwischen 9,03 und 9,32 °O liegen."
HALF_POINT = "Bitte geben Sie Breite und Länge zusammen an – oder keins von beiden."


def latitude_in_stuttgart(value: float | None) -> float | None:
    """Validator of an optional `lat` (ideas, Werkstätten): inside Stuttgart's extent."""
    if value is not None and not (LAT_MIN <= value <= LAT_MAX):
        raise ValueError(OUTSIDE_LAT)
    return value


def longitude_in_stuttgart(value: float | None, info: ValidationInfo) -> float | None:
    """Validator of an optional `lon` declared after `lat`: inside Stuttgart's extent, given together with lat."""
    if value is not None and not (LON_MIN <= value <= LON_MAX):
        raise ValueError(OUTSIDE_LON)
    if "lat" in info.data and (info.data["lat"] is None) != (value is None):
        raise ValueError(HALF_POINT)
    return value


class QuarterOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    number: int
    name: str
    slug: str


class DistrictOut(QuarterOut):
    quarters: list[QuarterOut]


class LocationOut(BaseModel):
    """Where a point lies: its Stadtbezirk (null outside Stuttgart), the Stadtteile there, a certain suggestion."""

    inside: bool
    district: QuarterOut | None
    quarters: list[QuarterOut]
    quarter: QuarterOut | None
    message: str
