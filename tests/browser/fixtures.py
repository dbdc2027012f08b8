"""Browser fixtures, a plugin of tests/conftest.py: the app under uvicorn, Debian's Chromium, axe-core."""

import os
import shutil
import threading
import time
from pathlib import Path

import playwright.sync_api as pw
import pytest
import uvicorn

from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(os.environ.get("AXE_JS", Path(__file__).resolve().parents[2] / "node_modules/axe-core/axe.min.js"))
# WCAG 2.2 A/AA and axe's best-practice rules (landmarks, headings, unique labels, …); the run fails on moderate,
# serious and critical violations (only "minor" ones pass).
AXE_OPTIONS = ("{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', "
               "'best-practice']}, resultTypes: ['violations']}")
FAILING_IMPACTS = ("moderate", "serious", "critical")
# WCAG 1.4.12 Text Spacing: the values a user style sheet may set (line height 1.5, paragraph spacing 2 em,
# letter spacing 0.12 em, word spacing 0.16 em). Applied as a constructed style sheet, which the CSP allows.
TEXT_SPACING = """
() => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
                         word-spacing: 0.16em !important; }
                     p { margin-bottom: 2em !important; }`);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
"""
# What "breaks" under text spacing: text cut off by a box that hides its overflow, text running out of a box
# of fixed height into what follows, or a box wider than the page. Returns one line per problem.
LAYOUT_PROBLEMS = """
() => {
  const problems = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const viewport = document.documentElement.clientWidth;
  for (const el of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden" || el.closest(".visually-hidden")) continue;
    if (["INPUT", "SELECT", "TEXTAREA", "OPTION"].includes(el.tagName) || el.closest("svg, select")) continue;
    if (!el.textContent.trim()) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const scrolls = ["auto", "scroll"].includes(style.overflowX) || ["auto", "scroll"].includes(style.overflowY);
    if (scrolls) continue;
    if (el.scrollHeight > el.clientHeight + 2 && el.clientHeight > 0 && (style.overflowY !== "visible" ||
        (style.height !== "auto" && !el.closest("svg") && el.scrollHeight > box.height + 2 &&
         el.children.length === 0))) {
      problems.push(`${name(el)}: ${el.scrollHeight}px of text in a box ${el.clientHeight}px high`);
    }
    if (el.scrollWidth > el.clientWidth + 2 && el.clientWidth > 0 && style.overflowX !== "visible") {
      problems.push(`${name(el)}: ${el.scrollWidth}px of text in a box ${el.clientWidth}px wide`);
    }
    if (box.right > viewport + 1 && !el.closest(".table-wrap, .qmap-scroll, pre")) {
      problems.push(`${name(el)}: reaches ${Math.round(box.right)}px on a page ${viewport}px wide`);
    }
  }
  // Labels drawn on the map's tiles (links in an SVG) must stay inside the tile they label.
  for (const text of document.querySelectorAll("svg a text")) {
    const shape = text.parentElement.querySelector("path, rect");
    if (!shape || !text.textContent.trim()) continue;
    const t = text.getBoundingClientRect(), b = shape.getBoundingClientRect();
    if (t.left < b.left - 1 || t.right > b.right + 1) {
      problems.push(`svg label "${text.textContent.trim()}": ${Math.round(t.width)}px wide in a shape ` +
                    `${Math.round(b.width)}px wide`);
    }
  }
  return problems.slice(0, 10);
}
"""


@pytest.fixture(scope="session")
def live_server(asgi_app):
    config = uvicorn.Config(asgi_app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


def in_ci() -> bool:
    """CI=true (as .ci/run and the usual CI services set it): a missing browser fails instead of skipping.
    Only "true": CI=false, CI=0 or an empty CI are a developer's machine."""
    return os.environ.get("CI", "").strip().lower() == "true"


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if in_ci():
            pytest.fail(f"no Chromium at {CHROMIUM}: .ci/run must install it")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with pw.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context; fails the test on any CSP violation or JavaScript error."""
    ctx = browser.new_context(base_url=live_server, locale="de-DE")
    pg = ctx.new_page()
    problems: list[str] = []
    pg.on("console", lambda m: m.type == "error" and "Content Security Policy" in m.text and problems.append(m.text))
    pg.on("pageerror", lambda e: problems.append(str(e)))
    yield pg
    ctx.close()
    assert not problems, problems


@pytest.fixture(scope="session")
def axe():
    """axe(page) -> moderate, serious or critical violations of WCAG 2.2 AA and axe's best practices on the
    current page (an empty list when clean)."""
    source = AXE.read_text()

    def violations(pg) -> list[dict]:
        if not pg.evaluate("typeof window.axe === 'object'"):
            pg.evaluate(source)
        result = pg.evaluate(f"axe.run(document, {AXE_OPTIONS})")
        return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
                for v in result["violations"] if v["impact"] in FAILING_IMPACTS]

    return violations


def page_width(pg) -> int:
    """How wide the page is laid out (more than the viewport means scrolling sideways)."""
    return pg.evaluate("document.documentElement.scrollWidth")


def text_spacing_problems(pg) -> list[str]:
    """Apply the WCAG 1.4.12 text spacing to the current page and list what no longer fits."""
    pg.evaluate(TEXT_SPACING)
    return pg.evaluate(LAYOUT_PROBLEMS)


def share_login(source, target) -> None:
    """Give another browser context (another screen size) the same login as `source`'s context."""
    target.context.clear_cookies()
    target.context.add_cookies(source.context.cookies())


def browser_login(pg, user, password: str = PASSWORD) -> None:
    """Log in through the login form, as a person would."""
    pg.goto("/anmelden")
    pg.get_by_label("E-Mail-Adresse").fill(user.email)
    pg.get_by_label("Passwort").fill(password)
    pg.get_by_role("button", name="Anmelden").click()
    pg.wait_for_url("**/")


def click_on_place_map(pg, lat: float, lon: float) -> None:
    """Click the point (lat, lon) on a form's map of Stuttgart (`svg.place-svg`, the idea and Werkstatt forms)."""
    from app.quartiere import geometry  # after tests.conftest has chosen the test database

    layer = geometry.provider().districts()
    x, y = layer.projection.xy(lon, lat)
    svg = pg.locator("svg.place-svg")
    svg.scroll_into_view_if_needed()
    box = svg.bounding_box()
    pg.mouse.click(box["x"] + x * box["width"] / layer.width, box["y"] + y * box["height"] / layer.height)
