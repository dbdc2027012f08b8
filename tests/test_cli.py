"""The command line: create-admin, seed-demo (idempotent), migrate; and the SQLite pragmas."""

import pytest
from sqlalchemy import text
from sqlmodel import func, select
from typer.testing import CliRunner

from app import db
from app.accounts.models import User
from app.cli import cli
from tests.conftest import IS_POSTGRES


def test_create_admin_then_login(client):
    result = CliRunner().invoke(cli, ["create-admin", "--email", "chefin@example.org", "--name", "Chefin",
                                      "--password", "sehr-geheimes-passwort"])
    assert result.exit_code == 0, result.output
    response = client.post("/api/v1/tokens", json={"email": "chefin@example.org", "password": "sehr-geheimes-passwort"})
    assert response.status_code == 201 and response.json()["user"]["role"] == "admin"


def test_create_admin_rejects_bad_input():
    result = CliRunner().invoke(cli, ["create-admin", "--email", "kaputt", "--password", "kurz"])
    assert result.exit_code == 2
    assert "gültige E-Mail-Adresse" in result.output
    with db.new_session() as s:
        assert s.exec(select(func.count()).select_from(User)).one() == 0


def test_seed_demo_is_idempotent():
    runner = CliRunner()
    first = runner.invoke(cli, ["seed-demo"])
    assert first.exit_code == 0, first.output
    with db.new_session() as s:
        users = s.exec(select(func.count()).select_from(User)).one()
    second = runner.invoke(cli, ["seed-demo"])
    assert second.exit_code == 0 and "schon vorhanden" in second.output
    with db.new_session() as s:
        assert s.exec(select(func.count()).select_from(User)).one() == users >= 20


def test_sqlite_runs_with_wal_and_foreign_keys():
    if IS_POSTGRES:
        pytest.skip("SQLite only")
    with db.get_engine().connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.execute(text("SELECT 1")).scalar() == 1


def test_production_needs_no_secret_key(monkeypatch):
    """Nothing is signed (sessions and links are random tokens stored as hashes), so there is no secret to set."""
    from app.settings import Settings

    monkeypatch.delenv("QW_SECRET_KEY", raising=False)
    settings = Settings(environment="production", _env_file=None)
    assert settings.environment == "production" and not hasattr(settings, "secret_key")
