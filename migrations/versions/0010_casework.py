"""The workbench of the three offices: responsible units, casework (unit, assignee, answer draft), internal notes.

Revision ID: 0010
Revises: 0009
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _time() -> sa.types.TypeEngine:
    return sa.DateTime()


def upgrade() -> None:
    op.create_table(
        "responsible_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_responsible_unit")),
    )
    op.create_index("uq_responsible_unit_name", "responsible_unit", ["name"], unique=True)
    op.create_table(
        "casework",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=True),
        sa.Column("idea_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("draft_state", sa.String(length=16), nullable=True),
        sa.Column("draft_status", sa.String(length=16), nullable=True),
        sa.Column("draft_text", sa.Text(), nullable=True),
        sa.Column("draft_version_id", sa.Integer(), nullable=True),
        sa.Column("drafted_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", _time(), nullable=False),
        sa.CheckConstraint("(comment_id IS NULL) <> (idea_id IS NULL)", name=op.f("ck_casework_one_target")),
        sa.CheckConstraint("draft_state IS NULL OR draft_state IN ('draft', 'approved')",
                           name=op.f("ck_casework_draft_state")),
        sa.CheckConstraint("draft_status IS NULL OR draft_status IN ('accepted', 'partly', 'rejected', 'noted')",
                           name=op.f("ck_casework_draft_status")),
        sa.ForeignKeyConstraint(["comment_id"], ["comment.id"], name=op.f("fk_casework_comment_id_comment")),
        sa.ForeignKeyConstraint(["idea_id"], ["idea.id"], name=op.f("fk_casework_idea_id_idea")),
        sa.ForeignKeyConstraint(["unit_id"], ["responsible_unit.id"],
                                name=op.f("fk_casework_unit_id_responsible_unit")),
        sa.ForeignKeyConstraint(["assignee_id"], ["user_account.id"],
                                name=op.f("fk_casework_assignee_id_user_account")),
        sa.ForeignKeyConstraint(["draft_version_id"], ["section_version.id"],
                                name=op.f("fk_casework_draft_version_id_section_version")),
        sa.ForeignKeyConstraint(["drafted_by_id"], ["user_account.id"],
                                name=op.f("fk_casework_drafted_by_id_user_account")),
        sa.ForeignKeyConstraint(["approved_by_id"], ["user_account.id"],
                                name=op.f("fk_casework_approved_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_casework")),
    )
    op.create_index("uq_casework_comment", "casework", ["comment_id"], unique=True)
    op.create_index("uq_casework_idea", "casework", ["idea_id"], unique=True)
    op.create_index(op.f("ix_casework_unit_id"), "casework", ["unit_id"], unique=False)
    op.create_index(op.f("ix_casework_assignee_id"), "casework", ["assignee_id"], unique=False)
    op.create_table(
        "internal_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=True),
        sa.Column("idea_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.CheckConstraint("(comment_id IS NULL) <> (idea_id IS NULL)", name=op.f("ck_internal_note_one_target")),
        sa.ForeignKeyConstraint(["comment_id"], ["comment.id"], name=op.f("fk_internal_note_comment_id_comment")),
        sa.ForeignKeyConstraint(["idea_id"], ["idea.id"], name=op.f("fk_internal_note_idea_id_idea")),
        sa.ForeignKeyConstraint(["author_id"], ["user_account.id"],
                                name=op.f("fk_internal_note_author_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_internal_note")),
    )
    op.create_index(op.f("ix_internal_note_comment_id"), "internal_note", ["comment_id"], unique=False)
    op.create_index(op.f("ix_internal_note_idea_id"), "internal_note", ["idea_id"], unique=False)
    op.create_index(op.f("ix_internal_note_author_id"), "internal_note", ["author_id"], unique=False)


def downgrade() -> None:
    op.drop_table("internal_note")
    op.drop_table("casework")
    op.drop_table("responsible_unit")
