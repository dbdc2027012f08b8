"""Idea pages: the form (open/closed round, map chooser, errors beside fields), the list with filters, status."""

import re
from html.parser import HTMLParser

from tests.helpers import api_token, login, make_user, post_form
from tests.ideas.conftest import make_round, make_section

FORM = {"title": "Tauschregal im Feuersee", "body": "Ein offenes Bücher- und Tauschregal am Feuersee.",
        "category": "begegnung", "quarter_id": "184", "section_id": "", "lat": "", "lon": ""}


class Links(HTMLParser):
    """Collects the map's tile links (inside <svg>) with their accessible names."""

    def __init__(self):
        super().__init__()
        self.in_svg = 0
        self.tiles: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg" and "qmap-svg" in (a.get("class") or ""):
            self.in_svg += 1
        if tag == "a" and self.in_svg:
            self.tiles[a["aria-label"]] = a["href"]

    def handle_endtag(self, tag):
        if tag == "svg" and self.in_svg:
            self.in_svg -= 1


def tiles(html: str) -> dict[str, str]:
    p = Links()
    p.feed(html)
    return p.tiles


def heading_total(html: str) -> int:
    m = re.search(r'<h2 id="ergebnis-titel"[^>]*>\s*(\d+) Idee', html)
    assert m, html[:2000]
    return int(m.group(1))


def test_form_is_not_offered_without_open_round(client):
    make_round(open_now=False, title="Quartiersrunde Frühjahr")
    login(client, make_user("resident"))
    page = client.get("/ideen/neu").text
    assert "Quartiersrunde Frühjahr" in page and "beginnt am" in page
    assert 'action="/ideen"' not in page
    r = post_form(client, "/ideen", FORM)
    assert r.status_code == 409 and "Quartiersrunde Frühjahr" in r.text


def test_anonymous_sees_login_hint(client, open_round):
    page = client.get("/ideen/neu").text
    assert "Bitte melden Sie sich an" in page and 'action="/ideen"' not in page


def test_choose_on_map_then_submit(client, open_round):
    login(client, make_user("resident", name="Mira"))
    page = client.get("/ideen/neu").text
    assert "Stadtbezirksgrenzen: Landeshauptstadt Stuttgart – Stadtmessungsamt" in page
    west = tiles(page)["West: 0 Ideen"]
    assert west == "/ideen/neu?bezirk=west"
    zoomed = client.get(west).text
    feuersee = tiles(zoomed)["Feuersee: 0 Ideen"]
    form = client.get(feuersee).text
    assert re.search(r'<option value="184"\s+selected>Feuersee</option>', form)
    assert '<optgroup label="Stadtbezirk West">' in form
    r = post_form(client, "/ideen", FORM)
    assert r.status_code == 303, r.text
    idea = client.get(r.headers["location"]).text
    assert "Tauschregal im Feuersee" in idea and "Mira" in idea and "eingegangen" in idea


def test_errors_are_shown_beside_fields_and_input_kept(client, open_round):
    login(client, make_user("resident"))
    r = post_form(client, "/ideen", {**FORM, "quarter_id": "999"})
    assert r.status_code == 422 and "Diesen Stadtteil gibt es nicht" in r.text
    r = post_form(client, "/ideen", {**FORM, "lat": "52,52", "lon": "13,40"})
    assert r.status_code == 422 and "nicht in Stuttgart" in r.text
    assert 'id="f-lat-error"' in r.text and 'aria-invalid="true"' in r.text
    assert 'value="Tauschregal im Feuersee"' in r.text
    r = post_form(client, "/ideen", {**FORM, "body": "z" * 10_001})
    assert r.status_code == 422 and "höchstens 10000 Zeichen" in r.text
    assert client.get("/api/v1/ideas").json()["total"] == 0


def test_markdown_is_sanitised(client, open_round):
    login(client, make_user("resident"))
    body = "Hallo <script>alert(1)</script> [x](javascript:alert(1)) [Stadt](https://www.stuttgart.de)"
    r = post_form(client, "/ideen", {**FORM, "body": body})
    page = client.get(r.headers["location"]).text
    assert "<script>alert" not in page and 'href="javascript' not in page
    assert 'rel="nofollow noopener"' in page


def _make_ideas(client):
    headers = api_token(client, make_user("resident"))
    for quarter, category, title in [(184, "begegnung", "Begegnungsstätte am Feuersee"),
                                     (184, "kinder_jugend_familie", "Spielplätze mit Schatten"),
                                     (183, "begegnung", "Nachbarschaftsfest Rosenberg"),
                                     (105, "wohnen", "Gemeinschaftsräume im Europaviertel"),
                                     (601, "aelterwerden", "Mittagstisch in Sillenbuch")]:
        r = client.post("/api/v1/ideas", headers=headers, json={
            "title": title, "body": f"{title}: eine Idee aus der Nachbarschaft.", "category": category,
            "quarter_id": quarter})
        assert r.status_code == 201, r.text


def test_list_filters_have_their_own_urls(client, open_round):
    _make_ideas(client)
    page = client.get("/ideen").text
    assert heading_total(page) == 5
    page = client.get("/ideen?district=west&category=begegnung").text
    assert heading_total(page) == 2
    assert "Begegnungsstätte am Feuersee" in page and "Gemeinschaftsräume" not in page
    assert '<option value="west" selected>' in page
    page = client.get("/ideen?q=Spielpl%C3%A4tze").text
    assert heading_total(page) == 1 and "Spielplätze mit Schatten" in page
    page = client.get("/ideen?district=atlantis").text
    assert "Diesen Stadtbezirk gibt es nicht" in page and heading_total(page) == 5


