"""Barrier reports (BITV 2.0 § 7) over HTTP: anyone may send one, a few per address and hour, hostile input is
refused without a 500; they reach administration and moderation as a queue item with a status and by mail."""

from sqlmodel import select

from app import db
from app.legal.models import BarrierReport
from tests.helpers import csrf, login, make_user, outbox, post_form

REPORT = {"page": "/ideen", "description": "Die Filter lassen sich mit der Tastatur nicht bedienen.",
          "contact": "leser@example.org"}


def _reports() -> list[BarrierReport]:
    with db.new_session() as s:
        return list(s.exec(select(BarrierReport).order_by(BarrierReport.id)).all())


def test_anyone_reports_a_barrier_and_staff_get_a_queue_item_and_a_mail(client):
    admin, moderator = make_user("admin"), make_user("moderator")
    resident, lead = make_user("resident"), make_user("lead")
    page = client.get("/barrierefreiheit")
    assert 'action="/barrierefreiheit/melden"' in page.text
    sent = post_form(client, "/barrierefreiheit/melden", REPORT)
    assert sent.status_code == 303 and sent.headers["location"].startswith("/barrierefreiheit")
    assert "Danke" in client.get(sent.headers["location"]).text
    [report] = _reports()
    assert (report.page, report.status, report.contact) == ("/ideen", "neu", "leser@example.org")
    mails = {m.to_email: m for m in outbox() if m.kind == "barrier"}
    assert set(mails) == {admin.email, moderator.email}
    assert "Tastatur" in mails[admin.email].body and "/verwaltung/barrieren" in mails[admin.email].body

    login(client, resident)  # a logged-in resident may report too, but sees no queue
    assert post_form(client, "/barrierefreiheit/melden", {**REPORT, "contact": ""}).status_code == 303
    assert _reports()[-1].contact is None
    assert client.get("/verwaltung/barrieren").status_code == 403
    assert post_form(client, f"/verwaltung/barrieren/{report.id}/status", {"status": "erledigt"}).status_code == 403
    client.cookies.clear()
    login(client, lead)
    assert client.get("/verwaltung/barrieren").status_code == 403

    for person in (moderator, admin):
        client.cookies.clear()
        login(client, person)
        queue = client.get("/verwaltung/barrieren")
        assert queue.status_code == 200 and "Tastatur" in queue.text and "leser@example.org" in queue.text
        assert 'href="/verwaltung/barrieren"' in client.get("/").text  # the footer link
    moved = post_form(client, f"/verwaltung/barrieren/{report.id}/status", {"status": "in_bearbeitung"})
    assert moved.status_code == 303
    assert _reports()[0].status == "in_bearbeitung"
    assert "in Bearbeitung" in client.get("/verwaltung/barrieren?status=in_bearbeitung").text
    assert post_form(client, f"/verwaltung/barrieren/{report.id}/status", {"status": "weg"}).status_code == 422
    assert post_form(client, "/verwaltung/barrieren/999999/status", {"status": "erledigt"}).status_code == 404
    assert post_form(client, f"/verwaltung/barrieren/{report.id}/status", {"status": "erledigt"}).status_code == 303
    assert _reports()[0].status == "erledigt" and _reports()[0].updated_at is not None


def test_reports_are_rate_limited_per_address(client):
    for n in range(5):
        assert post_form(client, "/barrierefreiheit/melden", {**REPORT, "description": f"Meldung {n}"}
                         ).status_code == 303
    limited = post_form(client, "/barrierefreiheit/melden", REPORT)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert "Zu viele" in limited.text
    assert len(_reports()) == 5


def test_hostile_reports_are_refused_and_store_nothing(client):
    for data in ({"page": "", "description": "Etwas"}, {"page": "/x", "description": ""},
                 {"page": "/x\x00", "description": "Etwas Schlimmes"}, {"page": "/x", "description": "a\x01b c"},
                 {"page": "x" * 501, "description": "Etwas"}, {"page": "/x", "description": "y" * 5001},
                 {"page": "/x", "description": "Etwas", "contact": "a\nb" + "c" * 300}):
        answer = post_form(client, "/barrierefreiheit/melden", data)
        assert answer.status_code == 422, (data, answer.status_code)
        assert "Barriere melden" in answer.text
    raw = client.post("/barrierefreiheit/melden", content=b"page=%FF%FE%00&description=\xff\xfe&csrf_token=" +
                      csrf(client).encode(), headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert raw.status_code in (400, 422)
    markup = post_form(client, "/barrierefreiheit/melden", {"page": "<script>alert(1)</script>",
                                                           "description": "<img src=x onerror=alert(1)>"})
    assert markup.status_code == 303
    login(client, make_user("admin"))
    queue = client.get("/verwaltung/barrieren").text
    assert "<script>alert(1)" not in queue and "<img src=x" not in queue and "&lt;script&gt;" in queue
    assert len(_reports()) == 1
