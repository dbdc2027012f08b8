"""A contribution recorded from a Werkstatt points at the event (issue 17): comment.event_id and idea.event_id.

The source "werkstatt" was a free-text label; now the recorder chooses the Werkstatt of the round and the
contribution keeps a reference to it (nullable: letters, calls, stands and older records have none).

Revision ID: 0014
Revises: 0013
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("comment", "idea")
SQLITE_FTS = [  # the full-text triggers of 0003, made anew after the idea table is rebuilt (downgrade)
    "DROP TRIGGER IF EXISTS idea_fts_ai",
    "DROP TRIGGER IF EXISTS idea_fts_ad",
    "DROP TRIGGER IF EXISTS idea_fts_au",
    "CREATE TRIGGER idea_fts_ai AFTER INSERT ON idea BEGIN "
    "INSERT INTO idea_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER idea_fts_ad AFTER DELETE ON idea BEGIN "
    "INSERT INTO idea_fts(idea_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER idea_fts_au AFTER UPDATE OF title, body ON idea BEGIN "
    "INSERT INTO idea_fts(idea_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO idea_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "INSERT INTO idea_fts(idea_fts) VALUES ('rebuild')",
]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in TABLES:
        # Plain ALTER TABLE ADD COLUMN (no batch rebuild: the idea table carries the full-text triggers of 0003).
        op.add_column(table, sa.Column(
            "event_id", sa.Integer(), sa.ForeignKey("event.id", name=f"fk_{table}_event_id_event"), nullable=True),
            inline_references=sqlite)
        op.create_index(op.f(f"ix_{table}_event_id"), table, ["event_id"], unique=False)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in TABLES:
        op.drop_index(op.f(f"ix_{table}_event_id"), table_name=table)
        if sqlite:
            with op.batch_alter_table(table, recreate="always") as batch:
                batch.drop_column("event_id")
        else:
            op.drop_constraint(f"fk_{table}_event_id_event", table, type_="foreignkey")
            op.drop_column(table, "event_id")
    if sqlite:
        for statement in SQLITE_FTS:
            op.execute(statement)
