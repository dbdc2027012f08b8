"""Importing a draft from a file (issue 16): Markdown, DOCX and ODT become chapters and sections, shown as a
preview first and stored as drafts in one go; hostile or broken files get a clear error and store nothing."""

import io
import json
import re
import threading
import zipfile
from html import unescape

import docx
import pytest
from odf import dc
from odf.opendocument import OpenDocumentText
from odf.text import H, List, ListItem, P

from tests.documents.factory import Docs
from tests.helpers import login, make_user, post_form

MARKDOWN = """% Rahmenkonzeption Import

# Ziele und Grundsätze

## Anlass und Auftrag

Stuttgart wächst, und die Quartiere verändern sich.

- Gesundheit fördern
- Teilhabe stärken

## Leitbild

Alle Menschen sollen gut älter werden können – auch in Bad Cannstatt.

# Handlungsfelder

## Gesundheit im Quartier

Gesundheitslots*innen begleiten Menschen zu Angeboten.
"""

EXPECTED = [("Ziele und Grundsätze", ["Anlass und Auftrag", "Leitbild"]),
            ("Handlungsfelder", ["Gesundheit im Quartier"])]


def make_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Rahmenkonzeption Import", style="Title")
    document.add_heading("Ziele und Grundsätze", level=1)
    document.add_heading("Anlass und Auftrag", level=2)
    paragraph = document.add_paragraph("Stuttgart wächst, und die ")
    paragraph.add_run("Quartiere").bold = True
    paragraph.add_run(" verändern sich.")
    document.add_paragraph("Gesundheit fördern", style="List Bullet")
    document.add_paragraph("Teilhabe stärken", style="List Bullet")
    document.add_heading("Leitbild", level=2)
    document.add_paragraph("Alle Menschen sollen gut älter werden können – auch in Bad Cannstatt.")
    document.add_heading("Handlungsfelder", level=1)
    document.add_heading("Gesundheit im Quartier", level=2)
    document.add_paragraph("Gesundheitslots*innen begleiten Menschen zu Angeboten.")
    document.add_table(rows=1, cols=2)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_odt() -> bytes:
    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text="Rahmenkonzeption Import"))
    document.text.addElement(H(outlinelevel=1, text="Ziele und Grundsätze"))
    document.text.addElement(H(outlinelevel=2, text="Anlass und Auftrag"))
    document.text.addElement(P(text="Stuttgart wächst, und die Quartiere verändern sich."))
    items = List()
    for text in ("Gesundheit fördern", "Teilhabe stärken"):
        item = ListItem()
        item.addElement(P(text=text))
        items.addElement(item)
    document.text.addElement(items)
    document.text.addElement(H(outlinelevel=2, text="Leitbild"))
    document.text.addElement(P(text="Alle Menschen sollen gut älter werden können – auch in Bad Cannstatt."))
    document.text.addElement(H(outlinelevel=1, text="Handlungsfelder"))
    document.text.addElement(H(outlinelevel=2, text="Gesundheit im Quartier"))
    document.text.addElement(P(text="Gesundheitslots*innen begleiten Menschen zu Angeboten."))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


SAMPLES = {"entwurf.md": MARKDOWN.encode(), "entwurf.docx": make_docx(), "entwurf.odt": make_odt()}


@pytest.fixture
def docs(client):
    d = Docs(client)
    d.document()
    return d


def upload(docs, name, data, *, dry_run=False, slug="rahmenkonzeption"):
    return docs.client.post(f"/api/v1/documents/{slug}/import", headers=docs.headers,
                            params={"dry_run": "true"} if dry_run else None, files={"file": (name, data)})


def structure(body: dict) -> list[tuple[str, list[str]]]:
    return [(c["title"], [s["title"] for s in c["sections"]]) for c in body["chapters"]]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_format_gives_chapters_sections_lists_and_umlauts(docs, name):
    preview = upload(docs, name, SAMPLES[name], dry_run=True)
    assert preview.status_code == 200, preview.text
    assert preview.json()["stored"] is False and structure(preview.json()) == EXPECTED
    assert preview.json()["title"] == "Rahmenkonzeption Import"
    assert docs.client.get("/api/v1/documents/rahmenkonzeption", headers=docs.headers).json()["chapters"] == []

    stored = upload(docs, name, SAMPLES[name])
    assert stored.status_code == 201, stored.text
    first = stored.json()["chapters"][0]["sections"][0]
    assert "Stuttgart wächst, und die" in first["body"] and "verändern sich." in first["body"]
    assert "- Gesundheit fördern\n- Teilhabe stärken" in first["body"]
    gender = stored.json()["chapters"][1]["sections"][0]["body"]
    # the gender star stays a star on the page (never emphasis), whichever way the file wrote it
    draft = docs.client.get(f"/api/v1/sections/{stored.json()['chapters'][1]['sections'][0]['section_id']}/draft",
                            headers=docs.headers).json()
    assert draft["body"] == gender and draft["revision"] == 1
    outline = docs.client.get("/api/v1/documents/rahmenkonzeption", headers=docs.headers).json()
    assert [(c["title"], [s["title"] for s in c["sections"]]) for c in outline["chapters"]] == EXPECTED
    # imported as drafts: readers see nothing until a lead publishes
    public = docs.client.get("/api/v1/documents/rahmenkonzeption").json()
    assert public["chapters"] == []
    docs.publish(first["section_id"], "Erste Fassung aus dem Import.")
    page = docs.client.get(f"/abschnitte/{first['section_id']}")
    assert page.status_code == 200 and "<li>Gesundheit fördern</li>" in page.text


