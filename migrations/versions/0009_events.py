"""Werkstätten: events of a round with registrations, waiting list, minutes and attachments; one text
attachment (an .ics invitation) on outbox messages.

Revision ID: 0009
Revises: 0008
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('quarter_id', sa.Integer(), nullable=True),
    sa.Column('venue', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('step_free', sa.Boolean(), nullable=False),
    sa.Column('induction_loop', sa.Boolean(), nullable=False),
    sa.Column('interpreting', sa.Boolean(), nullable=False),
    sa.Column('childcare', sa.Boolean(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('registration_open', sa.Boolean(), nullable=False),
    sa.Column('online_url', sa.String(length=500), nullable=True),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('capacity >= 1', name=op.f('ck_event_capacity')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_event_times')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_event_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_event_district_id_district')),
    sa.ForeignKeyConstraint(['quarter_id'], ['quarter.id'], name=op.f('fk_event_quarter_id_quarter')),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_event_round_id_round')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event'))
    )
    op.create_index(op.f('ix_event_round_id'), 'event', ['round_id'], unique=False)
    op.create_index(op.f('ix_event_district_id'), 'event', ['district_id'], unique=False)
    op.create_index(op.f('ix_event_starts_at'), 'event', ['starts_at'], unique=False)
    op.create_table('event_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.Column('interpreting_language', sa.String(length=80), nullable=False),
    sa.Column('sign_language', sa.Boolean(), nullable=False),
    sa.Column('barrier_free_seat', sa.Boolean(), nullable=False),
    sa.Column('childcare', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('queued_at', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('confirmed', 'waiting', 'cancelled')", name=op.f('ck_event_registration_status')),
    sa.CheckConstraint('people >= 1', name=op.f('ck_event_registration_people')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_registration_event_id_event')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                            name=op.f('fk_event_registration_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_registration')),
    sa.UniqueConstraint('event_id', 'user_id', name=op.f('uq_event_registration_event_id_user_id'))
    )
    op.create_index(op.f('ix_event_registration_event_id'), 'event_registration', ['event_id'], unique=False)
    op.create_index(op.f('ix_event_registration_user_id'), 'event_registration', ['user_id'], unique=False)
    op.create_table('event_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_attachment_event_id_event')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_attachment'))
    )
    op.create_index(op.f('ix_event_attachment_event_id'), 'event_attachment', ['event_id'], unique=False)
    with op.batch_alter_table('outbox_message') as batch:
        batch.add_column(sa.Column('attachment_name', sa.String(length=120), nullable=True))
        batch.add_column(sa.Column('attachment_type', sa.String(length=80), nullable=True))
        batch.add_column(sa.Column('attachment', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox_message') as batch:
        batch.drop_column('attachment')
        batch.drop_column('attachment_type')
        batch.drop_column('attachment_name')
    op.drop_index(op.f('ix_event_attachment_event_id'), table_name='event_attachment')
    op.drop_table('event_attachment')
    op.drop_index(op.f('ix_event_registration_user_id'), table_name='event_registration')
    op.drop_index(op.f('ix_event_registration_event_id'), table_name='event_registration')
    op.drop_table('event_registration')
    op.drop_index(op.f('ix_event_starts_at'), table_name='event')
    op.drop_index(op.f('ix_event_district_id'), table_name='event')
    op.drop_index(op.f('ix_event_round_id'), table_name='event')
    op.drop_table('event')
