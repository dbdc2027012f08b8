"""JSON API of ideas (API.md): list with filters and search, submit, one idea, status changes."""

from fastapi import Query
from fastapi.responses import JSONResponse
from starlette.convertors import IntegerConvertor, register_url_convertor

from app.deps import CurrentUser, OptionalUser, SessionDep, api_router
from app.errors import NotFound
from app.ideas import offline, service
from app.ideas.schemas import (
    DistrictFeature,
    DistrictFeatureCollection,
    DistrictProperties,
    IdeaDetailOut,
    IdeaEditIn,
    IdeaFeature,
    IdeaFeatureCollection,
    IdeaIn,
    IdeaOut,
    IdeaPointProperties,
    MapCountsOut,
    PlaceCountOut,
    PointGeometry,
    PolygonGeometry,
    QuarterRef,
    StatusChangeOut,
    StatusIn,
)
from app.quartiere import geometry
from app.quartiere.reference import BOUNDARY_ATTRIBUTION
from app.schemas import Page
from app.web.i18n import gettext as _

router = api_router(tags=["ideas"])


class _Id(IntegerConvertor):
    """An id in a path, signed (a negative one is a 404, as for GET): `/ideas/map` is then no idea for PATCH and
    DELETE and keeps answering 405 to them."""

    regex = "-?[0-9]+"


register_url_convertor("id", _Id())


def _out(row: service.IdeaRow, viewer=None, recorder=None) -> dict:
    i = row.idea
    withdrawn = i.withdrawn_at is not None  # a placeholder keeps its place, as for comments
    title, body, html = ((service.WITHDRAWN_TITLE, service.WITHDRAWN_TEXT, f"<p>{service.WITHDRAWN_TEXT}</p>")
                         if withdrawn else (i.title, i.body, i.html))
    return {"id": i.id, "title": title, "body": body, "html": html, "category": i.category,
            "edited": i.edited_at is not None, "edited_at": i.edited_at, "withdrawn": withdrawn,
            "category_label": row.category_label, "status": i.status, "status_label": row.status_label,
            "status_reason": i.status_reason, "quarter": QuarterRef.model_validate(row.quarter, from_attributes=True),
            "district": QuarterRef.model_validate(row.district, from_attributes=True), "round_id": i.round_id,
            "section_id": i.section_id, "lat": i.lat, "lon": i.lon, "author": row.author,
            "created_at": i.created_at, "support_count": i.support_count, "comment_count": i.comment_count,
            "url": f"/ideen/{i.id}", "source": offline.source_out(i),
            "recorded_by": offline.recorded_by_out(i, recorder, viewer)}


def _detail(session, idea_id: int, viewer) -> IdeaDetailOut:
    d = service.idea_detail(session, idea_id=idea_id, viewer=viewer)
    return IdeaDetailOut(**_out(d.row, viewer, d.recorder),
                         history=[StatusChangeOut.model_validate(h.change) for h in d.history])


@router.get("/ideas", response_model=Page[IdeaOut])
def list_ideas(session: SessionDep, district: str = Query("", max_length=80), quarter: str = Query("", max_length=80),
               category: str = Query("", max_length=32), status: str = Query("", max_length=16),
               round: str = Query("", max_length=12), q: str = Query("", max_length=200),
               sort: str = Query("new", max_length=16), page: int = Query(1, ge=1, le=service.MAX_PAGE),
               per_page: int = Query(50, ge=1, le=200)):
    filters = service.IdeaFilter(district=district, quarter=quarter, category=category, status=status, round=round,
                                 q=q, sort=sort)
    result = service.list_ideas(session, filters=filters, page=page, per_page=per_page, strict=True)
    return Page(items=[IdeaOut(**_out(r)) for r in result.rows], page=page, per_page=per_page, total=result.total)


class GeoJSONResponse(JSONResponse):
    media_type = "application/geo+json"


GEOJSON_MAX_PER_PAGE = 5000


@router.get("/ideas.geojson", response_model=IdeaFeatureCollection, response_class=GeoJSONResponse)
def ideas_geojson(session: SessionDep, district: str = Query("", max_length=80),
                  quarter: str = Query("", max_length=80), category: str = Query("", max_length=32),
                  status: str = Query("", max_length=16), round: str = Query("", max_length=12),
                  q: str = Query("", max_length=200), sort: str = Query("new", max_length=16),
                  page: int = Query(1, ge=1, le=service.MAX_PAGE),
                  per_page: int = Query(1000, ge=1, le=GEOJSON_MAX_PER_PAGE)):
    """The visible ideas with a location as GeoJSON points (RFC 7946, WGS84), with the filters of
    `GET /ideas`; ideas without a location are left out (`total` counts those with one)."""
    filters = service.IdeaFilter(district=district, quarter=quarter, category=category, status=status, round=round,
                                 q=q, sort=sort)
    result = service.list_ideas(session, filters=filters, page=page, per_page=per_page, strict=True, located=True,
                                max_per_page=GEOJSON_MAX_PER_PAGE)
    features = []
    for row in result.rows:
        out = _out(row)
        properties = IdeaPointProperties(**{k: out[k] for k in IdeaPointProperties.model_fields})
        features.append(IdeaFeature(id=row.idea.id, geometry=PointGeometry(coordinates=[row.idea.lon, row.idea.lat]),
                                    properties=properties))
    return IdeaFeatureCollection(features=features, page=page, per_page=per_page, total=result.total)


