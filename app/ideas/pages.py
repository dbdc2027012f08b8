"""HTML pages of ideas: browse with map and filters, submit, one idea with its status history."""

from collections.abc import Callable
from urllib.parse import urlencode

from fastapi import Form, Request
from sqlmodel import Session

from app.accounts.models import User
from app.deps import CurrentUser, OptionalUser, SessionDep, page_router
from app.errors import DomainError
from app.ideas import offline, policy, service
from app.ideas.models import OPEN_STATUSES, Idea
from app.ideas.schemas import BODY_MAX, TITLE_MAX, IdeaEditIn, IdeaIn, StatusIn
from app.quartiere import geometry, mapview
from app.quartiere import service as places
from app.quartiere.reference import ATTRIBUTION, BOUNDARY_ATTRIBUTION
from app.validation import coordinate, parse
from app.web import templating
from app.web.i18n import gettext as _
from app.web.templating import redirect, render

router = page_router()

# Other domains (discussion: comments and support; responses: the Stellungnahme) add context to the idea page
# without this module importing them: each returns a dict merged into the template context (app/wiring.py).
# What later domains show on a Stadtbezirk's or Stadtteil's page (app/wiring.py): (request, session, district,
# quarter or None) → safe HTML, or "".
QUARTIER_EXTENSIONS: list[Callable[..., str]] = []
IDEA_EXTENSIONS: list[Callable[[Request, Session, Idea, User | None], dict]] = []
# What later domains place on the real maps (app/wiring.py): (session, Stadtbezirk id or None for the whole
# city) → venues (Werkstätten at their place), drawn as diamonds with a legend entry.
MAP_VENUES: list[Callable[[Session, int | None], list[mapview.Venue]]] = []


def venues(session: Session | None, district_id: int | None) -> list[mapview.Venue]:
    return [v for source in MAP_VENUES for v in source(session, district_id)] if session is not None else []


def _href(path: str, params: dict) -> str:
    return f"{path}?{urlencode(params)}" if params else path


CELL = 34  # ideas closer than this (SVG units) are drawn as one counted cluster


def map_points(session: Session, r: service.ResolvedFilter, layer: geometry.Layer, places: service.Places,
               *, path: str = "/ideen") -> list[mapview.MapPoint]:
    """The located ideas of a filter state as points on `layer`: one linked point per idea, or a counted cluster
    linked to the list of its Stadtbezirk where they crowd (at most one per CELL × CELL square)."""
    proj = layer.projection
    if proj is None:
        return []
    geo = geometry.provider()
    lon0, lat_top = proj.lonlat(0, 0)
    lon1, lat0 = proj.lonlat(layer.width, layer.height)
    cells = service.located_cells(session, r=r, lon0=lon0, lat0=lat0, cell_lon=(lon1 - lon0) * CELL / layer.width,
                                  cell_lat=(lat_top - lat0) * CELL / layer.height)
    crowded = [c for c in cells if c.count > 1]
    where = dict(zip(map(id, crowded), geo.locate_many([c.lat for c in crowded], [c.lon for c in crowded]),
                     strict=True))
    hrefs: dict[int | None, tuple[str, str | None]] = {}
    points = []
    for c in cells:
        x, y = proj.xy(c.lon, c.lat)
        if c.count == 1:
            points.append(mapview.MapPoint(round(x, 1), round(y, 1), 1, f"/ideen/{c.idea_id}",
                                           _("Idee: {title}").format(title=c.title)))
            continue
        number = where[id(c)]
        if number not in hrefs:  # one link per Stadtbezirk, built once
            district = places.districts.get(number or 0) or r.district
            hrefs[number] = (_href(path, r.params(district=district.slug, page="") if district else r.params(page="")),
                             district.name if district else None)
        href, name = hrefs[number]
        label = (_("{n} Ideen nah beieinander im Stadtbezirk {name}").format(n=c.count, name=name) if name
                 else _("{n} Ideen nah beieinander").format(n=c.count))
        points.append(mapview.MapPoint(round(x, 1), round(y, 1), c.count, href, label))
    points.sort(key=lambda p: -p.count)  # small points drawn last, on top
    return points


