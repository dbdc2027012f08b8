"""Site pages the city edits (versions), consent to terms and privacy text, barrier reports.

The pages' default texts are not stored here: version 1 of a page is its built-in default until an
administrator first edits it (then it is stored as version 1, the edit as version 2).

Revision ID: 0008
Revises: 0007
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "site_page_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("renews_consent", sa.Boolean(), nullable=False),
        sa.Column("editor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["editor_id"], ["user_account.id"],
                                name=op.f("fk_site_page_version_editor_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_page_version")),
        sa.UniqueConstraint("slug", "number", name=op.f("uq_site_page_version_slug_number")),
    )
    op.create_table(
        "consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("terms_version", sa.Integer(), nullable=False),
        sa.Column("privacy_version", sa.Integer(), nullable=False),
        sa.Column("given_at", sa.DateTime(), nullable=False),
        sa.Column("occasion", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_consent_user_id_user_account"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent")),
    )
    op.create_index(op.f("ix_consent_user_id"), "consent", ["user_id"], unique=False)
    op.create_table(
        "barrier_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(length=254), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("status IN ('neu', 'in_bearbeitung', 'erledigt')", name=op.f("ck_barrier_report_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_barrier_report")),
    )
    op.create_index(op.f("ix_barrier_report_status"), "barrier_report", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_barrier_report_status"), table_name="barrier_report")
    op.drop_table("barrier_report")
    op.drop_index(op.f("ix_consent_user_id"), table_name="consent")
    op.drop_table("consent")
    op.drop_table("site_page_version")
