"""Run Alembic migrations from code (CLI, app start in Docker, tests)."""

from alembic import command
from alembic.config import Config

from app.settings import ROOT, get_settings


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = url or get_settings().database_url
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    url = url or get_settings().database_url
    if url.startswith("sqlite:///"):
        (ROOT / "var").mkdir(exist_ok=True)
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)
