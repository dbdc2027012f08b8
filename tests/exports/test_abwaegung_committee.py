"""A committee-ready Abwägungstabelle: the site's numbers, Haltung, Antwort auf, Stadtteil and category, Quelle;
an XLSX with real dates, autofilter, frozen and repeated header, wrapped text and A4-landscape print settings;
a print stylesheet with an @page rule; and the import of Stellungnahmen from the same XLSX, all or nothing."""

import io
import re
import threading
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from app.exports import abwaegung
from tests.exports.xlsx import fill, rows
from tests.helpers import csrf, login, make_user
from tests.responses.factory import World

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "abwaegung.css"


@pytest.fixture
def world(client):
    return World(client)


def _download(world, headers=None) -> bytes:
    r = world.client.get(f"/api/v1/rounds/{world.round_id}/responses.xlsx", headers=headers or world.lead_headers)
    assert r.status_code == 200, r.text
    return r.content


def _upload(world, content: bytes, headers=None, **params):
    return world.client.post(f"/api/v1/rounds/{world.round_id}/responses.xlsx", content=content,
                             headers={**(headers or world.lead_headers), "Content-Type": XLSX}, params=params)


def _answer(world, kind, target_id):
    r = world.client.get(f"/api/v1/{kind}s/{target_id}/response")
    return r.json() if r.status_code == 200 else None


# --- the table ---------------------------------------------------------------------------------

def test_xlsx_is_ready_for_a_committee_paper(client, world):
    root = world.comment(body="Ein langer Beitrag " * 20, alignment="support")
    reply = client.post(f"/api/v1/sections/{world.section_id}/comments", headers=world.auth(world.resident),
                        json={"body": "Dem schließe ich mich an.", "parent_id": root["id"]}).json()
    idea = world.idea()
    sheet = load_workbook(io.BytesIO(_download(world))).active
    header = [c.value for c in sheet[1]]
    assert header == list(abwaegung.COLUMNS)
    assert all(sheet.cell(row=1, column=i + 1).font.b for i in range(len(header)))
    table = rows(_download(world))
    assert [t["Nr."] for t in table] == [root["id"], reply["id"], f"Idee {idea['id']}"]
    assert table[0]["Haltung"] == "Zustimmung" and table[1]["Antwort auf"] == root["id"]
    assert table[2]["Kategorie"] == "Begegnung und Nachbarschaft" or table[2]["Kategorie"]
    assert "/" in table[2]["Stadtbezirk/Stadtteil"] and table[2]["Quelle"] == "online"
    day = header.index("Datum") + 1
    cell = sheet.cell(row=2, column=day)
    assert cell.is_date and cell.number_format == "DD.MM.YYYY"
    assert isinstance(cell.value.date() if hasattr(cell.value, "date") else cell.value, date)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(abwaegung.COLUMNS))}{len(table) + 1}"
    text = header.index("Beitrag") + 1
    assert sheet.cell(row=2, column=text).alignment.wrap_text
    assert sheet.page_setup.orientation == "landscape" and str(sheet.page_setup.paperSize) == "9"
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"


def test_print_page_fits_a4_landscape(client, world):
    world.comment()
    page = client.get(f"/runden/{world.round_id}/abwaegungstabelle")
    assert page.status_code == 200
    assert "abwaegung" in page.text and "css/abwaegung" in page.text
    for name in abwaegung.COLUMNS:
        assert f'<th scope="col">{name}</th>' in page.text
    css = CSS.read_text()
    assert re.search(r"@page\s*{[^}]*size:\s*A4 landscape", css)
    widths = dict(re.findall(r"col\.col-(\w+) { width: ([\d.]+)%; }", css))
    assert widths == {k: str(w) for k, w in zip(abwaegung.KEYS, abwaegung.width_percentages(), strict=True)}, \
        "static/css/abwaegung.css: column widths must follow abwaegung.WIDTHS"
    assert abs(sum(float(w) for w in widths.values()) - 100) < 0.2


