"""The document pages as a reader and as a lead sees them."""

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import event

from app import db
from tests.documents.factory import Docs
from tests.helpers import csrf, login, make_user, post_form


@pytest.fixture
def docs(client):
    return Docs(client)


class Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.inline_styles = 0
        self.on_attrs = 0
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id":
                self.ids.append(value)
            if name == "style":
                self.inline_styles += 1
            if name.startswith("on"):
                self.on_attrs += 1
        if tag == "script":
            self.scripts.append(dict(attrs).get("src") or "inline")


def parse(html: str) -> Ids:
    p = Ids()
    p.feed(html)
    return p


def test_document_page_has_numbered_toc_versions_and_deep_links(client, docs):
    docs.document()
    c1 = docs.chapter(title="Ziele und Grundsätze")
    c2 = docs.chapter(title="Handlungsfelder")
    s1 = docs.section(c1["id"], title="Anlass und Auftrag", body="Stuttgart wächst.\n\nDie Quartiere sind vielfältig.")
    s2 = docs.section(c2["id"], title="Gesundheitsförderung im Quartier", body="Gesund aufwachsen.")
    docs.section(c2["id"], title="Noch geheim", body="Nicht veröffentlicht.")
    docs.publish(s1["id"], "Erste Fassung.")
    docs.publish(s2["id"], "Erste Fassung.")
    docs.revise(s2["id"], "Gesund aufwachsen und alt werden.")
    r = client.get("/konzeption")
    assert r.status_code == 200
    assert "1.1 Anlass und Auftrag" in r.text and "2.1 Gesundheitsförderung im Quartier" in r.text
    assert "Fassung 2" in r.text and "Gesund aufwachsen und alt werden." in r.text
    assert "Nicht veröffentlicht." not in r.text
    page = parse(r.text)
    anchors = client.get(f"/api/v1/sections/{s1['id']}").json()["current_version"]["paragraphs"]
    assert f"abschnitt-{s1['id']}" in page.ids
    assert all(f"abschnitt-{s1['id']}-{p['anchor']}" in page.ids for p in anchors)
    assert f'href="#abschnitt-{s2["id"]}"' in r.text
    assert page.inline_styles == 0 and page.on_attrs == 0 and "inline" not in page.scripts
    assert "/static/css/documents.css" in r.text
    assert client.get("/konzeption/rahmenkonzeption").text.count("2.1 Gesundheitsförderung") >= 2
    assert client.get("/konzeption/gibtsnicht").status_code == 404


def test_section_page_shows_current_version_and_paragraph_anchors(client, docs):
    section_id = docs.setup(body="Erster Absatz.\n\nZweiter Absatz.")
    docs.revise(section_id, "Erster Absatz.\n\nZweiter Absatz, überarbeitet.", summary="Präzisiert.")
    r = client.get(f"/abschnitte/{section_id}")
    assert r.status_code == 200
    assert "1.1 Anlass und Auftrag" in r.text and "Fassung 2" in r.text
    assert "Zweiter Absatz, überarbeitet." in r.text and "Präzisiert." in r.text
    assert "Petra Projektleitung" in r.text and "Projektleitung, Sozialamt" in r.text
    paragraphs = client.get(f"/api/v1/sections/{section_id}").json()["current_version"]["paragraphs"]
    ids = parse(r.text).ids
    assert [p["anchor"] for p in paragraphs] == [i for i in ids if i in {p["anchor"] for p in paragraphs}]
    assert f'href="/abschnitte/{section_id}/fassungen"' in r.text
    old = client.get(f"/abschnitte/{section_id}/fassungen/1")
    assert old.status_code == 200 and "ältere Fassung" in old.text and "Zweiter Absatz." in old.text
    assert client.get(f"/abschnitte/{section_id}/fassungen/7").status_code == 404


def test_section_extensions_get_their_context(client, docs):
    from app.documents import pages

    section_id = docs.setup()
    seen = []

    def extension(request, session, section, version, user, is_current):
        seen.append((section.id, version.number, is_current))
        return {"extra": "x"}

    pages.SECTION_EXTENSIONS.append(extension)
    try:
        docs.revise(section_id, "Neu.")
        client.get(f"/abschnitte/{section_id}")
        client.get(f"/abschnitte/{section_id}/fassungen/1")
    finally:
        pages.SECTION_EXTENSIONS.remove(extension)
    assert seen == [(section_id, 2, True), (section_id, 1, False)]


