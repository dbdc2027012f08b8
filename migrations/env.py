"""Alembic environment. Migrations import no app code: the URL is given by app/migrate.py (or QW_DATABASE_URL);
the models are loaded only for `alembic revision --autogenerate`, to draft a new revision to review by hand."""

import os

from alembic import context
from sqlalchemy import create_engine

config = context.config


def _url() -> str:
    url = config.attributes.get("url") or os.environ.get("QW_DATABASE_URL")
    if not url:
        raise SystemExit("no database URL: run `python -m app migrate`, or set QW_DATABASE_URL")
    return url


def _target_metadata():
    if getattr(config.cmd_opts, "autogenerate", False):
        from app.models import metadata  # drafting a revision only, never while migrating

        return metadata
    return None


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=_target_metadata(), literal_binds=True,
                      render_as_batch=True, compare_type=True)
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
    context.configure(connection=connection, target_metadata=_target_metadata(), render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
