"""In Chromium: a resident registers for a Werkstatt with an interpreting need and cancels; the lead sees the need
on the sign-in sheet. axe-core clean, and no sideways scrolling at 320 px."""

from playwright.sync_api import expect

from tests.browser.fixtures import browser_login, page_width
from tests.events.factory import Setting
from tests.helpers import outbox


def test_resident_registers_with_interpreting_and_cancels(client, browser, live_server, axe):
    s = Setting(client)
    event = s.event(capacity=10)
    resident, _headers = s.person(name="Ayşe Yılmaz")
    ctx = browser.new_context(base_url=live_server, viewport={"width": 320, "height": 640}, locale="de-DE")
    page = ctx.new_page()
    browser_login(page, resident)
    page.goto(f"/werkstaetten/{event['id']}")
    assert axe(page) == [] and page_width(page) <= 320
    page.get_by_label("Dolmetschen in die Sprache").fill("Türkisch")
    page.get_by_label("Kinderbetreuung").check()
    page.get_by_role("button", name="Verbindlich anmelden").click()
    expect(page.get_by_text("Sie sind angemeldet. Die Bestätigung kommt per E-Mail.")).to_be_visible()
    expect(page.get_by_text("Dolmetschen: Türkisch, Kinderbetreuung")).to_be_visible()
    expect(page.get_by_role("link", name="https://meet.example/ostheim")).to_be_visible()
    assert axe(page) == [] and page_width(page) <= 320
    assert outbox(resident.email)[-1].attachment_name == "werkstatt.ics"

    lead_page = browser.new_context(base_url=live_server, viewport={"width": 320, "height": 640},
                                    locale="de-DE").new_page()
    browser_login(lead_page, s.lead)
    lead_page.goto(f"/werkstaetten/{event['id']}/anmeldungen")
    expect(lead_page.get_by_text("Dolmetschen: Türkisch, Kinderbetreuung")).to_be_visible()
    assert axe(lead_page) == [] and page_width(lead_page) <= 320

    page.get_by_role("button", name="Anmeldung absagen").click()
    expect(page.get_by_text("Ihre Anmeldung ist abgesagt.")).to_be_visible()
    expect(page.get_by_role("button", name="Verbindlich anmelden")).to_be_visible()
    lead_page.reload()
    expect(lead_page.get_by_text("Noch keine Anmeldungen.")).to_be_visible()
    ctx.close()
    lead_page.context.close()