def test_unpublished_section_is_hidden_from_readers(client, docs):
    docs.document()
    chapter = docs.chapter()
    section = docs.section(chapter["id"], title="In Arbeit", body="Entwurfstext")
    assert client.get(f"/abschnitte/{section['id']}").status_code == 404
    assert client.get(f"/api/v1/sections/{section['id']}").status_code == 404
    assert client.get(f"/api/v1/sections/{section['id']}", headers=docs.headers).json()["current_version"] is None
    login(client, docs.lead)
    assert "noch nicht veröffentlicht" in client.get(f"/abschnitte/{section['id']}").text


def test_section_page_queries_do_not_grow_with_versions(client, docs):
    section_id = docs.setup()

    def count_queries() -> int:
        statements = []

        def listener(conn, cursor, statement, *args):
            statements.append(statement)

        engine = db.get_engine()
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get(f"/abschnitte/{section_id}").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    docs.revise(section_id, "Erster Absatz.\n\nZweiter Absatz, Fassung 2.")
    few = count_queries()
    for n in range(3, 10):
        docs.revise(section_id, f"Erster Absatz.\n\nZweiter Absatz, Fassung {n}.\n\nNoch einer {n}.")
    many = count_queries()
    assert many == few, (few, many)
    assert few <= 25


def test_document_page_queries_do_not_grow_with_sections(client, docs):
    docs.document()
    chapter = docs.chapter()

    def add(n: int) -> None:
        for i in range(n):
            section = docs.section(chapter["id"], title=f"Abschnitt {i}", body=f"Text {i}.\n\nMehr {i}.")
            docs.publish(section["id"], "Erste Fassung.")

    def count_queries() -> int:
        statements = []

        def listener(conn, cursor, statement, *args):
            statements.append(statement)

        engine = db.get_engine()
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get("/konzeption/rahmenkonzeption").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    add(2)
    few = count_queries()
    docs.chapter(title="Zweites Kapitel")
    add(6)
    assert count_queries() == few


