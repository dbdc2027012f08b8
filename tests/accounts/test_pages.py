"""Accounts in the browser's terms: register, confirm, log in and out, invitations, Meine Daten, roles."""

import json

from tests.helpers import CONSENT, PASSWORD, link_in, login, make_user, outbox, post_form


def register(client, email="anna@example.org", name="Anna aus dem Ostend", password=PASSWORD):
    return post_form(client, "/registrieren", {"email": email, "display_name": name, "password": password,
                                                **CONSENT})


def test_resident_registers_confirms_logs_in_and_out(client):
    response = register(client)
    assert response.status_code == 200
    assert "Bestätigungslink" in response.text
    mails = outbox("anna@example.org")
    assert len(mails) == 1
    confirm = link_in(mails[0].body, "/konto/bestaetigen/")

    before = post_form(client, "/anmelden", {"email": "anna@example.org", "password": PASSWORD})
    assert before.status_code == 400
    assert "bestätigen Sie zuerst" in before.text

    assert client.get(confirm, follow_redirects=False).status_code == 303
    again = client.get(confirm)  # opened a second time (mail clients prefetch, people click twice): no error page
    assert again.status_code == 200 and "bereits bestätigt" in again.text

    response = post_form(client, "/anmelden", {"email": "Anna@Example.org ", "password": PASSWORD})
    assert response.status_code == 303
    page = client.get("/konto")
    assert page.status_code == 200
    assert "Anna aus dem Ostend" in page.text
    assert "Bürger*in" in page.text

    post_form(client, "/abmelden")
    assert client.get("/konto", follow_redirects=False).headers["location"].startswith("/anmelden")


def test_registration_errors_are_shown_beside_fields_and_input_is_kept(client):
    response = register(client, email="keine-adresse", name="A", password="kurz")
    assert response.status_code == 422
    assert 'id="f-email-error"' in response.text
    assert "gültige E-Mail-Adresse" in response.text
    assert "mindestens 10 Zeichen" in response.text
    assert 'value="keine-adresse"' in response.text
    assert outbox() == []


def test_registration_does_not_reveal_existing_accounts(client):
    make_user("resident", email="bekannt@example.org")
    known = register(client, email="bekannt@example.org")
    new = register(client, email="neu@example.org")
    assert known.status_code == new.status_code == 200
    assert "Bestätigungslink" in known.text and "Bestätigungslink" in new.text
    hint = outbox("bekannt@example.org")
    assert len(hint) == 1 and "bereits ein Konto" in hint[0].body


def test_login_failure_is_the_same_for_unknown_and_wrong_password(client):
    make_user("resident", email="maria@example.org")
    wrong = post_form(client, "/anmelden", {"email": "maria@example.org", "password": "falsch-falsch"})
    unknown = post_form(client, "/anmelden", {"email": "niemand@example.org", "password": "falsch-falsch"})
    assert wrong.status_code == unknown.status_code == 400
    assert "E-Mail-Adresse oder Passwort ist falsch" in wrong.text
    assert "E-Mail-Adresse oder Passwort ist falsch" in unknown.text
    assert "qw_session" not in wrong.headers.get("set-cookie", "")


