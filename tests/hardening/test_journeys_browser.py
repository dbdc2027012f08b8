"""Every role in Debian's Chromium over the demo data: axe-core on every page type (WCAG 2.2 AA and best practices,
nothing moderate or worse), usable at 320 px without horizontal scrolling (logged in as that role), text spacing
(WCAG 1.4.12) without cut-off text, and the main journeys by keyboard alone.

The page types are taken from the app's routes (as in test_every_page.py), so a new page is checked without anyone
adding it here.
"""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from app import db
from app.demo import people
from app.demo.seed import DEMO_PASSWORD
from app.demo.seed import seed as seed_demo
from tests.browser.fixtures import browser_login, page_width, share_login, text_spacing_problems
from tests.discussion import factories
from tests.hardening.routes import all_routes

PEOPLE = {"resident": people.RESIDENTS[0], "expert": people.EXPERTS[0], "lead": people.LEADS[0],
          "moderator": people.MODERATOR, "admin": people.ADMIN, "facilitator": people.FACILITATOR}
NOT_PAGES = {"/healthz", "/konto/daten.json"}  # JSON, downloads and exports are no pages to look at
NOT_PAGES_RE = re.compile(r"(\.csv|\.xlsx|\.md|\.json|\.ics|export\.html|/anhaenge/\{attachment_id\})$")  # downloads
# Swagger UI (third-party markup with nested controls) is the optional interactive console; /docs, our own
# reference built from the same OpenAPI document, is the accessible way in and is checked like every page.
LATER: set[str] = {"/docs/interaktiv"}


class Person:
    def __init__(self, email: str):
        self.email = email


def _first(sql: str):
    with db.get_engine().connect() as conn:
        return conn.execute(text(sql)).scalar()


@pytest.fixture
def demo():
    with db.new_session(writer=True) as s:
        seed_demo(s)
    section = _first("SELECT section_id FROM comment WHERE section_id IS NOT NULL ORDER BY id")
    assert section
    round_ = factories.round_([section], audience="public", title="Letzte Runde zum Entwurf")
    paragraphs = [p for p in _first(f"SELECT body FROM section_version WHERE section_id = {section} "
                                    "ORDER BY number DESC").split("\n\n") if p.strip()]
    factories.publish(section, [paragraphs[0] + " Ergänzt nach der Fachrunde."] + paragraphs[1:])
    _site_pages_with_history()
    return {"section": section, "idea": _first("SELECT min(id) FROM idea WHERE hidden_at IS NULL"),
            "edition": _first("SELECT min(id) FROM edition"), "round": round_.id,
            "comment": _first(f"SELECT min(id) FROM comment WHERE section_id = {section}"),
            "anchor": factories.anchors(section)[0]}


def _site_pages_with_history() -> None:
    """A second version of the privacy text (a word diff to show) and a barrier report in the queue."""
    from app.accounts.models import User
    from app.legal import service as legal
    from app.legal.schemas import BarrierIn, PageEdit

    with db.new_session(writer=True) as s:
        admin = s.get(User, _first(f"SELECT id FROM user_account WHERE email = '{people.ADMIN['email']}'"))
        body = legal.default_text("datenschutz").replace("[Name der verantwortlichen Stelle, z. B. Landeshauptstadt "
                                                         "Stuttgart]", "Landeshauptstadt Stuttgart")
        legal.save(s, actor=admin, slug="datenschutz", data=PageEdit(body=body, base_version=1, note="Stelle"))
        legal.report_barrier(s, data=BarrierIn(page="/ideen", description="Der Filter ist nicht erreichbar."),
                             ip="192.0.2.1")


def _page_paths(asgi_app, demo: dict) -> list[str]:
    """Every GET page of the app, filled with ids from the demo data, and a few query variants."""
    samples = {"section_id": demo["section"], "number": 1, "slug": _first("SELECT slug FROM document ORDER BY id"),
               "idea_id": demo["idea"], "comment_id": demo["comment"], "round_id": demo["round"],
               "edition_id": demo["edition"], "district_slug": "mitte", "target": "comment",
               "target_id": demo["comment"], "token": "kein-gueltiges-token",
               "quarter_slug": _first("SELECT q.slug FROM quarter q JOIN district d ON d.id = q.district_id "
                                      "WHERE d.slug = 'mitte' ORDER BY q.id")}
    paths = []
    for template, route in all_routes(asgi_app.routes):
        if "GET" not in route.methods or template.startswith("/api/") or template in NOT_PAGES:
            continue
        if NOT_PAGES_RE.search(template):
            continue
        paths.append(re.sub(r"\{(\w+)(:\w+)?\}", lambda m: str(samples.get(m.group(1), 1)), template))
    sid = demo["section"]
    paths += ["/ideen?district=mitte", f"/abschnitte/{sid}?paragraph={demo['anchor']}",
              f"/abschnitte/{sid}/fassungen?von=1&bis=2", "/gibt-es-nicht",
              # the site pages the city edits: their history, a version with its word diff, the edit form
              "/seiten/datenschutz/fassungen", "/seiten/datenschutz/fassungen/2", "/verwaltung/seiten/datenschutz",
              "/verwaltung/barrieren?status=neu"]
    assert len(paths) >= 40, paths
    return paths