def test_history_lists_versions_with_publisher_and_diff(client, docs):
    section_id = docs.setup(body="Die Stadt fördert Nachbarschaften.")
    docs.revise(section_id, "Die Stadt fördert lebendige Nachbarschaften.", summary="Wort ergänzt, Hinweis der AG.")
    docs.revise(section_id, "Die Stadt fördert lebendige Nachbarschaften und Vereine.", summary="Vereine ergänzt.")
    r = client.get(f"/abschnitte/{section_id}/fassungen")
    assert r.status_code == 200
    for text in ("Fassung 3", "Fassung 2", "Fassung 1", "Wort ergänzt, Hinweis der AG.", "Petra Projektleitung",
                 "Projektleitung, Sozialamt", "Änderungen von Fassung 2 zu Fassung 3", "Nebeneinander"):
        assert text in r.text, text
    r = client.get(f"/abschnitte/{section_id}/fassungen?von=1&bis=3")
    assert "Änderungen von Fassung 1 zu Fassung 3" in r.text
    inserted = re.findall(r"<ins><span class=\"visually-hidden\">eingefügt: </span>([^<]*)</ins>", r.text)
    assert " lebendige" in inserted and any("Vereine" in i for i in inserted)
    fragment = client.get(f"/abschnitte/{section_id}/fassungen?von=1&bis=2", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and '<div id="vergleich"' not in fragment.text  # the box stays, its inside
    assert '<p id="vergleich-status" hx-swap-oob="innerHTML">Änderungen von Fassung 1 zu Fassung 2' in fragment.text


def test_lead_edits_previews_saves_and_publishes_without_javascript(client, docs):
    section_id = docs.setup(body="Alter Text.")
    login(client, docs.lead)
    r = client.get(f"/abschnitte/{section_id}/entwurf")
    assert r.status_code == 200 and "Alter Text." in r.text
    revision = re.search(r'name="revision" value="(\d+)"', r.text).group(1)
    preview = post_form(client, f"/abschnitte/{section_id}/vorschau",
                        {"title": "Anlass", "body": "**Neu** <script>alert(1)</script>", "revision": revision},
                        headers={"HX-Request": "true"})
    assert preview.status_code == 200 and "<strong>Neu</strong>" in preview.text
    assert "<script>" not in preview.text and "<html" not in preview.text
    full = post_form(client, f"/abschnitte/{section_id}/vorschau",
                     {"title": "Anlass", "body": "**Neu**", "revision": revision})
    assert "<html" in full.text and "<strong>Neu</strong>" in full.text
    assert "noch nicht veröffentlicht sind" not in client.get(f"/abschnitte/{section_id}").text
    saved = post_form(client, f"/abschnitte/{section_id}/entwurf",
                      {"title": "Anlass und Auftrag", "body": "Neuer Text.", "revision": revision})
    assert saved.status_code == 303
    assert "noch nicht veröffentlicht sind" in client.get(f"/abschnitte/{section_id}").text
    assert "Entwurf geändert" in client.get("/konzeption/rahmenkonzeption/gliederung").text
    form = client.get(f"/abschnitte/{section_id}/veroeffentlichen")
    assert "Was hat sich geändert und warum?" in form.text
    assert "<span class=\"visually-hidden\">eingefügt: </span>Neuer</ins>" in form.text
    bad = post_form(client, f"/abschnitte/{section_id}/veroeffentlichen", {"change_summary": "", "addresses": "x"})
    assert bad.status_code == 422 and "Bitte" in bad.text
    ok = post_form(client, f"/abschnitte/{section_id}/veroeffentlichen",
                   {"change_summary": "Text neu gefasst.", "addresses": "3, 5"})
    assert ok.status_code == 303 and ok.headers["location"] == f"/abschnitte/{section_id}"
    after = client.get(f"/abschnitte/{section_id}").text
    assert "Fassung 2" in after and "noch nicht veröffentlicht sind" not in after
    again = post_form(client, f"/abschnitte/{section_id}/veroeffentlichen", {"change_summary": "Nochmal."})
    assert again.status_code == 409 and "unterscheidet sich nicht" in again.text
    assert client.get(f"/api/v1/sections/{section_id}/versions/2").json()["addresses"] == [3, 5]


def test_stale_save_in_the_page_shows_both_texts(client, docs):
    section_id = docs.setup(body="Gemeinsamer Anfang.")
    login(client, docs.lead)
    revision = re.search(r'name="revision" value="(\d+)"',
                         client.get(f"/abschnitte/{section_id}/entwurf").text).group(1)
    docs.save(section_id, "Text der Kollegin, zuerst gespeichert.")
    r = post_form(client, f"/abschnitte/{section_id}/entwurf",
                  {"title": "Anlass und Auftrag", "body": "Mein eigener Text, später gespeichert.",
                   "revision": revision})
    assert r.status_code == 409
    assert "inzwischen von jemand anderem gespeichert" in r.text
    theirs = re.search(r'<textarea id="theirs"[^>]*>([^<]*)</textarea>', r.text).group(1)
    mine = re.search(r'<textarea id="mine"[^>]*>([^<]*)</textarea>', r.text).group(1)
    assert theirs == "Text der Kollegin, zuerst gespeichert." and mine == "Mein eigener Text, später gespeichert."
    saved = client.get(f"/api/v1/sections/{section_id}/draft", headers=docs.headers).json()
    assert saved["body"] == "Text der Kollegin, zuerst gespeichert."
    new_revision = re.search(r'name="revision" value="(\d+)"', r.text).group(1)
    assert int(new_revision) == int(revision) + 1
    resave = post_form(client, f"/abschnitte/{section_id}/entwurf",
                       {"title": "Anlass und Auftrag", "body": "Zusammengeführt.", "revision": new_revision})
    assert resave.status_code == 303


def test_markdown_is_sanitised_on_published_pages(client, docs):
    section_id = docs.setup(body='Hallo <script>alert(1)</script> <img src=x onerror="alert(1)">\n\n'
                                 '[klick](javascript:alert(1)) und [Stadt](https://www.stuttgart.de)')
    r = client.get(f"/abschnitte/{section_id}")
    assert "<script>alert" not in r.text and "<img" not in r.text and 'href="javascript:' not in r.text
    assert '<a href="https://www.stuttgart.de" rel="nofollow noopener">Stadt</a>' in r.text


def test_structure_pages_for_leads_only(client, docs):
    docs.document()
    chapter = docs.chapter(title="Erstes")
    docs.chapter(title="Zweites")
    expert = make_user("expert")
    login(client, expert)
    assert client.get("/konzeption/rahmenkonzeption/gliederung").status_code == 403
    assert post_form(client, "/konzeption/rahmenkonzeption/kapitel", {"title": "X"}).status_code == 403
    assert post_form(client, f"/kapitel/{chapter['id']}/abschnitte", {"title": "X"}).status_code == 403
    client.cookies.clear()
    assert client.get("/konzeption/rahmenkonzeption/gliederung", follow_redirects=False).status_code == 303
    login(client, docs.lead)
    assert post_form(client, "/konzeption/rahmenkonzeption/kapitel", {"title": "  "}).status_code == 422
    assert post_form(client, "/konzeption/rahmenkonzeption/kapitel", {"title": "Drittes"}).status_code == 303
    r = post_form(client, f"/kapitel/{chapter['id']}/abschnitte", {"title": "Neuer Abschnitt"})
    assert r.status_code == 303 and r.headers["location"].endswith("/entwurf")
    assert post_form(client, f"/kapitel/{chapter['id']}/verschieben", {"direction": "down"}).status_code == 303
    assert post_form(client, f"/kapitel/{chapter['id']}/umbenennen", {"title": "Erstes, umbenannt"}).status_code == 303
    page = client.get("/konzeption/rahmenkonzeption/gliederung").text
    assert page.index("1 Zweites") < page.index("2 Erstes, umbenannt") < page.index("3 Drittes")
    assert "2.1 Neuer Abschnitt" in page
    from sqlmodel import select

    from app.audit import AuditEntry

    with db.new_session() as s:
        actions = {e.action for e in s.exec(select(AuditEntry)).all()}
    assert {"document.create", "chapter.create", "chapter.move", "chapter.rename", "section.create"} <= actions


def test_editions_pages_and_exports(client, docs):
    section_id = docs.setup(body="Erster Stand des Textes.")
    login(client, docs.lead)
    r = post_form(client, "/konzeption/rahmenkonzeption/gesamtfassungen", {"title": "Entwurf 1 – Januar 2023"})
    assert r.status_code == 303
    edition_url = r.headers["location"]
    docs.revise(section_id, "Zweiter Stand des Textes.")
    assert post_form(client, "/konzeption/rahmenkonzeption/gesamtfassungen", {"title": ""}).status_code == 422
    client.cookies.clear()
    page = client.get(edition_url)
    assert page.status_code == 200 and "Entwurf 1 – Januar 2023" in page.text and "Erster Stand" in page.text
    md = client.get(edition_url + "/export.md")
    assert md.status_code == 200 and "attachment" in md.headers["content-disposition"]
    assert md.text.startswith("% Rahmenkonzeption soziale Quartiersentwicklung\n% Entwurf 1 – Januar 2023")
    assert "## 1.1 Anlass und Auftrag" in md.text and "Erster Stand des Textes." in md.text
    current = client.get("/konzeption/rahmenkonzeption/export.md")
    assert "Zweiter Stand des Textes." in current.text and "Erster Stand" not in current.text
    html = client.get("/konzeption/rahmenkonzeption/export.html")
    assert html.status_code == 200 and "attachment" in html.headers["content-disposition"]
    assert "<style>" in html.text and "Zweiter Stand des Textes." in html.text and "1.1 Anlass und Auftrag" in html.text
    assert "/static/" not in html.text
    listing = client.get("/konzeption/rahmenkonzeption/gesamtfassungen")
    assert "Entwurf 1 – Januar 2023" in listing.text and "Neue Gesamtfassung" not in listing.text


def test_csrf_required_on_page_posts(client, docs):
    section_id = docs.setup()
    login(client, docs.lead)
    csrf(client)
    r = client.post(f"/abschnitte/{section_id}/veroeffentlichen", data={"change_summary": "Ohne Token"},
                    follow_redirects=False)
    assert r.status_code == 403
