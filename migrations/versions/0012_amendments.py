"""Änderungsvorschläge (issue 16): a comment may carry proposed wording for its paragraph.

`amendment` ("replace" or "after"; NULL for ordinary comments), the proposed text, the paragraph text it was made
against, and when the lead took it into the draft. Nullable columns only: existing rows stay ordinary comments.

Revision ID: 0012
Revises: 0011
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("comment", sa.Column("amendment", sa.String(length=8), nullable=True))
    op.add_column("comment", sa.Column("proposed_text", sa.Text(), nullable=True))
    op.add_column("comment", sa.Column("base_text", sa.Text(), nullable=True))
    op.add_column("comment", sa.Column("adopted_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    # recreate="never": plain DROP COLUMN, so the table keeps its other columns' foreign keys as they were created
    with op.batch_alter_table("comment", recreate="never") as batch:
        batch.drop_column("adopted_at")
        batch.drop_column("base_text")
        batch.drop_column("proposed_text")
        batch.drop_column("amendment")
