"""Pages of the Quartiere: the map of all Stadtbezirke, one Stadtbezirk, one Stadtteil — with their ideas."""

from urllib.parse import urlencode

from fastapi import Request

from app.deps import SessionDep, page_router
from app.ideas import service as ideas_service
from app.quartiere import geometry, mapview, service
from app.quartiere.reference import ATTRIBUTION
from app.web.i18n import gettext as _
from app.web.templating import render

router = page_router()


@router.get("/quartiere", name="quartiere")
def quartiere(request: Request, session: SessionDep):
    districts = service.list_districts(session)
    counts = ideas_service.district_counts(session)
    areas = [mapview.Area(d.id, d.name, counts.get(d.id, 0), f"/quartiere/{d.slug}") for d, _qs in districts]
    view = mapview.build(geometry.provider().districts(), areas, title=_("Ideen nach Stadtbezirk"))
    return render(request, "quartiere/index.html",
                  {"districts": districts, "map": view, "counts": counts, "attribution": ATTRIBUTION})


def _quarter_map(district, quarters, counts: dict[int, int]) -> mapview.MapView:
    areas = [mapview.Area(q.id, q.name, counts.get(q.id, 0),
                          "/ideen?" + urlencode({"district": district.slug, "quarter": q.slug})) for q in quarters]
    return mapview.build(geometry.provider().quarters(district.id), areas,
                         title=_("Ideen nach Stadtteil im Stadtbezirk {name}").format(name=district.name))


@router.get("/quartiere/{district_slug}", name="district")
def district(request: Request, district_slug: str, session: SessionDep):
    district, quarters = service.get_district(session, district_slug)
    ideas = ideas_service.quartier_ideas(session, district_slug=district.slug)
    return render(request, "quartiere/district.html",
                  {"district": district, "quarters": quarters, "ideas": ideas, "attribution": ATTRIBUTION,
                   "map": _quarter_map(district, quarters, ideas.quarter_counts),
                   "all_href": "/ideen?" + urlencode({"district": district.slug})})


@router.get("/quartiere/{district_slug}/{quarter_slug}", name="quarter")
def quarter(request: Request, district_slug: str, quarter_slug: str, session: SessionDep):
    district, quarter = service.get_quarter(session, district_slug, quarter_slug)
    ideas = ideas_service.quartier_ideas(session, district_slug=district.slug, quarter_slug=quarter.slug)
    return render(request, "quartiere/quarter.html",
                  {"district": district, "quarter": quarter, "ideas": ideas, "attribution": ATTRIBUTION,
                   "all_href": "/ideen?" + urlencode({"district": district.slug, "quarter": quarter.slug}),
                   "new_href": "/ideen/neu?" + urlencode({"bezirk": district.slug, "stadtteil": quarter.id})})
