"""Schema of every table, as released in release 1 (migrations/RELEASES.md); never edit it: add a revision.

Revision ID: 0001
Revises:
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('district',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('tile_col', sa.Integer(), nullable=False),
    sa.Column('tile_row', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_district')),
    sa.UniqueConstraint('number', name=op.f('uq_district_number')),
    sa.UniqueConstraint('slug', name=op.f('uq_district_slug'))
    )
    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
    sa.UniqueConstraint('slug', name=op.f('uq_document_slug'))
    )
    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to_email', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message'))
    )
    op.create_index(op.f('ix_outbox_message_next_attempt_at'), 'outbox_message', ['next_attempt_at'], unique=False)
    op.create_index(op.f('ix_outbox_message_sent_at'), 'outbox_message', ['sent_at'], unique=False)
    op.create_table('rate_limit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rate_limit_event'))
    )
    op.create_index(op.f('ix_rate_limit_event_created_at'), 'rate_limit_event', ['created_at'], unique=False)
    op.create_index(op.f('ix_rate_limit_event_key'), 'rate_limit_event', ['key'], unique=False)
    op.create_table('site_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_state'))
    )
    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('display_name', sa.String(length=80), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('organisation', sa.String(length=160), nullable=True),
    sa.Column('organisation_kind', sa.String(length=32), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('blocked_until', sa.DateTime(), nullable=True),
    sa.Column('notify_replies', sa.Boolean(), nullable=False),
    sa.Column('notify_versions', sa.Boolean(), nullable=False),
    sa.Column('email_verified_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("role IN ('admin', 'lead', 'moderator', 'expert', 'resident')", name=op.f('ck_user_account_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email'))
    )
    op.create_index(op.f('ix_user_account_role'), 'user_account', ['role'], unique=False)
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('target_type', sa.String(length=32), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_audit_entry_actor_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    op.create_index(op.f('ix_audit_entry_action'), 'audit_entry', ['action'], unique=False)
    op.create_index(op.f('ix_audit_entry_actor_id'), 'audit_entry', ['actor_id'], unique=False)
    op.create_index(op.f('ix_audit_entry_created_at'), 'audit_entry', ['created_at'], unique=False)
    op.create_table('auth_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("kind IN ('session', 'api', 'verify')", name=op.f('ck_auth_token_kind')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_auth_token_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_auth_token_token_hash'))
    )
    op.create_index(op.f('ix_auth_token_user_id'), 'auth_token', ['user_id'], unique=False)
    op.create_table('chapter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_chapter_document_id_document')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chapter'))
    )
    op.create_index(op.f('ix_chapter_document_id'), 'chapter', ['document_id'], unique=False)
    op.create_table('edition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_edition_document_id_document')),
    sa.ForeignKeyConstraint(['published_by_id'], ['user_account.id'], name=op.f('fk_edition_published_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_edition')),
    sa.UniqueConstraint('document_id', 'number', name=op.f('uq_edition_document_id_number'))
    )
    op.create_index(op.f('ix_edition_document_id'), 'edition', ['document_id'], unique=False)
    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('organisation', sa.String(length=160), nullable=False),
    sa.Column('organisation_kind', sa.String(length=32), nullable=True),
    sa.Column('invited_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['invited_by_id'], ['user_account.id'], name=op.f('fk_invitation_invited_by_id_user_account')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_invitation_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitation_token_hash'))
    )
    op.create_index(op.f('ix_invitation_email'), 'invitation', ['email'], unique=False)
    op.create_table('quarter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_quarter_district_id_district')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quarter')),
    sa.UniqueConstraint('number', name=op.f('uq_quarter_number')),
    sa.UniqueConstraint('slug', name=op.f('uq_quarter_slug'))
    )
    op.create_index(op.f('ix_quarter_district_id'), 'quarter', ['district_id'], unique=False)
    op.create_table('round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('opens_at', sa.DateTime(), nullable=False),
    sa.Column('closes_at', sa.DateTime(), nullable=False),
    sa.Column('audience', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("audience IN ('experts', 'residents', 'public')", name=op.f('ck_round_audience')),
    sa.CheckConstraint("state IN ('planned', 'open', 'closed', 'evaluated')", name=op.f('ck_round_state')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_round_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_round_document_id_document')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round'))
    )
    op.create_index(op.f('ix_round_document_id'), 'round', ['document_id'], unique=False)
    op.create_table('section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('chapter_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('current_number', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['chapter_id'], ['chapter.id'], name=op.f('fk_section_chapter_id_chapter')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_section'))
    )
    op.create_index(op.f('ix_section_chapter_id'), 'section', ['chapter_id'], unique=False)
    op.create_table('draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['section_id'], ['section.id'], name=op.f('fk_draft_section_id_section')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_draft_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft')),
    sa.UniqueConstraint('section_id', name=op.f('uq_draft_section_id'))
    )
    op.create_table('idea',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('quarter_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('section_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.Column('support_count', sa.Integer(), nullable=False),
    sa.Column('comment_count', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('received', 'reviewing', 'adopted', 'declined')", name=op.f('ck_idea_status')),
    sa.CheckConstraint('(lat IS NULL) = (lon IS NULL)', name=op.f('ck_idea_point')),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_idea_author_id_user_account')),
    sa.ForeignKeyConstraint(['quarter_id'], ['quarter.id'], name=op.f('fk_idea_quarter_id_quarter')),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_idea_round_id_round')),
    sa.ForeignKeyConstraint(['section_id'], ['section.id'], name=op.f('fk_idea_section_id_section')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea'))
    )
    op.create_index(op.f('ix_idea_author_id'), 'idea', ['author_id'], unique=False)
    op.create_index(op.f('ix_idea_category'), 'idea', ['category'], unique=False)
    op.create_index(op.f('ix_idea_created_at'), 'idea', ['created_at'], unique=False)
    op.create_index(op.f('ix_idea_quarter_id'), 'idea', ['quarter_id'], unique=False)
    op.create_index(op.f('ix_idea_round_id'), 'idea', ['round_id'], unique=False)
    op.create_index(op.f('ix_idea_section_id'), 'idea', ['section_id'], unique=False)
    op.create_index(op.f('ix_idea_status'), 'idea', ['status'], unique=False)
    op.create_table('round_section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_round_section_round_id_round')),
    sa.ForeignKeyConstraint(['section_id'], ['section.id'], name=op.f('fk_round_section_section_id_section')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_section')),
    sa.UniqueConstraint('round_id', 'section_id', name=op.f('uq_round_section_round_id_section_id'))
    )
    op.create_index(op.f('ix_round_section_round_id'), 'round_section', ['round_id'], unique=False)
    op.create_index(op.f('ix_round_section_section_id'), 'round_section', ['section_id'], unique=False)
    op.create_table('section_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('change_summary', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['published_by_id'], ['user_account.id'], name=op.f('fk_section_version_published_by_id_user_account')),
    sa.ForeignKeyConstraint(['section_id'], ['section.id'], name=op.f('fk_section_version_section_id_section')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_section_version')),
    sa.UniqueConstraint('section_id', 'number', name=op.f('uq_section_version_section_id_number'))
    )
    op.create_index(op.f('ix_section_version_section_id'), 'section_version', ['section_id'], unique=False)
    op.create_table('anchor_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('old_anchor', sa.String(length=16), nullable=False),
    sa.Column('new_anchor', sa.String(length=16), nullable=True),
    sa.Column('change', sa.String(length=16), nullable=False),
    sa.CheckConstraint("change IN ('unchanged', 'changed', 'merged', 'removed')", name=op.f('ck_anchor_mapping_change')),
    sa.ForeignKeyConstraint(['version_id'], ['section_version.id'], name=op.f('fk_anchor_mapping_version_id_section_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_anchor_mapping')),
    sa.UniqueConstraint('version_id', 'old_anchor', name=op.f('uq_anchor_mapping_version_id_old_anchor'))
    )
    op.create_index(op.f('ix_anchor_mapping_version_id'), 'anchor_mapping', ['version_id'], unique=False)
    op.create_table('comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('section_version_id', sa.Integer(), nullable=True),
    sa.Column('section_id', sa.Integer(), nullable=True),
    sa.Column('idea_id', sa.Integer(), nullable=True),
    sa.Column('paragraph_anchor', sa.String(length=16), nullable=True),
    sa.Column('quote', sa.Text(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('root_id', sa.Integer(), nullable=True),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('alignment', sa.String(length=16), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.Column('erased', sa.Boolean(), nullable=False),
    sa.Column('up_count', sa.Integer(), nullable=False),
    sa.Column('down_count', sa.Integer(), nullable=False),
    sa.CheckConstraint("alignment IN ('support', 'objection', 'note')", name=op.f('ck_comment_alignment')),
    sa.CheckConstraint('(section_version_id IS NULL) <> (idea_id IS NULL)', name=op.f('ck_comment_one_target')),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_comment_author_id_user_account')),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_comment_idea_id_idea')),
    sa.ForeignKeyConstraint(['parent_id'], ['comment.id'], name=op.f('fk_comment_parent_id_comment')),
    sa.ForeignKeyConstraint(['root_id'], ['comment.id'], name=op.f('fk_comment_root_id_comment')),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_comment_round_id_round')),
    sa.ForeignKeyConstraint(['section_id'], ['section.id'], name=op.f('fk_comment_section_id_section')),
    sa.ForeignKeyConstraint(['section_version_id'], ['section_version.id'], name=op.f('fk_comment_section_version_id_section_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment'))
    )
    op.create_index(op.f('ix_comment_author_id'), 'comment', ['author_id'], unique=False)
    op.create_index('ix_comment_idea_created', 'comment', ['idea_id', 'created_at'], unique=False)
    op.create_index(op.f('ix_comment_parent_id'), 'comment', ['parent_id'], unique=False)
    op.create_index(op.f('ix_comment_root_id'), 'comment', ['root_id'], unique=False)
    op.create_index(op.f('ix_comment_round_id'), 'comment', ['round_id'], unique=False)
    op.create_index('ix_comment_section_created', 'comment', ['section_id', 'created_at'], unique=False)
    op.create_index('ix_comment_section_roots', 'comment', ['section_id', 'parent_id', 'created_at'], unique=False)
    op.create_index('ix_comment_version_anchor', 'comment', ['section_version_id', 'paragraph_anchor'], unique=False)
    op.create_index('ix_comment_version_roots', 'comment', ['section_version_id', 'parent_id', 'created_at'], unique=False)
    op.create_table('edition_section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=16), nullable=False),
    sa.Column('chapter_title', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['edition_id'], ['edition.id'], name=op.f('fk_edition_section_edition_id_edition')),
    sa.ForeignKeyConstraint(['section_id'], ['section.id'], name=op.f('fk_edition_section_section_id_section')),
    sa.ForeignKeyConstraint(['version_id'], ['section_version.id'], name=op.f('fk_edition_section_version_id_section_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_edition_section')),
    sa.UniqueConstraint('edition_id', 'section_id', name=op.f('uq_edition_section_edition_id_section_id'))
    )
    op.create_index(op.f('ix_edition_section_edition_id'), 'edition_section', ['edition_id'], unique=False)
    op.create_table('idea_status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=True),
    sa.Column('changed_by_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['user_account.id'], name=op.f('fk_idea_status_change_changed_by_id_user_account')),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_idea_status_change_idea_id_idea')),
    sa.ForeignKeyConstraint(['section_id'], ['section.id'], name=op.f('fk_idea_status_change_section_id_section')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea_status_change'))
    )
    op.create_index(op.f('ix_idea_status_change_idea_id'), 'idea_status_change', ['idea_id'], unique=False)
    op.create_table('paragraph',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('anchor', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['section_version.id'], name=op.f('fk_paragraph_version_id_section_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paragraph')),
    sa.UniqueConstraint('version_id', 'anchor', name=op.f('uq_paragraph_version_id_anchor'))
    )
    op.create_table('version_address',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['section_version.id'], name=op.f('fk_version_address_version_id_section_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_version_address')),
    sa.UniqueConstraint('version_id', 'comment_id', name=op.f('uq_version_address_version_id_comment_id'))
    )
    op.create_index(op.f('ix_version_address_comment_id'), 'version_address', ['comment_id'], unique=False)
    op.create_index(op.f('ix_version_address_version_id'), 'version_address', ['version_id'], unique=False)
    op.create_table('comment_edit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('alignment', sa.String(length=16), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_comment_edit_comment_id_comment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_edit'))
    )
    op.create_index(op.f('ix_comment_edit_comment_id'), 'comment_edit', ['comment_id'], unique=False)
    op.create_table('flag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('idea_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolution', sa.String(length=16), nullable=True),
    sa.CheckConstraint('(comment_id IS NULL) <> (idea_id IS NULL)', name=op.f('ck_flag_one_target')),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_flag_comment_id_comment')),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_flag_idea_id_idea')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_flag_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flag')),
    sa.UniqueConstraint('user_id', 'comment_id', name=op.f('uq_flag_user_id_comment_id')),
    sa.UniqueConstraint('user_id', 'idea_id', name=op.f('uq_flag_user_id_idea_id'))
    )
    op.create_index('ix_flag_open_comment', 'flag', ['resolved_at', 'comment_id'], unique=False)
    op.create_index('ix_flag_open_idea', 'flag', ['resolved_at', 'idea_id'], unique=False)
    op.create_index(op.f('ix_flag_user_id'), 'flag', ['user_id'], unique=False)
    op.create_table('response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('idea_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('accepted', 'partly', 'rejected', 'noted')", name=op.f('ck_response_status')),
    sa.CheckConstraint('(comment_id IS NULL) <> (idea_id IS NULL)', name=op.f('ck_response_one_target')),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_response_author_id_user_account')),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_response_comment_id_comment')),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_response_idea_id_idea')),
    sa.ForeignKeyConstraint(['version_id'], ['section_version.id'], name=op.f('fk_response_version_id_section_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response'))
    )
    op.create_index('ix_response_comment_revision', 'response', ['comment_id', 'revision'], unique=False)
    op.create_index('ix_response_idea_revision', 'response', ['idea_id', 'revision'], unique=False)
    op.create_index(op.f('ix_response_version_id'), 'response', ['version_id'], unique=False)
    op.create_index('uq_response_current_comment', 'response', ['comment_id'], unique=True, sqlite_where=sa.text('is_current'), postgresql_where=sa.text('is_current'))
    op.create_index('uq_response_current_idea', 'response', ['idea_id'], unique=True, sqlite_where=sa.text('is_current'), postgresql_where=sa.text('is_current'))
    op.create_table('vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('section_version_id', sa.Integer(), nullable=True),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('idea_id', sa.Integer(), nullable=True),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(CASE WHEN section_version_id IS NULL THEN 0 ELSE 1 END + CASE WHEN comment_id IS NULL THEN 0 ELSE 1 END + CASE WHEN idea_id IS NULL THEN 0 ELSE 1 END) = 1', name=op.f('ck_vote_one_target')),
    sa.CheckConstraint('value IN (1, -1)', name=op.f('ck_vote_value')),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_vote_comment_id_comment')),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_vote_idea_id_idea')),
    sa.ForeignKeyConstraint(['section_version_id'], ['section_version.id'], name=op.f('fk_vote_section_version_id_section_version')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_vote_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vote')),
    sa.UniqueConstraint('user_id', 'comment_id', name=op.f('uq_vote_user_id_comment_id')),
    sa.UniqueConstraint('user_id', 'idea_id', name=op.f('uq_vote_user_id_idea_id')),
    sa.UniqueConstraint('user_id', 'section_version_id', name=op.f('uq_vote_user_id_section_version_id'))
    )
    op.create_index('ix_vote_comment_id', 'vote', ['comment_id'], unique=False)
    op.create_index('ix_vote_idea_id', 'vote', ['idea_id'], unique=False)
    op.create_index('ix_vote_section_version_value', 'vote', ['section_version_id', 'value'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_vote_section_version_value', table_name='vote')
    op.drop_index('ix_vote_idea_id', table_name='vote')
    op.drop_index('ix_vote_comment_id', table_name='vote')
    op.drop_table('vote')
    op.drop_index('uq_response_current_idea', table_name='response', sqlite_where=sa.text('is_current'), postgresql_where=sa.text('is_current'))
    op.drop_index('uq_response_current_comment', table_name='response', sqlite_where=sa.text('is_current'), postgresql_where=sa.text('is_current'))
    op.drop_index(op.f('ix_response_version_id'), table_name='response')
    op.drop_index('ix_response_idea_revision', table_name='response')
    op.drop_index('ix_response_comment_revision', table_name='response')
    op.drop_table('response')
    op.drop_index(op.f('ix_flag_user_id'), table_name='flag')
    op.drop_index('ix_flag_open_idea', table_name='flag')
    op.drop_index('ix_flag_open_comment', table_name='flag')
    op.drop_table('flag')
    op.drop_index(op.f('ix_comment_edit_comment_id'), table_name='comment_edit')
    op.drop_table('comment_edit')
    op.drop_index(op.f('ix_version_address_version_id'), table_name='version_address')
    op.drop_index(op.f('ix_version_address_comment_id'), table_name='version_address')
    op.drop_table('version_address')
    op.drop_table('paragraph')
    op.drop_index(op.f('ix_idea_status_change_idea_id'), table_name='idea_status_change')
    op.drop_table('idea_status_change')
    op.drop_index(op.f('ix_edition_section_edition_id'), table_name='edition_section')
    op.drop_table('edition_section')
    op.drop_index('ix_comment_version_roots', table_name='comment')
    op.drop_index('ix_comment_version_anchor', table_name='comment')
    op.drop_index('ix_comment_section_roots', table_name='comment')
    op.drop_index('ix_comment_section_created', table_name='comment')
    op.drop_index(op.f('ix_comment_round_id'), table_name='comment')
    op.drop_index(op.f('ix_comment_root_id'), table_name='comment')
    op.drop_index(op.f('ix_comment_parent_id'), table_name='comment')
    op.drop_index('ix_comment_idea_created', table_name='comment')
    op.drop_index(op.f('ix_comment_author_id'), table_name='comment')
    op.drop_table('comment')
    op.drop_index(op.f('ix_anchor_mapping_version_id'), table_name='anchor_mapping')
    op.drop_table('anchor_mapping')
    op.drop_index(op.f('ix_section_version_section_id'), table_name='section_version')
    op.drop_table('section_version')
    op.drop_index(op.f('ix_round_section_section_id'), table_name='round_section')
    op.drop_index(op.f('ix_round_section_round_id'), table_name='round_section')
    op.drop_table('round_section')
    op.drop_index(op.f('ix_idea_status'), table_name='idea')
    op.drop_index(op.f('ix_idea_section_id'), table_name='idea')
    op.drop_index(op.f('ix_idea_round_id'), table_name='idea')
    op.drop_index(op.f('ix_idea_quarter_id'), table_name='idea')
    op.drop_index(op.f('ix_idea_created_at'), table_name='idea')
    op.drop_index(op.f('ix_idea_category'), table_name='idea')
    op.drop_index(op.f('ix_idea_author_id'), table_name='idea')
    op.drop_table('idea')
    op.drop_table('draft')
    op.drop_index(op.f('ix_section_chapter_id'), table_name='section')
    op.drop_table('section')
    op.drop_index(op.f('ix_round_document_id'), table_name='round')
    op.drop_table('round')
    op.drop_index(op.f('ix_quarter_district_id'), table_name='quarter')
    op.drop_table('quarter')
    op.drop_index(op.f('ix_invitation_email'), table_name='invitation')
    op.drop_table('invitation')
    op.drop_index(op.f('ix_edition_document_id'), table_name='edition')
    op.drop_table('edition')
    op.drop_index(op.f('ix_chapter_document_id'), table_name='chapter')
    op.drop_table('chapter')
    op.drop_index(op.f('ix_auth_token_user_id'), table_name='auth_token')
    op.drop_table('auth_token')
    op.drop_index(op.f('ix_audit_entry_created_at'), table_name='audit_entry')
    op.drop_index(op.f('ix_audit_entry_actor_id'), table_name='audit_entry')
    op.drop_index(op.f('ix_audit_entry_action'), table_name='audit_entry')
    op.drop_table('audit_entry')
    op.drop_index(op.f('ix_user_account_role'), table_name='user_account')
    op.drop_table('user_account')
    op.drop_table('site_state')
    op.drop_index(op.f('ix_rate_limit_event_key'), table_name='rate_limit_event')
    op.drop_index(op.f('ix_rate_limit_event_created_at'), table_name='rate_limit_event')
    op.drop_table('rate_limit_event')
    op.drop_index(op.f('ix_outbox_message_sent_at'), table_name='outbox_message')
    op.drop_index(op.f('ix_outbox_message_next_attempt_at'), table_name='outbox_message')
    op.drop_table('outbox_message')
    op.drop_table('document')
    op.drop_table('district')
