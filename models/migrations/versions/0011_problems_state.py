"""problems: who recorded the pending fix and the day of the latest step, kept on the problem
row (so a step reads its state without querying the history; `check` compares them)

Revision ID: 0011_problems_state
Revises: 0010_paper
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa

revision = '0011_problems_state'
down_revision = '0010_paper'
branch_labels = None
depends_on = None

LATEST_FIX = ("(SELECT {column} FROM problem_event e WHERE e.problem_id = problem.id "
              "AND e.kind = 'rectify' ORDER BY e.seq DESC LIMIT 1)")


def upgrade() -> None:
    with op.batch_alter_table('problem', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rectified_by', sa.String(length=60), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('rectified_by_user_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('last_on', sa.Date(), nullable=True))
    op.execute("UPDATE problem SET last_on = (SELECT MAX(e.occurred_on) FROM problem_event e "
               "WHERE e.problem_id = problem.id)")
    op.execute(f"UPDATE problem SET rectified_by = {LATEST_FIX.format(column='operator_name')}, "
               f"rectified_by_user_id = {LATEST_FIX.format(column='operator_user_id')} "
               "WHERE rectified_on IS NOT NULL")


def downgrade() -> None:
    # Plain ALTER (SQLite 3.35+): a batch copy of the table would trip over the foreign keys.
    for column in ('last_on', 'rectified_by_user_id', 'rectified_by'):
        op.execute(f"ALTER TABLE problem DROP COLUMN {column}")
