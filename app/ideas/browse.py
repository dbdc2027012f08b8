"""Reading ideas: filters, full-text search, lists, counts per place for the map, Quartier summaries.

Hidden ideas never appear here: every query goes through `_conditions`.
"""

from dataclasses import dataclass, field

from sqlalchemy import Integer, cast, func
from sqlalchemy import inspect as sa_inspect
from sqlmodel import Session, select

from app.accounts.models import User
from app.documents import service as documents_service
from app.errors import Invalid
from app.ideas import offline, search
from app.ideas.models import Category, Idea, IdeaStatus, IdeaStatusChange
from app.quartiere.models import District, Quarter
from app.rounds import service as rounds_service
from app.rounds.models import Round
from app.validation import is_number
from app.web.i18n import gettext as _


def N_(message: str) -> str:
    """Marks a German string for the catalogue; it is translated where it is shown."""
    return message


CATEGORY_LABELS = {
    Category.begegnung.value: N_("Begegnung und Nachbarschaft"),
    Category.wohnen.value: N_("Wohnen"),
    Category.gesundheit.value: N_("Gesundheit und Pflege"),
    Category.kinder_jugend_familie.value: N_("Kinder, Jugend und Familie"),
    Category.bildung.value: N_("Bildung"),
    Category.aelterwerden.value: N_("Älterwerden"),
    Category.inklusion.value: N_("Inklusion und Teilhabe"),
    Category.mobilitaet_raum.value: N_("Mobilität und öffentlicher Raum"),
    Category.kultur_sport.value: N_("Kultur und Sport"),
    Category.sonstiges.value: N_("Sonstiges"),
}
STATUS_LABELS = {
    IdeaStatus.received.value: N_("eingegangen"),
    IdeaStatus.reviewing.value: N_("in Prüfung"),
    IdeaStatus.adopted.value: N_("berücksichtigt"),
    IdeaStatus.partly.value: N_("teilweise berücksichtigt"),
    IdeaStatus.declined.value: N_("nicht berücksichtigt"),
    IdeaStatus.noted.value: N_("zur Kenntnis genommen"),
}
SORTS = {"new": N_("Neueste zuerst"), "support": N_("Meiste Unterstützung"), "discussed": N_("Meist diskutiert")}
MAX_PAGE = 10_000


def category_label(value: str) -> str:
    return _(CATEGORY_LABELS.get(value, value))


def status_label(value: str) -> str:
    return _(STATUS_LABELS.get(value, value))


# --- reference data ------------------------------------------------------------------------------

@dataclass
class Places:
    """Districts and quarters by id (175 rows of reference data)."""

    districts: dict[int, District]
    quarters: dict[int, Quarter]

    def district_of(self, quarter: Quarter) -> District:
        return self.districts[quarter.district_id]


def places(session: Session) -> Places:
    """The reference data, read once per session (a page asked for it three times)."""
    cached = session.info.get("places")
    if cached is not None and cached.districts and not sa_inspect(next(iter(cached.districts.values()))).expired:
        return cached  # (a rollback expires the objects: then they are read anew)
    districts = {d.id: d for d in session.exec(select(District).order_by(District.number)).all()}
    quarters = {q.id: q for q in session.exec(select(Quarter).order_by(Quarter.number)).all()}
    session.info["places"] = result = Places(districts=districts, quarters=quarters)
    return result


# --- sections of the Rahmenkonzeption ------------------------------------------------------------

def section_labels(session: Session, ids: set[int] | None = None) -> dict[int, str]:
    """{section id: "2.3 Title"} in document order (from the documents domain); only `ids` when given."""
    return {c.id: f"{c.label} {c.title}".strip() for c in documents_service.list_sections(session)
            if ids is None or c.id in ids}


def section_choices(session: Session) -> list[tuple[int, str]]:
    return list(section_labels(session).items())


# --- browsing ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IdeaFilter:
    """A filter state as given in a URL: slugs or ids for places, codes for category and status."""

    district: str = ""
    quarter: str = ""
    category: str = ""
    status: str = ""
    round: str = ""
    q: str = ""
    sort: str = "new"


