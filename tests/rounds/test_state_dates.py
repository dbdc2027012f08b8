"""A round opened or closed by hand says when it really began or ended; the plan stays in the audit log."""

import re
from datetime import timedelta

from sqlmodel import select

from app import db
from app.audit import AuditEntry
from app.db import utcnow
from app.web import i18n
from tests.discussion import factories as f
from tests.helpers import login, post_form
from tests.text import page_text


def _fact(text: str, label: str) -> str:
    match = re.search(rf"^{label}\n(.+)$", text, re.M)
    assert match, text
    return match.group(1)


def test_round_opened_early_shows_today_as_its_beginning(client):
    lead = f.lead()
    sid = f.section(lead)
    now = utcnow()
    planned = f.round_([sid], actor=lead, opens_at=now + timedelta(days=14), closes_at=now + timedelta(days=40))
    path = f"/runden/{planned.id}"
    planned_start = _fact(page_text(client.get(path).text), "Beginn")
    login(client, lead)
    assert post_form(client, path + "/stand", {"action": "open"}).status_code == 303
    text = page_text(client.get(path).text)
    assert _fact(text, "Stand") == "offen"
    today = {i18n.format_datetime(now), i18n.format_datetime(utcnow())}  # the minute may turn over meanwhile
    assert _fact(text, "Beginn") in today and _fact(text, "Beginn") != planned_start
    assert _fact(text, "Ende") == i18n.format_datetime(now + timedelta(days=40))

    assert post_form(client, path + "/stand", {"action": "close"}).status_code == 303
    text = page_text(client.get(path).text)
    today.add(i18n.format_datetime(utcnow()))
    assert _fact(text, "Stand") == "abgeschlossen" and _fact(text, "Ende") in today
    with db.new_session() as s:
        summaries = [e.summary for e in s.exec(select(AuditEntry).where(AuditEntry.action.in_(
            ["round.open", "round.close"])).order_by(AuditEntry.id))]
    assert summaries[0].startswith("geplant → offen (geplanter Beginn: ")
    assert summaries[1].startswith("offen → abgeschlossen (geplantes Ende: ")
