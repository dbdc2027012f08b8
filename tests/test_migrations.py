"""Schema only through Alembic: an empty database upgrades to head, matches the models, downgrades to base."""

import tempfile
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from app import migrate
from app.models import metadata
from tests.conftest import IS_POSTGRES, TEST_DB_URL

SCHEMA = "qw_migration_check"
# Objects made by hand-written migrations that the models do not describe (full-text search).
IGNORED_PREFIXES = ("idea_fts", "ix_idea_search")


@pytest.fixture
def empty_database_url():
    if IS_POSTGRES:
        admin = create_engine(TEST_DB_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        sep = "&" if "?" in TEST_DB_URL else "?"
        yield f"{TEST_DB_URL}{sep}options=-csearch_path%3D{SCHEMA}"
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        admin.dispose()
    else:
        yield f"sqlite:///{Path(tempfile.mkdtemp()) / 'migrations.db'}"


def _include(obj, name, type_, reflected, compare_to):
    return not (type_ in ("table", "index") and name and name.startswith(IGNORED_PREFIXES))


def test_upgrade_to_head_matches_models_then_downgrade_to_base(empty_database_url):
    migrate.upgrade(empty_database_url)
    engine = create_engine(empty_database_url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": _include})
            diff = compare_metadata(ctx, metadata)
            assert diff == [], f"models and migrations drift apart: {diff}"
            assert conn.execute(text("SELECT count(*) FROM district")).scalar() == 23
            assert conn.execute(text("SELECT count(*) FROM quarter")).scalar() == 152
        migrate.downgrade(empty_database_url, "base")
        tables = set(inspect(engine).get_table_names())
        assert tables <= {"alembic_version"}, tables
    finally:
        engine.dispose()
