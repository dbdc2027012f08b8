"""GeoJSON over HTTP: districts with idea counts, located ideas as points; checked against a schema written from
RFC 7946 and round-tripped through shapely; hidden ideas never appear; counts equal the list totals."""

import jsonschema
import pytest
import shapely
from shapely.geometry import Point, shape

from tests.helpers import api_token, make_user
from tests.ideas.conftest import make_round

# RFC 7946, sections 3.1 (geometry), 3.2 (Feature), 3.3 (FeatureCollection), 5 (bbox); foreign members allowed.
POSITION = {"type": "array", "minItems": 2, "maxItems": 3, "items": {"type": "number"}}
LINEAR_RING = {"type": "array", "minItems": 4, "items": POSITION}  # closed: checked below
GEOMETRY = {"oneOf": [
    {"type": "object", "required": ["type", "coordinates"],
     "properties": {"type": {"const": "Point"}, "coordinates": POSITION}},
    {"type": "object", "required": ["type", "coordinates"],
     "properties": {"type": {"const": "Polygon"}, "coordinates": {"type": "array", "items": LINEAR_RING}}},
    {"type": "object", "required": ["type", "coordinates"],
     "properties": {"type": {"const": "MultiPolygon"},
                    "coordinates": {"type": "array", "items": {"type": "array", "items": LINEAR_RING}}}},
]}
BBOX = {"type": "array", "minItems": 4, "items": {"type": "number"}}
FEATURE = {"type": "object", "required": ["type", "geometry", "properties"], "properties": {
    "type": {"const": "Feature"}, "id": {"type": ["string", "number"]},
    "geometry": {"oneOf": [{"type": "null"}, GEOMETRY]}, "properties": {"type": ["object", "null"]}, "bbox": BBOX}}
COLLECTION = {"type": "object", "required": ["type", "features"], "properties": {
    "type": {"const": "FeatureCollection"}, "features": {"type": "array", "items": FEATURE}, "bbox": BBOX}}


def check_rfc7946(document: dict, schema: dict) -> list:
    jsonschema.validate(document, schema)
    features = document["features"] if document["type"] == "FeatureCollection" else [document]
    shapes = []
    for feature in features:
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            for ring in geometry["coordinates"]:
                assert ring[0] == ring[-1], "linear rings are closed"
        for lon, lat, *_ in _positions(geometry["coordinates"]):
            assert -180 <= lon <= 180 and -90 <= lat <= 90
        g = shape(geometry)  # round trip: shapely reads it and writes the same coordinates
        assert g.is_valid
        assert shape(g.__geo_interface__).equals(g)
        if g.geom_type == "Polygon":
            assert g.exterior.is_ccw, "RFC 7946 3.1.6: outer rings counter-clockwise"
        shapes.append(g)
    return shapes


def _positions(coords):
    if isinstance(coords[0], (int, float)):
        yield coords
    else:
        for c in coords:
            yield from _positions(c)


def _submit(client, headers, quarter, point=None, **changes):
    body = {"title": "Bank am Platz", "body": "Mehr Sitzgelegenheiten für alle.", "category": "wohnen",
            "quarter_id": quarter, **changes}
    if point:
        body.update(lat=point[0], lon=point[1])
    r = client.post("/api/v1/ideas", headers=headers, json=body)
    assert r.status_code == 201, r.text
    return r.json()["id"]


@pytest.fixture
def ideas(client):
    make_round()
    headers = api_token(client, make_user("resident"))
    ids = {"schloss": _submit(client, headers, 105, (48.7784, 9.1795)),
           "kursaal": _submit(client, headers, 204, (48.8075, 9.2207), category="gesundheit"),
           "plain": _submit(client, headers, 184),
           "hidden": _submit(client, headers, 204, (48.79, 9.23))}
    moderator = api_token(client, make_user("moderator"))
    assert client.post(f"/api/v1/moderation/idea/{ids['hidden']}/hide", headers=moderator,
                       json={"reason": "Test"}).status_code == 200
    return ids


