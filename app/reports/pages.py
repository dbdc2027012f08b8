"""The participation report page (/berichte, /berichte?round=ID): SVG bar charts, the map, data tables."""

from fastapi import Request

from app.deps import SessionDep, page_router
from app.quartiere import geometry, mapview
from app.quartiere import service as quartiere
from app.reports import service
from app.validation import is_number
from app.web.i18n import gettext as _
from app.web.templating import render

router = page_router()


def _round_id(value: str) -> int | None:
    return int(value) if is_number(value) and len(value) < 10 else None


@router.get("/berichte", name="reports")
def reports(request: Request, session: SessionDep, round: str = ""):
    report = service.participation(session, round_id=_round_id(round))
    areas = [mapview.Area(d.id, d.name, report.district_counts.get(d.id, 0), f"/quartiere/{d.slug}")
             for d, _qs in quartiere.list_districts(session)]
    title = _("Ideen nach Stadtbezirk") + (f" – {report.round.title}" if report.round else "")
    view = mapview.build(geometry.provider().districts(), areas, title=title)
    return render(request, "reports/participation.html", {"report": report, "map": view})
