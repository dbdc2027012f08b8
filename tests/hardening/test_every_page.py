"""Security headers and the strict CSP on every page type, with no inline script, as visitor and as each role.

The GET page routes are taken from the app itself, filled with ids from the demo data (app/demo/seed.py) and
a section with a comment, so a new page is checked without anyone adding it here.
"""

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app import db
from app.demo import seed as demo
from tests.discussion import factories
from tests.hardening.routes import all_routes
from tests.helpers import api_token, login, make_user

SKIP = {"/healthz"}


def _first(sql: str):
    with db.get_engine().connect() as conn:
        return conn.execute(text(sql)).scalar()


def _samples(section_id: int) -> dict[str, str]:
    quarter = _first("SELECT q.slug FROM quarter q JOIN district d ON d.id = q.district_id WHERE d.slug = 'mitte' "
                     "ORDER BY q.id")
    return {
        "section_id": str(section_id), "number": "1", "slug": _first("SELECT slug FROM document ORDER BY id"),
        "idea_id": str(_first("SELECT min(id) FROM idea") or 1),
        "comment_id": str(_first("SELECT min(id) FROM comment")),
        "round_id": str(_first("SELECT min(id) FROM round")),
        "edition_id": str(_first("SELECT min(id) FROM edition") or 1),
        "district_slug": "mitte", "quarter_slug": quarter, "token": "kein-gueltiges-token", "user_id": "1",
    }


@pytest.fixture
def pages(asgi_app) -> list[str]:
    lead = make_user("lead", name="Lena Leitung")
    section_id = factories.section(lead)
    factories.round_([section_id], audience="public", actor=lead)
    with db.new_session(writer=True) as s:
        demo.seed(s)
    with TestClient(asgi_app) as c:
        answer = c.post(f"/api/v1/sections/{section_id}/comments", json={"body": "Ein **Beitrag**."},
                        headers=api_token(c, make_user("expert")))
        assert answer.status_code == 201, answer.text
    samples = _samples(section_id)
    paths = []
    for template, route in all_routes(asgi_app.routes):
        if "GET" not in route.methods or template.startswith("/api/") or template in SKIP:
            continue
        path = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: samples.get(m.group(1), "1"), template)
        paths.append(path)
    assert len(paths) >= 20, paths
    return paths


def _check(response, path: str) -> None:
    csp = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'self'" in csp, path
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, path
    assert response.headers.get("x-content-type-options") == "nosniff", path
    assert response.headers.get("referrer-policy") == "same-origin", path
    assert response.headers.get("x-frame-options") == "DENY", path
    assert response.status_code < 500, (path, response.status_code)
    if response.headers.get("content-type", "").startswith("text/html"):
        html = response.text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"inline script on {path}"
        assert not re.search(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", html), f"event handler attribute on {path}"
        assert not re.search(r"<[a-zA-Z][^>]*\sstyle\s*=", html), f"style attribute on {path}"
        assert "javascript:" not in html, path


@pytest.mark.parametrize("role", [None, "resident", "expert", "lead", "moderator", "admin"])
def test_every_page_has_security_headers_and_no_inline_script(asgi_app, pages, role):
    with TestClient(asgi_app, raise_server_exceptions=False) as c:
        if role:
            login(c, make_user(role))
        checked = 0
        for path in pages:
            response = c.get(path, follow_redirects=False)
            _check(response, path)
            checked += response.status_code == 200
        assert checked >= 10, f"only {checked} pages answered 200 for {role}"
        for path in ("/gibt-es-nicht", "/static/css/base.css", "/api/v1/gibt-es-nicht"):
            _check(c.get(path), path)
