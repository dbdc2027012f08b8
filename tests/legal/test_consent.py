"""Consent over HTTP: registration and invitation acceptance (pages and API) require confirming the
Nutzungsbedingungen and taking note of the Datenschutzerklärung; the versions are stored with the account and
time; after a new version that asks again, login (page and API) asks again, and refusal keeps the person out."""

from sqlmodel import select

from app import db
from app.legal.models import Consent
from tests.helpers import CONSENT, PASSWORD, api_token, link_in, login, make_user, outbox, post_form


def _consents(user_id: int) -> list[tuple[int, int, str]]:
    with db.new_session() as s:
        return [(c.terms_version, c.privacy_version, c.occasion)
                for c in s.exec(select(Consent).where(Consent.user_id == user_id).order_by(Consent.id)).all()]


def _user_id(email: str) -> int:
    from app.accounts.models import User

    with db.new_session() as s:
        return s.exec(select(User.id).where(User.email == email)).one()


def _publish(client, slug: str, body: str, *, renew: bool) -> None:
    admin = make_user("admin")
    client.cookies.clear()
    login(client, admin)
    base = client.get(f"/verwaltung/seiten/{slug}").text.split('name="base_version" value="')[1].split('"')[0]
    data = {"body": body, "base_version": base, **({"renews_consent": "1"} if renew else {})}
    assert post_form(client, f"/verwaltung/seiten/{slug}", data).status_code == 303
    client.cookies.clear()


def _register(client, email: str) -> None:
    answer = post_form(client, "/registrieren", {"email": email, "display_name": "Nina Neu", "password": PASSWORD,
                                                 **CONSENT})
    assert answer.status_code == 200, answer.text
    client.get(link_in(outbox(email)[-1].body, "/konto/bestaetigen/"))


def test_registration_requires_both_confirmations_and_stores_the_versions(client):
    form = client.get("/registrieren").text
    assert 'name="accept_terms"' in form and 'name="acknowledge_privacy"' in form
    assert 'href="/nutzungsbedingungen"' in form and 'href="/datenschutz"' in form
    refused = post_form(client, "/registrieren", {"email": "nina@example.org", "display_name": "Nina Neu",
                                                  "password": PASSWORD, "accept_terms": "1"})
    assert refused.status_code == 422 and 'id="f-acknowledge_privacy-error"' in refused.text
    assert 'id="f-accept_terms" name="accept_terms" value="1" required checked' in refused.text  # input kept
    assert outbox() == []
    api = client.post("/api/v1/register", json={"email": "nina@example.org", "display_name": "Nina Neu",
                                                "password": PASSWORD})
    assert api.status_code == 422
    assert {e["field"] for e in api.json()["errors"]} == {"accept_terms", "acknowledge_privacy"}
    assert outbox() == []

    _register(client, "nina@example.org")
    assert _consents(_user_id("nina@example.org")) == [(1, 1, "register")]
    api = client.post("/api/v1/register", json={"email": "nils@example.org", "display_name": "Nils Neu",
                                                "password": PASSWORD, **CONSENT})
    assert api.status_code == 202
    assert _consents(_user_id("nils@example.org")) == [(1, 1, "register")]
    spec = client.get("/openapi.json").json()["components"]["schemas"]
    assert "accept_terms" in spec["RegisterIn"]["properties"] and spec["RegisterIn"]["properties"][
        "accept_terms"]["description"]


def test_invitation_acceptance_requires_consent_on_the_page_and_in_the_api(client):
    lead = make_user("lead")
    headers = api_token(client, lead)
    first = client.post("/api/v1/invitations", headers=headers,
                        json={"email": "eva@traeger.example", "organisation": "Träger e.V."}).json()
    path = f"/einladung/{first['token']}"
    assert 'name="accept_terms"' in client.get(path).text
    refused = post_form(client, path, {"display_name": "Eva Expertin", "password": PASSWORD})
    assert refused.status_code == 422 and "Nutzungsbedingungen" in refused.text
    assert post_form(client, path, {"display_name": "Eva Expertin", "password": PASSWORD, **CONSENT}
                     ).status_code == 303
    assert _consents(_user_id("eva@traeger.example")) == [(1, 1, "invitation")]

    second = client.post("/api/v1/invitations", headers=headers,
                         json={"email": "otto@traeger.example", "organisation": "Träger e.V."}).json()
    url = f"/api/v1/invitations/{second['token']}/accept"
    refused = client.post(url, json={"display_name": "Otto", "password": PASSWORD, "accept_terms": True})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "acknowledge_privacy"
    assert client.post(url, json={"display_name": "Otto", "password": PASSWORD, **CONSENT}).status_code == 201
    assert _consents(_user_id("otto@traeger.example")) == [(1, 1, "invitation")]