def _login(page, role: str | None) -> None:
    if role:
        browser_login(page, Person(PEOPLE[role]["email"]), DEMO_PASSWORD)


@pytest.fixture
def narrow(browser, live_server):
    """A phone: 320 CSS px wide (also what 400 % zoom of a 1280 px window leaves)."""
    ctx = browser.new_context(base_url=live_server, viewport={"width": 320, "height": 640}, locale="de-DE")
    yield ctx.new_page()
    ctx.close()


@pytest.fixture
def zoomed(browser, live_server):
    """A 1280 px window at 200 % zoom: 640 CSS px wide, every CSS pixel two device pixels."""
    ctx = browser.new_context(base_url=live_server, viewport={"width": 640, "height": 400}, device_scale_factor=2,
                              locale="de-DE")
    yield ctx.new_page()
    ctx.close()


def _check(page, axe, narrow, zoomed=None) -> list[str]:
    """axe-core and text spacing on the current page, then the same URL at 320 px (and 200 % zoom), logged in
    as the same person: what is wrong, one line each."""
    path = "/" + page.url.split("/", 3)[-1]
    if path in LATER:
        return []
    problems = [f"{path}: axe {v}" for v in axe(page)]
    for other, width in ((narrow, 320), (zoomed, 640)):
        if other is None:
            continue
        share_login(page, other)
        other.goto(page.url)
        assert other.url == page.url, (other.url, page.url)  # the same page (not the login page), same person
        if page_width(other) > width:
            problems.append(f"{path}: {page_width(other)} px wide at {width} px")
        if other is narrow:
            problems += [f"{path}: text spacing at 320 px: {p}" for p in text_spacing_problems(narrow)]
    problems += [f"{path}: text spacing: {p}" for p in text_spacing_problems(page)]
    return problems


@pytest.mark.parametrize("role", [None, "resident", "expert", "lead", "moderator", "admin", "facilitator"])
def test_every_page_type_for_each_role(asgi_app, page, axe, narrow, zoomed, demo, role):
    """Each role sees every page (or the error page it gets instead): axe-clean, no sideways scrolling at 320 px
    and 200 % zoom, nothing cut off with WCAG text spacing."""
    _login(page, role)
    seen: set[str] = set()
    problems: list[str] = []
    for path in _page_paths(asgi_app, demo):
        response = page.goto(path)
        if not response.headers.get("content-type", "").startswith("text/html") or page.url in seen:
            continue  # a redirect to a page checked already
        seen.add(page.url)
        expect(page.locator("h1").first).to_be_visible()
        problems += _check(page, axe, narrow, zoomed)
    assert len(seen) >= 15, seen
    assert problems == [], "\n".join(problems)


def _tab_to(page, selector: str, limit: int = 250) -> None:
    """Press Tab until the element is focused, as a keyboard user would."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key on {page.url}")


def test_anonymous_reader_filters_ideas_by_keyboard(page, demo):
    page.goto("/ideen")
    _tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/ideen?*sort=new*")


def test_resident_submits_an_idea_by_keyboard(page, axe, narrow, demo):
    _login(page, "resident")
    page.goto("/ideen/neu")
    _tab_to(page, "#f-title")
    page.keyboard.type("Trinkbrunnen am Marktplatz")
    page.keyboard.press("Tab")
    page.keyboard.type("Im Sommer fehlt kostenloses Trinkwasser für alle, die im Quartier unterwegs sind.")
    page.get_by_label("Kategorie").select_option(index=1)
    page.locator("#f-quarter_id").select_option(index=1)
    _tab_to(page, "form.idea-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trinkbrunnen am Marktplatz")
    assert _check(page, axe, narrow) == []


def test_expert_comments_on_a_section_by_keyboard(page, axe, narrow, demo):
    _login(page, "expert")
    page.goto(f"/abschnitte/{demo['section']}")
    _tab_to(page, "#c-body")
    page.keyboard.type("Aus Sicht der Träger fehlt hier die Finanzierung nach der Projektphase.")
    _tab_to(page, "#c-body ~ button[type=submit], form:has(#c-body) button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Aus Sicht der Träger fehlt hier die Finanzierung")).to_be_visible()
    assert _check(page, axe, narrow) == []


def test_narrow_check_measures_the_logged_in_page(page, narrow, zoomed, demo):
    """The 320 px check looks at what the person sees, not at the login page it would be sent to; at 200 % zoom the
    user table fits without scrolling, at 320 px it scrolls inside its own box, not the page."""
    _login(page, "admin")
    page.goto("/verwaltung/nutzer")
    for other, width in ((narrow, 320), (zoomed, 640)):
        share_login(page, other)
        other.goto("/verwaltung/nutzer")
        assert other.url.endswith("/verwaltung/nutzer")
        expect(other.get_by_role("heading", level=1)).to_have_text("Nutzerverwaltung")
        assert page_width(other) <= width
    box = zoomed.locator(".table-wrap")
    assert box.evaluate("el => el.scrollWidth <= el.clientWidth"), "the user table scrolls at 200 % zoom"
