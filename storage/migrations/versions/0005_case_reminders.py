"""case reminders: the case-delivery ledger, daily chores, report files of submissions

Merges the "report" (0003) and "deadlines" (0004) branches: case response due times are
reminded by the deadline machinery, so these tables need both.

Revision ID: 0005
Revises: 0003, 0004
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = ('0003', '0004')
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=120), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('error', sa.String(length=300), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('recipient', 'case_id', 'stage', 'kind', name='uq_case_delivery_once')
    )
    op.create_index('ix_case_delivery_case_id', 'case_delivery', ['case_id'])
    op.create_table('daily_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task', sa.String(length=40), nullable=False),
    sa.Column('on_day', sa.Date(), nullable=False),
    sa.Column('result', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('task', 'on_day', name='uq_daily_run')
    )
    op.create_table('submission_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deadline_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('mime_type', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['channel_account.id'], ),
    sa.ForeignKeyConstraint(['deadline_id'], ['deadline.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_submission_file_deadline_id', 'submission_file', ['deadline_id'])


def downgrade() -> None:
    op.drop_index('ix_submission_file_deadline_id', table_name='submission_file')
    op.drop_table('submission_file')
    op.drop_table('daily_run')
    op.drop_index('ix_case_delivery_case_id', table_name='case_delivery')
    op.drop_table('case_delivery')