def test_a_new_version_asks_again_at_login_and_refusal_keeps_the_person_out(client):
    _register(client, "nina@example.org")
    staff = make_user("expert")  # made by the administration before the new version, without a consent record
    user_id = _user_id("nina@example.org")
    _publish(client, "nutzungsbedingungen", "Neue Regeln: bitte freundlich bleiben.\n", renew=False)  # a typo fix
    assert post_form(client, "/anmelden", {"email": "nina@example.org", "password": PASSWORD}).status_code == 303
    client.cookies.clear()

    _publish(client, "nutzungsbedingungen", "Neue Regeln: bitte immer freundlich bleiben.\n", renew=True)
    asked = post_form(client, "/anmelden", {"email": "nina@example.org", "password": PASSWORD})
    assert asked.status_code == 403 and "qw_session" not in asked.cookies
    assert "Nutzungsbedingungen und Netiquette" in asked.text and 'name="accept_terms"' in asked.text
    assert "Zustimmen und anmelden" in asked.text
    api = client.post("/api/v1/tokens", json={"email": "nina@example.org", "password": PASSWORD})
    assert api.status_code == 403 and api.json()["errors"][0]["field"] == "accept_terms"

    declined = post_form(client, "/anmelden", {"email": "nina@example.org", "password": PASSWORD,
                                               "decline": "1", **CONSENT})
    assert declined.status_code == 200 and "bleiben abgemeldet" in declined.text and "qw_session" not in \
        declined.cookies
    assert client.get("/konto", follow_redirects=False).status_code in (303, 401)
    assert _consents(user_id) == [(1, 1, "register")]

    agreed = post_form(client, "/anmelden", {"email": "nina@example.org", "password": PASSWORD, **CONSENT})
    assert agreed.status_code == 303
    assert client.get("/konto").status_code == 200
    assert _consents(user_id) == [(1, 1, "register"), (3, 1, "login")]
    client.cookies.clear()
    login(client, type("U", (), {"email": "nina@example.org"})())  # asked once only

    # an account made by the administration before the new version is asked too; the API takes the fields
    assert client.post("/api/v1/tokens", json={"email": staff.email, "password": PASSWORD}).status_code == 403
    token = client.post("/api/v1/tokens", json={"email": staff.email, "password": PASSWORD, **CONSENT})
    assert token.status_code == 201
    assert _consents(staff.id) == [(3, 1, "login")]
    assert client.post("/api/v1/tokens", json={"email": staff.email, "password": PASSWORD}).status_code == 201

    # a new privacy text asks again as well; the export lists the consents; deleting the account erases them
    _publish(client, "datenschutz", "Neue Datenschutzerklärung.\n", renew=True)
    assert client.post("/api/v1/tokens", json={"email": staff.email, "password": PASSWORD}).status_code == 403
    headers = {"Authorization": "Bearer " + client.post("/api/v1/tokens", json={
        "email": staff.email, "password": PASSWORD, **CONSENT}).json()["token"]}
    exported = client.get("/api/v1/me/export", headers=headers).json()["consents"]
    assert [(c["terms_version"], c["privacy_version"]) for c in exported] == [(3, 1), (3, 2)]
    login(client, staff)
    assert post_form(client, "/konto/loeschen", {"password": PASSWORD, "confirm": "ja"}).status_code == 303
    assert _consents(staff.id) == []


def test_accounts_made_after_the_newest_version_are_not_asked(client):
    older = make_user("resident")
    _publish(client, "nutzungsbedingungen", "Fassung zwei.\n", renew=False)  # stores the default as version 1
    login(client, older)  # the default stored later is no new version: nobody is asked
    client.cookies.clear()
    _publish(client, "nutzungsbedingungen", "Fassung drei.\n", renew=True)
    login(client, make_user("resident"))
