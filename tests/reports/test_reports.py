"""The participation report: counts by role, organisation type, district, category, day; page and CSV."""

import csv
import io
import re

import pytest

from tests.helpers import make_user
from tests.responses.factory import World


@pytest.fixture
def world(client):
    return World(client)


def _fill(client, world):
    anchors = world.paragraphs()
    c = world.comment(body="Zu Absatz zwei", paragraph=anchors[1])
    world.comment(body="Noch einmal zu Absatz zwei", paragraph=anchors[1])
    world.comment(user=world.resident, body="Allgemein")
    world.idea(quarter_id=105)  # Mitte
    world.idea(user=make_user("resident"), title="Im Norden", quarter_id=124)
    world.respond("comment", c["id"], status="accepted", text="Ja.")
    return c


def test_report_counts_by_role_district_category_and_progress(client, world):
    _fill(client, world)
    r = client.get(f"/api/v1/reports/participation?round={world.round_id}")
    assert r.status_code == 200
    data = r.json()
    assert data["contributions"] == {"comments": 3, "ideas": 2, "total": 5}
    assert data["participants"] == 3
    roles = {b["key"]: b["count"] for b in data["by_role"]}
    assert roles["expert"] == 2 and roles["resident"] == 3 and roles["lead"] == 0
    assert {b["key"]: b["count"] for b in data["by_organisation_kind"]}[""] == 5
    districts = {b["label"]: b["count"] for b in data["by_district"]}
    assert districts["Mitte"] == 1 and sum(districts.values()) == 2
    assert {b["key"]: b["count"] for b in data["by_category"]}["begegnung"] == 2
    assert sum(b["count"] for b in data["by_day"]) == 5
    assert data["responses"] == {"answered": 1, "total": 5, "percent": 20}
    assert {b["key"]: b["count"] for b in data["by_status"]}["accepted"] == 1
    assert data["top_sections"][0]["count"] == 3
    assert data["top_paragraphs"][0]["count"] == 2 and "Absatz 2" in data["top_paragraphs"][0]["label"]
    assert client.get("/api/v1/reports/participation?round=9999").status_code == 404
    assert client.get("/api/v1/reports/participation").json()["contributions"]["total"] == 5


def test_report_csv(client, world):
    _fill(client, world)
    r = client.get(f"/api/v1/reports/participation.csv?round={world.round_id}")
    assert r.status_code == 200 and r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Auswertung", "Schlüssel", "Bezeichnung", "Anzahl"]
    assert ["Ideen nach Stadtbezirk", "1", "Mitte", "1"] in rows


def test_report_page_has_accessible_svg_charts_with_tables_and_the_map(client, world):
    _fill(client, world)
    page = client.get(f"/berichte?round={world.round_id}")
    assert page.status_code == 200
    html = page.text
    assert " style=" not in html
    svgs = re.findall(r'<svg class="chart-svg".*?</svg>', html, re.S)
    assert len(svgs) >= 6
    for svg in svgs:
        assert "<title" in svg and "<desc" in svg and 'role="img"' in svg
    assert html.count("<table") >= len(svgs) + 1  # every chart and the map have a table twin
    assert 'class="qmap-svg' in html and 'href="/quartiere/mitte"' in html
    assert "1 von 5 Beiträgen beantwortet" in re.sub(r"\s+", " ", html)
    overall = client.get("/berichte")
    assert overall.status_code == 200 and "Beteiligungsbericht" in overall.text


def test_report_of_an_empty_platform(client):
    r = client.get("/berichte")
    assert r.status_code == 200 and "Noch keine Daten." in r.text
    assert client.get("/api/v1/reports/participation").json()["responses"]["percent"] == 0
