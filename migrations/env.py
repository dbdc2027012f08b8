"""Alembic environment. Migrations import no app code: the URL is given by app/migrate.py (or QW_DATABASE_URL);
the models are loaded only for `alembic revision --autogenerate`, to draft a new revision to review by hand."""

import os

from alembic import context
from sqlalchemy import TypeDecorator, create_engine

config = context.config


def _url() -> str:
    url = config.attributes.get("url") or os.environ.get("QW_DATABASE_URL")
    if not url:
        raise SystemExit("no database URL: run `python -m app migrate`, or set QW_DATABASE_URL")
    return url


AUTOGENERATE = getattr(config.cmd_opts, "autogenerate", False)
HAND_WRITTEN = ("idea_fts", "ix_idea_search")  # full-text search objects of 0003, not in the models


def _target_metadata():
    if AUTOGENERATE:
        from app.models import metadata  # drafting a revision only, never while migrating

        return metadata
    return None


def _include_object(obj, name, type_, reflected, compare_to) -> bool:
    return not (name and name.startswith(HAND_WRITTEN))


def _render_item(type_, obj, autogen_context):
    """Draft plain SQLAlchemy types (UTCDateTime, AutoString: their impl), so the revision imports no app code."""
    if type_ != "type":
        return False
    if isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl_instance!r}"
    return False


OPTIONS = {"render_as_batch": True, "compare_type": True, "include_object": _include_object,
           "render_item": _render_item}


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=_target_metadata(), literal_binds=True, **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(_url())
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=_target_metadata(), **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
