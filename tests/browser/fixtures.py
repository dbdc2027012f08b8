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
WCAG_AA = "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']}"


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


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
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


@pytest.fixture
def axe():
    """axe(page) -> serious or critical WCAG 2.1 AA violations on the current page (empty list when clean)."""
    source = AXE.read_text()

    def serious(pg) -> list[dict]:
        pg.evaluate(source)
        result = pg.evaluate(f"axe.run(document, {WCAG_AA})")
        return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
                for v in result["violations"] if v["impact"] in ("serious", "critical")]

    return serious


def browser_login(pg, user, password: str = PASSWORD) -> None:
    """Log in through the login form, as a person would."""
    pg.goto("/anmelden")
    pg.get_by_label("E-Mail-Adresse").fill(user.email)
    pg.get_by_label("Passwort").fill(password)
    pg.get_by_role("button", name="Anmelden").click()
    pg.wait_for_url("**/")
