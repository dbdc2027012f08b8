"""The schematic map: geometry computed once, every area drawn, readable labels, table twin."""

import re

from app.quartiere import geometry, mapview, reference
from tests.helpers import api_token, make_user
from tests.ideas.conftest import make_round


def test_geometry_is_computed_once_per_process():
    geo = geometry.provider()
    assert geometry.provider() is geo
    assert geo.districts() is geo.districts()
    assert geo.quarters(6) is geo.quarters(6)


def test_every_district_and_quarter_has_a_tile():
    geo = geometry.provider()
    data = reference.districts()
    assert sorted(geo.districts().shapes) == [d["number"] for d in data]
    for d in data:
        layer = geo.quarters(d["number"])
        assert list(layer.shapes) == sorted(q["number"] for q in d["quarters"])  # number order
        for shape in layer.shapes.values():
            assert 0 < shape.label_x < layer.width and 0 < shape.label_y < layer.height
    assert sum(len(geo.quarters(d["number"]).shapes) for d in data) == 152


def test_tiles_do_not_overlap():
    for layer in [geometry.provider().districts()] + [geometry.provider().quarters(n) for n in range(1, 24)]:
        centres = [(s.label_x, s.label_y) for s in layer.shapes.values()]
        assert len(set(centres)) == len(centres)


def test_label_colours_keep_contrast_on_every_class():
    for fill, ink in mapview.PALETTE:
        assert mapview.contrast(fill, ink) >= 4.5, (fill, ink)


def test_classes_cover_all_counts_without_gaps():
    for maximum in (1, 2, 3, 5, 17, 400):
        bands = mapview.classes(maximum)
        assert bands[0][1] == 1 and bands[-1][2] == maximum
        for (_k1, _lo1, hi1), (_k2, lo2, _hi2) in zip(bands, bands[1:], strict=False):
            assert lo2 == hi1 + 1
        assert all(mapview.class_of(n, bands) >= 1 for n in range(1, maximum + 1))
    assert mapview.classes(0) == [] and mapview.class_of(0, []) == 0


def test_long_names_wrap_into_two_lines():
    assert mapview.wrap("Zuffenhausen-Schützenbühl", 180) == ["Zuffenhausen-", "Schützenbühl"]
    assert mapview.wrap("Rot", 180) == ["Rot"]


def test_long_labels_are_held_to_their_tile_under_text_spacing(client):
    """WCAG 1.4.12: with a reader's letter spacing a long name would run out of its tile; it is held to its usual
    width (SVG textLength), short names are left alone. The browser check is in tests/hardening."""
    assert mapview.fit_lengths(["Rot"], 114) == (None,)
    (length,) = mapview.fit_lengths(["Untertürkheim"], 114)
    assert length is not None and length <= 114 - 8
    html = client.get("/ideen").text
    assert re.search(r'<tspan[^>]*textLength="[\d.]+" lengthAdjust="spacingAndGlyphs">Untertürkheim</tspan>', html)
    assert re.search(r'<tspan x="[\d.]+" dy="0">Nord</tspan>', html)


def test_overview_map_table_and_list_agree(client):
    make_round()
    headers = api_token(client, make_user("resident"))
    for quarter in (201, 201, 214, 105):
        assert client.post("/api/v1/ideas", headers=headers, json={
            "title": "Idee für den Stadtteil", "body": "Eine Idee aus der Nachbarschaft.", "category": "wohnen",
            "quarter_id": quarter}).status_code == 201
    page = client.get("/quartiere").text
    assert page.count('class="qmap-tile') == 23
    assert 'aria-label="Bad Cannstatt: 3 Ideen"' in page and 'aria-label="Mitte: 1 Idee"' in page
    rows = dict(re.findall(r'<th scope="row"><a href="/quartiere/([a-z-]+)">[^<]+</a></th><td data-count="(\d+)"',
                           page))
    assert rows["bad-cannstatt"] == "3" and rows["mitte"] == "1" and rows["ost"] == "0"
    for slug, count in rows.items():
        assert client.get(f"/api/v1/ideas?district={slug}").json()["total"] == int(count)


def test_stadtteil_tiles_lie_inside_the_real_bezirk_outline(client):
    """No Stadtteil polygons exist: the Stadtteile are schematic tiles spread over the real Bezirk outline, numbered
    on the map and named in a key list; the page says the tiles are schematic and shows the attribution."""
    import shapely
    from shapely.geometry import Point

    geo = geometry.provider()
    for nr in range(1, 24):
        layer = geo.quarters(nr)
        assert layer.schematic and layer.outline and layer.projection is not None
        outline = shapely.union_all([shapely.Polygon(p) for p in _rings(layer.outline)]).buffer(1)
        for shape in layer.shapes.values():
            assert outline.contains(Point(shape.label_x, shape.label_y)), nr
    page = client.get("/quartiere/bad-cannstatt").text
    assert "Schematische Lage der Stadtteile" in page and "Stadtmessungsamt" in page
    assert page.count('class="qmap-key"') >= 18 and '<li value="4"><a href="/ideen?district=bad-cannstatt' in page


def _rings(path: str) -> list[list[tuple[float, float]]]:
    rings = []
    for part in path.split("M")[1:]:
        coords = re.findall(r"(-?[\d.]+) (-?[\d.]+)", part)
        rings.append([(float(x), float(y)) for x, y in coords])
    return [r for r in rings if len(r) >= 3]
