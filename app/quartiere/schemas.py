"""API shapes of Stadtbezirke and Stadtteile."""

from pydantic import BaseModel, ConfigDict


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
