"""Full-text search of ideas: an FTS5 table kept in sync by triggers (SQLite) or a GIN index (PostgreSQL).

Revision ID: 0003
Revises: 0002

These objects are not in the models; a drift check ignores them (app/ideas/search.py DRIFT_IGNORE_*).
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UP = [
    # External-content FTS5 table: the text lives once, in `idea`; remove_diacritics folds ä/ö/ü for matching.
    "CREATE VIRTUAL TABLE idea_fts USING fts5(title, body, content='idea', content_rowid='id', "
    "tokenize=\"unicode61 remove_diacritics 2\")",
    "CREATE TRIGGER idea_fts_ai AFTER INSERT ON idea BEGIN "
    "INSERT INTO idea_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER idea_fts_ad AFTER DELETE ON idea BEGIN "
    "INSERT INTO idea_fts(idea_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER idea_fts_au AFTER UPDATE OF title, body ON idea BEGIN "
    "INSERT INTO idea_fts(idea_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO idea_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "INSERT INTO idea_fts(idea_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS idea_fts_au",
    "DROP TRIGGER IF EXISTS idea_fts_ad",
    "DROP TRIGGER IF EXISTS idea_fts_ai",
    "DROP TABLE IF EXISTS idea_fts",
]
PG_UP = ["CREATE INDEX ix_idea_search ON idea USING gin (to_tsvector('german', title || ' ' || body))"]
PG_DOWN = ["DROP INDEX IF EXISTS ix_idea_search"]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_UP)
    elif dialect == "postgresql":
        _run(PG_UP)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DOWN)
    elif dialect == "postgresql":
        _run(PG_DOWN)
