"""Stuttgart's 23 Stadtbezirke and 152 Stadtteile (Landeshauptstadt Stuttgart, Statistisches Amt).

Revision ID: 0002
Revises: 0001
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.quartiere.reference import districts

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

district = sa.table("district", sa.column("id", sa.Integer), sa.column("number", sa.Integer),
                    sa.column("name", sa.String), sa.column("slug", sa.String),
                    sa.column("tile_col", sa.Integer), sa.column("tile_row", sa.Integer))
quarter = sa.table("quarter", sa.column("id", sa.Integer), sa.column("number", sa.Integer),
                   sa.column("name", sa.String), sa.column("slug", sa.String),
                   sa.column("district_id", sa.Integer))


def upgrade() -> None:
    # Ids equal the official numbers, so they are the same on every database.
    data = districts()
    op.bulk_insert(district, [{"id": d["number"], "number": d["number"], "name": d["name"], "slug": d["slug"],
                               "tile_col": d["tile_col"], "tile_row": d["tile_row"]} for d in data])
    op.bulk_insert(quarter, [{"id": q["number"], "number": q["number"], "name": q["name"], "slug": q["slug"],
                              "district_id": d["number"]} for d in data for q in d["quarters"]])


def downgrade() -> None:
    op.execute(quarter.delete())
    op.execute(district.delete())
