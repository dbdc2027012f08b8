"""The moderation page links only to what a moderator may open; the audit log speaks German, not codes."""

import re
from html.parser import HTMLParser
from pathlib import Path

from app.audit import ACTION_LABELS, TARGET_LABELS
from app.rounds.service import TRANSITIONS
from tests.helpers import login, make_user

APP = Path(__file__).resolve().parents[2] / "app"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href and href.startswith("/") and not href.startswith("/static/"):
            self.hrefs.append(href)


def test_every_link_on_the_moderation_page_opens_for_the_moderator(client):
    login(client, make_user("moderator"))
    page = client.get("/moderation")
    assert page.status_code == 200
    links = _Links()
    links.feed(page.text)
    answers = {href: client.get(href).status_code for href in dict.fromkeys(links.hrefs)}
    refused = {href: status for href, status in answers.items() if status != 200}
    assert answers and not refused, refused
    assert "/verwaltung/protokoll" not in answers  # the log is for the project lead and the administration


def _recorded_actions() -> set[str]:
    """Every action code the app passes to audit.record(), literal or built from a known set of parts."""
    codes: set[str] = set()
    for source in APP.rglob("*.py"):
        text = source.read_text()
        codes |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', text))
        if 'action=f"{kind}.' in text:
            codes |= {f"{kind}.{verb}" for kind in ("comment", "idea")
                      for verb in re.findall(r'action=f"\{kind\}\.([a-z_]+)"', text)}
    return codes | {f"round.{action}" for action in TRANSITIONS}


def test_every_audit_action_and_target_has_a_label():
    actions = _recorded_actions()
    assert {"user.role", "comment.hide", "round.open", "version.publish"} <= actions
    assert actions <= set(ACTION_LABELS), actions - set(ACTION_LABELS)
    targets = set()
    for source in APP.rglob("*.py"):
        targets |= set(re.findall(r'target_type="([a-z_]+)"', source.read_text()))
    assert targets | {"comment", "idea"} <= set(TARGET_LABELS), targets - set(TARGET_LABELS)
