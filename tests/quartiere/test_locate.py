"""Point-in-polygon on the official Stadtbezirk boundaries: suggestion over HTTP, and refusal on submission."""

import pytest

from app.quartiere import geometry
from tests.helpers import api_token, make_user
from tests.ideas.conftest import make_round

SCHLOSSPLATZ = (48.7784, 9.1795)
KURSAAL_CANNSTATT = (48.8075, 9.2207)
BERLIN = (52.5200, 13.4050)
LEINFELDEN = (48.6950, 9.1400)  # inside the old rough rectangle, outside the city limit


def just_outside() -> tuple[float, float]:
    """A point 70 m west of the westernmost corner of the city limit."""
    lon, lat = min(geometry.provider().city.exterior.coords, key=lambda c: c[0])
    return lat, lon - 0.001


@pytest.mark.parametrize("point, district", [(SCHLOSSPLATZ, "Mitte"), (KURSAAL_CANNSTATT, "Bad Cannstatt")])
def test_known_places_lie_in_their_stadtbezirk(client, point, district):
    r = client.get("/api/v1/locate", params={"lat": point[0], "lon": point[1]})
    assert r.status_code == 200
    got = r.json()
    assert got["inside"] is True and got["district"]["name"] == district
    assert f"Stadtbezirk {district}" in got["message"]
    assert got["quarters"] and all(q["slug"] for q in got["quarters"])


def test_single_stadtteil_is_suggested(client):
    r = client.get("/api/v1/locate", params={"lat": 48.8228, "lon": 9.2139})  # Münster
    got = r.json()
    assert got["district"]["name"] == "Münster" and got["quarter"]["name"] == "Münster"


@pytest.mark.parametrize("point", [BERLIN, LEINFELDEN, "just outside"])
def test_points_outside_stuttgart_are_refused_with_a_clear_message(client, point):
    lat, lon = just_outside() if point == "just outside" else point
    got = client.get("/api/v1/locate", params={"lat": lat, "lon": lon}).json()
    assert got == {"inside": False, "district": None, "quarters": [], "quarter": None,
                   "message": "Dieser Ort liegt nicht in Stuttgart. Bitte wählen Sie einen Ort innerhalb der "
                              "Stadtgrenze – oder lassen Sie den Ort leer."}


def test_bad_coordinates_are_422(client):
    for params in ({"lat": "abc", "lon": 9.1}, {"lat": 91, "lon": 9.1}, {"lat": 48.7}):
        assert client.get("/api/v1/locate", params=params).status_code == 422


IDEA = {"title": "Bank am Platz", "body": "Mehr Sitzgelegenheiten für alle.", "category": "wohnen"}


def test_submission_checks_the_point_against_the_chosen_stadtbezirk(client):
    make_round()
    headers = api_token(client, make_user("resident"))
    # Schlossplatz with Europaviertel (Mitte): accepted.
    r = client.post("/api/v1/ideas", headers=headers, json={**IDEA, "quarter_id": 105, "lat": SCHLOSSPLATZ[0],
                                                            "lon": SCHLOSSPLATZ[1]})
    assert r.status_code == 201, r.text
    # Kursaal with Feuersee (West): refused, the message names both Stadtbezirke.
    r = client.post("/api/v1/ideas", headers=headers, json={**IDEA, "quarter_id": 184, "lat": KURSAAL_CANNSTATT[0],
                                                            "lon": KURSAAL_CANNSTATT[1]})
    assert r.status_code == 422
    text = r.text
    assert "Stadtbezirk Bad Cannstatt" in text and "Stadtbezirk West" in text
    for lat, lon in (LEINFELDEN, just_outside()):
        r = client.post("/api/v1/ideas", headers=headers, json={**IDEA, "quarter_id": 105, "lat": lat, "lon": lon})
        assert r.status_code == 422 and "nicht in Stuttgart" in r.text
    assert client.get("/api/v1/ideas").json()["total"] == 1
