"""Werkstätten pages over HTTP: the lead's form, registering and cancelling in the browser's way, the sign-in
sheet, the round's and the Quartier pages, the minutes with attachments, and the calendar feeds."""

from datetime import timedelta

from icalendar import Calendar

from app.db import utcnow
from tests.events.factory import Setting
from tests.helpers import login, post_form

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _form(round_id: int, **over) -> dict:
    start = (utcnow() + timedelta(days=5)).astimezone().strftime("%Y-%m-%dT10:00")
    return {"round_id": str(round_id), "title": "Werkstatt Bad Cannstatt", "description": "Gemeinsam planen.",
            "district": "bad-cannstatt", "quarter_id": "", "venue": "Kursaal", "address": "Königsplatz 1",
            "step_free": "1", "childcare": "1", "starts_at": start, "ends_at": start.replace("T10:00", "T12:30"),
            "capacity": "2", "online_url": "", "registration_open": "1", **over}


def test_lead_creates_by_form_and_bad_input_is_shown_in_german(client):
    s = Setting(client)
    login(client, s.lead)
    assert client.get("/werkstaetten/neu").status_code == 200
    bad = post_form(client, "/werkstaetten/neu", _form(s.round, capacity="viele", title="W"))
    assert bad.status_code == 422 and "Bitte eine ganze Zahl angeben." in bad.text
    assert "Kursaal" in bad.text  # the input is kept
    wrong_time = _form(s.round)
    wrong_time["ends_at"] = wrong_time["starts_at"].replace("T10:00", "T09:00")
    assert post_form(client, "/werkstaetten/neu", wrong_time).status_code == 422
    created = post_form(client, "/werkstaetten/neu", _form(s.round))
    assert created.status_code == 303
    page = client.get(created.headers["location"])
    assert "Werkstatt Bad Cannstatt" in page.text and "stufenloser Zugang" in page.text
    assert client.get("/werkstaetten").text.count("Werkstatt Bad Cannstatt") == 1
    edit = client.get(created.headers["location"] + "/bearbeiten")
    assert edit.status_code == 200 and 'value="Kursaal"' in edit.text
    changed = post_form(client, created.headers["location"] + "/bearbeiten", _form(s.round, venue="Großer Kursaal"))
    assert changed.status_code == 303 and "Großer Kursaal" in client.get(created.headers["location"]).text


def test_resident_registers_with_an_interpreting_need_and_cancels_on_the_page(client):
    s = Setting(client)
    event = s.event(capacity=1)
    user, _headers = s.person(name="Ayşe Yılmaz")
    login(client, user)
    page = client.get(f"/werkstaetten/{event['id']}")
    assert "Verbindlich anmelden" in page.text and "meet.example" not in page.text
    done = post_form(client, f"/werkstaetten/{event['id']}/anmelden",
                     {"name": "Ayşe Yılmaz", "people": "1", "interpreting_language": "Türkisch", "childcare": "1"})
    assert done.status_code == 303
    page = client.get(f"/werkstaetten/{event['id']}")
    assert "Sie sind angemeldet" in page.text and "Dolmetschen: Türkisch" in page.text
    assert "https://meet.example/ostheim" in page.text  # the online link, for a confirmed registration
    bad = post_form(client, f"/werkstaetten/{event['id']}/anmelden", {"name": "X", "people": "zwei"})
    assert bad.status_code == 303  # refused with a message, nothing stored
    reg_id = client.get(f"/api/v1/events/{event['id']}/registrations",
                        headers=_headers).json()["items"][0]["id"]
    cancel = post_form(client, f"/werkstaetten/{event['id']}/anmeldungen/{reg_id}/absagen")
    assert cancel.status_code == 303
    assert "Verbindlich anmelden" in client.get(f"/werkstaetten/{event['id']}").text


def test_sign_in_sheet_for_leads_only_and_events_on_round_and_quartier_pages(client):
    s = Setting(client)
    event = s.event(district="mitte", quarter_id=101, title="Werkstatt am Schlossgarten")
    user, headers = s.person(name="Paula Privat")
    client.post(f"/api/v1/events/{event['id']}/registrations", headers=headers,
                json={"sign_language": True, "barrier_free_seat": True})
    sheet = f"/werkstaetten/{event['id']}/anmeldungen"
    assert client.get(sheet, follow_redirects=False).status_code in (401, 303)
    login(client, user)
    assert client.get(sheet).status_code == 403
    client.cookies.clear()
    login(client, s.lead)
    text = client.get(sheet).text
    assert "Paula Privat" in text and "Gebärdensprache" in text and "barrierefreier Platz" in text
    assert "Unterschrift" in text
    client.cookies.clear()
    for path in (f"/runden/{s.round}", "/quartiere/mitte", "/quartiere/mitte/oberer-schlossgarten", "/werkstaetten"):
        page = client.get(path)
        assert page.status_code == 200 and "Werkstatt am Schlossgarten" in page.text, path
    assert "Werkstatt am Schlossgarten" not in client.get("/quartiere/ost").text