def test_districts_geojson_has_all_23_with_counts_equal_to_list_totals(client, ideas):
    r = client.get("/api/v1/districts.geojson")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    doc = r.json()
    shapes = check_rfc7946(doc, COLLECTION)
    assert len(shapes) == 23 and "Stadtmessungsamt" in doc["attribution"] and doc["license"] == "CC-BY-4.0"
    by_name = {f["properties"]["name"]: f["properties"] for f in doc["features"]}
    assert by_name["Mitte"]["idea_count"] == 1 and by_name["Bad Cannstatt"]["idea_count"] == 1
    assert by_name["West"]["idea_count"] == 1 and sum(p["idea_count"] for p in by_name.values()) == 3
    for props in by_name.values():
        assert client.get(f"/api/v1/ideas?district={props['slug']}").json()["total"] == props["idea_count"]
    named = dict(zip([f["properties"]["name"] for f in doc["features"]], shapes, strict=True))
    assert named["Mitte"].contains(Point(9.1795, 48.7784)) and named["Bad Cannstatt"].contains(Point(9.2207, 48.8075))
    assert shapely.union_all(shapes).area == pytest.approx(sum(s.area for s in shapes), rel=1e-3)  # no overlaps
    filtered = client.get("/api/v1/districts.geojson?category=gesundheit").json()
    assert {f["properties"]["name"]: f["properties"]["idea_count"] for f in filtered["features"]
            if f["properties"]["idea_count"]} == {"Bad Cannstatt": 1}


def test_one_district_geojson(client, ideas):
    doc = client.get("/api/v1/districts/bad-cannstatt.geojson").json()
    (polygon,) = check_rfc7946(doc, FEATURE)
    assert doc["properties"]["name"] == "Bad Cannstatt" and doc["properties"]["idea_count"] == 1
    assert len(doc["properties"]["quarters"]) == 18 and "Stadtmessungsamt" in doc["attribution"]
    assert polygon.contains(Point(9.2207, 48.8075))
    assert client.get("/api/v1/districts/6.geojson").json()["properties"]["slug"] == "bad-cannstatt"
    r = client.get("/api/v1/districts/atlantis.geojson")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")


def test_ideas_geojson_points_with_the_list_filters_never_hidden(client, ideas):
    doc = client.get("/api/v1/ideas.geojson").json()
    points = check_rfc7946(doc, COLLECTION)
    assert {f["id"] for f in doc["features"]} == {ideas["schloss"], ideas["kursaal"]} and doc["total"] == 2
    assert {(p.x, p.y) for p in points} == {(9.1795, 48.7784), (9.2207, 48.8075)}
    assert all(f["properties"]["url"] == f"/ideen/{f['id']}" for f in doc["features"])
    one = client.get("/api/v1/ideas.geojson?district=bad-cannstatt").json()
    assert [f["id"] for f in one["features"]] == [ideas["kursaal"]]
    assert client.get("/api/v1/ideas.geojson?category=bildung").json()["features"] == []
    page = client.get("/api/v1/ideas.geojson?per_page=1&page=2").json()
    assert len(page["features"]) == 1 and page["total"] == 2
    assert client.get("/api/v1/ideas.geojson?district=atlantis").status_code == 422
    assert client.get("/api/v1/ideas.geojson?per_page=5001").status_code == 422


def test_geojson_routes_are_in_openapi(client):
    spec = client.get("/api/v1/openapi.json")
    if spec.status_code != 200:
        spec = client.get("/openapi.json")
    paths = spec.json()["paths"]
    for path in ("/api/v1/districts.geojson", "/api/v1/districts/{district}.geojson", "/api/v1/ideas.geojson"):
        assert "application/geo+json" in paths[path]["get"]["responses"]["200"]["content"], path
