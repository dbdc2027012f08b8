"""Login finds an account under every spelling registration accepts for the same address (IDN and Unicode
normalisation), over the API and the login form."""

import unicodedata

import pytest

from tests.helpers import CONSENT, PASSWORD, csrf, link_in, make_user, outbox, post_form

DECOMPOSED = unicodedata.normalize("NFD", "müller@example.org")


@pytest.mark.parametrize("registered,typed", [
    ("idn@bücher.example", "idn@bücher.example"),
    ("idn@bücher.example", "idn@xn--bcher-kva.example"),
    ("idn@xn--bcher-kva.example", "idn@bücher.example"),
    ("idn@bücher.example", "IDN@BÜCHER.example"),
    ("müller@example.org", DECOMPOSED),
    (DECOMPOSED, "müller@example.org"),
    (DECOMPOSED, DECOMPOSED),
])
def test_login_normalises_like_registration(client, registered, typed):
    make_user("resident", email=registered)
    token = client.post("/api/v1/tokens", json={"email": typed, "password": PASSWORD})
    assert token.status_code == 201, token.text
    csrf(client)
    page = post_form(client, "/anmelden", {"email": typed, "password": PASSWORD})
    assert page.status_code == 303, page.text[:300]


def test_self_registration_with_a_decomposed_umlaut_then_login(client):
    r = client.post("/api/v1/register", json={"email": DECOMPOSED, "display_name": "Maria Müller",
                                              "password": PASSWORD, **CONSENT})
    assert r.status_code == 202, r.text
    mail = outbox()[-1]
    assert client.get(link_in(mail.body, "/konto/bestaetigen/")).status_code in (200, 303)
    for typed in (DECOMPOSED, "müller@example.org", "Müller@Example.org"):
        assert client.post("/api/v1/tokens", json={"email": typed, "password": PASSWORD}).status_code == 201
