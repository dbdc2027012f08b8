"""JSON API of the reference data."""

from fastapi import Query

from app.deps import SessionDep, api_router
from app.quartiere import service
from app.quartiere.schemas import DistrictOut, LocationOut, QuarterOut

router = api_router(tags=["quartiere"])


@router.get("/districts", response_model=list[DistrictOut])
def districts(session: SessionDep):
    return [DistrictOut(id=d.id, number=d.number, name=d.name, slug=d.slug,
                        quarters=[QuarterOut.model_validate(q) for q in qs])
            for d, qs in service.list_districts(session)]


@router.get("/locate", response_model=LocationOut)
def locate(session: SessionDep, lat: float = Query(ge=-90, le=90, description="Breite, WGS84 (Grad Nord)"),
           lon: float = Query(ge=-180, le=180, description="Länge, WGS84 (Grad Ost)")):
    """Which Stadtbezirk a point lies in (official boundaries), with its Stadtteile; outside Stuttgart
    `inside` is false and `message` says so in German. Stadtteil polygons are not available: `quarter` is
    suggested only where the Stadtbezirk has a single Stadtteil."""
    where = service.locate(session, lat, lon)
    return LocationOut(inside=where.district is not None,
                       district=QuarterOut.model_validate(where.district) if where.district else None,
                       quarters=[QuarterOut.model_validate(q) for q in where.quarters],
                       quarter=QuarterOut.model_validate(where.quarter) if where.quarter else None,
                       message=where.message)
