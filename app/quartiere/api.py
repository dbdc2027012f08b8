"""JSON API of the reference data."""

from app.deps import SessionDep, api_router
from app.quartiere import service
from app.quartiere.schemas import DistrictOut, QuarterOut

router = api_router(tags=["quartiere"])


@router.get("/districts", response_model=list[DistrictOut])
def districts(session: SessionDep):
    return [DistrictOut(id=d.id, number=d.number, name=d.name, slug=d.slug,
                        quarters=[QuarterOut.model_validate(q) for q in qs])
            for d, qs in service.list_districts(session)]
