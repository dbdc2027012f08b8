"""Where each Stadtbezirk and Stadtteil is drawn: SVG paths and label positions, computed once per process.

BoundaryGeometry draws the 23 Stadtbezirke from the official boundary file (data/SOURCES.md), projected so that
Stuttgart is not stretched (a local equirectangular projection: east–west distances scaled by cos 48.78°), the
shapes simplified together so that neighbours keep their shared edges. No Stadtteil polygons exist, so the
Stadtteil level is the schematic TileGeometry. `provider()` is the single place that chooses; the renderer
(mapview.py) only consumes the Layer shapes. `locate()` answers which Stadtbezirk a point lies in.
"""

from dataclasses import dataclass, field
from functools import lru_cache
from math import ceil, cos, radians

import shapely
from shapely.geometry import LineString, Point, shape
from shapely.geometry.polygon import orient
from shapely.ops import polylabel

from app.quartiere import reference


@dataclass(frozen=True)
class Shape:
    """One area: an SVG path and where its label goes."""

    path: str
    label_x: float
    label_y: float
    width: float  # room for the label


@dataclass(frozen=True)
class Layer:
    """All areas of one map view: {id: Shape} in drawing order, and the SVG view box."""

    shapes: dict[int, Shape]
    width: float
    height: float
    schematic: bool
    projection: "Projection | None" = None  # how lon/lat become x/y (real boundaries only)
    outline: str = ""  # the real outline the schematic areas belong to (a Bezirk around its Stadtteil tiles)
    names: dict[int, str] = field(default_factory=dict)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"


def rounded_square(x: float, y: float, w: float, h: float, r: float) -> str:
    return (f"M{x + r:g} {y:g}H{x + w - r:g}A{r:g} {r:g} 0 0 1 {x + w:g} {y + r:g}V{y + h - r:g}"
            f"A{r:g} {r:g} 0 0 1 {x + w - r:g} {y + h:g}H{x + r:g}A{r:g} {r:g} 0 0 1 {x:g} {y + h - r:g}"
            f"V{y + r:g}A{r:g} {r:g} 0 0 1 {x + r:g} {y:g}Z")


