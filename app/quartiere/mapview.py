"""The choropleth map as data for the SVG template: shapes from a geometry Layer, counts, links, legend.

It knows nothing about tiles or boundaries: it consumes {id: Shape(path, label position)} only.
"""

from dataclasses import dataclass, field
from math import ceil

from markupsafe import Markup, escape

from app.quartiere.geometry import Layer, provider
from app.quartiere.reference import BOUNDARY_ATTRIBUTION, LICENCE_URL
from app.web.i18n import gettext as _
from app.web.i18n import ngettext

# A single-hue sequential blue scale (ColorBrewer "Blues"), safe for colour-blind readers; class 0 is
# "no ideas". Each fill carries the label colour that keeps at least 4.5:1 contrast (tested).
PALETTE = [
    ("#f7fbff", "#1d2433"),
    ("#c6dbef", "#1d2433"),
    ("#6baed6", "#1d2433"),
    ("#2171b5", "#ffffff"),
    ("#08306b", "#ffffff"),
]


@dataclass(frozen=True)
class Area:
    id: int
    name: str
    count: int
    href: str


@dataclass(frozen=True)
class Tile:
    area: Area
    path: str
    label_x: float
    label_y: float
    lines: list[str]
    fill: str
    ink: str
    css_class: int
    fit: tuple[float | None, ...] = ()  # per line: a length the label is held to (see fit_lengths), or None
    key: str = ""  # a short mark on the map (1, 2, …) that the key list beside it names

    @property
    def label(self) -> str:
        return f"{self.area.name}: " + ngettext("%(num)d Idee", "%(num)d Ideen", self.area.count) % {
            "num": self.area.count}


@dataclass(frozen=True)
class MapPoint:
    """One idea, or a counted cluster of ideas that lie close together on this map."""

    x: float
    y: float
    count: int
    href: str
    label: str

    @property
    def radius(self) -> float:
        return 5.0 if self.count == 1 else 9.0 + min(len(str(self.count)), 5) * 2.5


@dataclass(frozen=True)
class Venue:
    """A place where something happens (a Werkstatt), as given by the domain that owns it: WGS84 and a link."""

    lat: float
    lon: float
    href: str
    label: str


@dataclass(frozen=True)
class VenueMark:
    """A venue on this map: drawn as a diamond, unlike the round points of ideas."""

    x: float
    y: float
    href: str
    label: str


@dataclass(frozen=True)
class LegendEntry:
    fill: str
    text: str


@dataclass(frozen=True)
class MapView:
    title: str
    view_box: str
    tiles: list[Tile]
    legend: list[LegendEntry]
    schematic: bool
    total: int
    width: float = 0
    points: list[MapPoint] = field(default_factory=list)
    outline: str = ""
    attribution: str = ""  # shown with the map wherever real boundaries are drawn
    licence_url: str = ""
    schematic_note: str = ""
    located: int = 0  # ideas drawn as points (in clusters or alone)
    counts: bool = True  # False: a locator map (the place of one idea), without counts and legend
    inside: bool = False  # schematic tiles drawn inside a real outline (the Stadtteile of a Bezirk)
    venues: list[VenueMark] = field(default_factory=list)

    @property
    def wide(self) -> bool:
        """Wide tile maps keep a legible size on small screens and scroll sideways; maps with a real outline fit."""
        return self.schematic and not self.outline and self.width > 480

    @property
    def keyed(self) -> bool:
        """Tiles too small for names carry a number, named in a key list beside the map (always)."""
        return self.inside

    @property
    def points_svg(self) -> Markup:
        """The points as SVG markup, written here in one pass: a template loop over 200 points with seven
        escaped expressions each was a fifth of the overview's rendering time."""
        parts = []
        for p in self.points:
            label = escape(p.label)
            head = (f'<a href="{escape(p.href)}" class="qmap-point" aria-label="{label}">' if p.href else
                    f'<g class="qmap-point" role="img" aria-label="{label}">')
            count = (f'<text x="{p.x:g}" y="{round(p.y + 4, 1):g}" text-anchor="middle" aria-hidden="true">'
                     f'{p.count}</text>' if p.count > 1 else "")
            parts.append(f'{head}<title>{label}</title><circle cx="{p.x:g}" cy="{p.y:g}" r="{p.radius:g}"/>{count}'
                         f'{"</a>" if p.href else "</g>"}')
        return Markup("\n".join(parts))

    @property
    def venues_svg(self) -> Markup:
        """The venues as diamonds (a different shape from the ideas' circles: told apart without colour)."""
        parts = []
        for v in self.venues:
            label, r = escape(v.label), 9
            diamond = f"M{v.x:g} {v.y - r:g}L{v.x + r:g} {v.y:g}L{v.x:g} {v.y + r:g}L{v.x - r:g} {v.y:g}Z"
            parts.append(f'<a href="{escape(v.href)}" class="qmap-venue" aria-label="{label}"><title>{label}</title>'
                         f'<path d="{diamond}"/></a>')
        return Markup("\n".join(parts))

    @property
    def key_list(self) -> list[Tile]:
        return sorted(self.tiles, key=lambda t: int(t.key or 0))

    @property
    def keyable(self) -> bool:
        """Maps of many areas switch to numbers and the key list on narrow screens (names would be too small)."""
        return len(self.tiles) > 1 and not self.wide


