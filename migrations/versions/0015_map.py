"""The map: covering indexes for its counts and points; an event's venue as a point.

- idea (quarter_id, hidden_at, withdrawn_at): the counts per Stadtteil of every map, read from the index alone;
- idea (lat, lon, hidden_at, withdrawn_at, id): the grouped points of the maps, likewise;
- event.lat, event.lon: where the Werkstatt takes place (optional; both or neither, checked by the service).

Revision ID: 0015
Revises: 0014
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_idea_quarter_visible", "idea", ["quarter_id", "hidden_at", "withdrawn_at"])
    op.create_index("ix_idea_located", "idea", ["lat", "lon", "hidden_at", "withdrawn_at", "id"])
    op.add_column("event", sa.Column("lat", sa.Float(), nullable=True))
    op.add_column("event", sa.Column("lon", sa.Float(), nullable=True))


def downgrade() -> None:
    op.drop_column("event", "lon")
    op.drop_column("event", "lat")
    op.drop_index("ix_idea_located", table_name="idea")
    op.drop_index("ix_idea_quarter_visible", table_name="idea")