@dataclass
class ResolvedFilter:
    district: District | None = None
    quarter: Quarter | None = None
    category: str = ""
    status: str = ""
    round_id: int | None = None
    q: str = ""
    sort: str = "new"
    errors: list[tuple[str, str]] = field(default_factory=list)

    def params(self, **override) -> dict[str, str]:
        """The query parameters of this filter state (for links), with overrides; empty values left out."""
        values = {"district": self.district.slug if self.district else "",
                  "quarter": self.quarter.slug if self.quarter else "", "category": self.category,
                  "status": self.status, "round": str(self.round_id or ""), "q": self.q,
                  "sort": self.sort if self.sort != "new" else ""}
        values.update({k: str(v) if v is not None else "" for k, v in override.items()})
        return {k: v for k, v in values.items() if v}


def _by_ref(session: Session, model, ref: str):
    ref = ref.strip()[:80]
    if not ref:
        return None
    if is_number(ref):
        return session.get(model, int(ref))
    return session.exec(select(model).where(model.slug == ref)).first()


def resolve_filter(session: Session, f: IdeaFilter, *, strict: bool) -> ResolvedFilter:
    """Look up the places of a filter; unknown values are errors (strict, API) or are dropped (pages)."""
    r = ResolvedFilter(q=f.q.strip()[:200])
    errors: list[tuple[str, str]] = []
    if f.district:
        r.district = _by_ref(session, District, f.district)
        if r.district is None:
            errors.append(("district", _("Diesen Stadtbezirk gibt es nicht.")))
    if f.quarter:
        r.quarter = _by_ref(session, Quarter, f.quarter)
        if r.quarter is None:
            errors.append(("quarter", _("Diesen Stadtteil gibt es nicht.")))
        elif r.district is not None and r.quarter.district_id != r.district.id:
            errors.append(("quarter", _("Dieser Stadtteil gehört nicht zum gewählten Stadtbezirk.")))
            r.quarter = None
        elif r.district is None:
            r.district = session.get(District, r.quarter.district_id)
    if f.category:
        if f.category in CATEGORY_LABELS:
            r.category = f.category
        else:
            errors.append(("category", _("Diese Kategorie gibt es nicht.")))
    if f.status:
        if f.status in STATUS_LABELS:
            r.status = f.status
        else:
            errors.append(("status", _("Diesen Status gibt es nicht.")))
    if f.round:
        if is_number(f.round.strip()) and session.get(Round, int(f.round.strip())) is not None:
            r.round_id = int(f.round.strip())
        else:
            errors.append(("round", _("Diese Beteiligungsrunde gibt es nicht.")))
    if f.sort in SORTS:
        r.sort = f.sort
    elif f.sort:
        errors.append(("sort", _("Bitte nach new, support oder discussed sortieren.")))
    if errors and strict:
        raise Invalid(_("Bitte prüfen Sie die Filter."), errors=errors)
    r.errors = errors
    return r


def _conditions(session: Session, r: ResolvedFilter, *, places_too: bool = True) -> list:
    """WHERE clauses of a filter state; hidden ideas never count. Without places for the map's counts."""
    where = [Idea.hidden_at.is_(None), Idea.withdrawn_at.is_(None)]
    if places_too and r.quarter is not None:
        where.append(Idea.quarter_id == r.quarter.id)
    elif places_too and r.district is not None:
        where.append(Idea.quarter_id.in_(select(Quarter.id).where(Quarter.district_id == r.district.id)))
    if r.category:
        where.append(Idea.category == r.category)
    if r.status:
        where.append(Idea.status == r.status)
    if r.round_id is not None:
        where.append(Idea.round_id == r.round_id)
    clause = search.matches(session, r.q)
    if clause is not None:
        where.append(clause)
    return where


@dataclass
class IdeaRow:
    idea: Idea
    quarter: Quarter
    district: District
    author: str

    @property
    def category_label(self) -> str:
        return category_label(self.idea.category)

    @property
    def status_label(self) -> str:
        return status_label(self.idea.status)


@dataclass
class IdeaList:
    rows: list[IdeaRow]
    total: int
    page: int
    per_page: int
    filter: ResolvedFilter

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


_ORDER = {
    "new": (Idea.created_at.desc(), Idea.id.desc()),
    "support": (Idea.support_count.desc(), Idea.created_at.desc(), Idea.id.desc()),
    "discussed": (Idea.comment_count.desc(), Idea.created_at.desc(), Idea.id.desc()),
}


