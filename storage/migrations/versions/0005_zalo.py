"""zalo: the last numbered menu sent to each Zalo chat

Revision ID: 0005z
Revises: 0003, 0004
"""
import sqlalchemy as sa
from alembic import op

revision = '0005z'
# Needs nothing of the others; merges the committed heads so it lands on any later branch.
down_revision = ('0003', '0004')
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A reply "2" presses the second choice of this menu, on whichever worker receives it.
    op.create_table('zalo_menu',
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('payloads', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('chat_id')
    )


def downgrade() -> None:
    op.drop_table('zalo_menu')