def district_map(session: Session, r: service.ResolvedFilter, places: service.Places, count: int, *,
                 path: str = "/ideen") -> mapview.MapView:
    """One Stadtbezirk with its real outline and the points of its located ideas (for the filter state)."""
    layer = geometry.provider().district(r.district.id)
    area = mapview.Area(r.district.id, r.district.name, count, "")
    return mapview.build(layer, [area], points=map_points(session, r, layer, places, path=path),
                         venues=venues(session, r.district.id),
                         title=_("Ideen mit Ort im Stadtbezirk {name}").format(name=r.district.name))


def ideas_map(b: service.Browse, *, path: str = "/ideen", session: Session | None = None) -> mapview.MapView:
    """The map for a filter state: all Bezirke, or the Stadtteile of the chosen Bezirk."""
    r = b.ideas.filter
    geo = geometry.provider()
    if r.district is None:
        areas = [mapview.Area(d.id, d.name, b.district_counts.get(d.id, 0),
                              _href(path, r.params(district=d.slug, quarter="", page="")))
                 for d in b.places.districts.values()]
        layer = geo.districts()
        points = map_points(session, r, layer, b.places, path=path) if session is not None else []
        return mapview.build(layer, areas, title=_("Ideen nach Stadtbezirk"), points=points,
                             venues=venues(session, None))
    quarters = [q for q in b.places.quarters.values() if q.district_id == r.district.id]
    areas = [mapview.Area(q.id, q.name, b.quarter_counts.get(q.id, 0),
                          _href(path, r.params(district=r.district.slug, quarter=q.slug)))
             for q in quarters]
    return mapview.build(geo.quarters(r.district.id), areas,
                         title=_("Ideen nach Stadtteil im Stadtbezirk {name}").format(name=r.district.name))


@router.get("/ideen", name="ideas")
def ideas(request: Request, session: SessionDep, district: str = "", quarter: str = "", category: str = "",
          status: str = "", round: str = "", q: str = "", sort: str = "new", page: int = 1):
    filters = service.IdeaFilter(district=district, quarter=quarter, category=category, status=status,
                                 round=round, q=q, sort=sort)
    b = service.browse(session, filters=filters, page=page)
    r = b.ideas.filter
    return render(request, "ideas/index.html", {
        "b": b, "list": b.ideas, "f": r, "map": ideas_map(b, session=session),
        "outline_map": district_map(session, r, b.places, b.ideas.total) if r.district else None,
        "choices": service.filter_choices(session),
        "page_href": lambda n: _href("/ideen", r.params(page=n if n > 1 else "")),
        "reset_href": "/ideen", "attribution": ATTRIBUTION,
        "up_href": _href("/ideen", r.params(district="", quarter="")) if r.district else None,
    }, block="results")


def _chooser_map(session: Session, bezirk: str) -> mapview.MapView | None:
    """The map on the submission form: click a Bezirk, then a Stadtteil, to preselect it."""
    b = service.browse(session, filters=service.IdeaFilter(district=bezirk), per_page=1)
    r = b.ideas.filter
    geo = geometry.provider()
    if r.district is None:
        areas = [mapview.Area(d.id, d.name, b.district_counts.get(d.id, 0), _href("/ideen/neu", {"bezirk": d.slug}))
                 for d in b.places.districts.values()]
        return mapview.build(geo.districts(), areas, title=_("Stadtbezirk auf der Karte wählen"))
    areas = [mapview.Area(q.id, q.name, b.quarter_counts.get(q.id, 0),
                          _href("/ideen/neu", {"bezirk": r.district.slug, "stadtteil": q.id}) + "#idee-formular")
             for q in b.places.quarters.values() if q.district_id == r.district.id]
    return mapview.build(geo.quarters(r.district.id), areas,
                         title=_("Stadtteil im Stadtbezirk {name} wählen").format(name=r.district.name))


def _picker(values: dict) -> dict:
    """The map on which a point is placed (by script: click, tap or arrow keys); the stored point as its marker."""
    return mapview.picker(coordinate(str(values.get("lat") or "")), coordinate(str(values.get("lon") or "")))


