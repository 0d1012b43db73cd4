"""durable inbox of webhook updates (issue 9, nothing acknowledged is lost)

Revision ID: 0009
Revises: 0008
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Each webhook update is written here before the platform gets its 200 (storage/inbox.py).
    op.create_table('inbox_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('update_key', sa.String(length=100), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('channel', 'update_key', name='uq_inbox_update')
    )
    op.create_index(op.f('ix_inbox_update_done_at'), 'inbox_update', ['done_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_inbox_update_done_at'), table_name='inbox_update')
    op.drop_table('inbox_update')
