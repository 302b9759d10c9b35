"""三个一 work logs: patrol months (day masks) and their journal, weekly summaries, visits,
findings, the seven officers' matters, and month-end settlements with their lines. The journal,
the settlements, their lines and exclusions are append-only: the database refuses UPDATE and
DELETE of them.

Revision ID: 0009_worklog
Revises: 0008_problems
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa

from models.core.append_only import create_triggers, drop_triggers

APPEND_ONLY = ("worklog_patrol_change", "worklog_settlement", "worklog_settlement_line",
               "worklog_settlement_exclusion")
REFUSAL = "三个一日志的修改记录和月结记录只能追加，不能修改或删除。"


revision = '0009_worklog'
down_revision = '0008_problems'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('worklog_settlement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('admin_village_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('user_name', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['admin_village_id'], ['admin_village.id'], name=op.f('fk_worklog_settlement_admin_village_id_admin_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worklog_settlement'))
    )
    with op.batch_alter_table('worklog_settlement', schema=None) as batch_op:
        batch_op.create_index('ix_worklog_settlement_village_month', ['admin_village_id', 'month'], unique=False)

    op.create_table('worklog_finding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('head_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_name', sa.String(length=60), nullable=False),
    sa.Column('raised_as', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['head_id'], ['head.id'], name=op.f('fk_worklog_finding_head_id_head')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worklog_finding'))
    )
    with op.batch_alter_table('worklog_finding', schema=None) as batch_op:
        batch_op.create_index('ix_worklog_finding_head_day', ['head_id', 'day'], unique=False)

    op.create_table('worklog_matter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('admin_village_id', sa.Integer(), nullable=False),
    sa.Column('head_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=True),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('role', sa.Enum('information', 'policy', 'dispute', 'sanitation', 'customs', 'safety', 'key_work', name='officerrole', native_enum=False, length=20), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('in_progress', 'done', 'reported', name='matterstatus', native_enum=False, length=20), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_name', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['admin_village_id'], ['admin_village.id'], name=op.f('fk_worklog_matter_admin_village_id_admin_village')),
    sa.ForeignKeyConstraint(['head_id'], ['head.id'], name=op.f('fk_worklog_matter_head_id_head')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_worklog_matter_household_id_household')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worklog_matter'))
    )
    with op.batch_alter_table('worklog_matter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_worklog_matter_head_id'), ['head_id'], unique=False)
        batch_op.create_index('ix_worklog_matter_village_day', ['admin_village_id', 'occurred_on'], unique=False)

    op.create_table('worklog_patrol',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('head_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('changes', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['head_id'], ['head.id'], name=op.f('fk_worklog_patrol_head_id_head')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worklog_patrol')),
    sa.UniqueConstraint('head_id', 'month', name=op.f('uq_worklog_patrol_head_id_month'))
    )
    op.create_table('worklog_settlement_exclusion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('settlement_id', sa.Integer(), nullable=False),
    sa.Column('head_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['head_id'], ['head.id'], name=op.f('fk_worklog_settlement_exclusion_head_id_head')),
    sa.ForeignKeyConstraint(['settlement_id'], ['worklog_settlement.id'], name=op.f('fk_worklog_settlement_exclusion_settlement_id_worklog_settlement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worklog_settlement_exclusion'))
    )
    with op.batch_alter_table('worklog_settlement_exclusion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_worklog_settlement_exclusion_settlement_id'), ['settlement_id'], unique=False)

    op.create_table('worklog_summary',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('head_id', sa.Integer(), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('found', sa.SmallInteger(), nullable=False),
    sa.Column('fixed', sa.SmallInteger(), nullable=False),
    sa.Column('recorded_at', sa.BigInteger(), nullable=False),
    sa.Column('user_name', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['head_id'], ['head.id'], name=op.f('fk_worklog_summary_head_id_head')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worklog_summary')),
    sa.UniqueConstraint('head_id', 'week_start', name=op.f('uq_worklog_summary_head_id_week_start'))
    )
    op.create_table('worklog_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('head_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=True),
    sa.Column('opinion', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['head_id'], ['head.id'], name=op.f('fk_worklog_visit_head_id_head')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_worklog_visit_household_id_household')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worklog_visit')),
    sa.UniqueConstraint('head_id', 'month', 'household_id', name=op.f('uq_worklog_visit_head_id_month_household_id'))
    )
    op.create_table('worklog_patrol_change',
    sa.Column('patrol_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('set_days', sa.Integer(), nullable=False),
    sa.Column('cleared_days', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.BigInteger(), nullable=False),
    sa.Column('user_name', sa.String(length=60), nullable=False),
    sa.Column('source', sa.Enum('grid', 'import', 'demo', name='patrolsource', native_enum=False, length=8), nullable=False),
    sa.ForeignKeyConstraint(['patrol_id'], ['worklog_patrol.id'], name=op.f('fk_worklog_patrol_change_patrol_id_worklog_patrol')),
    sa.PrimaryKeyConstraint('patrol_id', 'seq', name=op.f('pk_worklog_patrol_change')),
    sqlite_with_rowid=False
    )
    op.create_table('worklog_settlement_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('settlement_id', sa.Integer(), nullable=False),
    sa.Column('head_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('times', sa.Integer(), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('requested', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('reversal_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['entry_id'], ['ledger_entry.id'], name=op.f('fk_worklog_settlement_line_entry_id_ledger_entry')),
    sa.ForeignKeyConstraint(['head_id'], ['head.id'], name=op.f('fk_worklog_settlement_line_head_id_head')),
    sa.ForeignKeyConstraint(['reversal_id'], ['ledger_entry.id'], name=op.f('fk_worklog_settlement_line_reversal_id_ledger_entry')),
    sa.ForeignKeyConstraint(['rule_id'], ['points_rule.id'], name=op.f('fk_worklog_settlement_line_rule_id_points_rule')),
    sa.ForeignKeyConstraint(['settlement_id'], ['worklog_settlement.id'], name=op.f('fk_worklog_settlement_line_settlement_id_worklog_settlement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worklog_settlement_line')),
    sa.UniqueConstraint('entry_id', name=op.f('uq_worklog_settlement_line_entry_id')),
    sa.UniqueConstraint('head_id', 'month', 'rule_id', 'revision', name=op.f('uq_worklog_settlement_line_head_id_month_rule_id_revision'))
    )
    dialect = op.get_bind().dialect.name
    for table in APPEND_ONLY:
        for statement in create_triggers(table, REFUSAL, dialect):
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in APPEND_ONLY:
        for statement in drop_triggers(table, dialect):
            op.execute(statement)
    op.drop_table('worklog_settlement_line')
    op.drop_table('worklog_patrol_change')
    op.drop_table('worklog_visit')
    op.drop_table('worklog_summary')
    with op.batch_alter_table('worklog_settlement_exclusion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_worklog_settlement_exclusion_settlement_id'))

    op.drop_table('worklog_settlement_exclusion')
    op.drop_table('worklog_patrol')
    with op.batch_alter_table('worklog_matter', schema=None) as batch_op:
        batch_op.drop_index('ix_worklog_matter_village_day')
        batch_op.drop_index(batch_op.f('ix_worklog_matter_head_id'))

    op.drop_table('worklog_matter')
    with op.batch_alter_table('worklog_finding', schema=None) as batch_op:
        batch_op.drop_index('ix_worklog_finding_head_day')

    op.drop_table('worklog_finding')
    with op.batch_alter_table('worklog_settlement', schema=None) as batch_op:
        batch_op.drop_index('ix_worklog_settlement_village_month')

    op.drop_table('worklog_settlement')
