"""Run Alembic migrations from code (CLI, app start in Docker, tests)."""

from dataclasses import dataclass

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from app.settings import ROOT, get_settings


@dataclass(frozen=True)
class Upgrade:
    """What an upgrade did: the schema revision before (None: an empty database) and after, and the steps run."""

    before: str | None
    after: str | None
    steps: int


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = url or get_settings().database_url
    return config


def current_revision(url: str | None = None) -> str | None:
    """The database's schema revision; None when no migration has run on it yet."""
    engine = create_engine(url or get_settings().database_url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def upgrade(url: str | None = None, revision: str = "head") -> Upgrade:
    url = url or get_settings().database_url
    if url.startswith("sqlite:///"):
        (ROOT / "var").mkdir(exist_ok=True)
    config = alembic_config(url)
    before = current_revision(url)
    command.upgrade(config, revision)
    after = current_revision(url)
    script = ScriptDirectory.from_config(config)
    steps = 0 if after == before else len(list(script.iterate_revisions(after, before or "base")))
    return Upgrade(before=before, after=after, steps=steps)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)
