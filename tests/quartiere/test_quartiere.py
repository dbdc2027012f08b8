"""Reference data: 23 Stadtbezirke, 152 Stadtteile, pages and API, with attribution."""

import csv

from app.quartiere.reference import DATA


def test_api_lists_23_districts_with_152_quarters(client):
    response = client.get("/api/v1/districts")
    assert response.status_code == 200
    districts = response.json()
    assert len(districts) == 23
    assert sum(len(d["quarters"]) for d in districts) == 152
    assert districts[0]["name"] == "Mitte" and districts[0]["number"] == 1
    counts = {d["name"]: len(d["quarters"]) for d in districts}
    assert counts["Bad Cannstatt"] == 18 and counts["Münster"] == 1 and counts["Vaihingen"] == 12
    with open(DATA / "stuttgart_stadtteile.csv", encoding="utf-8") as f:
        official = {int(r["stadtteil_nr"]): r["stadtteil_name"] for r in csv.DictReader(f)}
    served = {q["number"]: q["name"] for d in districts for q in d["quarters"]}
    assert served == official
    assert served[124] == "Killesberg" and served[661] == "Gehrenwald"


def test_quartiere_page_lists_everything_and_attributes_the_source(client):
    page = client.get("/quartiere")
    assert page.status_code == 200
    assert page.text.count('href="/quartiere/') >= 23 + 152
    assert "Landeshauptstadt Stuttgart, Statistisches Amt" in page.text
    assert "Bad Cannstatt" in page.text and "Zuffenhausen" in page.text


def test_district_and_quarter_pages(client):
    page = client.get("/quartiere/bad-cannstatt")
    assert page.status_code == 200
    assert "Seelberg" in page.text
    quarter = client.get("/quartiere/bad-cannstatt/seelberg")
    assert quarter.status_code == 200
    assert "Seelberg" in quarter.text and "Bad Cannstatt" in quarter.text


def test_unknown_quarter_is_a_friendly_404(client):
    for path in ("/quartiere/atlantis", "/quartiere/mitte/atlantis"):
        page = client.get(path)
        assert page.status_code == 404
        assert "gibt es nicht" in page.text
        assert "<html" in page.text
