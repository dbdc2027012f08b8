"""Test set-up: one migrated database per run (SQLite file, or PostgreSQL by QW_TEST_DATABASE_URL).

Every test starts from empty tables (reference data kept) and drives the app over HTTP.
"""

import os
import re
import tempfile
from pathlib import Path

_tmp = Path(tempfile.mkdtemp(prefix="qw-test-"))
TEST_DB_URL = os.environ.get("QW_TEST_DATABASE_URL") or f"sqlite:///{_tmp / 'test.db'}"
os.environ["QW_DATABASE_URL"] = TEST_DB_URL
os.environ["QW_ENVIRONMENT"] = "test"
os.environ["QW_BASE_URL"] = "http://testserver"
# Cached pages are current on every request in the suite; tests of the staleness bound set their own.
os.environ["QW_PAGE_CACHE_STALE_SECONDS"] = "0"
# Each test's app starts (TestClient runs its lifespan) in this one process: the collector stays as Python sets
# it here (tests/test_heap.py starts one with the worker's setting); uvicorn workers it starts have the default.
os.environ["QW_GC_YOUNG_THRESHOLD"] = "0"

import pytest  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlmodel import select  # noqa: E402

from app import cache, db, migrate  # noqa: E402
from app.models import metadata  # noqa: E402

pytest_plugins = ["tests.browser.fixtures"]  # Playwright, the live server and axe-core, shared by all modules

KEEP = {"district", "quarter", "cache_key"}
PASSWORD = "richtig-langes-passwort"
# The consent fields registration and invitation acceptance require (app/legal).
CONSENT = {"accept_terms": True, "acknowledge_privacy": True}
IS_POSTGRES = TEST_DB_URL.startswith("postgresql")


def _reset_postgres_schema() -> None:
    engine = create_engine(TEST_DB_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def database():
    if IS_POSTGRES:
        _reset_postgres_schema()
    migrate.upgrade(TEST_DB_URL)
    yield TEST_DB_URL
    db.reset_engines()


def _truncate() -> None:
    tables = [t for t in reversed(metadata.sorted_tables) if t.name not in KEEP]
    engine = db.get_engine(writer=True)
    with engine.begin() as conn:
        if IS_POSTGRES:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for t in tables:
                conn.execute(t.delete())
        cache.end_every_page(conn)  # cached pages are stale now


@pytest.fixture(autouse=True)
def clean_tables(database):
    yield
    _truncate()


@pytest.fixture(scope="session")
def asgi_app():
    from app.main import create_app

    return create_app()


@pytest.fixture
def client(asgi_app):
    with TestClient(asgi_app, base_url="http://testserver") as c:
        yield c


@pytest.fixture
def session():
    with db.new_session(writer=True) as s:
        yield s


# --- helpers: people, logins, forms -------------------------------------------------------------

def make_user(role: str = "resident", *, email: str | None = None, name: str | None = None,
              organisation: str | None = None, password: str = PASSWORD):
    """Create a confirmed account directly through the service (as an admin would)."""
    from app.accounts import service
    from app.accounts.schemas import UserCreate

    email = email or f"{role}{os.urandom(3).hex()}@example.org"
    data = UserCreate(email=email, display_name=name or f"{role.title()} Test", role=role,
                      organisation=organisation or ("Stadtteilhaus Test e.V." if role == "expert" else None),
                      password=password)
    with db.new_session(writer=True) as s:
        return service.create_user(s, actor=None, data=data)


def csrf(client: TestClient, path: str = "/") -> str:
    """The CSRF token a browser would have after visiting a page."""
    if not client.cookies.get("qw_csrf"):
        client.get(path)
    return client.cookies.get("qw_csrf")


def post_form(client: TestClient, path: str, data: dict | None = None, **kwargs):
    """Submit a form as a browser does: with the CSRF field, without following the redirect."""
    payload = {"csrf_token": csrf(client), **(data or {})}
    return client.post(path, data=payload, follow_redirects=kwargs.pop("follow_redirects", False), **kwargs)


def login(client: TestClient, user, password: str = PASSWORD):
    response = post_form(client, "/anmelden", {"email": user.email, "password": password})
    assert response.status_code == 303, response.text
    return response


def api_token(client: TestClient, user, password: str = PASSWORD) -> dict:
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": password})
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def outbox(to: str | None = None) -> list:
    from app.notifications.models import OutboxMessage

    with db.new_session() as s:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if to:
            query = query.where(OutboxMessage.to_email == to)
        return list(s.exec(query).all())


def link_in(body: str, path_prefix: str) -> str:
    match = re.search(re.escape(path_prefix) + r"[A-Za-z0-9_\-]+", body)
    assert match, f"no link {path_prefix} in {body!r}"
    return match.group(0)
