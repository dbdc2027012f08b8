"""Schema only through Alembic: an empty database upgrades to head, matches the models, downgrades to base.

Released revisions (migrations/releases.toml) are never edited, history is one line on top of the last release,
and no revision imports app code or reads a file. The upgrade of a filled release: hardening/test_migration_data.py.
"""

import ast
import hashlib
import tempfile
import tomllib
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from app import migrate
from app.ideas import search
from app.models import metadata
from app.quartiere.reference import districts
from tests.conftest import IS_POSTGRES, TEST_DB_URL

MIGRATIONS = Path(migrate.ROOT) / "migrations"
RELEASES = tomllib.loads((MIGRATIONS / "releases.toml").read_text(encoding="utf-8"))["release"]
# What a revision may import: Alembic, SQLAlchemy and typing helpers of the standard library. Nothing of the app,
# whose models move on, and nothing that reads files at run time.
ALLOWED_IMPORTS = {"alembic", "sqlalchemy", "collections", "typing", "__future__", "datetime"}

SCHEMA = "qw_migration_check"
# Objects made by hand-written migrations that the models do not describe (full-text search).
IGNORED = search.DRIFT_IGNORE_TABLES | search.DRIFT_IGNORE_INDEXES


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
    return not (type_ in ("table", "index") and name in IGNORED)


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


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))


def _checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()


def test_released_revisions_are_never_edited():
    scripts = _scripts()
    released: dict[str, str] = {}
    for release in RELEASES:
        released |= release["revisions"]
        chain = [Path(r.path).name for r in scripts.walk_revisions("base", release["head"])]
        # The release is exactly the listed files: nothing was inserted below its head later.
        assert sorted(chain) == sorted(released), f"release {release['number']}: {sorted(chain)}"
    for name, checksum in released.items():
        assert _checksum(MIGRATIONS / "versions" / name) == checksum, (
            f"{name} belongs to a release and must not change: add a new revision instead")


def test_history_is_one_line_on_top_of_the_last_release():
    scripts = _scripts()
    assert len(scripts.get_heads()) == 1, f"branched history: {scripts.get_heads()}"
    ancestors = {r.revision for r in scripts.walk_revisions("base", scripts.get_current_head())}
    assert RELEASES[-1]["head"] in ancestors
    for script in scripts.walk_revisions():
        assert not script.is_merge_point and not script.dependencies, script.revision


@pytest.mark.parametrize("path", sorted((MIGRATIONS / "versions").glob("*.py")), ids=lambda p: p.name)
def test_revisions_import_no_app_code_and_read_no_files(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots = {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            roots = {(node.module or "").split(".")[0]} if node.level == 0 else {"<relative>"}
        else:
            roots = set()
        assert roots <= ALLOWED_IMPORTS, f"{path.name} line {node.lineno} imports {roots - ALLOWED_IMPORTS}"
        if isinstance(node, ast.Name):
            assert node.id not in {"open", "__file__", "__import__", "exec", "eval"}, (
                f"{path.name} line {node.lineno}: {node.id}")


def test_reference_data_of_the_migration_equals_the_reference_files(empty_database_url):
    migrate.upgrade(empty_database_url, "0002")
    engine = create_engine(empty_database_url)
    try:
        with engine.connect() as conn:
            stored_districts = {tuple(r) for r in conn.execute(text(
                "SELECT id, number, name, slug, tile_col, tile_row FROM district"))}
            stored_quarters = {tuple(r) for r in conn.execute(text(
                "SELECT id, number, name, slug, district_id FROM quarter"))}
    finally:
        engine.dispose()
    data = districts()
    assert stored_districts == {(d["number"], d["number"], d["name"], d["slug"], d["tile_col"], d["tile_row"])
                                for d in data}
    assert stored_quarters == {(q["number"], q["number"], q["name"], q["slug"], d["number"])
                               for d in data for q in d["quarters"]}


def test_migrate_command_says_what_it_did(empty_database_url, monkeypatch):
    from typer.testing import CliRunner

    from app.cli import cli
    from app.settings import get_settings

    monkeypatch.setattr(get_settings(), "database_url", empty_database_url)
    first = CliRunner().invoke(cli, ["migrate"])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("Datenbank angelegt: ") and "Migrationen ausgeführt" in first.output
    assert "neuesten Stand" not in first.output
    second = CliRunner().invoke(cli, ["migrate"])
    assert second.exit_code == 0 and second.output.startswith("Datenbank ist auf dem neuesten Stand")
    migrate.downgrade(empty_database_url, "-1")
    third = CliRunner().invoke(cli, ["migrate"])
    assert third.output.startswith("Datenbank aktualisiert: 1 Migration ausgeführt"), third.output
