"""Every promised notice: per-person settings for each kind and the daily digest, outbox messages held for a
digest or checked before delivery, marks for notices that go out once, and following a round.

Revision ID: 0007
Revises: 0006
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SETTINGS = (("notify_responses", True), ("notify_idea_status", True), ("notify_rounds", True),
            ("notify_flags", True), ("notify_moderation", True), ("notify_block", True), ("notify_digest", False))


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        for name, default in SETTINGS:
            batch.add_column(sa.Column(name, sa.Boolean(), nullable=False,
                                       server_default=sa.true() if default else sa.false()))
    with op.batch_alter_table("outbox_message") as batch:
        batch.add_column(sa.Column("digest", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("ref", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("cancelled_at", sa.DateTime(), nullable=True))
    op.create_table(
        "notice_mark",
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_notice_mark")),
    )
    op.create_table(
        "round_follow",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"], name=op.f("fk_round_follow_round_id_round")),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_round_follow_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_follow")),
        sa.UniqueConstraint("round_id", "user_id", name=op.f("uq_round_follow_round_id_user_id")),
    )
    op.create_index(op.f("ix_round_follow_round_id"), "round_follow", ["round_id"], unique=False)
    op.create_index(op.f("ix_round_follow_user_id"), "round_follow", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_round_follow_user_id"), table_name="round_follow")
    op.drop_index(op.f("ix_round_follow_round_id"), table_name="round_follow")
    op.drop_table("round_follow")
    op.drop_table("notice_mark")
    with op.batch_alter_table("outbox_message") as batch:
        batch.drop_column("cancelled_at")
        batch.drop_column("ref")
        batch.drop_column("digest")
    with op.batch_alter_table("user_account") as batch:
        for name, _default in reversed(SETTINGS):
            batch.drop_column(name)