def test_docx_marks_bold_and_reports_left_out_tables(docs):
    body = upload(docs, "entwurf.docx", SAMPLES["entwurf.docx"], dry_run=True).json()
    assert "**Quartiere**" in body["chapters"][0]["sections"][0]["body"]
    assert body["notes"] == ["Tabellen wurden nicht übernommen (1)."]


def test_one_level_of_headings_gives_sections_and_leading_text_an_introduction(docs):
    text = b"Vorweg ein Wort.\n\n# Erstens\n\nEins.\n\n# Zweitens\n\nZwei.\n"
    body = upload(docs, "kurz.md", text, dry_run=True).json()
    assert structure(body) == [("kurz", ["Einleitung", "Erstens", "Zweitens"])]
    assert body["chapters"][0]["sections"][0]["body"] == "Vorweg ein Wort."


def test_repeating_an_import_is_refused_and_stores_nothing_twice(docs):
    assert upload(docs, "entwurf.md", SAMPLES["entwurf.md"]).status_code == 201
    again = upload(docs, "entwurf.md", SAMPLES["entwurf.md"])
    assert again.status_code == 409 and "Ziele und Grundsätze" in again.json()["detail"]
    outline = docs.client.get("/api/v1/documents/rahmenkonzeption", headers=docs.headers).json()
    assert len(outline["chapters"]) == 2


def test_parallel_double_submits_store_the_draft_once(docs):
    statuses, start = [], threading.Barrier(4)

    def send():
        start.wait()
        statuses.append(upload(docs, "entwurf.md", SAMPLES["entwurf.md"]).status_code)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [201, 409, 409, 409]
    outline = docs.client.get("/api/v1/documents/rahmenkonzeption", headers=docs.headers).json()
    assert structure(outline) == EXPECTED


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
                  b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">'
                  b'&lol2;</office:document-content>')


@pytest.mark.parametrize(("name", "data", "message"), [
    ("entwurf.pdf", b"%PDF-1.4", "Markdown (.md), Word (.docx) oder OpenDocument (.odt)"),
    ("leer.md", b"", "Die Datei ist leer."),
    ("latin1.md", "# Überschrift".encode("latin-1"), "nicht in UTF-8"),
    ("ohne.md", "Nur Text ohne jede Überschrift.".encode(), "keine Überschriften gefunden"),
    ("kaputt.docx", b"PK\x03\x04 nicht wirklich ein Archiv", "beschädigt"),
    ("kaputt.odt", _zip({"content.xml": b"<office:document-content><nicht geschlossen"}), "beschädigt"),
    ("bombe.docx", _zip({"word/document.xml": b"<a>" + b" " * 40_000_000 + b"</a>"}), "unzulässigen Größe"),
    ("lachen.odt", _zip({"content.xml": BILLION_LAUGHS, "mimetype": b"application/vnd.oasis.opendocument.text"}),
     "DTD oder Entitäten"),
    ("fremd.docx", _zip({"word/document.xml": b"<w:document/>"}), "beschädigt"),
])
def test_hostile_and_broken_files_get_a_clear_error_and_store_nothing(docs, name, data, message):
    for dry_run in (True, False):
        answer = upload(docs, name, data, dry_run=dry_run)
        assert answer.status_code == 422, answer.text
        assert message in answer.json()["detail"]
    assert docs.client.get("/api/v1/documents/rahmenkonzeption", headers=docs.headers).json()["chapters"] == []


def test_invisible_characters_and_line_breaks_from_office_files_are_cleaned_not_refused(docs):
    document = docx.Document()
    document.add_heading("Ziele\u200b und\ufeff Grundsätze", level=1)
    document.add_heading("Anlass", level=2)
    paragraph = document.add_paragraph("Seite eins")
    paragraph.add_run().add_break()
    paragraph.add_run("Seite zwei")
    out = io.BytesIO()
    document.save(out)
    body = upload(docs, "steuer.docx", out.getvalue()).json()
    assert body["chapters"][0]["title"] == "Ziele und Grundsätze"
    assert body["chapters"][0]["sections"][0]["body"] == "Seite eins Seite zwei"


