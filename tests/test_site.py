"""Site-wide promises: start page, language switch, security headers, size limits, errors, health."""

import pytest
from sqlalchemy import create_engine

from app import db
from tests.helpers import make_user, post_form

PAGES = ["/", "/anmelden", "/registrieren", "/quartiere", "/quartiere/mitte", "/datenschutz", "/gibt-es-nicht"]


def test_start_page_explains_and_links_in_german(client):
    page = client.get("/")
    assert page.status_code == 200
    assert '<html lang="de">' in page.text
    assert "Rahmenkonzeption soziale Quartiersentwicklung" in page.text
    for link in ('href="/konzeption"', 'href="/ideen"', 'href="/quartiere"'):
        assert link in page.text
    assert 'href="#inhalt"' in page.text  # skip link
    assert "<main" in page.text and "<nav" in page.text and "<footer" in page.text


def test_language_switch_to_english_and_back(client):
    english = client.get("/?lang=en")
    assert '<html lang="en">' in english.text
    assert "Skip to content" in english.text
    assert "qw_lang=en" in english.headers["set-cookie"]
    assert '<html lang="en">' in client.get("/quartiere").text  # the choice is remembered
    german = client.get("/?lang=de")
    assert '<html lang="de">' in german.text and "Zum Inhalt springen" in german.text


@pytest.mark.parametrize("path", PAGES + ["/api/v1/districts", "/healthz"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_script_or_handlers(client, path):
    import re

    html = client.get(path).text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert not re.search(r"\sstyle\s*=", html)


def test_oversized_bodies_get_413_and_store_nothing(client):
    big = "x" * 1_100_000
    api = client.post("/api/v1/register", content=big, headers={"Content-Type": "application/json"})
    assert api.status_code == 413
    assert api.headers["content-type"].startswith("application/problem+json")
    page = post_form(client, "/registrieren", {"email": "a@example.org", "display_name": big, "password": big})
    assert page.status_code == 413


def test_unknown_page_is_friendly_and_unknown_api_path_is_problem(client):
    page = client.get("/gibt-es-nicht")
    assert page.status_code == 404 and "Diese Seite gibt es nicht" in page.text and "<main" in page.text
    api = client.get("/api/v1/gibt-es-nicht")
    assert api.status_code == 404 and api.json()["status"] == 404


def test_odd_input_never_breaks_a_page(client):
    for data in ({"email": "a\x00b@example.org", "display_name": "Nul\x00l", "password": "x" * 12},
                 {"email": "ä" * 300, "display_name": "<script>alert(1)</script>", "password": "€" * 300}):
        response = post_form(client, "/registrieren", data)
        assert response.status_code == 422
        assert "<script>alert(1)</script>" not in response.text
    raw = client.post("/anmelden", content=b"email=%FF%FE&password=\xff\xfe&csrf_token=" +
                      client.cookies.get("qw_csrf").encode(),
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert raw.status_code in (400, 403, 422)


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_unreachable_database_gives_503_and_recovers(client, monkeypatch):
    user = make_user("resident")
    dead = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/none", pool_pre_ping=False,
                         connect_args={"connect_timeout": 1})
    saved = dict(db._engines)
    monkeypatch.setattr(db, "_engines", {False: dead, True: dead, "health": dead})
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json()["database"] == "unreachable"
    page = client.get("/quartiere")
    assert page.status_code == 503 and "nicht erreichbar" in page.text
    api = client.get("/api/v1/districts")
    assert api.status_code == 503 and api.json()["status"] == 503
    monkeypatch.setattr(db, "_engines", saved)
    assert client.get("/healthz").status_code == 200
    assert client.post("/api/v1/tokens", json={"email": user.email, "password": "richtig-langes-passwort"}
                       ).status_code == 201


def test_openapi_and_interactive_docs(client):
    spec = client.get("/openapi.json").json()
    assert "/api/v1/districts" in spec["paths"] and "/api/v1/tokens" in spec["paths"]
    docs = client.get("/docs")  # the accessible reference: every path of the spec, as plain headings
    assert docs.status_code == 200 and "<script" not in docs.text.split("</head>")[1]
    for path, operations in spec["paths"].items():
        for method in operations:
            assert f"<code>{method.upper()} {path}</code>" in docs.text, (method, path)
    assert 'href="/docs/interaktiv"' in docs.text
    interactive = client.get("/docs/interaktiv")
    assert interactive.status_code == 200 and "/static/js/api-docs.js" in interactive.text


def test_flash_message_from_the_cookie_is_text_never_markup(client):
    client.cookies.set("qw_flash", "%3Cscript%3Ealert(1)%3C%2Fscript%3E%20100%25")
    page = client.get("/")
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 100%" in page.text