def _form(request: Request, session: Session, user: User | None, *, values: dict, errors: dict | None = None,
          message: str = "", bezirk: str = "", status_code: int = 200):
    ctx = service.form_context(session, user=user)
    chooser = _chooser_map(session, bezirk) if ctx["state"].allowed else None
    return render(request, "ideas/new.html", {
        **ctx, "values": values, "errors": errors or {}, "message": message, "chooser": chooser,
        "picker": _picker(values) if ctx["state"].allowed else None, "attribution": BOUNDARY_ATTRIBUTION,
        "bezirk": bezirk, "title_max": TITLE_MAX, "body_max": BODY_MAX}, status_code=status_code)


@router.get("/ideen/neu", name="new_idea")
def new_idea(request: Request, session: SessionDep, user: OptionalUser, bezirk: str = "", stadtteil: str = ""):
    return _form(request, session, user, values={"quarter_id": stadtteil[:10]}, bezirk=bezirk[:80])


# --- ideas recorded from outside the platform (lead, facilitators) ---------------------------------

def _record_form(request: Request, session: Session, user: User | None, *, values: dict, errors: dict | None = None,
                 message: str = "", status_code: int = 200):
    ctx = service.record_form_context(session, user=user)
    return render(request, "ideas/record.html", {
        **ctx, "values": values, "errors": errors or {}, "message": message, "title_max": TITLE_MAX,
        "body_max": BODY_MAX, "sources": [(k, _(v)) for k, v in offline.SOURCE_LABELS.items() if k != offline.ONLINE]},
        status_code=status_code)


@router.get("/ideen/erfassen", name="idea_record")
def record_idea_form(request: Request, session: SessionDep, user: CurrentUser, werkstatt: str = ""):
    """The form in which the lead or a facilitator records an idea for a Stadtteil from a Werkstatt, a letter, an
    e-mail, a call or an information stand, on behalf of the participants (`?werkstatt=<id>`: from that event)."""
    values = {"source_kind": "werkstatt", **service.recording_event_defaults(session, werkstatt)}
    return _record_form(request, session, user, values=values)


@router.post("/ideen/erfassen")
def record_idea(request: Request, session: SessionDep, user: CurrentUser, title: str = Form(""),
                body: str = Form(""), category: str = Form(""), quarter_id: str = Form(""),
                section_id: str = Form(""), source_kind: str = Form(""), event_id: str = Form(""),
                source_label: str = Form(""), source_date: str = Form(""), source_author: str = Form("")):
    values = {"title": title, "body": body, "category": category, "quarter_id": quarter_id, "section_id": section_id,
              "source_kind": source_kind, "event_id": event_id, "source_label": source_label,
              "source_date": source_date, "source_author": source_author}
    try:
        data = parse(IdeaIn, {"title": title, "body": body, "category": category, "quarter_id": quarter_id or None,
                              "section_id": section_id or None, "source": {
                                  "kind": source_kind, "event_id": event_id or None, "label": source_label,
                                  "date": source_date or None, "author": source_author}})
        idea = service.create_idea(session, actor=user, data=data)
    except DomainError as exc:
        if exc.status in (401, 403):
            raise
        errors = {field.replace(".", "_"): text for field, text in exc.errors}
        return _record_form(request, session, user, values=values, errors=errors, message=exc.message,
                            status_code=exc.status)
    return redirect(f"/ideen/{idea.id}", flash=_("Die Idee ist erfasst: {source}.").format(
        source=offline.marker(idea)))


@router.post("/ideen")
def create_idea(request: Request, session: SessionDep, user: CurrentUser, title: str = Form(""),
                body: str = Form(""), category: str = Form(""), quarter_id: str = Form(""),
                section_id: str = Form(""), lat: str = Form(""), lon: str = Form("")):
    values = {"title": title, "body": body, "category": category, "quarter_id": quarter_id,
              "section_id": section_id, "lat": lat, "lon": lon}
    try:
        data = parse(IdeaIn, {"title": title, "body": body, "category": category, "quarter_id": quarter_id or None,
                              "section_id": section_id or None, "lat": coordinate(lat), "lon": coordinate(lon)})
        idea = service.create_idea(session, actor=user, data=data)
    except DomainError as exc:
        return _form(request, session, user, values=values, errors=dict(exc.errors), message=exc.message,
                     status_code=exc.status)
    return redirect(f"/ideen/{idea.id}", flash=_("Danke! Ihre Idee ist eingegangen."))