# --- the import --------------------------------------------------------------------------------

def test_import_writes_the_filled_answers(client, world):
    a = world.comment(body="Erster Beitrag")
    b = world.comment(user=world.resident, body="Zweiter Beitrag")
    idea = world.idea()
    content = fill(_download(world), {a["id"]: ("Wird in Fassung 2 aufgenommen.", "berücksichtigt"),
                                      f"Idee {idea['id']}": ("Danke für die Idee.", "zur Kenntnis genommen")})
    dry = _upload(world, content, dry_run="true")
    assert dry.status_code == 200, dry.text
    assert dry.json()["changed"] == 2 and dry.json()["written"] is False and _answer(world, "comment", a["id"]) is None
    r = _upload(world, content)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["written"] and report["changed"] == 2 and report["empty"] == 1 and report["errors"] == 0
    assert [row["outcome"] for row in report["rows"]] == ["changed", "empty", "changed"]
    assert _answer(world, "comment", a["id"])["status"] == "accepted"
    assert _answer(world, "idea", idea["id"])["text"] == "Danke für die Idee."
    assert _answer(world, "comment", b["id"]) is None
    again = _upload(world, content)
    assert again.json()["changed"] == 0 and again.json()["unchanged"] == 2 and not again.json()["written"]
    assert len(_answer(world, "comment", a["id"])["history"]) == 0  # no second revision


def test_one_wrong_row_writes_nothing_and_the_report_names_every_row(client, world):
    a = world.comment(body="Erster")
    b = world.comment(body="Zweiter")
    c = world.comment(body="Dritter")
    other = World(client, slug="anderes")
    foreign = other.comment(body="Aus einer anderen Runde")
    content = fill(_download(world), {a["id"]: ("Gut.", "berücksichtigt"), b["id"]: ("Ohne Status", None),
                                      c["id"]: ("Hm.", "vielleicht")},
                   extra_rows=[{"Nr.": foreign["id"], "Stellungnahme": "x", "Status": "berücksichtigt"},
                               {"Nr.": "ABC", "Stellungnahme": "x", "Status": "berücksichtigt"},
                               {"Nr.": a["id"], "Stellungnahme": "doppelt", "Status": "berücksichtigt"}])
    r = _upload(world, content)
    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["detail"].startswith("Nichts gespeichert")
    fields = [e["field"] for e in problem["errors"]]
    assert fields == [f"Zeile 3 (Nr. {b['id']})", f"Zeile 4 (Nr. {c['id']})", f"Zeile 5 (Nr. {foreign['id']})",
                      "Zeile 6 (Nr. ABC)", f"Zeile 7 (Nr. {a['id']})"]
    messages = " ".join(e["message"] for e in problem["errors"])
    assert "fehlt der Status" in messages and "Unbekannter Status „vielleicht“" in messages
    assert "nicht zu dieser Beteiligungsrunde" in messages and "schon in Zeile 2" in messages
    assert _answer(world, "comment", a["id"]) is None  # the good row was not written either


@pytest.mark.parametrize("kind", ["empty", "garbage", "bomb", "columns", "text-too-long", "blank-answer"])
def test_hostile_or_wrong_files_are_refused(client, world, kind):
    a = world.comment()
    if kind == "empty":
        content = b""
    elif kind == "garbage":
        content = b"PK\x03\x04 das ist keine Excel-Datei" * 10
    elif kind == "bomb":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("xl/worksheets/sheet1.xml", b"\0" * 80_000_000)
        content = buffer.getvalue()
        assert len(content) < 1_000_000
    elif kind == "columns":
        from openpyxl import Workbook
        book = Workbook()
        book.active.append(["Nr.", "Antwort"])
        book.active.append([a["id"], "x"])
        out = io.BytesIO()
        book.save(out)
        content = out.getvalue()
    elif kind == "text-too-long":
        content = fill(_download(world), {a["id"]: ("x" * 10_001, "berücksichtigt")})
    else:
        content = fill(_download(world), {a["id"]: ("   ", "berücksichtigt")})
    r = _upload(world, content)
    assert r.status_code in (413, 422), r.text
    assert r.json()["detail"]
    assert _answer(world, "comment", a["id"]) is None


