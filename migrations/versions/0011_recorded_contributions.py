"""Contributions recorded from outside the platform (Werkstatt, Brief, E-Mail, Telefon, Infostand) and the role
"Moderation vor Ort" (facilitator) that records them.

Comments and ideas get the source, its label, the day, the author as given and who recorded it. The role check
of user_account admits "facilitator" (SQLite: the table is rebuilt by Alembic's batch mode; no triggers on it).

Revision ID: 0011
Revises: 0010
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ROLES = "role IN ('admin', 'lead', 'moderator', 'expert', 'resident')"
NEW_ROLES = "role IN ('admin', 'lead', 'moderator', 'expert', 'resident', 'facilitator')"
TABLES = ("comment", "idea")
SQLITE_FTS = [  # the full-text triggers of 0003, made anew after the idea table is rebuilt
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


def _roles(check: str) -> None:
    # SQLite: batch mode does not reflect CHECK constraints, so the rebuilt table gets only the one made here.
    with op.batch_alter_table("user_account", recreate="always") as batch:
        batch.create_check_constraint(op.f("ck_user_account_role"), check)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in TABLES:
        # Plain ALTER TABLE ADD COLUMN (no batch rebuild: the idea table carries the full-text triggers of 0003).
        op.add_column(table, sa.Column("source", sa.String(length=16), nullable=True))
        op.add_column(table, sa.Column("source_label", sa.String(length=160), nullable=True))
        op.add_column(table, sa.Column("source_date", sa.Date(), nullable=True))
        op.add_column(table, sa.Column("given_author", sa.String(length=160), nullable=True))
        op.add_column(table, sa.Column(
            "recorded_by_id", sa.Integer(),
            sa.ForeignKey("user_account.id", name=f"fk_{table}_recorded_by_id_user_account"), nullable=True),
            inline_references=sqlite)
    if sqlite:
        _roles(NEW_ROLES)
    else:
        op.drop_constraint("ck_user_account_role", "user_account", type_="check")
        op.create_check_constraint("ck_user_account_role", "user_account", NEW_ROLES)


def downgrade() -> None:
    op.execute("UPDATE user_account SET role = 'resident' WHERE role = 'facilitator'")
    if op.get_bind().dialect.name == "sqlite":
        _roles(OLD_ROLES)
        for table in TABLES:
            # Rebuilt: a later rebuild of the table (0013 on idea, for instance) turns the column's REFERENCES into a
            # table constraint, which SQLite's DROP COLUMN refuses; batch mode keeps the other constraints.
            with op.batch_alter_table(table, recreate="always") as batch:
                for column in ("recorded_by_id", "given_author", "source_date", "source_label", "source"):
                    batch.drop_column(column)
        for statement in SQLITE_FTS:  # the rebuild dropped the idea table's full-text triggers (0003)
            op.execute(statement)
    else:
        op.drop_constraint("ck_user_account_role", "user_account", type_="check")
        op.create_check_constraint("ck_user_account_role", "user_account", OLD_ROLES)
        for table in TABLES:
            op.drop_constraint(f"fk_{table}_recorded_by_id_user_account", table, type_="foreignkey")
            for column in ("recorded_by_id", "given_author", "source_date", "source_label", "source"):
                op.drop_column(table, column)