def place_map(detail: service.IdeaDetail) -> mapview.MapView | None:
    """A located idea's point on a small map of its Stadtbezirk (no Stadtteil polygons exist)."""
    idea, district = detail.idea, detail.row.district
    if idea.lat is None or idea.lon is None:
        return None
    layer = geometry.provider().district(district.id, 260)
    x, y = layer.projection.xy(idea.lon, idea.lat)
    point = mapview.MapPoint(round(x, 1), round(y, 1), 1, "", _("Ort der Idee im Stadtbezirk {name}").format(
        name=district.name))
    return mapview.build(layer, [mapview.Area(district.id, district.name, 0, "")], points=[point], counts=False,
                         title=_("Ort der Idee im Stadtbezirk {name}").format(name=district.name))


def _statuses(session: Session, user: User | None) -> list:
    """The statuses this person may set: final ones (a Stellungnahme) only for the project lead."""
    if not policy.can_set_status(user):
        return []
    every = service.filter_choices(session)["statuses"]
    return every if policy.can_give_final_status(user) else [s for s in every if s[0] in OPEN_STATUSES]


def _detail_context(request: Request, session: Session, idea_id: int, user: User | None) -> dict:
    detail = service.idea_detail(session, idea_id=idea_id, viewer=user)
    ctx = {"d": detail, "idea": detail.idea, "can_set_status": policy.can_set_status(user)
           and detail.idea.withdrawn_at is None, "statuses": _statuses(session, user),
           "sections": service.section_choices(session) if policy.can_set_status(user) else [],
           "may_edit": policy.may_edit_idea(user, detail.idea),
           "may_withdraw": policy.may_withdraw_idea(user, detail.idea),
           "withdrawn_title": _(service.WITHDRAWN_TITLE), "withdrawn_text": _(service.WITHDRAWN_TEXT),
           "values": {}, "errors": {}, "place_map": place_map(detail),
           "source_marker": offline.marker(detail.idea), "source_href": offline.event_url(detail.idea)}
    for extension in IDEA_EXTENSIONS:
        ctx.update(extension(request, session, detail.idea, user))
    return ctx


@router.get("/ideen/{idea_id}", name="idea")
def idea_page(request: Request, idea_id: int, session: SessionDep, user: OptionalUser):
    return render(request, "ideas/detail.html", _detail_context(request, session, idea_id, user))


def _edit_form(request: Request, session: Session, idea: Idea, *, values: dict, errors: dict | None = None,
               message: str = "", status_code: int = 200):
    return render(request, "ideas/edit.html", {
        "idea": idea, "values": values, "errors": errors or {}, "message": message, "title_max": TITLE_MAX,
        "body_max": BODY_MAX, "categories": service.filter_choices(session)["categories"]}, status_code=status_code)


@router.get("/ideen/{idea_id}/bearbeiten", name="idea_edit")
def edit_idea_form(request: Request, idea_id: int, session: SessionDep, user: CurrentUser):
    idea = service.get_idea(session, idea_id=idea_id, viewer=user)
    if not policy.may_edit_idea(user, idea):
        return redirect(f"/ideen/{idea_id}", flash=_("Diese Idee kann nicht mehr bearbeitet werden."))
    return _edit_form(request, session, idea,
                      values={"title": idea.title, "body": idea.body, "category": idea.category})


@router.post("/ideen/{idea_id}/bearbeiten")
def edit_idea(request: Request, idea_id: int, session: SessionDep, user: CurrentUser, title: str = Form(""),
              body: str = Form(""), category: str = Form("")):
    values = {"title": title, "body": body, "category": category}
    try:
        data = parse(IdeaEditIn, values)
        service.edit_idea(session, user=user, idea_id=idea_id, data=data)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        idea = service.get_idea(session, idea_id=idea_id, viewer=user)
        return _edit_form(request, session, idea, values=values, errors=dict(exc.errors), message=exc.message,
                          status_code=exc.status)
    return redirect(f"/ideen/{idea_id}", flash=_("Ihre Idee ist geändert; die frühere Fassung bleibt gespeichert."))


@router.post("/ideen/{idea_id}/zurueckziehen", name="idea_withdraw")
def withdraw_idea(idea_id: int, session: SessionDep, user: CurrentUser):
    service.withdraw_idea(session, user=user, idea_id=idea_id)
    return redirect(f"/ideen/{idea_id}", flash=_("Ihre Idee ist zurückgezogen."))