def test_only_leads_import(client, world):
    a = world.comment()
    content = fill(_download(world), {a["id"]: ("Gut.", "berücksichtigt")})
    for user in (world.expert, world.moderator, make_user("facilitator"), make_user("admin")):
        assert _upload(world, content, headers=world.auth(user)).status_code == 403
    assert client.post(f"/api/v1/rounds/{world.round_id}/responses.xlsx", content=content,
                       headers={"Content-Type": XLSX}).status_code in (401, 403)
    assert _answer(world, "comment", a["id"]) is None
    assert client.post("/api/v1/rounds/999999/responses.xlsx", content=content,
                       headers={**world.lead_headers, "Content-Type": XLSX}).status_code == 404


def test_import_through_the_page(client, world):
    a = world.comment()
    content = fill(_download(world), {a["id"]: ("Über die Seite.", "teilweise berücksichtigt")})
    login(client, world.lead)
    page = client.get(f"/runden/{world.round_id}/abwaegungstabelle")
    assert "Stellungnahmen aus der Excel-Datei übernehmen" in page.text
    r = client.post(f"/runden/{world.round_id}/abwaegungstabelle", data={"csrf_token": csrf(client)},
                    files={"file": ("tabelle.xlsx", content, XLSX)})
    assert r.status_code == 200, r.text
    assert "Gespeichert: 1 Stellungnahmen geändert" in r.text
    assert _answer(world, "comment", a["id"])["status"] == "partly"
    bad = fill(content, {a["id"]: ("Neu", "unklar")})
    r = client.post(f"/runden/{world.round_id}/abwaegungstabelle", data={"csrf_token": csrf(client)},
                    files={"file": ("tabelle.xlsx", bad, XLSX)})
    assert r.status_code == 422 and "Nichts gespeichert" in r.text and "Unbekannter Status" in r.text
    assert _answer(world, "comment", a["id"])["text"] == "Über die Seite."


def test_public_sees_no_import_form(client, world):
    page = client.get(f"/runden/{world.round_id}/abwaegungstabelle")
    assert "Stellungnahmen aus der Excel-Datei übernehmen" not in page.text


def test_parallel_double_submit_of_one_file(asgi_app, world):
    from fastapi.testclient import TestClient

    a = world.comment()
    content = fill(_download(world), {a["id"]: ("Doppelt hochgeladen.", "berücksichtigt")})
    results = []

    def send():
        with TestClient(asgi_app) as c:
            results.append(c.post(f"/api/v1/rounds/{world.round_id}/responses.xlsx", content=content,
                                  headers={**world.lead_headers, "Content-Type": XLSX}))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(r.status_code for r in results)
    assert all(s in (200, 409) for s in statuses), [r.text for r in results]
    assert sum(r.json().get("written", False) for r in results if r.status_code == 200) >= 1
    answer = _answer(world, "comment", a["id"])
    assert answer["text"] == "Doppelt hochgeladen." and answer["history"] == []  # exactly one revision


def test_rows_hidden_since_the_download_do_not_block_the_import(client, world):
    a = world.comment(body="Bleibt")
    gone = world.comment(user=world.resident, body="Wird ausgeblendet")
    content = _download(world)
    r = client.post(f"/api/v1/moderation/comment/{gone['id']}/hide", json={"reason": "Beleidigung"},
                    headers=world.auth(world.moderator))
    assert r.status_code == 200
    r = _upload(world, fill(content, {a["id"]: ("Gut.", "berücksichtigt")}))
    assert r.status_code == 200, r.text
    assert [row["outcome"] for row in r.json()["rows"]] == ["changed", "empty"]
    r = _upload(world, fill(content, {gone["id"]: ("Antwort", "berücksichtigt")}))
    assert r.status_code == 422 and "ausgeblendet" in r.text