def test_minutes_are_sanitised_and_attachments_limited_to_pdf_and_images_served_safely(client):
    s = Setting(client)
    event = s.event()
    eid = event["id"]
    user, _h = s.person()
    login(client, user)
    assert post_form(client, f"/werkstaetten/{eid}/protokoll", {"minutes": "x"}).status_code == 403
    assert post_form(client, f"/werkstaetten/{eid}/anhaenge",
                     files={"file": ("a.pdf", PDF, "application/pdf")}).status_code == 403
    client.cookies.clear()
    login(client, s.lead)
    saved = post_form(client, f"/werkstaetten/{eid}/protokoll",
                      {"minutes": "## Ergebnisse\n\n- Mehr Bänke\n\n<script>alert(1)</script> "
                                  "[x](javascript:alert(2))"})
    assert saved.status_code == 303
    page = client.get(f"/werkstaetten/{eid}").text
    assert "<h3>Ergebnisse</h3>" in page and "<li>Mehr Bänke</li>" in page
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)" in page and 'href="javascript' not in page

    too_big = post_form(client, f"/werkstaetten/{eid}/anhaenge",
                        files={"file": ("gross.pdf", b"%PDF-" + b"0" * 600_001, "application/pdf")})
    assert too_big.status_code == 413 and "zu groß" in too_big.text
    for name, data, claimed in (("seite.html", b"<html><script>alert(1)</script>", "application/pdf"),
                                ("bild.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"),
                                ("leer.pdf", b"", "application/pdf")):
        refused = post_form(client, f"/werkstaetten/{eid}/anhaenge", files={"file": (name, data, claimed)})
        assert refused.status_code in (415, 422), name
    assert post_form(client, f"/werkstaetten/{eid}/anhaenge",
                     files={"file": ("Protokoll Ostheim.pdf", PDF, "application/pdf")}).status_code == 303
    assert post_form(client, f"/werkstaetten/{eid}/anhaenge",
                     files={"file": ("foto.exe", PNG, "application/octet-stream")}).status_code == 303
    client.cookies.clear()
    page = client.get(f"/werkstaetten/{eid}").text
    assert "Protokoll Ostheim.pdf" in page and "foto.png" in page
    pdf = client.get(f"/werkstaetten/{eid}/anhaenge/1")
    assert pdf.status_code == 200 and pdf.content == PDF
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("attachment;")
    assert pdf.headers["x-content-type-options"] == "nosniff" and "sandbox" in pdf.headers["content-security-policy"]
    image = client.get(f"/werkstaetten/{eid}/anhaenge/2")
    assert image.headers["content-type"] == "image/png" and image.headers["content-disposition"].startswith("inline")
    assert client.get(f"/werkstaetten/{eid + 1}/anhaenge/1").status_code == 404


def test_calendar_feeds_are_valid_icalendar_with_stable_uids(client):
    s = Setting(client)
    ost = s.event(title="Werkstatt Ost")
    mitte = s.event(district="mitte", title="Werkstatt Mitte")
    other_round = s.event(title="Werkstatt anderer Runde")

    def parse(path: str) -> Calendar:
        answer = client.get(path)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar"), path
        cal = Calendar.from_ical(answer.content)
        assert cal["VERSION"] == "2.0" and cal["PRODID"]
        for vevent in cal.walk("VEVENT"):  # what RFC 5545 requires of every VEVENT
            for prop in ("UID", "DTSTAMP", "DTSTART"):
                assert prop in vevent, (path, prop)
            assert vevent.decoded("DTSTART").tzinfo is not None
        return cal

    def uids(cal: Calendar) -> set[str]:
        return {str(v["UID"]) for v in cal.walk("VEVENT")}

    everything = parse("/kalender.ics")
    assert uids(everything) == {f"werkstatt-{e['id']}@testserver" for e in (ost, mitte, other_round)} | {
        f"runde-{s.round}-beginn@testserver", f"runde-{s.round}-ende@testserver"}
    assert uids(parse("/kalender.ics")) == uids(everything)  # stable
    assert uids(parse("/kalender/mitte.ics")) == {f"werkstatt-{mitte['id']}@testserver",
                                                              f"runde-{s.round}-beginn@testserver",
                                                              f"runde-{s.round}-ende@testserver"}
    assert f"werkstatt-{ost['id']}@testserver" in uids(parse(f"/runden/{s.round}/kalender.ics"))
    ost_entry = next(v for v in everything.walk("VEVENT") if str(v["UID"]) == f"werkstatt-{ost['id']}@testserver")
    assert "Bürgerhaus Ostheim" in str(ost_entry["LOCATION"]) and ost_entry["STATUS"] == "CONFIRMED"
    assert uids(parse("/kalender.ics?district=mitte")) == uids(parse("/kalender/mitte.ics"))
    assert uids(parse(f"/kalender.ics?round={s.round}")) == uids(parse(f"/runden/{s.round}/kalender.ics"))
    assert client.get("/kalender.ics?round=abc").status_code == 404
    assert client.get("/runden/999999/kalender.ics").status_code == 404
    assert client.get("/kalender/gibt-es-nicht.ics").status_code == 404


def test_cached_pages_show_a_new_werkstatt_and_a_registration_at_once(client, asgi_app):
    from fastapi.testclient import TestClient

    s = Setting(client)
    event = s.event(district="mitte", title="Werkstatt Cache")
    paths = ["/werkstaetten", f"/werkstaetten/{event['id']}", f"/runden/{s.round}", "/quartiere/mitte"]
    with TestClient(asgi_app) as reader:
        for path in paths:
            reader.get(path)
            assert reader.get(path).headers["x-cache"] == "hit", path
        s.event(district="mitte", title="Werkstatt Neu")
        for path in ("/werkstaetten", f"/runden/{s.round}", "/quartiere/mitte"):
            page = reader.get(path)
            assert page.headers["x-cache"] == "miss" and "Werkstatt Neu" in page.text, path
        _user, headers = s.person()
        client.post(f"/api/v1/events/{event['id']}/registrations", headers=headers, json={"people": 3})
        page = reader.get(f"/werkstaetten/{event['id']}")
        assert page.headers["x-cache"] == "miss" and "17 von 20 frei" in page.text
