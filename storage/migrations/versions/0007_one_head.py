"""one head: merge the "zalo" (0005z) and "staff web" (0006) branches; drop apscheduler_jobs

From here on the history has a single head, so ``Database.upgrade`` can go to "head".

APScheduler now keeps its jobs in memory (``MemoryJobStore``): its only job, the reminder
tick, is added again at every start, so the SQLAlchemyJobStore table created by 0004 is no
longer used. Dropped if present, so a database where it was never made (or already removed)
upgrades too.

Revision ID: 0007
Revises: 0005z, 0006
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = ('0005z', '0006')
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Dropping the table drops its index too (SQLite and PostgreSQL alike).
    op.execute(sa.text("DROP TABLE IF EXISTS apscheduler_jobs"))


def downgrade() -> None:
    # Back to the schema of 0005z + 0006, which have the table (0004 made it): recreated empty,
    # as 0004 did, so that 0004's own downgrade can still drop it and code of that time finds it.
    # Its rows are not restored: the one job it held, the tick, is re-added at each start.
    op.create_table('apscheduler_jobs',
    sa.Column('id', sa.Unicode(length=191), nullable=False),
    sa.Column('next_run_time', sa.Float(precision=25), nullable=True),
    sa.Column('job_state', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_apscheduler_jobs_next_run_time', 'apscheduler_jobs', ['next_run_time'])