@router.post("/ideen/{idea_id}/status")
def set_status(request: Request, idea_id: int, session: SessionDep, user: CurrentUser, status: str = Form(""),
               reason: str = Form(""), section_id: str = Form("")):
    try:
        data = parse(StatusIn, {"status": status, "reason": reason, "section_id": section_id or None})
        service.set_status(session, actor=user, idea_id=idea_id, data=data)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        ctx = _detail_context(request, session, idea_id, user)
        ctx.update({"values": {"status": status, "reason": reason, "section_id": section_id},
                    "errors": dict(exc.errors), "message": exc.message})
        return render(request, "ideas/detail.html", ctx, status_code=exc.status)
    return redirect(f"/ideen/{idea_id}#status", flash=_("Der Status der Idee ist geändert."))


def newest_ideas_panel(request: Request, session: Session) -> str | None:
    """Start-page panel: the newest ideas and, while a round takes ideas, the way to submit one."""
    newest = service.list_ideas(session, filters=service.IdeaFilter(), per_page=3)
    state = service.submission_state(session, user=getattr(request.state, "user", None))
    if newest.total == 0 and state.round is None:
        return None
    return templating.env.get_template("ideas/_home_panel.html").render(ideas=newest, open=state.round is not None)


# --- the Quartiere: the map of all Stadtbezirke, one Stadtbezirk, one Stadtteil, with their ideas -----------
# (here, not in app/quartiere: the reference data of places must not import the ideas placed in them)

@router.get("/quartiere", name="quartiere")
def quartiere(request: Request, session: SessionDep):
    districts = places.list_districts(session)
    counts = service.district_counts(session)
    areas = [mapview.Area(d.id, d.name, counts.get(d.id, 0), f"/quartiere/{d.slug}") for d, _qs in districts]
    layer = geometry.provider().districts()
    points = map_points(session, service.ResolvedFilter(), layer, service.places(session))
    view = mapview.build(layer, areas, title=_("Ideen nach Stadtbezirk"), points=points,
                         venues=venues(session, None))
    return render(request, "quartiere/index.html",
                  {"districts": districts, "map": view, "counts": counts, "attribution": ATTRIBUTION})


def _quarter_map(district, quarters, counts: dict[int, int]) -> mapview.MapView:
    areas = [mapview.Area(q.id, q.name, counts.get(q.id, 0),
                          "/ideen?" + urlencode({"district": district.slug, "quarter": q.slug})) for q in quarters]
    return mapview.build(geometry.provider().quarters(district.id), areas,
                         title=_("Ideen nach Stadtteil im Stadtbezirk {name}").format(name=district.name))


@router.get("/quartiere/{district_slug}", name="district")
def district(request: Request, district_slug: str, session: SessionDep):
    district, quarters = places.get_district(session, district_slug)
    ideas = service.quartier_ideas(session, district_slug=district.slug)
    return render(request, "quartiere/district.html",
                  {"district": district, "quarters": quarters, "ideas": ideas, "attribution": ATTRIBUTION,
                   "extensions": [extension(request, session, district, None) for extension in QUARTIER_EXTENSIONS],
                   "map": _quarter_map(district, quarters, ideas.quarter_counts),
                   "outline_map": district_map(session, ideas.ideas.filter, service.places(session), ideas.ideas.total,
                                               path="/ideen"),
                   "all_href": "/ideen?" + urlencode({"district": district.slug})})


@router.get("/quartiere/{district_slug}/{quarter_slug}", name="quarter")
def quarter(request: Request, district_slug: str, quarter_slug: str, session: SessionDep):
    district, quarter = places.get_quarter(session, district_slug, quarter_slug)
    ideas = service.quartier_ideas(session, district_slug=district.slug, quarter_slug=quarter.slug)
    return render(request, "quartiere/quarter.html",
                  {"district": district, "quarter": quarter, "ideas": ideas, "attribution": ATTRIBUTION,
                   "extensions": [extension(request, session, district, quarter) for extension in QUARTIER_EXTENSIONS],
                   "all_href": "/ideen?" + urlencode({"district": district.slug, "quarter": quarter.slug}),
                   "new_href": "/ideen/neu?" + urlencode({"bezirk": district.slug, "stadtteil": quarter.id})})
