"""API shapes of Stadtbezirke and Stadtteile."""

from pydantic import BaseModel, ConfigDict

# Stuttgart's extent, generously rounded (DESIGN.md): a located idea or Werkstatt must lie inside.
LAT_MIN, LAT_MAX = 48.69, 48.87
LON_MIN, LON_MAX = 9.03, 9.32
OUTSIDE_LAT = "Dieser Ort liegt nicht in Stuttgart: die Breite muss zwischen 48,69 und 48,87 °N liegen."
OUTSIDE_LON = "Dieser Ort liegt nicht in Stuttgart: die Länge muss zwischen 9,03 und 9,32 °O liegen."
HALF_POINT = "Bitte geben Sie Breite und Länge zusammen an – oder keins von beiden."


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
