"""The pages the city edits itself (app/legal) over HTTP: defaults, footer links, editing only by administrators,
version history with word diff, sanitised Markdown, lost-update and double-submit protection."""

from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlmodel import select

from app import db
from app.audit import AuditEntry
from app.legal.models import SitePageVersion
from tests.helpers import PASSWORD, login, make_user, post_form

PAGES = {"/impressum": "Impressum", "/datenschutz": "Datenschutzerklärung",
         "/barrierefreiheit": "Erklärung zur Barrierefreiheit", "/nutzungsbedingungen": "Nutzungsbedingungen",
         "/leichte-sprache": "Leichte Sprache"}


def _versions(slug: str) -> list[SitePageVersion]:
    with db.new_session() as s:
        return list(s.exec(select(SitePageVersion).where(SitePageVersion.slug == slug)
                           .order_by(SitePageVersion.number)).all())


def test_every_page_links_the_five_pages_in_its_footer_and_each_shows_its_default(client):
    for start in ("/", "/ideen", "/anmelden"):
        footer = client.get(start).text.split('class="site-footer"')[1]
        for path in PAGES:
            assert f'href="{path}"' in footer, (start, path)
    for path, title in PAGES.items():
        page = client.get(path)
        assert page.status_code == 200
        assert f"<h1>{title}" in page.text
        assert "Fassung 1 (Vorlage der Software)" in page.text
    assert "[Name der verantwortlichen Stelle" in client.get("/impressum").text
    assert "Barriere melden" in client.get("/barrierefreiheit").text
    assert "Ein Quartier ist ein Teil von der Stadt." in client.get("/leichte-sprache").text


def test_the_privacy_text_lists_what_the_software_stores_and_for_how_long(client):
    text = client.get("/datenschutz").text
    for stored in ("Konto", "Anmeldungen (Sitzungen)", "Stimmen", "IP-Adresse", "E-Mail-Postausgang",
                   "Protokoll der Eingriffe", "Barriere-Meldungen", "Zustimmungen"):
        assert stored in text, stored
    for period in ("14 Tage", "höchstens 24 Stunden", "bis Sie Ihr Konto löschen", "30 Tage nach dem Versand"):
        assert period in text, period
    assert "Aufsichtsbehörde" in text and "Art. 15" in text and "Rechtsgrundlage" in text
    assert "OpenStreetMap" in text or "Quellen" in text  # the sources stay on the page


def test_only_administrators_edit_and_every_version_is_kept_with_a_word_diff(client):
    assert client.get("/verwaltung/seiten/impressum", follow_redirects=False).status_code in (303, 401)
    for role in ("resident", "moderator", "lead"):
        client.cookies.clear()
        login(client, make_user(role))
        assert client.get("/verwaltung/seiten/impressum").status_code == 403
        refused = post_form(client, "/verwaltung/seiten/impressum", {"body": "Gekapert", "base_version": "1"})
        assert refused.status_code == 403
    assert _versions("impressum") == []

    client.cookies.clear()
    admin = make_user("admin", name="Ada Admin")
    login(client, admin)
    form = client.get("/verwaltung/seiten/impressum")
    assert form.status_code == 200 and "[Name der verantwortlichen Stelle" in form.text
    body = "## Anbieterin\n\nLandeshauptstadt Stuttgart, Marktplatz 1, 70173 Stuttgart\n"
    saved = post_form(client, "/verwaltung/seiten/impressum", {"body": body, "note": "Anschrift eingetragen",
                                                               "base_version": "1"})
    assert saved.status_code == 303 and saved.headers["location"] == "/seiten/impressum/fassungen/2"
    page = client.get("/impressum").text
    assert "Marktplatz 1" in page and "[Name der verantwortlichen Stelle" not in page and "Fassung 2 vom" in page

    stored = _versions("impressum")
    assert [(v.number, v.editor_id) for v in stored] == [(1, None), (2, admin.id)]
    assert "[Name der verantwortlichen Stelle" in stored[0].body

    history = client.get("/seiten/impressum/fassungen").text
    assert "Ada Admin" in history and "Anschrift eingetragen" in history and "Vorlage der Software" in history
    change = client.get("/seiten/impressum/fassungen/2").text
    assert "<ins>" in change and "<del>" in change and "Marktplatz" in change
    assert client.get("/seiten/impressum/fassungen/9").status_code == 404
    assert client.get("/seiten/gibt-es-nicht/fassungen").status_code == 404
    with db.new_session() as s:
        assert s.exec(select(AuditEntry).where(AuditEntry.action == "site_page.edit")).one().actor_id == admin.id


def test_markdown_is_sanitised(client):
    login(client, make_user("admin"))
    hostile = ("<script>alert(1)</script>\n\n[klick](javascript:alert(1))\n\n<img src=x onerror=alert(1)>\n\n"
               "# Große Überschrift\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert post_form(client, "/verwaltung/seiten/nutzungsbedingungen",
                     {"body": hostile, "base_version": "1"}).status_code == 303
    page = client.get("/nutzungsbedingungen").text
    assert "<script>alert(1)" not in page and 'href="javascript' not in page and "<img" not in page
    assert "&lt;script&gt;" in page  # shown as text
    assert "<h2>Große Überschrift</h2>" in page  # right below the page's h1
    assert "<table>" in page


def test_refused_edits_store_nothing_and_never_fail(client):
    login(client, make_user("admin"))
    path = "/verwaltung/seiten/datenschutz"
    for data in ({"body": "Nu\x00ll", "base_version": "1"}, {"body": "", "base_version": "1"},
                 {"body": "Text", "base_version": "abc"}, {"body": "x" * 100_001, "base_version": "1"},
                 {"body": "Text", "base_version": "1", "note": "a\x00b"}):
        answer = post_form(client, path, data)
        assert answer.status_code == 422, (data, answer.status_code)
    assert post_form(client, "/verwaltung/seiten/gibt-es-nicht", {"body": "x", "base_version": "1"}).status_code == 404
    unchanged = client.get(path).text
    assert post_form(client, path, {"body": unchanged and "gleich", "base_version": "1"}).status_code == 303
    assert post_form(client, path, {"body": "gleich", "base_version": "2"}).status_code == 422  # nothing changed
    stale = post_form(client, path, {"body": "Veraltet", "base_version": "1"})
    assert stale.status_code == 409 and "neuere Fassung" in stale.text and "Veraltet" in stale.text
    assert [v.number for v in _versions("datenschutz")] == [1, 2]


def test_parallel_saves_of_the_same_version_keep_one(live_server):
    admin = make_user("admin")

    def client() -> httpx.Client:
        c = httpx.Client(base_url=live_server, timeout=60, follow_redirects=False)
        c.get("/anmelden")
        c.post("/anmelden", data={"email": admin.email, "password": PASSWORD, "csrf_token": c.cookies["qw_csrf"]})
        return c

    clients = [client() for _ in range(6)]

    def save(n: int) -> int:
        c = clients[n]
        return c.post("/verwaltung/seiten/leichte-sprache", data={
            "body": f"Text Nummer {n}.", "base_version": "1", "csrf_token": c.cookies["qw_csrf"]}).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = list(pool.map(save, range(6)))
    for c in clients:
        c.close()
    assert codes.count(303) == 1 and set(codes) <= {303, 409, 503}, codes
    assert [v.number for v in _versions("leichte-sprache")] == [1, 2]