def _district_feature(place, quarters=None) -> DistrictFeature:
    shape = geometry.provider().geojson[place.number]
    return DistrictFeature(id=place.number, geometry=PolygonGeometry(coordinates=shape["coordinates"]),
                           properties=DistrictProperties(number=place.number, name=place.name, slug=place.slug,
                                                         idea_count=place.count, url=f"/quartiere/{place.slug}",
                                                         quarters=quarters))


@router.get("/districts.geojson", response_model=DistrictFeatureCollection, response_class=GeoJSONResponse,
            response_model_exclude_none=True, tags=["quartiere"])
def districts_geojson(session: SessionDep, category: str = Query("", max_length=32),
                      status: str = Query("", max_length=16), round: str = Query("", max_length=12),
                      q: str = Query("", max_length=200)):
    """The official boundaries of the 23 Stadtbezirke (GeoJSON, WGS84, CC BY 4.0 – keep `attribution`) with the
    number of visible ideas in each, for the filters of `GET /ideas/map`."""
    filters = service.IdeaFilter(category=category, status=status, round=round, q=q)
    _r, places = service.map_counts(session, filters=filters)
    return DistrictFeatureCollection(features=[_district_feature(p) for p in places],
                                     attribution=BOUNDARY_ATTRIBUTION, license="CC-BY-4.0")


@router.get("/districts/{district}.geojson", response_model=DistrictFeature, response_class=GeoJSONResponse,
            response_model_exclude_none=True, tags=["quartiere"])
def district_geojson(session: SessionDep, district: str, category: str = Query("", max_length=32),
                     status: str = Query("", max_length=16), round: str = Query("", max_length=12),
                     q: str = Query("", max_length=200)):
    """One Stadtbezirk (slug or id) with its boundary, its number of visible ideas and the number per
    Stadtteil (Stadtteil boundaries are not available)."""
    if service.resolve_filter(session, service.IdeaFilter(district=district[:80]), strict=False).district is None:
        raise NotFound(_("Diesen Stadtbezirk gibt es nicht."))
    filters = service.IdeaFilter(district=district[:80], category=category, status=status, round=round, q=q)
    r, quarters = service.map_counts(session, filters=filters)
    place = service.PlaceCount(r.district.id, r.district.number, r.district.name, r.district.slug,
                               sum(p.count for p in quarters))
    feature = _district_feature(place, [PlaceCountOut.model_validate(p) for p in quarters])
    return feature.model_copy(update={"attribution": BOUNDARY_ATTRIBUTION, "license": "CC-BY-4.0"})


@router.get("/ideas/map", response_model=MapCountsOut)
def map_counts(session: SessionDep, district: str = Query("", max_length=80), category: str = Query("", max_length=32),
               status: str = Query("", max_length=16), round: str = Query("", max_length=12),
               q: str = Query("", max_length=200)):
    """The numbers of the ideas map: per Stadtbezirk, or per Stadtteil of `district`, for the same filters."""
    filters = service.IdeaFilter(district=district, category=category, status=status, round=round, q=q)
    r, places = service.map_counts(session, filters=filters)
    return MapCountsOut(level="quarter" if r.district else "district",
                        district=QuarterRef.model_validate(r.district, from_attributes=True) if r.district else None,
                        total=sum(p.count for p in places), places=[PlaceCountOut.model_validate(p) for p in places])


@router.post("/ideas", status_code=201, response_model=IdeaDetailOut)
def create_idea(data: IdeaIn, user: CurrentUser, session: SessionDep):
    idea = service.create_idea(session, actor=user, data=data)
    return _detail(session, idea.id, user)


@router.get("/ideas/{idea_id}", response_model=IdeaDetailOut)
def get_idea(idea_id: int, session: SessionDep, user: OptionalUser):
    # A hidden idea: 404, except for moderation, the project lead and its author (as on the idea's page).
    return _detail(session, idea_id, user)


@router.put("/ideas/{idea_id}/status", response_model=IdeaDetailOut)
def set_status(idea_id: int, data: StatusIn, user: CurrentUser, session: SessionDep):
    service.set_status(session, actor=user, idea_id=idea_id, data=data)
    return _detail(session, idea_id, user)


@router.patch("/ideas/{idea_id:id}", response_model=IdeaDetailOut, summary="Edit one's own idea")
def edit_idea(idea_id: int, data: IdeaEditIn, user: CurrentUser, session: SessionDep):
    """The author changes title, text and category while the idea has no Stellungnahme (status `received`);
    409 once it is answered, in review or withdrawn; 403 for others. The earlier text is kept."""
    service.edit_idea(session, user=user, idea_id=idea_id, data=data)
    return _detail(session, idea_id, user)


@router.delete("/ideas/{idea_id:id}", response_model=IdeaDetailOut, summary="Withdraw one's own idea")
def withdraw_idea(idea_id: int, user: CurrentUser, session: SessionDep):
    """The author withdraws the idea (also after a Stellungnahme): it leaves lists, map and counts and shows a
    placeholder; 409 when already withdrawn; 403 for others."""
    service.withdraw_idea(session, user=user, idea_id=idea_id)
    return _detail(session, idea_id, user)