def rows_for(session: Session, ideas: list[Idea], where_places: Places | None = None) -> list[IdeaRow]:
    p = where_places or places(session)
    author_ids = {i.author_id for i in ideas}
    names = dict(session.exec(select(User.id, User.display_name).where(User.id.in_(author_ids))).all()) \
        if author_ids else {}
    rows = []
    for i in ideas:
        q = p.quarters[i.quarter_id]
        author = (f"{i.given_author} ({offline.marker(i)})" if i.source else names.get(i.author_id, ""))
        rows.append(IdeaRow(idea=i, quarter=q, district=p.district_of(q), author=author))
    return rows


def list_ideas(session: Session, *, filters: IdeaFilter, page: int = 1, per_page: int = 20,
               strict: bool = False, located: bool = False, max_per_page: int = 200) -> IdeaList:
    """One page of visible ideas matching the filter, and the total (the same total the map shows);
    `located`: only ideas with a location (the GeoJSON points)."""
    r = resolve_filter(session, filters, strict=strict)
    page = max(1, min(page, MAX_PAGE))
    per_page = max(1, min(per_page, max_per_page))
    where = _conditions(session, r)
    if located:
        where += [Idea.lat.is_not(None), Idea.lon.is_not(None)]
    total = session.exec(select(func.count()).select_from(Idea).where(*where)).one()
    ideas = session.exec(select(Idea).where(*where).order_by(*_ORDER[r.sort])
                         .offset((page - 1) * per_page).limit(per_page)).all()
    return IdeaList(rows=rows_for(session, list(ideas)), total=total, page=page, per_page=per_page, filter=r)


def counts_by_place(session: Session, *, r: ResolvedFilter) -> tuple[dict[int, int], dict[int, int]]:
    """({district id: n}, {quarter id: n}) of visible ideas matching the filter apart from its places."""
    where = _conditions(session, r, places_too=False)
    per_quarter = dict(session.exec(select(Idea.quarter_id, func.count()).where(*where)
                                    .group_by(Idea.quarter_id)).all())
    per_district: dict[int, int] = {}
    for qid, quarter in places(session).quarters.items():
        if per_quarter.get(qid):
            per_district[quarter.district_id] = per_district.get(quarter.district_id, 0) + per_quarter[qid]
    return per_district, per_quarter


def counts_by_category(session: Session, *, r: ResolvedFilter) -> list[tuple[str, str, int]]:
    """[(category, label, n)] for the filter without its category, in the order of the categories."""
    unfiltered = ResolvedFilter(district=r.district, quarter=r.quarter, status=r.status, round_id=r.round_id,
                                q=r.q)
    where = _conditions(session, unfiltered)
    counts = dict(session.exec(select(Idea.category, func.count()).where(*where).group_by(Idea.category)).all())
    return [(c, category_label(c), counts.get(c, 0)) for c in CATEGORY_LABELS]


def linked_sections(session: Session, *, r: ResolvedFilter) -> list[tuple[int, str, int]]:
    """Sections of the Rahmenkonzeption named by the filtered ideas or adopted into: [(id, label, n ideas)]."""
    where = _conditions(session, r)
    counts: dict[int, set[int]] = {}
    for iid, sid in session.exec(select(Idea.id, Idea.section_id).where(*where, Idea.section_id.is_not(None))).all():
        counts.setdefault(sid, set()).add(iid)
    adopted = select(IdeaStatusChange.idea_id, IdeaStatusChange.section_id).join(
        Idea, Idea.id == IdeaStatusChange.idea_id).where(*where, IdeaStatusChange.section_id.is_not(None))
    for iid, sid in session.exec(adopted).all():
        counts.setdefault(sid, set()).add(iid)
    labels = section_labels(session, set(counts))
    return sorted(((sid, labels.get(sid, str(sid)), len(ids)) for sid, ids in counts.items()),
                  key=lambda t: t[1])


def filter_choices(session: Session) -> dict:
    """What the filter form offers: places grouped by district, categories, statuses, rounds, sorts."""
    p = places(session)
    by_district: dict[int, list[Quarter]] = {d: [] for d in p.districts}
    for q in p.quarters.values():  # one pass (not 23 × 152 attribute reads)
        by_district[q.district_id].append(q)
    grouped = [(d, by_district[d.id]) for d in p.districts.values()]
    rounds = rounds_service.rounds_for_ideas(session)
    return {"places": grouped, "categories": [(k, _(v)) for k, v in CATEGORY_LABELS.items()],
            "statuses": [(k, _(v)) for k, v in STATUS_LABELS.items()],
            "rounds": [(r.id, r.title) for r in rounds], "sorts": [(k, _(v)) for k, v in SORTS.items()]}