def classes(max_count: int) -> list[tuple[int, int, int]]:
    """[(palette index, low, high)] for counts ≥ 1: up to four equal-interval classes up to the maximum."""
    if max_count <= 0:
        return []
    result: list[tuple[int, int, int]] = []
    low = 1
    for k in range(1, 5):
        high = ceil(k * max_count / 4)
        if high >= low:
            result.append((k, low, high))
            low = high + 1
    return result


def class_of(count: int, bands: list[tuple[int, int, int]]) -> int:
    if count <= 0:
        return 0
    for k, _low, high in bands:
        if count <= high:
            return k
    return bands[-1][0] if bands else 0


def wrap(name: str, width: float, char_px: float = 8.6) -> list[str]:
    """Split a long name at a hyphen or space into at most two lines that fit the tile."""
    if len(name) * char_px <= width:
        return [name]
    for sep in ("-", " ", "/"):
        if sep in name:
            i = name.rfind(sep, 0, len(name) // 2 + 4)
            if i <= 0:
                i = name.find(sep)
            head = name[: i + 1] if sep != " " else name[:i]
            return [head.strip(), name[i + 1:].strip()]
    return [name]


CHAR_PX = 8.6  # the average advance of a label character (14 px bold) in the SVG's units
SPACED_CHAR_PX = CHAR_PX + 0.12 * 14  # … with the letter spacing a reader may set (WCAG 1.4.12: 0.12 em)


def fit_lengths(lines: list[str], width: float) -> tuple[float | None, ...]:
    """For each label line that would run out of its tile under a reader's text spacing: the length to hold it to
    (SVG textLength; its usual width, at most the tile's inner width). None where the line fits either way."""
    inner = width - 8
    return tuple(None if len(line) * SPACED_CHAR_PX <= inner else min(len(line) * CHAR_PX, inner) for line in lines)


def venue_marks(layer: Layer, venues: list[Venue]) -> list[VenueMark]:
    """The venues that lie on this map (real boundaries only: a schematic map has no place for a point)."""
    proj = layer.projection
    if proj is None or layer.schematic:
        return []
    marks = []
    for v in venues:
        x, y = proj.xy(v.lon, v.lat)
        if 0 <= x <= layer.width and 0 <= y <= layer.height:
            marks.append(VenueMark(round(x, 1), round(y, 1), v.href, v.label))
    return marks


def picker(lat: object, lon: object) -> dict:
    """The map on which a point is placed (static/js/place.js: click, tap or arrow keys), with the stored point as
    its marker; used by every form that takes a place (ideas, Werkstätten)."""
    layer = provider().districts()
    marker = layer.projection.xy(lon, lat) if isinstance(lat, float) and isinstance(lon, float) else None
    if marker and not (0 <= marker[0] <= layer.width and 0 <= marker[1] <= layer.height):
        marker = None
    return {"layer": layer, "p": layer.projection, "marker": marker, "names": layer.names}


def build(layer: Layer, areas: list[Area], *, title: str, points: list[MapPoint] | None = None,
          boundaries: bool | None = None, counts: bool = True, venues: list[Venue] | None = None) -> MapView:
    bands = classes(max((a.count for a in areas), default=0))
    tiles = []
    keys = {a.id: str(i) for i, a in enumerate(sorted(areas, key=lambda a: a.id), start=1)}
    for area in areas:
        shape = layer.shapes.get(area.id)
        if shape is None:
            continue
        k = class_of(area.count, bands)
        fill, ink = PALETTE[k]
        lines = wrap(area.name, shape.width)
        tiles.append(Tile(area=area, path=Markup(shape.path), label_x=shape.label_x, label_y=shape.label_y,
                          lines=lines, fill=fill, ink=ink, css_class=k, fit=fit_lengths(lines, shape.width),
                          key=keys[area.id]))
    legend = [LegendEntry(PALETTE[0][0], _("keine Ideen"))] if counts else []
    for k, low, high in bands if counts else []:
        text = str(low) if low == high else _("{low} bis {high}").format(low=low, high=high)
        legend.append(LegendEntry(PALETTE[k][0], text))
    real = (not layer.schematic or bool(layer.outline)) if boundaries is None else boundaries
    points = points or []
    return MapView(title=title, view_box=layer.view_box, tiles=tiles, legend=legend, schematic=layer.schematic,
                   total=sum(a.count for a in areas), width=layer.width, points=points, outline=layer.outline,
                   attribution=BOUNDARY_ATTRIBUTION if real else "", licence_url=LICENCE_URL if real else "",
                   located=sum(p.count for p in points), counts=counts,
                   inside=layer.schematic and bool(layer.outline), venues=venue_marks(layer, venues or []))


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
