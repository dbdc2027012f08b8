"""Reading Stuttgart's Stadtbezirke and Stadtteile."""

from dataclasses import dataclass

from sqlmodel import Session, select

from app.errors import Invalid, NotFound
from app.quartiere import geometry
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


# --- where a point lies (point-in-polygon on the official Stadtbezirk boundaries) -----------------

OUTSIDE_CITY = ("Dieser Ort liegt nicht in Stuttgart. Bitte wählen Sie einen Ort innerhalb der Stadtgrenze – "
                "oder lassen Sie den Ort leer.")


@dataclass
class Location:
    """Which Stadtbezirk a point lies in, its Stadtteile, and a suggested Stadtteil where one is certain."""

    district: District | None
    quarters: list[Quarter]
    quarter: Quarter | None
    message: str


def locate(session: Session, lat: float, lon: float) -> Location:
    number = geometry.provider().locate(lat, lon)
    if number is None:
        return Location(None, [], None, _(OUTSIDE_CITY))
    district = session.exec(select(District).where(District.number == number)).one()
    quarters = list(session.exec(select(Quarter).where(Quarter.district_id == district.id)
                                 .order_by(Quarter.number)).all())
    if len(quarters) == 1:  # Münster, Wangen: the Stadtbezirk is its only Stadtteil
        return Location(district, quarters, quarters[0],
                        _("Der Ort liegt im Stadtbezirk {d}, Stadtteil {q}.").format(d=district.name,
                                                                                     q=quarters[0].name))
    return Location(district, quarters, None,
                    _("Der Ort liegt im Stadtbezirk {d}. Bitte wählen Sie dort den Stadtteil.").format(d=district.name))


def check_point(session: Session, lat: float, lon: float, quarter: Quarter) -> None:
    """A located contribution's point must lie in Stuttgart and in the Stadtbezirk of its Stadtteil."""
    where = locate(session, lat, lon)
    if where.district is None:
        raise Invalid(_("Bitte prüfen Sie Ihre Eingaben."), errors=[("lat", _(OUTSIDE_CITY))])
    if where.district.id != quarter.district_id:
        chosen = session.get(District, quarter.district_id)
        raise Invalid(_("Bitte prüfen Sie Ihre Eingaben."), errors=[("lat", _(
            "Dieser Ort liegt im Stadtbezirk {here}, nicht im Stadtbezirk {chosen} des gewählten Stadtteils "
            "{quarter}. Bitte wählen Sie einen Stadtteil in {here} – oder einen anderen Ort.").format(
            here=where.district.name, chosen=chosen.name if chosen else "", quarter=quarter.name))])
