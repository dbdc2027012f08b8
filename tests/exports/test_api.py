"""The Abwägungstabelle as CSV and XLSX: columns, public vs. full data, formula injection."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.responses.factory import World


@pytest.fixture
def world(client):
    return World(client)


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.content.startswith("\ufeff".encode())
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_csv_has_the_columns_and_one_row_per_contribution(client, world):
    anchors = world.paragraphs()
    c = world.comment(body="Begegnung braucht Räume.", paragraph=anchors[1], alignment="objection")
    world.comment(user=world.resident, body="Ich stimme zu.")
    idea = world.idea()
    world.respond("comment", c["id"], status="partly", text="Teilweise aufgenommen.")
    world.respond("idea", idea["id"], status="noted", text="Danke!")
    rows = _csv(client.get(f"/api/v1/rounds/{world.round_id}/responses.csv"))
    assert rows[0] == ["Nr.", "Abschnitt", "Fassung", "Absatz", "Zitat", "Beitrag", "Haltung", "Antwort auf",
                       "Verfasser*in", "Quelle", "Datum", "Stadtbezirk/Stadtteil", "Kategorie",
                       "Zustimmungen/Einwände", "Zuständigkeit", "Stellungnahme", "Status", "umgesetzt in Fassung"]
    assert len(rows) == 4
    first, second, third = (dict(zip(rows[0], r, strict=True)) for r in rows[1:])
    assert first["Nr."] == str(c["id"]) and first["Abschnitt"].startswith("1.1") and first["Fassung"] == "1"
    assert first["Absatz"] == "2" and first["Haltung"] == "Einwand" and first["Quelle"] == "online"
    assert first["Beitrag"] == "Begegnung braucht Räume." and first["Verfasser*in"] == "Caritas Stuttgart"
    assert first["Stellungnahme"] == "Teilweise aufgenommen." and first["Status"] == "teilweise berücksichtigt"
    assert second["Verfasser*in"] == "Nachbar Nils" and second["Status"] == "" and second["Haltung"] == "Hinweis"
    assert third["Beitrag"].startswith("Ein Treffpunkt für alle") and third["Status"] == "zur Kenntnis genommen"
    assert third["Nr."] == f"Idee {idea['id']}" and third["Abschnitt"] == "Idee" and third["Kategorie"]
    assert " / " in third["Stadtbezirk/Stadtteil"] and first["Stadtbezirk/Stadtteil"] == ""


def test_formula_injection_is_neutralised(client, world):
    world.comment(body="=HYPERLINK(\"http://evil.example\";\"klick\")")
    world.comment(body="+49 711 216-0")
    world.comment(body="@SUM(1+1)")
    rows = _csv(client.get(f"/api/v1/rounds/{world.round_id}/responses.csv"))
    bodies = [r[rows[0].index("Beitrag")] for r in rows[1:]]
    assert bodies == ["'=HYPERLINK(\"http://evil.example\";\"klick\")", "'+49 711 216-0", "'@SUM(1+1)"]


def test_hidden_contributions_only_in_the_leads_table(client, world):
    keep = world.comment(body="Sichtbarer Beitrag")
    gone = world.comment(user=world.resident, body="Beleidigender Beitrag")
    r = client.post(f"/api/v1/moderation/comment/{gone['id']}/hide", json={"reason": "Beleidigung"},
                    headers=world.auth(world.moderator))
    assert r.status_code == 200
    public = _csv(client.get(f"/api/v1/rounds/{world.round_id}/responses.csv"))
    text = public[0].index("Beitrag")
    assert [r[text] for r in public[1:]] == ["Sichtbarer Beitrag"]
    expert = _csv(client.get(f"/api/v1/rounds/{world.round_id}/responses.csv", headers=world.auth(world.expert)))
    assert "Beleidigender" not in "".join(sum(expert, []))
    full = _csv(client.get(f"/api/v1/rounds/{world.round_id}/responses.csv", headers=world.lead_headers))
    assert len(full) == 3 and "Beleidigender Beitrag" in full[2][text] and "Ausgeblendet" in full[2][text]
    assert keep["id"]


def test_xlsx_opens_and_keeps_text_as_text(client, world):
    world.comment(body="=1+2")
    c = world.comment(body="Normaler Beitrag")
    world.respond("comment", c["id"], status="accepted", text="Ja.")
    r = client.get(f"/api/v1/rounds/{world.round_id}/responses.xlsx")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Nr." and rows[0][-1] == "umgesetzt in Fassung"
    text, status = rows[0].index("Beitrag"), rows[0].index("Status")
    assert rows[1][text] == "=1+2" and sheet.cell(row=2, column=text + 1).data_type == "s"
    assert rows[2][status] == "berücksichtigt"


def test_unknown_round_is_404(client):
    assert client.get("/api/v1/rounds/999/responses.csv").status_code == 404
    assert client.get("/api/v1/rounds/999/responses.xlsx").status_code == 404
