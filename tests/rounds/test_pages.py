"""Round pages: the timeline, a round, the lead's forms (plain posts), the start-page panel, section status."""

from datetime import timedelta

from app.db import utcnow
from tests.discussion import factories as f
from tests.helpers import login, make_user, post_form


def test_timeline_groups_rounds(client):
    sid = f.section()
    now = utcnow()
    f.round_([sid], opens_at=now - timedelta(days=10), closes_at=now - timedelta(days=3), title="Frühjahrsrunde")
    f.round_([sid], title="Herbstrunde")
    f.round_([sid], opens_at=now + timedelta(days=2), closes_at=now + timedelta(days=9), title="Winterrunde")
    html = client.get("/runden").text
    assert html.index("Jetzt offen") < html.index("Herbstrunde") < html.index("Geplant") < html.index("Winterrunde")
    assert html.index("Vergangene Runden") < html.index("Frühjahrsrunde")
    assert "Neue Runde anlegen" not in html


def test_lead_creates_round_through_the_form(client):
    lead = f.lead()
    sid = f.section(lead)
    login(client, lead)
    form = client.get("/runden/neu")
    assert form.status_code == 200 and "Ziele der Quartiersentwicklung" in form.text
    bad = post_form(client, "/runden/neu", {"document": "1", "title": "Runde", "opens_at": "2027-03-01T09:00",
                                            "closes_at": "2027-02-01T09:00", "audience": "experts",
                                            "section_ids": [str(sid)]})
    assert bad.status_code == 422
    assert "Das Ende muss nach dem Beginn liegen." in bad.text and 'value="Runde"' in bad.text
    ok = post_form(client, "/runden/neu", {"document": "1", "title": "Runde", "opens_at": "2027-03-01T09:00",
                                           "closes_at": "2027-03-15T18:00", "audience": "experts",
                                           "section_ids": [str(sid)]})
    assert ok.status_code == 303
    detail = client.get(ok.headers["location"]).text
    assert "1. März 2027, 09:00" in detail and "15. März 2027, 18:00" in detail
    assert "Jetzt öffnen" in detail
    opened = post_form(client, ok.headers["location"] + "/stand", {"action": "open"})
    assert opened.status_code == 303
    assert "offen" in client.get(ok.headers["location"]).text


def test_only_leads_see_the_forms(client):
    login(client, make_user("expert"))
    assert client.get("/runden/neu").status_code == 403


def test_home_panel_shows_the_open_round(client):
    assert "Beteiligungsrunden</h2>" not in client.get("/").text
    sid = f.section()
    f.round_([sid], title="Herbstrunde")
    html = client.get("/").text
    assert "Herbstrunde" in html and f"/abschnitte/{sid}" in html


def test_section_page_says_until_when_and_for_whom(client):
    sid = f.section()
    html = client.get(f"/abschnitte/{sid}").text
    assert "keine Beteiligungsrunde offen" in html
    r = f.round_([sid], audience="residents")
    html = client.get(f"/abschnitte/{sid}").text
    assert "Offen für Beiträge" in html and "Expert*innen und registrierte Bürger*innen" in html
    assert r.title in html
