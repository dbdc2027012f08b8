"""Pages of the Quartiere: all Stadtbezirke, one Stadtbezirk, one Stadtteil."""

from fastapi import Request

from app.deps import SessionDep, page_router
from app.quartiere import service
from app.quartiere.reference import ATTRIBUTION
from app.web.templating import render

router = page_router()


@router.get("/quartiere", name="quartiere")
def quartiere(request: Request, session: SessionDep):
    return render(request, "quartiere/index.html",
                  {"districts": service.list_districts(session), "attribution": ATTRIBUTION})


@router.get("/quartiere/{district_slug}", name="district")
def district(request: Request, district_slug: str, session: SessionDep):
    district, quarters = service.get_district(session, district_slug)
    return render(request, "quartiere/district.html",
                  {"district": district, "quarters": quarters, "attribution": ATTRIBUTION})


@router.get("/quartiere/{district_slug}/{quarter_slug}", name="quarter")
def quarter(request: Request, district_slug: str, quarter_slug: str, session: SessionDep):
    district, quarter = service.get_quarter(session, district_slug, quarter_slug)
    return render(request, "quartiere/quarter.html",
                  {"district": district, "quarter": quarter, "attribution": ATTRIBUTION})
