"""In Chromium: the consent question at login after a new version, and the barrier form with its errors, both
axe-clean and usable at 320 px; then agreeing logs the person in."""

from playwright.sync_api import expect

from app import db
from app.legal import service as legal
from app.legal.schemas import PageEdit
from tests.browser.fixtures import page_width
from tests.helpers import PASSWORD, make_user


def test_consent_at_login_and_barrier_form_are_accessible_at_320_px(page, axe):
    person = make_user("resident", email="nina@example.org")
    admin = make_user("admin")
    with db.new_session(writer=True) as s:
        legal.save(s, actor=admin, slug="nutzungsbedingungen",
                   data=PageEdit(body="Neue Regeln.\n", base_version=1, renews_consent=True))

    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(person.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("alert")).to_contain_text("neue Fassung")
    assert axe(page) == [] and page_width(page) <= 320
    page.get_by_role("button", name="Nicht zustimmen").click()
    expect(page.get_by_role("alert")).to_contain_text("bleiben abgemeldet")
    expect(page.get_by_role("link", name="Mein Konto")).to_have_count(0)

    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("alert")).to_contain_text("neue Fassung")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_label("Ich stimme den Nutzungsbedingungen").check()
    page.get_by_label("Ich habe die Datenschutzerklärung zur Kenntnis genommen").check()
    page.get_by_role("button", name="Zustimmen und anmelden").click()
    expect(page.get_by_role("link", name="Mein Konto")).to_be_visible()

    page.goto("/barrierefreiheit")
    page.get_by_role("button", name="Meldung senden").click()
    expect(page.locator("#f-description-error")).to_be_visible()
    assert axe(page) == [] and page_width(page) <= 320
    page.get_by_label("Auf welcher Seite?").fill("/ideen")
    page.get_by_label("Was ist passiert?").fill("Die Karte lässt sich nicht mit der Tastatur bedienen.")
    page.get_by_role("button", name="Meldung senden").click()
    expect(page.get_by_role("status")).to_contain_text("Danke")
    for path in ("/datenschutz", "/leichte-sprache", "/seiten/nutzungsbedingungen/fassungen/2"):
        page.goto(path)
        assert axe(page) == [] and page_width(page) <= 320, path
