"""Located ideas on the maps: points and counted clusters, linked; hidden ideas never drawn; an idea's place."""

import re

from tests.helpers import api_token, make_user
from tests.ideas.conftest import make_round

SCHLOSSPLATZ = (48.7784, 9.1795)
KURSAAL = (48.8075, 9.2207)


def _submit(client, headers, quarter, point=None, title="Bank am Platz"):
    body = {"title": title, "body": "Mehr Sitzgelegenheiten für alle.", "category": "wohnen", "quarter_id": quarter}
    if point:
        body.update(lat=point[0], lon=point[1])
    r = client.post("/api/v1/ideas", headers=headers, json=body)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def points(html: str, map_id: str = "karte") -> list[tuple[str, str]]:
    figure = html[html.index(f'aria-labelledby="{map_id}-caption"'):]
    figure = figure[:figure.index("</figure>")]
    return re.findall(r'<a href="([^"]+)" class="qmap-point" aria-label="([^"]+)">', figure)


def test_points_and_clusters_on_overview_and_quartier_maps(client):
    make_round()
    headers = api_token(client, make_user("resident"))
    near = [_submit(client, headers, 105, (SCHLOSSPLATZ[0] + i / 10_000, SCHLOSSPLATZ[1])) for i in range(3)]
    alone = _submit(client, headers, 201, KURSAAL, title="Brunnen am Kursaal")
    _submit(client, headers, 184)  # no location: counted per area only
    hidden = _submit(client, headers, 201, (48.79, 9.23), title="Versteckt")
    moderator = api_token(client, make_user("moderator"))
    assert client.post(f"/api/v1/moderation/idea/{hidden}/hide", headers=moderator,
                       json={"reason": "Test"}).status_code == 200

    for url in ("/quartiere", "/ideen"):
        page = client.get(url).text
        found = dict(points(page))
        assert found == {"/ideen?district=mitte": "3 Ideen nah beieinander im Stadtbezirk Mitte",
                         f"/ideen/{alone}": "Idee: Brunnen am Kursaal"}, url
        assert "Punkte: 4 Ideen mit Ortsangabe" in page
        assert "Versteckt" not in page and near[0] > 0

    district = client.get("/quartiere/mitte").text
    assert points(district, "bezirkskarte") == [("/ideen?district=mitte", "3 Ideen nah beieinander im Stadtbezirk "
                                                                          "Mitte")]
    assert "Stadtmessungsamt" in district and "Schematische Lage der Stadtteile" in district  # tiles inside the outline
    listing = client.get("/ideen?district=bad-cannstatt").text
    assert points(listing, "bezirkskarte") == [(f"/ideen/{alone}", "Idee: Brunnen am Kursaal")]


def test_idea_page_shows_its_place_on_a_small_map(client):
    make_round()
    headers = api_token(client, make_user("resident"))
    located = _submit(client, headers, 201, KURSAAL)
    page = client.get(f"/ideen/{located}").text
    assert 'aria-labelledby="ortskarte-caption"' in page
    assert 'aria-label="Ort der Idee im Stadtbezirk Bad Cannstatt"' in page and "Stadtmessungsamt" in page
    plain = _submit(client, headers, 201)
    assert "ortskarte" not in client.get(f"/ideen/{plain}").text