def test_map_counts_equal_list_totals(client, open_round):
    _make_ideas(client)
    for query in ("", "?category=begegnung", "?q=Nachbarschaft"):
        page = client.get("/ideen" + query).text
        overall = heading_total(page)
        seen = 0
        for label, href in tiles(page).items():
            count = int(re.search(r": (\d+) Idee", label).group(1))
            assert heading_total(client.get(href).text) == count, (label, href)
            seen += count
        assert seen == overall
    zoomed = client.get("/ideen?district=west").text
    quarters = tiles(zoomed)
    assert len(quarters) == 9 and quarters["Feuersee: 2 Ideen"] == "/ideen?district=west&quarter=feuersee"
    assert heading_total(client.get(quarters["Feuersee: 2 Ideen"]).text) == 2


def test_htmx_gets_only_the_results_block(client, open_round):
    _make_ideas(client)
    r = client.get("/ideen?district=mitte", headers={"HX-Request": "true"})
    assert "<html" not in r.text and '<section id="ergebnis"' not in r.text and '<div id="ergebnis-inhalt">' in r.text
    # the live region (the heading) stays on the page: the fragment updates its text only
    assert re.search(r'<h2 id="ergebnis-titel" hx-swap-oob="innerHTML">\s*\d+ Idee', r.text)
    assert "hx-swap-oob" not in client.get("/ideen?district=mitte").text


def test_pagination(client, open_round, monkeypatch):
    _make_ideas(client)
    from app.ideas import pages
    from app.ideas import service as ideas_service
    original = ideas_service.browse
    monkeypatch.setattr(pages.service, "browse", lambda s, **kw: original(s, **{**kw, "per_page": 2}))
    page = client.get("/ideen?category=").text
    assert "Seite 1 von 3" in page and 'href="/ideen?page=2"' in page
    assert "Seite 3 von 3" in client.get("/ideen?page=3").text


def test_status_form_for_lead_with_reason_shown(client, open_round):
    _make_ideas(client)
    section_id = make_section("Orte der Begegnung")
    idea_id = client.get("/api/v1/ideas?q=Feuersee").json()["items"][0]["id"]
    resident = make_user("resident")
    login(client, resident)
    assert "Status ändern" not in client.get(f"/ideen/{idea_id}").text
    assert post_form(client, f"/ideen/{idea_id}/status", {"status": "declined", "reason": "x" * 20}).status_code == 403
    client.cookies.clear()
    login(client, make_user("lead"))
    r = post_form(client, f"/ideen/{idea_id}/status", {"status": "declined", "reason": ""})
    assert r.status_code == 422 and "Bitte mindestens 10 Zeichen eingeben." in r.text
    r = post_form(client, f"/ideen/{idea_id}/status", {"status": "adopted", "section_id": str(section_id),
                                                       "reason": "Aufgenommen als gutes Beispiel."})
    assert r.status_code == 303
    page = client.get(f"/ideen/{idea_id}").text
    assert "aufgenommen in Abschnitt" in page and "1.1 Orte der Begegnung" in page
    assert "Aufgenommen als gutes Beispiel." in page


def test_quartier_pages_show_ideas_counts_and_sections(client, open_round):
    _make_ideas(client)
    section_id = make_section("Nachbarschaft stärken")
    headers = api_token(client, make_user("resident"))
    client.post("/api/v1/ideas", headers=headers, json={
        "title": "Quartierstreff Feuersee", "body": "Ein Treff für alle Generationen.", "category": "begegnung",
        "quarter_id": 184, "section_id": section_id})
    index = client.get("/quartiere").text
    assert "Stadtmessungsamt" in index and tiles(index)["West: 4 Ideen"] == "/quartiere/west"
    district = client.get("/quartiere/west").text
    assert tiles(district)["Feuersee: 3 Ideen"] == "/ideen?district=west&quarter=feuersee"
    assert "Quartierstreff Feuersee" in district and "1.1 Nachbarschaft stärken" in district
    quarter = client.get("/quartiere/west/feuersee").text
    assert re.search(r"Begegnung und Nachbarschaft</a></th><td>2</td>", quarter)
    assert "Nachbarschaftsfest Rosenberg" not in quarter


def test_hidden_idea_is_gone_for_the_public_but_not_for_moderation(client, open_round, session):
    _make_ideas(client)
    from app.db import utcnow
    from app.ideas.models import Idea
    idea_id = client.get("/api/v1/ideas?q=Rosenberg").json()["items"][0]["id"]
    idea = session.get(Idea, idea_id)
    idea.hidden_at = utcnow()
    session.add(idea)
    session.commit()
    assert client.get(f"/ideen/{idea_id}").status_code == 404
    assert heading_total(client.get("/ideen?district=west").text) == 2
    assert "West: 2 Ideen" in tiles(client.get("/ideen").text)
    assert "Nachbarschaftsfest Rosenberg" not in client.get("/quartiere/west").text
    login(client, make_user("moderator"))
    page = client.get(f"/ideen/{idea_id}").text
    assert "ausgeblendet" in page and "Nachbarschaftsfest Rosenberg" in page


def test_start_page_shows_newest_ideas(client, open_round):
    _make_ideas(client)
    page = client.get("/").text
    assert "Neue Ideen aus den Quartieren" in page and "Mittagstisch in Sillenbuch" in page
    assert "Alle 5 Ideen ansehen" in page and 'href="/ideen/neu"' in page
