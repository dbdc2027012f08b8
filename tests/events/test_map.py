"""Werkstätten on the map at their venue (issue 17): the venue is set by pointing on the event form (hidden lat/lon
fields as for ideas) or given in the API; a point outside Stuttgart or outside the event's Stadtbezirk is refused
with a clear message and nothing is stored; coming Werkstätten show as diamonds on the overview and Quartier maps,
linked to their page, with a legend entry; cancelled and past ones and those without a place do not."""

import re
from datetime import timedelta

from app.db import utcnow
from app.quartiere import geometry
from tests.events.factory import Setting, event_data
from tests.helpers import login, post_form

BERLIN = (52.5200, 13.4050)
SCHLOSSPLATZ = (48.7784, 9.1795)  # Mitte
LEINFELDEN = (48.6950, 9.1400)  # just outside the city limit


def _inside(number: int) -> tuple[float, float]:
    p = geometry.provider().wgs84[number].representative_point()
    return round(p.y, 5), round(p.x, 5)


def _venues(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<a href="([^"]+)" class="qmap-venue" aria-label="([^"]+)">', page)


def test_api_takes_the_venue_and_refuses_points_outside_with_a_clear_message(client):
    s = Setting(client)
    lat, lon = _inside(3)  # Ost
    event = s.event(lat=lat, lon=lon)
    assert (event["lat"], event["lon"]) == (lat, lon)
    assert client.get(f"/api/v1/events/{event['id']}").json()["lat"] == lat
    assert s.event(title="Ohne Ort")["lat"] is None
    for point, text in ((BERLIN, "nicht in Stuttgart"), (LEINFELDEN, "nicht in Stuttgart"),
                        (SCHLOSSPLATZ, "im Stadtbezirk Mitte, nicht im gewählten Stadtbezirk Ost")):
        answer = client.post("/api/v1/events", headers=s.lead_headers,
                             json=event_data(s.round, lat=point[0], lon=point[1]))
        assert answer.status_code == 422 and text in answer.text, (point, answer.text)
    half = client.post("/api/v1/events", headers=s.lead_headers, json=event_data(s.round, lat=lat))
    assert half.status_code == 422 and "zusammen" in half.text
    text = client.post("/api/v1/events", headers=s.lead_headers, json=event_data(s.round, lat="hier", lon=lon))
    assert text.status_code == 422
    assert client.get("/api/v1/events").json()["total"] == 2  # nothing stored by the refused ones


def test_form_sets_the_venue_by_the_map_fields_and_shows_refusals_beside_the_map(client):
    s = Setting(client)
    login(client, s.lead)
    form = client.get("/werkstaetten/neu").text
    assert 'id="f-lat"' in form and "place-svg" in form and "Ort auf der Karte (freiwillig)" in form
    start = (utcnow() + timedelta(days=5)).astimezone().strftime("%Y-%m-%dT10:00")
    fields = {"round_id": str(s.round), "title": "Werkstatt am Kursaal", "description": "", "district": "ost",
              "quarter_id": "", "venue": "Bürgerhaus", "address": "Straße 1", "starts_at": start,
              "ends_at": start.replace("T10:00", "T12:00"), "capacity": "20", "online_url": "",
              "registration_open": "1"}
    bad = post_form(client, "/werkstaetten/neu", {**fields, "lat": str(BERLIN[0]), "lon": str(BERLIN[1])})
    assert bad.status_code == 422 and 'id="f-lat-error"' in bad.text and "nicht in Stuttgart" in bad.text
    wrong = post_form(client, "/werkstaetten/neu", {**fields, "lat": "48,7784", "lon": "9,1795"})
    assert wrong.status_code == 422 and "nicht im gewählten Stadtbezirk Ost" in wrong.text
    assert client.get("/api/v1/events").json()["total"] == 0
    lat, lon = _inside(3)
    created = post_form(client, "/werkstaetten/neu", {**fields, "lat": str(lat), "lon": str(lon)})
    assert created.status_code == 303, created.text
    event_id = int(created.headers["location"].rsplit("/", 1)[1])
    assert client.get(f"/api/v1/events/{event_id}").json()["lat"] == lat
    edit = client.get(f"/werkstaetten/{event_id}/bearbeiten").text
    assert f'value="{lat:.5f}"' in edit and 'class="place-marker" r="8" cx=' in edit
    assert 'visibility="hidden"' not in edit.split('class="place-marker"')[1].split("/>")[0]
    unset = post_form(client, f"/werkstaetten/{event_id}/bearbeiten", {**fields, "lat": "", "lon": ""})
    assert unset.status_code == 303 and client.get(f"/api/v1/events/{event_id}").json()["lat"] is None


def test_coming_werkstaetten_show_as_diamonds_at_the_venue_on_overview_and_quartier_maps(client):
    s = Setting(client)
    lat, lon = _inside(3)
    shown = s.event(lat=lat, lon=lon, title="Werkstatt im Osten")
    s.event(title="Ohne Ort")
    cancelled = s.event(lat=lat, lon=lon, title="Abgesagt")
    login(client, s.lead)
    assert post_form(client, f"/werkstaetten/{cancelled['id']}/stand", {"action": "cancel"}).status_code == 303
    past_start = utcnow() - timedelta(days=3)
    s.event(lat=lat, lon=lon, title="Vorbei", starts_at=past_start.isoformat(),
            ends_at=(past_start + timedelta(hours=2)).isoformat())
    href = f"/werkstaetten/{shown['id']}"
    for url in ("/quartiere", "/quartiere/ost", "/ideen", "/ideen?district=ost"):
        page = client.get(url).text
        venues = _venues(page)
        assert [v[0] for v in venues] == [href], (url, venues)
        assert venues[0][1].startswith("Werkstatt: Werkstatt im Osten, ") and "Bürgerhaus Ostheim" in venues[0][1]
        assert "Werkstatt am Veranstaltungsort (1)" in page
    assert _venues(client.get("/quartiere/mitte").text) == []


def test_the_event_page_shows_its_venue_on_a_small_map_of_its_stadtbezirk(client):
    s = Setting(client)
    lat, lon = _inside(3)
    placed = s.event(lat=lat, lon=lon)
    page = client.get(f"/werkstaetten/{placed['id']}").text
    assert 'id="ortskarte-caption"' in page and "Ort der Werkstatt im Stadtbezirk Ost" in page
    assert _venues(page) == [("/quartiere/ost", "Bürgerhaus Ostheim – Ort der Werkstatt im Stadtbezirk Ost")]
    assert "Stadtmessungsamt" in page  # the attribution wherever the shapes are drawn
    assert "ortskarte" not in client.get(f"/werkstaetten/{s.event()['id']}").text
