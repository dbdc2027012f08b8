"""The go-live journey in a real browser, against the app as `make run` starts it (`python -m app serve` in a
process of its own, development mode, mail delivered in the background to the log): a resident registers with
consent, confirms with the link taken from the server's log, submits an idea; a lead answers it on the idea's
Stellungnahme page; the resident finds the answer under "Meine Beiträge" and the notice in the mail log.
axe-core on every page visited, and each of them at 320 px without sideways scrolling (logged in as the same
person)."""

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from app.settings import ROOT
from tests.benchmarks.load import free_port
from tests.browser.fixtures import page_width, share_login
from tests.conftest import PASSWORD, make_user
from tests.ideas.conftest import make_round

EMAIL = "nachbarin.journey@example.org"
ANSWER = "Wir prüfen einen Trinkbrunnen am Marktplatz im nächsten Haushaltsjahr."


class DevServer:
    """`python -m app serve --host 127.0.0.1 --port N` as `make run` starts it, with the dev mail loop (log)."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "QW_ENVIRONMENT": "development", "QW_DEV_MAIL_INTERVAL_SECONDS": "0.3",
               "QW_MAIL_BACKEND": "log"}
        env.pop("QW_BASE_URL", None)  # links follow the address the app was started with
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen([sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port",
                                      str(self.port)], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):
                    return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"the dev server did not start: {self.output()[-3000:]}") from None
                time.sleep(0.2)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def wait_for(self, pattern: str, seconds: float = 15) -> re.Match:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = re.search(pattern, self.output(), re.S)
            if found:
                return found
            time.sleep(0.2)
        raise AssertionError(f"not in the log within {seconds} s: {pattern}\n{self.output()[-3000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


@pytest.fixture
def dev_server(database):
    server = DevServer()
    yield server
    server.stop()


@pytest.fixture
def contexts(browser, dev_server):
    """A page for the resident, one for the lead, one 320 px wide for checking the narrow layout."""
    made = []

    def context(**options):
        ctx = browser.new_context(base_url=dev_server.url, locale="de-DE", **options)
        made.append(ctx)
        pg = ctx.new_page()
        problems: list[str] = []
        pg.on("pageerror", lambda e: problems.append(str(e)))
        pg.on("console", lambda m: m.type == "error" and "Content Security Policy" in m.text
              and problems.append(m.text))
        pg.problems = problems
        return pg

    yield context
    for ctx in made:
        ctx.close()


def _checked(pg, narrow, axe, seen: list[str]) -> None:
    """axe-core on the current page, then the same URL at 320 px as the same person: nothing to scroll sideways."""
    path = "/" + pg.url.split("/", 3)[-1]
    seen.append(path)
    assert axe(pg) == [], path
    share_login(pg, narrow)
    narrow.goto(pg.url)
    assert narrow.url == pg.url, (narrow.url, pg.url)
    assert page_width(narrow) <= 320, (path, page_width(narrow))


def _settled(pg) -> None:
    pg.wait_for_load_state("networkidle")


def test_register_confirm_submit_answered_seen_in_mine_and_mail_log(dev_server, contexts, axe):
    make_round(title="Ideen für die Quartiere 2027")
    lead = make_user("lead", email="projektleitung@example.org", name="Projektleitung Stadt")
    resident, boss = contexts(), contexts()
    narrow = contexts(viewport={"width": 320, "height": 640})
    seen: list[str] = []

    # register with consent (terms and privacy notice)
    resident.goto("/")
    _checked(resident, narrow, axe, seen)
    resident.get_by_role("link", name="Registrieren").first.click()
    _checked(resident, narrow, axe, seen)
    resident.get_by_label("E-Mail-Adresse").fill(EMAIL)
    resident.get_by_label("Angezeigter Name oder Pseudonym").fill("Nachbarin Journey")
    resident.get_by_label("Passwort").fill(PASSWORD)
    resident.get_by_label("Ich stimme den Nutzungsbedingungen").check()
    resident.get_by_label("Ich habe die Datenschutzerklärung zur Kenntnis genommen").check()
    resident.get_by_role("button", name="Konto anlegen").click()
    expect(resident.get_by_role("status")).to_contain_text("Bestätigungslink")
    _checked(resident, narrow, axe, seen)

    # the confirmation link, from the log of the running server (delivered by the dev mail loop)
    link = dev_server.wait_for(rf"Mail an {re.escape(EMAIL)}:.*?(http://127\.0\.0\.1:{dev_server.port}"
                               r"/konto/bestaetigen/\S+)").group(1)
    resident.goto(link)
    expect(resident.get_by_role("status")).to_contain_text("bestätigt")
    _checked(resident, narrow, axe, seen)
    resident.get_by_label("E-Mail-Adresse").fill(EMAIL)
    resident.get_by_label("Passwort").fill(PASSWORD)
    resident.get_by_role("button", name="Anmelden").click()
    expect(resident.get_by_role("link", name="Mein Konto")).to_be_visible()

    # submit an idea
    resident.goto("/ideen/neu")
    _settled(resident)
    _checked(resident, narrow, axe, seen)
    resident.get_by_label("Titel").fill("Trinkbrunnen am Marktplatz")
    resident.get_by_label("Beschreibung").fill("Im Sommer fehlt kostenloses Trinkwasser für alle, die im "
                                               "Quartier unterwegs sind.")
    resident.get_by_label("Kategorie").select_option(index=1)
    resident.locator("#f-quarter_id").select_option(index=1)
    resident.locator("form.idea-form button[type=submit]").click()
    expect(resident.get_by_role("heading", level=1)).to_contain_text("Trinkbrunnen am Marktplatz")
    idea_url = resident.url
    _checked(resident, narrow, axe, seen)

    # the lead answers it through the pages
    boss.goto("/anmelden")
    boss.get_by_label("E-Mail-Adresse").fill(lead.email)
    boss.get_by_label("Passwort").fill(PASSWORD)
    boss.get_by_role("button", name="Anmelden").click()
    boss.wait_for_url("**/")
    boss.goto(idea_url)
    _settled(boss)
    boss.get_by_role("link", name="Stellung nehmen").click()
    expect(boss.get_by_role("heading", level=1)).to_contain_text("Trinkbrunnen am Marktplatz")
    _checked(boss, narrow, axe, seen)
    boss.get_by_label("teilweise berücksichtigt").check()
    boss.get_by_role("textbox", name=re.compile("^Stellungnahme")).fill(ANSWER)
    boss.get_by_role("button", name="Stellungnahme freigeben und veröffentlichen").click()
    expect(boss.locator(".flash")).to_contain_text("Die Stellungnahme ist freigegeben und veröffentlicht.")
    expect(boss.locator(".official-response-text")).to_have_text(ANSWER)
    _checked(boss, narrow, axe, seen)

    # the resident sees the answer under "Meine Beiträge" …
    resident.get_by_role("link", name="Meine Beiträge").first.click()
    expect(resident.get_by_role("heading", level=1)).to_contain_text("Meine Beiträge")
    expect(resident.get_by_text(ANSWER)).to_be_visible()
    expect(resident.locator("main")).to_contain_text("teilweise berücksichtigt")
    _checked(resident, narrow, axe, seen)
    resident.get_by_role("link", name="Trinkbrunnen am Marktplatz").first.click()
    expect(resident.get_by_text(ANSWER).first).to_be_visible()

    # … and in the mail log: the notice to them, with status, text and the link to the idea
    notice = dev_server.wait_for(rf"Mail an {re.escape(EMAIL)}: Stellungnahme zu Ihrer Idee „Trinkbrunnen am "
                                 r"Marktplatz“\n(.*?)Benachrichtigungen einstellen").group(1)
    assert "Stand: teilweise berücksichtigt" in notice and ANSWER in notice
    assert f"{dev_server.url}/ideen/" in notice

    assert len(seen) >= 8, seen
    for pg in (resident, boss, narrow):
        assert pg.problems == [], pg.problems
