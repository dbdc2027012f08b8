"""Rewrite migrations/versions/0001_schema.py from the models (allowed only until the first release).

Usage: python migrations/regenerate_schema.py
After the first release, schema changes are new, additive migrations instead.
"""

import re
import sys
from pathlib import Path

from alembic.autogenerate import produce_migrations, render_python_code
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from app.models import metadata  # noqa: E402

TARGET = Path(__file__).parent / "versions" / "0001_schema.py"
HEADER = '''"""Schema of every table (generated from the models by migrations/regenerate_schema.py).

Revision ID: 0001
Revises:
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.db

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


'''


def main() -> None:
    engine = create_engine("sqlite://")
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"target_metadata": metadata, "compare_type": True})
        script = produce_migrations(ctx, metadata)
        opts = {"render_as_batch": False, "user_module_prefix": None}
        up = render_python_code(script.upgrade_ops, migration_context=ctx, **opts)
        down = render_python_code(script.downgrade_ops, migration_context=ctx, **opts)
    body = HEADER + "def upgrade() -> None:\n" + up + "\n\n\ndef downgrade() -> None:\n" + down + "\n"
    body = re.sub(r"[ \t]*# ### .* ###\n", "", re.sub(r"[ \t]+\n", "\n", body))
    TARGET.write_text(body)
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