class TileGeometry:
    """The schematic tile map: a rounded square per Stadtbezirk at its tile_col/tile_row; zoomed into a
    Bezirk, its Stadtteile as a grid of tiles in number order. Ids are the official numbers (= database ids)."""

    schematic = True
    DISTRICT_TILE = 124
    QUARTER_W, QUARTER_H = 190, 84
    GAP = 8
    RADIUS = 14

    def __init__(self, districts: list[dict]):
        self._districts = districts

    @lru_cache(maxsize=1)  # noqa: B019 - the provider lives for the whole process
    def districts(self) -> Layer:
        size, gap = self.DISTRICT_TILE, self.GAP
        shapes = {}
        cols = rows = 0
        for d in self._districts:
            x, y = gap + d["tile_col"] * (size + gap), gap + d["tile_row"] * (size + gap)
            shapes[d["number"]] = Shape(rounded_square(x, y, size, size, self.RADIUS), x + size / 2,
                                        y + size / 2, size - 8)
            cols, rows = max(cols, d["tile_col"] + 1), max(rows, d["tile_row"] + 1)
        return Layer(shapes, gap + cols * (size + gap), gap + rows * (size + gap), self.schematic)

    @lru_cache(maxsize=32)  # noqa: B019
    def quarters(self, district_id: int) -> Layer:
        district = next((d for d in self._districts if d["number"] == district_id), None)
        quarters = sorted(district["quarters"], key=lambda q: q["number"]) if district else []
        n = len(quarters)
        cols = 1 if n <= 1 else 2 if n <= 4 else 3 if n <= 9 else 4
        w, h, gap = self.QUARTER_W, self.QUARTER_H, self.GAP
        shapes = {}
        for i, q in enumerate(quarters):
            x, y = gap + (i % cols) * (w + gap), gap + (i // cols) * (h + gap)
            shapes[q["number"]] = Shape(rounded_square(x, y, w, h, self.RADIUS), x + w / 2, y + h / 2, w - 10)
        rows = max(1, ceil(n / cols))
        return Layer(shapes, gap + cols * (w + gap), gap + rows * (h + gap), self.schematic)


@dataclass(frozen=True)
class Projection:
    """WGS84 lon/lat → SVG x/y: a local equirectangular projection (true to scale near Stuttgart's latitude)."""

    lon_min: float
    lat_max: float
    scale: float  # SVG units per degree of latitude
    kx: float  # cos(latitude of the centre)
    pad: float

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (self.pad + (lon - self.lon_min) * self.scale * self.kx, self.pad + (self.lat_max - lat) * self.scale)

    def lonlat(self, x: float, y: float) -> tuple[float, float]:
        return (self.lon_min + (x - self.pad) / (self.scale * self.kx), self.lat_max - (y - self.pad) / self.scale)


def _path(geom) -> str:
    """An SVG path of a (multi)polygon, coordinates to one decimal."""
    parts = []
    polygons = getattr(geom, "geoms", [geom])
    for poly in polygons:
        for ring in [poly.exterior, *poly.interiors]:
            coords = [f"{x:.1f} {y:.1f}" for x, y in ring.coords[:-1]]
            parts.append(f"M{coords[0]}L{' '.join(coords[1:])}Z")
    return "".join(parts)


def _label(geom) -> tuple[float, float, float]:
    """Where a name fits best (the pole of inaccessibility) and the width of the shape on that line."""
    largest = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    p = polylabel(largest, tolerance=0.5)
    minx, _miny, maxx, _maxy = largest.bounds
    chord = largest.intersection(LineString([(minx - 1, p.y), (maxx + 1, p.y)]))
    width = 0.0
    for part in getattr(chord, "geoms", [chord]):
        if part.length and part.distance(p) < 1e-6:
            width = part.length
    return p.x, p.y, width or (maxx - minx)


class BoundaryGeometry:
    """The real Stadtbezirk boundaries; Stadtteile schematic (no open Stadtteil polygons, SOURCES.md)."""

    schematic = False
    WIDTH = 640  # SVG units across the whole city
    PAD = 8
    TOLERANCE = 1.0  # simplification in SVG units (about a pixel at full size)
    QUARTER_BOX = (640, 520)  # a Bezirk with its Stadtteil tiles fits this box (SVG units)
    TILE_MAX, TILE_GAP, TILE_RADIUS = 150, 6, 10

    def __init__(self, districts: list[dict], boundaries: dict[int, dict]):
        self._districts = districts
        self._tiles = TileGeometry(districts)
        self.names = {d["number"]: d["name"] for d in districts}
        # As published, the rings turned counter-clockwise (outer) and clockwise (holes) as RFC 7946 asks.
        self.geojson = {nr: _geojson(orient(shape(g), 1.0)) for nr, g in sorted(boundaries.items())}
        self.wgs84 = {nr: shape(g) for nr, g in sorted(boundaries.items())}
        for g in self.wgs84.values():
            shapely.prepare(g)
        self.city = shapely.union_all(list(self.wgs84.values()))
        shapely.prepare(self.city)
        lon_min, lat_min, lon_max, lat_max = self.city.bounds
        kx = cos(radians((lat_min + lat_max) / 2))
        scale = (self.WIDTH - 2 * self.PAD) / ((lon_max - lon_min) * kx)
        self.projection = Projection(lon_min, lat_max, scale, kx, self.PAD)
        self.width = self.WIDTH
        self.height = round(2 * self.PAD + (lat_max - lat_min) * scale, 1)

    def _projected(self, projection: Projection, tolerance: float) -> dict[int, object]:
        numbers = list(self.wgs84)
        projected = [shapely.transform(self.wgs84[n], lambda c: _xy_array(projection, c)) for n in numbers]
        simplified = shapely.coverage_simplify(projected, tolerance)
        return dict(zip(numbers, simplified, strict=True))

    @lru_cache(maxsize=1)  # noqa: B019 - the provider lives for the whole process
    def districts(self) -> Layer:
        shapes = {}
        for nr, geom in self._projected(self.projection, self.TOLERANCE).items():
            x, y, width = _label(geom)
            shapes[nr] = Shape(_path(geom), round(x, 1), round(y, 1), width)
        return Layer(shapes, self.width, self.height, False, self.projection, names=self.names)

    @lru_cache(maxsize=32)  # noqa: B019
    def quarters(self, district_id: int) -> Layer:
        """The Stadtteile of a Bezirk as schematic tiles inside its real outline: one square per Stadtteil, spread
        evenly over the Bezirk (no Stadtteil polygons exist, so the tiles say nothing about where a Stadtteil's
        boundary runs), in number order from top left to bottom right."""
        district = next((d for d in self._districts if d["number"] == district_id), None)
        geom = self.wgs84.get(district_id)
        if district is None or geom is None:
            return self._tiles.quarters(district_id)
        numbers = sorted(q["number"] for q in district["quarters"])
        projection, width, height = self._zoom(geom, self.QUARTER_BOX)
        outline = shapely.transform(geom, lambda c: _xy_array(projection, c)).simplify(0.5)
        inner = outline.buffer(-self.TILE_GAP)
        seeds = _spread(inner if not inner.is_empty else outline, len(numbers))
        shapes = {}
        for nr, (x, y), side in zip(numbers, seeds, _sides(seeds, self.TILE_MAX, self.TILE_GAP), strict=True):
            tile = shapely.box(x - side / 2, y - side / 2, x + side / 2, y + side / 2)
            clipped = tile if inner.is_empty or inner.covers(tile) else tile.intersection(inner)
            if clipped.geom_type not in ("Polygon", "MultiPolygon") or clipped.area < tile.area * 0.4:
                clipped = tile
            shapes[nr] = Shape(_tile_path(clipped, tile, self.TILE_RADIUS), round(x, 1), round(y, 1), side)
        return Layer(shapes, width, height, True, projection, outline=_path(outline),
                     names={q["number"]: q["name"] for q in district["quarters"]})

    def _zoom(self, geom, box: tuple[float, float]) -> tuple[Projection, float, float]:
        """A projection that fits `geom` into a box of box[0] × box[1] SVG units; the layer's width and height."""
        lon_min, lat_min, lon_max, lat_max = geom.bounds
        kx, pad = self.projection.kx, self.PAD
        scale = min((box[0] - 2 * pad) / ((lon_max - lon_min) * kx), (box[1] - 2 * pad) / (lat_max - lat_min))
        return (Projection(lon_min, lat_max, scale, kx, pad), round(2 * pad + (lon_max - lon_min) * kx * scale, 1),
                round(2 * pad + (lat_max - lat_min) * scale, 1))

    @lru_cache(maxsize=32)  # noqa: B019
    def district(self, district_id: int, width: float = 400) -> Layer:
        """One Stadtbezirk zoomed to `width`: its real outline (for its ideas' points and an idea's place)."""
        geom = self.wgs84.get(district_id)
        if geom is None:
            return Layer({}, width, width, False)
        lon_min, lat_min, lon_max, lat_max = geom.bounds
        kx = self.projection.kx
        pad = self.PAD
        scale = min((width - 2 * pad) / ((lon_max - lon_min) * kx), (width - 2 * pad) / (lat_max - lat_min))
        projection = Projection(lon_min, lat_max, scale, kx, pad)
        projected = shapely.transform(geom, lambda c: _xy_array(projection, c)).simplify(0.5)
        x, y, w = _label(projected)
        height = round(2 * pad + (lat_max - lat_min) * scale, 1)
        real_width = round(2 * pad + (lon_max - lon_min) * kx * scale, 1)
        return Layer({district_id: Shape(_path(projected), round(x, 1), round(y, 1), w)}, real_width, height,
                     False, projection, names={district_id: self.names.get(district_id, "")})

    def locate_many(self, lats: list[float], lons: list[float]) -> list[int | None]:
        """locate() for many points at once (vectorised: one call per Stadtbezirk, not per point)."""
        found: list[int | None] = [None] * len(lats)
        if not lats:
            return found
        for nr, geom in self.wgs84.items():
            for i, inside in enumerate(shapely.intersects_xy(geom, lons, lats)):
                if inside and found[i] is None:
                    found[i] = nr
        return found

    def locate(self, lat: float, lon: float) -> int | None:
        """The number of the Stadtbezirk the point lies in (its boundary counts as inside), or None."""
        point = Point(lon, lat)
        if not self.city.covers(point):
            return None
        for nr, geom in self.wgs84.items():
            if geom.covers(point):
                return nr
        return None  # pragma: no cover - the union covers it, so one Bezirk does


def _spread(area, n: int) -> list[tuple[float, float]]:
    """n points spread evenly over `area` (k-means on a grid of points inside it, started from the points
    farthest apart), ordered as one reads: in rows from top to bottom, left to right within a row."""
    if n <= 0:
        return []
    if n == 1:
        p = polylabel(max(getattr(area, "geoms", [area]), key=lambda g: g.area), tolerance=0.5)
        return [(p.x, p.y)]
    minx, miny, maxx, maxy = area.bounds
    step = max((maxx - minx), (maxy - miny)) / 40
    xs = [minx + step * (i + 0.5) for i in range(int((maxx - minx) / step) + 1)]
    ys = [miny + step * (j + 0.5) for j in range(int((maxy - miny) / step) + 1)]
    grid = [(x, y) for y in ys for x in xs]
    inside = [p for p, ok in zip(grid, shapely.contains_xy(area, [p[0] for p in grid], [p[1] for p in grid]),
                                  strict=True) if ok]
    if len(inside) < n:
        inside = grid
    label = polylabel(max(getattr(area, "geoms", [area]), key=lambda g: g.area), tolerance=0.5)
    centres = [min(inside, key=lambda p: (p[0] - label.x) ** 2 + (p[1] - label.y) ** 2)]
    while len(centres) < n:  # farthest-point start: deterministic, already well spread
        centres.append(max(inside, key=lambda p: min((p[0] - c[0]) ** 2 + (p[1] - c[1]) ** 2 for c in centres)))
    for _ in range(25):  # Lloyd's iterations: each centre moves to the middle of the grid points nearest to it
        groups: list[list[tuple[float, float]]] = [[] for _ in centres]
        for p in inside:
            k = min(range(n), key=lambda i: (p[0] - centres[i][0]) ** 2 + (p[1] - centres[i][1]) ** 2)
            groups[k].append(p)
        moved = [(sum(p[0] for p in g) / len(g), sum(p[1] for p in g) / len(g)) if g else c
                 for g, c in zip(groups, centres, strict=True)]
        if moved == centres:
            break
        centres = moved
    # Snap each centre to its nearest grid point inside (a mean of a bent group can fall outside the area).
    centres = [c if shapely.contains_xy(area, *c) else min(inside, key=lambda p: (p[0] - c[0]) ** 2
                                                                     + (p[1] - c[1]) ** 2) for c in centres]
    row = max(maxy - miny, 1) / max(1, round(n ** 0.5))
    return sorted(centres, key=lambda c: (int((c[1] - miny) / row), c[0]))


def _sides(centres: list[tuple[float, float]], largest: float, gap: float) -> list[float]:
    """The side of each square tile: as large as it may be without touching a neighbour's (half the distance
    along the larger axis, less a gap), at most `largest`."""
    sides = []
    for i, (x, y) in enumerate(centres):
        room = min((max(abs(x - u), abs(y - v)) for j, (u, v) in enumerate(centres) if j != i), default=largest * 2)
        sides.append(max(24.0, min(largest, room - gap)))
    return sides


def _tile_path(clipped, tile, radius: float) -> str:
    """A rounded square, or the part of it inside the outline where the square would cross it."""
    if clipped.equals(tile):
        minx, miny, maxx, maxy = tile.bounds
        return rounded_square(round(minx, 1), round(miny, 1), round(maxx - minx, 1), round(maxy - miny, 1), radius)
    return _path(clipped)


def _geojson(polygon) -> dict:
    return {"type": "Polygon", "coordinates": [[[x, y] for x, y in ring.coords]
                                                for ring in [polygon.exterior, *polygon.interiors]]}


def _xy_array(projection: Projection, coords):
    out = coords.copy()
    out[:, 0] = projection.pad + (coords[:, 0] - projection.lon_min) * projection.scale * projection.kx
    out[:, 1] = projection.pad + (projection.lat_max - coords[:, 1]) * projection.scale
    return out


@lru_cache(maxsize=1)
def provider() -> BoundaryGeometry:
    """The geometry in use: real Stadtbezirk boundaries, schematic Stadtteile."""
    return BoundaryGeometry(reference.districts(), reference.boundaries())