def test_login_is_rate_limited_per_account(client):
    user = make_user("resident", email="ziel@example.org")
    for _ in range(10):
        assert post_form(client, "/anmelden", {"email": user.email, "password": "falsch-falsch"}).status_code == 400
    blocked = post_form(client, "/anmelden", {"email": user.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert blocked.headers["Retry-After"]
    assert "Zu viele Versuche" in blocked.text


def test_login_redirects_only_to_local_paths(client):
    user = make_user("resident")
    response = post_form(client, "/anmelden", {"email": user.email, "password": PASSWORD,
                                                "next": "https://evil.example/"})
    assert response.headers["location"] == "/"
    client.cookies.clear()
    response = post_form(client, "/anmelden", {"email": user.email, "password": PASSWORD, "next": "/quartiere"})
    assert response.headers["location"] == "/quartiere"


def test_session_cookie_is_httponly_and_samesite(client):
    user = make_user("resident")
    response = login(client, user)
    cookie = [c for c in response.headers.get_list("set-cookie") if c.startswith("qw_session=")][0]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")


def test_forms_without_csrf_token_are_refused(client):
    user = make_user("resident")
    client.get("/anmelden")
    response = client.post("/anmelden", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "CSRF" in response.text
    response = client.post("/anmelden", data={"email": user.email, "password": PASSWORD, "csrf_token": "x" * 43})
    assert response.status_code == 403


def test_lead_invites_expert_who_accepts_once(client):
    lead = make_user("lead")
    login(client, lead)
    response = post_form(client, "/verwaltung/einladungen", {
        "email": "fachkraft@traeger.example", "organisation": "Stadtteilhaus Ostend e.V.",
        "organisation_kind": "traeger"})
    assert response.status_code == 200
    link = link_in(response.text, "http://testserver/einladung/").removeprefix("http://testserver")
    assert link_in(outbox("fachkraft@traeger.example")[0].body, "/einladung/").endswith(link.split("/")[-1])

    client.cookies.clear()
    page = client.get(link)
    assert "Stadtteilhaus Ostend e.V." in page.text
    accepted = post_form(client, link, {"display_name": "Dana Fachkraft", "password": PASSWORD, **CONSENT})
    assert accepted.status_code == 303
    assert client.get(link).status_code == 404  # replayed token
    replay = post_form(client, link, {"display_name": "Noch Jemand", "password": PASSWORD, **CONSENT})
    assert replay.status_code == 404

    login_response = post_form(client, "/anmelden", {"email": "fachkraft@traeger.example", "password": PASSWORD})
    assert login_response.status_code == 303
    me = client.get("/konto").text
    assert "Dana Fachkraft" in me and "Stadtteilhaus Ostend e.V." in me


def test_only_leads_and_admins_invite(client):
    login(client, make_user("expert"))
    assert client.get("/verwaltung/einladungen").status_code == 403
    response = post_form(client, "/verwaltung/einladungen", {"email": "x@example.org", "organisation": "Verein"})
    assert response.status_code == 403
    assert outbox() == []


def test_admin_changes_a_role(client):
    admin = make_user("admin")
    resident = make_user("resident", name="Rudi Resident")
    login(client, admin)
    page = client.get("/verwaltung/nutzer")
    assert "Rudi Resident" in page.text
    response = post_form(client, f"/verwaltung/nutzer/{resident.id}/rolle", {"role": "moderator"})
    assert response.status_code == 303
    assert 'value="moderator" selected' in client.get("/verwaltung/nutzer?q=Rudi").text


def test_non_admin_cannot_change_roles(client):
    lead = make_user("lead")
    other = make_user("resident")
    login(client, lead)
    assert post_form(client, f"/verwaltung/nutzer/{other.id}/rolle", {"role": "admin"}).status_code == 403


def test_my_data_download_and_account_deletion(client):
    user = make_user("resident", email="weg@example.org", name="Wilma")
    login(client, user)
    download = client.get("/konto/daten.json")
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    data = json.loads(download.text)
    assert data["account"]["email"] == "weg@example.org"
    assert data["account"]["display_name"] == "Wilma"

    refused = post_form(client, "/konto/loeschen", {"password": "falsches-passwort", "confirm": "ja"})
    assert refused.status_code == 422 and "Passwort ist falsch" in refused.text
    unconfirmed = post_form(client, "/konto/loeschen", {"password": PASSWORD})
    assert unconfirmed.status_code == 422

    deleted = post_form(client, "/konto/loeschen", {"password": PASSWORD, "confirm": "ja"})
    assert deleted.status_code == 303
    assert client.get("/konto", follow_redirects=False).status_code == 303
    client.cookies.clear()
    again = post_form(client, "/anmelden", {"email": "weg@example.org", "password": PASSWORD})
    assert again.status_code == 400


def test_notification_settings_are_saved(client):
    user = make_user("expert")
    login(client, user)
    post_form(client, "/konto/benachrichtigungen", {"notify_versions": "1"})
    page = client.get("/konto").text
    assert 'name="notify_replies" value="1" checked' not in page
    assert 'name="notify_versions" value="1" checked' in page
