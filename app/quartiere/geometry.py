"""Where each Stadtbezirk and Stadtteil is drawn: SVG paths and label positions, computed once per process.

Today the only provider is the schematic TileGeometry (SOURCES.md). A boundary file can later be drawn by
another provider with the same two methods; `provider()` is the single place that chooses it, and the
renderer (mapview.py) only consumes the Layer shapes.
"""

from dataclasses import dataclass
from functools import lru_cache
from math import ceil

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


@lru_cache(maxsize=1)
def provider() -> TileGeometry:
    """The geometry in use; replace here (only) when a boundary file arrives."""
    return TileGeometry(reference.districts())