# --- pages: one call each ------------------------------------------------------------------------

@dataclass
class Browse:
    """The idea list of a filter state with the counts its map shows."""

    ideas: IdeaList
    district_counts: dict[int, int]
    quarter_counts: dict[int, int]
    places: Places


def browse(session: Session, *, filters: IdeaFilter, page: int = 1, per_page: int = 20) -> Browse:
    ideas = list_ideas(session, filters=filters, page=page, per_page=per_page)
    per_district, per_quarter = counts_by_place(session, r=ideas.filter)
    return Browse(ideas=ideas, district_counts=per_district, quarter_counts=per_quarter, places=places(session))


@dataclass
class QuartierIdeas:
    """Ideas of one Stadtbezirk or Stadtteil: recent ones, totals by category and place, linked sections."""

    ideas: IdeaList
    by_category: list[tuple[str, str, int]]
    quarter_counts: dict[int, int]
    sections: list[tuple[int, str, int]]


def quartier_ideas(session: Session, *, district_slug: str, quarter_slug: str = "", limit: int = 10
                   ) -> QuartierIdeas:
    ideas = list_ideas(session, filters=IdeaFilter(district=district_slug, quarter=quarter_slug), per_page=limit)
    r = ideas.filter
    _per_district, per_quarter = counts_by_place(session, r=r)
    return QuartierIdeas(ideas=ideas, by_category=counts_by_category(session, r=r), quarter_counts=per_quarter,
                         sections=linked_sections(session, r=r))


@dataclass
class PlaceCount:
    id: int
    number: int
    name: str
    slug: str
    count: int


def map_counts(session: Session, *, filters: IdeaFilter) -> tuple[ResolvedFilter, list[PlaceCount]]:
    """The numbers of the map for a filter state: per Stadtbezirk, or per Stadtteil when a Bezirk is chosen.

    Each number equals the total of the idea list filtered by that place (the same conditions)."""
    r = resolve_filter(session, filters, strict=True)
    per_district, per_quarter = counts_by_place(session, r=r)
    p = places(session)
    if r.district is None:
        return r, [PlaceCount(d.id, d.number, d.name, d.slug, per_district.get(d.id, 0)) for d in p.districts.values()]
    return r, [PlaceCount(q.id, q.number, q.name, q.slug, per_quarter.get(q.id, 0))
               for q in p.quarters.values() if q.district_id == r.district.id]


def district_counts(session: Session) -> dict[int, int]:
    """{district id: number of visible ideas} for the overview map."""
    return counts_by_place(session, r=ResolvedFilter())[0]


# --- ideas with a location, for the map's points -------------------------------------------------

@dataclass
class Cell:
    """Visible located ideas of one grid cell of a map: how many, their mean position, one id (and its title)."""

    count: int
    lat: float
    lon: float
    idea_id: int
    title: str = ""


def located_cells(session: Session, *, r: ResolvedFilter, lon0: float, lat0: float, cell_lon: float,
                  cell_lat: float) -> list[Cell]:
    """Located visible ideas matching the filter, grouped into cells of cell_lon × cell_lat degrees from
    (lon0, lat0) in one query; a cell with one idea carries its title (one more query)."""
    where = [*_conditions(session, r), Idea.lat.is_not(None), Idea.lon.is_not(None)]
    if session.get_bind().dialect.name == "postgresql":
        ix, iy = func.floor((Idea.lon - lon0) / cell_lon), func.floor((Idea.lat - lat0) / cell_lat)
    else:  # SQLite: CAST truncates, the same as floor for the points right and above the origin
        ix = cast((Idea.lon - lon0) / cell_lon, Integer)
        iy = cast((Idea.lat - lat0) / cell_lat, Integer)
    rows = session.exec(select(func.count(), func.avg(Idea.lat), func.avg(Idea.lon), func.min(Idea.id))
                        .where(*where).group_by(ix, iy)).all()
    cells = [Cell(int(n), float(lat), float(lon), int(first)) for n, lat, lon, first in rows]
    single = [c.idea_id for c in cells if c.count == 1]
    if single:
        titles = dict(session.exec(select(Idea.id, Idea.title).where(Idea.id.in_(single))).all())
        for c in cells:
            c.title = titles.get(c.idea_id, "") if c.count == 1 else ""
    return cells
