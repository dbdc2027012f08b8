"""A person in a real browser: registers, confirms, logs in, switches language; axe-core on key pages."""

from playwright.sync_api import expect

from tests.helpers import PASSWORD, link_in, outbox


def test_register_confirm_login_switch_language(page, axe):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rahmenkonzeption soziale Quartiersentwicklung")
    assert axe(page) == []

    page.get_by_role("link", name="Registrieren").first.click()
    page.get_by_label("E-Mail-Adresse").fill("browser@example.org")
    page.get_by_label("Angezeigter Name oder Pseudonym").fill("Nachbar Browser")
    page.get_by_label("Passwort").fill("zu-kurz")
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.locator("#f-password-error")).to_contain_text("mindestens 10 Zeichen")
    expect(page.get_by_label("E-Mail-Adresse")).to_have_value("browser@example.org")
    expect(page.locator("#f-accept_terms-error")).to_contain_text("Nutzungsbedingungen")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_label("Ich stimme den Nutzungsbedingungen").check()
    page.get_by_label("Ich habe die Datenschutzerklärung zur Kenntnis genommen").check()
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.get_by_role("status")).to_contain_text("Bestätigungslink")

    page.goto(link_in(outbox("browser@example.org")[0].body, "/konto/bestaetigen/"))
    expect(page.get_by_role("status")).to_contain_text("bestätigt")
    assert axe(page) == []  # the login page, with its message
    page.get_by_label("E-Mail-Adresse").fill("browser@example.org")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("link", name="Mein Konto")).to_be_visible()

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")

    page.goto("/quartiere")
    again = page.goto("/quartiere")  # this person's copy from the page cache, gzipped around their CSRF token
    assert (again.headers["x-cache"], again.headers["content-encoding"]) == ("hit", "gzip")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stadtbezirke")
    assert axe(page) == []

    page.get_by_role("button", name="Abmelden").click()  # the form's token from that copy is accepted
    expect(page.get_by_role("link", name="Anmelden")).to_be_visible()


def test_keyboard_user_reaches_content_via_skip_link(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhalt"


def test_small_screen_has_no_horizontal_scrolling(browser, live_server):
    ctx = browser.new_context(base_url=live_server, viewport={"width": 320, "height": 640})
    pg = ctx.new_page()
    for path in ("/", "/anmelden", "/quartiere"):
        pg.goto(path)
        page_width = pg.evaluate("document.documentElement.scrollWidth")
        assert page_width <= 321, (path, page_width)  # wide content (the map) scrolls inside its own box
    ctx.close()
