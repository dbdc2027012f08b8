"""Reading Stuttgart's Stadtbezirke and Stadtteile."""


from sqlmodel import Session, select

from app.errors import NotFound
from app.quartiere.models import District, Quarter
from app.web.i18n import gettext as _


def list_districts(session: Session) -> list[tuple[District, list[Quarter]]]:
    """All districts in official order, each with its quarters in number order (two queries)."""
    districts = session.exec(select(District).order_by(District.number)).all()
    quarters = session.exec(select(Quarter).order_by(Quarter.number)).all()
    by_district: dict[int, list[Quarter]] = {}
    for q in quarters:
        by_district.setdefault(q.district_id, []).append(q)
    return [(d, by_district.get(d.id, [])) for d in districts]


def get_district(session: Session, slug: str) -> tuple[District, list[Quarter]]:
    district = session.exec(select(District).where(District.slug == slug[:80])).first()
    if district is None:
        raise NotFound(_("Diesen Stadtbezirk gibt es nicht."))
    quarters = session.exec(select(Quarter).where(Quarter.district_id == district.id).order_by(Quarter.number)).all()
    return district, list(quarters)


def get_quarter(session: Session, district_slug: str, quarter_slug: str) -> tuple[District, Quarter]:
    district, quarters = get_district(session, district_slug)
    for q in quarters:
        if q.slug == quarter_slug:
            return district, q
    raise NotFound(_("Diesen Stadtteil gibt es nicht."))
