"""The app without its page cache (every request renders), and a counter of the SQL statements one request sends:
shared by the section page's benchmark and its query-count test."""

import contextlib
import os
from collections.abc import Iterator

from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.settings import get_settings


@contextlib.contextmanager
def uncached_client() -> Iterator[TestClient]:
    """A TestClient on an app made with QW_PAGE_CACHE=false (the settings are restored afterwards)."""
    from app.main import create_app

    previous = os.environ.get("QW_PAGE_CACHE")
    os.environ["QW_PAGE_CACHE"] = "false"
    get_settings.cache_clear()
    try:
        app = create_app()
    finally:
        if previous is None:
            os.environ.pop("QW_PAGE_CACHE")
        else:
            os.environ["QW_PAGE_CACHE"] = previous
        get_settings.cache_clear()
    with TestClient(app, base_url="http://testserver") as client:
        yield client


@contextlib.contextmanager
def statements() -> Iterator[list[str]]:
    """Every statement sent to a database meanwhile (BEGIN included, where the driver is sent one)."""
    sent: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        sent.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(Engine, "before_cursor_execute", record)
