"""Rate-limit events: one index on (key, created_at) serves the check; the index on key alone goes.

The check counts one key's events inside a time window; the composite index answers that with a range scan.
created_at keeps its own index for pruning old events (the app deletes them as it runs).

Revision ID: 0006
Revises: 0005
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_rate_limit_event_key_created_at", "rate_limit_event", ["key", "created_at"], unique=False)
    op.drop_index("ix_rate_limit_event_key", table_name="rate_limit_event")


def downgrade() -> None:
    op.create_index("ix_rate_limit_event_key", "rate_limit_event", ["key"], unique=False)
    op.drop_index("ix_rate_limit_event_key_created_at", table_name="rate_limit_event")