def test_only_leads_import(client, docs):
    expert = make_user("expert", email="fach@example.org")
    from tests.helpers import api_token
    headers = api_token(client, expert)
    answer = client.post("/api/v1/documents/rahmenkonzeption/import", headers=headers,
                         files={"file": ("entwurf.md", SAMPLES["entwurf.md"])})
    assert answer.status_code == 403
    assert client.post("/api/v1/documents/rahmenkonzeption/import",
                       files={"file": ("entwurf.md", SAMPLES["entwurf.md"])}).status_code == 401
    assert upload(docs, "entwurf.md", SAMPLES["entwurf.md"], slug="gibt-es-nicht").status_code == 404


def _hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden field {name}"
    return unescape(match.group(1))


def test_lead_previews_then_confirms_on_the_pages(client, docs):
    login(client, docs.lead)
    form = client.get("/konzeption/rahmenkonzeption/import")
    assert form.status_code == 200 and 'type="file"' in form.text
    token = client.cookies.get("qw_csrf")
    preview = client.post("/konzeption/rahmenkonzeption/import", data={"csrf_token": token},
                          files={"file": ("entwurf.odt", SAMPLES["entwurf.odt"], "application/octet-stream")})
    assert preview.status_code == 200, preview.text
    assert "Vorschau des Imports" in preview.text and "2 Kapitel, 3 Abschnitte" in preview.text
    assert "<li>Teilhabe stärken</li>" in preview.text
    assert client.get("/api/v1/documents/rahmenkonzeption", headers=docs.headers).json()["chapters"] == []
    outline = _hidden(preview.text, "outline")
    assert json.loads(outline)["chapters"][0]["title"] == "Ziele und Grundsätze"
    done = post_form(client, "/konzeption/rahmenkonzeption/import/uebernehmen", {"outline": outline})
    assert done.status_code == 303 and done.headers["location"].endswith("/konzeption/rahmenkonzeption/gliederung")
    page = client.get(done.headers["location"])
    assert "Der Entwurf ist übernommen." in page.text and "Leitbild" in page.text
    again = post_form(client, "/konzeption/rahmenkonzeption/import/uebernehmen", {"outline": outline})
    assert again.status_code == 409 and "schon ein Kapitel" in again.text
    tampered = post_form(client, "/konzeption/rahmenkonzeption/import/uebernehmen", {"outline": '{"chapters": 1}'})
    assert tampered.status_code == 422 and "Bitte laden Sie die Datei erneut hoch" in tampered.text


def test_a_broken_file_on_the_page_shows_the_error_beside_the_field(client, docs):
    login(client, docs.lead)
    client.get("/konzeption/rahmenkonzeption/import")
    answer = client.post("/konzeption/rahmenkonzeption/import", data={"csrf_token": client.cookies.get("qw_csrf")},
                         files={"file": ("bild.png", b"\x89PNG", "image/png")})
    assert answer.status_code == 422 and 'aria-invalid="true"' in answer.text
    assert "Dateiformat nicht unterstützt." in answer.text
    missing = post_form(client, "/konzeption/rahmenkonzeption/import")
    assert missing.status_code == 422 and "Bitte eine Datei wählen." in missing.text


def test_a_new_document_from_a_file(client):
    lead = make_user("lead", email="leitung@example.org")
    login(client, lead)
    client.get("/konzeption/neu")
    values = {"title": "Entwurf aus Word", "slug": "entwurf-word", "description": "Importiert."}
    preview = client.post("/konzeption/neu", data={"csrf_token": client.cookies.get("qw_csrf"), **values},
                          files={"file": ("entwurf.docx", SAMPLES["entwurf.docx"], "application/octet-stream")})
    assert preview.status_code == 200 and "Neues Dokument „Entwurf aus Word“" in preview.text
    assert client.get("/konzeption/entwurf-word/gliederung").status_code == 404
    done = post_form(client, "/konzeption/neu/import/uebernehmen", {**values, "outline": _hidden(preview.text,
                                                                                               "outline")})
    assert done.status_code == 303
    page = client.get("/konzeption/entwurf-word/gliederung")
    assert page.status_code == 200 and "Gesundheit im Quartier" in page.text
    twice = post_form(client, "/konzeption/neu/import/uebernehmen", {**values, "outline": _hidden(preview.text,
                                                                                                "outline")})
    assert twice.status_code == 409 and "Kurzbezeichnung ist schon vergeben" in twice.text
