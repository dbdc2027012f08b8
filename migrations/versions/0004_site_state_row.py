"""The single row of site_state (the content generation used by the page cache).

Revision ID: 0004
Revises: 0003
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("INSERT INTO site_state (id, generation) VALUES (1, 0)")


def downgrade() -> None:
    op.execute("DELETE FROM site_state WHERE id = 1")
