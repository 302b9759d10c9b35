"""the rectification ledger 整改台账: problems, their append-only hash-chained events, photos and
points; the default categories and sources; 包村干部's assigned villages; 门前三包 pledge returns

Revision ID: 0008_problems
Revises: 0007_stored_files
Create Date: 2026-12-01
"""


from alembic import op
import sqlalchemy as sa

from models.core import clock
from models.core.append_only import create_triggers, drop_triggers


revision = '0008_problems'
down_revision = '0007_stored_files'
branch_labels = None
depends_on = None

APPEND_ONLY = {
    "problem_event": "整改台账的记录只能追加，不能修改或删除；更正请登记新的一步。",
    "problem_photo": "整改问题的照片只能追加，不能修改或删除。",
    "problem_points": "整改问题的积分记录只能追加，不能修改或删除。",
}
# The report's field: what the inspections find, and the days a fix is given by default.
CATEGORIES = (("垃圾乱堆乱放", 3), ("柴草乱堆", 7), ("污水乱排", 7), ("私搭乱建", 15),
              ("畜禽散养", 5), ("门前卫生", 2), ("设施损坏", 10), ("秩序维护", 3), ("其他", 7))
# Where problems come from (report); a notice from above is fixed faster.
SOURCES = (("街道巡查", None), ("随手拍（拍客群）", None), ("片区长胡同长巡查", None),
           ("群众反映", None), ("上级通报", 3))


def upgrade() -> None:
    op.create_table('problem_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=30), nullable=False),
    sa.Column('default_days', sa.Integer(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_problem_category')),
    sa.UniqueConstraint('name', name=op.f('uq_problem_category_name'))
    )
    op.create_table('problem_source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=30), nullable=False),
    sa.Column('default_days', sa.Integer(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_problem_source')),
    sa.UniqueConstraint('name', name=op.f('uq_problem_source_name'))
    )
    op.create_table('cadre_village',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('admin_village_id', sa.Integer(), nullable=False),
    sa.Column('assigned_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_cadre_village_account_id_account')),
    sa.ForeignKeyConstraint(['admin_village_id'], ['admin_village.id'], name=op.f('fk_cadre_village_admin_village_id_admin_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cadre_village'))
    )
    with op.batch_alter_table('cadre_village', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cadre_village_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cadre_village_admin_village_id'), ['admin_village_id'], unique=False)
        batch_op.create_index('uq_cadre_village_current', ['account_id', 'admin_village_id'], unique=True, postgresql_where=sa.text('ended_on IS NULL'), sqlite_where=sa.text('ended_on IS NULL'))

    op.create_table('pledge_return',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('returned_on', sa.Date(), nullable=False),
    sa.Column('township_copy', sa.Boolean(), nullable=False),
    sa.Column('village_copy', sa.Boolean(), nullable=False),
    sa.Column('household_copy', sa.Boolean(), nullable=False),
    sa.Column('recorded_by', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_pledge_return_household_id_household')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pledge_return')),
    sa.UniqueConstraint('household_id', 'year', name=op.f('uq_pledge_return_household_id_year'))
    )
    op.create_table('problem',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('admin_village_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('natural_village_id', sa.Integer(), nullable=True),
    sa.Column('zone_id', sa.Integer(), nullable=True),
    sa.Column('alley_id', sa.Integer(), nullable=True),
    sa.Column('household_id', sa.Integer(), nullable=True),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('found_on', sa.Date(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('reporter', sa.String(length=60), nullable=False),
    sa.Column('status', sa.Enum('registered', 'assigned', 'rectified', 'verified', 'escalated', 'closed', name='status', native_enum=False, length=12), nullable=False),
    sa.Column('responsible', sa.Enum('household', 'head', 'village', name='responsible', native_enum=False, length=12), nullable=True),
    sa.Column('responsible_household_id', sa.Integer(), nullable=True),
    sa.Column('responsible_head_id', sa.Integer(), nullable=True),
    sa.Column('responsible_name', sa.String(length=60), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('rectified_on', sa.Date(), nullable=True),
    sa.Column('escalated', sa.Boolean(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('outcome', sa.Enum('on_time', 'late', 'refused', name='outcome', native_enum=False, length=12), nullable=True),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['admin_village_id'], ['admin_village.id'], name=op.f('fk_problem_admin_village_id_admin_village')),
    sa.ForeignKeyConstraint(['alley_id'], ['alley.id'], name=op.f('fk_problem_alley_id_alley')),
    sa.ForeignKeyConstraint(['category_id'], ['problem_category.id'], name=op.f('fk_problem_category_id_problem_category')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_problem_household_id_household')),
    sa.ForeignKeyConstraint(['natural_village_id'], ['natural_village.id'], name=op.f('fk_problem_natural_village_id_natural_village')),
    sa.ForeignKeyConstraint(['responsible_head_id'], ['head.id'], name=op.f('fk_problem_responsible_head_id_head')),
    sa.ForeignKeyConstraint(['responsible_household_id'], ['household.id'], name=op.f('fk_problem_responsible_household_id_household')),
    sa.ForeignKeyConstraint(['source_id'], ['problem_source.id'], name=op.f('fk_problem_source_id_problem_source')),
    sa.ForeignKeyConstraint(['zone_id'], ['zone.id'], name=op.f('fk_problem_zone_id_zone')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_problem')),
    sa.UniqueConstraint('admin_village_id', 'year', 'serial', name=op.f('uq_problem_admin_village_id_year_serial'))
    )
    with op.batch_alter_table('problem', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_problem_admin_village_id'), ['admin_village_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_problem_found_on'), ['found_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_problem_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_problem_responsible_head_id'), ['responsible_head_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_problem_status'), ['status'], unique=False)

    op.create_table('problem_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('problem_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('register', 'assign', 'rectify', 'pass', 'send_back', 'escalate', 'return', 'close', 'reopen', name='eventkind', native_enum=False, length=12), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('operator_name', sa.String(length=60), nullable=False),
    sa.Column('operator_role', sa.String(length=20), nullable=False),
    sa.Column('operator_user_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('photos', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['problem_id'], ['problem.id'], name=op.f('fk_problem_event_problem_id_problem')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_problem_event')),
    sa.UniqueConstraint('problem_id', 'seq', name=op.f('uq_problem_event_problem_id_seq'))
    )
    op.create_table('problem_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('problem_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('stored_file_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('before', 'after', name='stage', native_enum=False, length=8), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['problem_event.id'], name=op.f('fk_problem_photo_event_id_problem_event')),
    sa.ForeignKeyConstraint(['problem_id'], ['problem.id'], name=op.f('fk_problem_photo_problem_id_problem')),
    sa.ForeignKeyConstraint(['stored_file_id'], ['stored_file.id'], name=op.f('fk_problem_photo_stored_file_id_stored_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_problem_photo'))
    )
    with op.batch_alter_table('problem_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_problem_photo_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_problem_photo_problem_id'), ['problem_id'], unique=False)

    op.create_table('problem_points',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('problem_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('on_time', 'late', 'refused', name='outcome', native_enum=False, length=12), nullable=False),
    sa.Column('ledger_entry_id', sa.Integer(), nullable=False),
    sa.Column('head_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['head_id'], ['head.id'], name=op.f('fk_problem_points_head_id_head')),
    sa.ForeignKeyConstraint(['ledger_entry_id'], ['ledger_entry.id'], name=op.f('fk_problem_points_ledger_entry_id_ledger_entry')),
    sa.ForeignKeyConstraint(['problem_id'], ['problem.id'], name=op.f('fk_problem_points_problem_id_problem')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_problem_points')),
    sa.UniqueConstraint('ledger_entry_id', name=op.f('uq_problem_points_ledger_entry_id')),
    sa.UniqueConstraint('problem_id', 'outcome', name=op.f('uq_problem_points_problem_id_outcome'))
    )
    with op.batch_alter_table('problem_points', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_problem_points_head_id'), ['head_id'], unique=False)
    dialect = op.get_bind().dialect.name
    for table, refusal in APPEND_ONLY.items():
        for statement in create_triggers(table, refusal, dialect):
            op.execute(statement)
    now = clock.utcnow()
    for table, rows in (("problem_category", CATEGORIES), ("problem_source", SOURCES)):
        op.bulk_insert(sa.table(table, sa.column("name"), sa.column("default_days"),
                                sa.column("sort_order"), sa.column("active"),
                                sa.column("created_at")),
                       [dict(name=name, default_days=days, sort_order=order, active=True,
                             created_at=now) for order, (name, days) in enumerate(rows, 1)])


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in APPEND_ONLY:
        for statement in drop_triggers(table, dialect):
            op.execute(statement)
    with op.batch_alter_table('problem_points', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_problem_points_head_id'))

    op.drop_table('problem_points')
    with op.batch_alter_table('problem_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_problem_photo_problem_id'))
        batch_op.drop_index(batch_op.f('ix_problem_photo_event_id'))

    op.drop_table('problem_photo')
    op.drop_table('problem_event')
    with op.batch_alter_table('problem', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_problem_status'))
        batch_op.drop_index(batch_op.f('ix_problem_responsible_head_id'))
        batch_op.drop_index(batch_op.f('ix_problem_household_id'))
        batch_op.drop_index(batch_op.f('ix_problem_found_on'))
        batch_op.drop_index(batch_op.f('ix_problem_admin_village_id'))

    op.drop_table('problem')
    op.drop_table('pledge_return')
    with op.batch_alter_table('cadre_village', schema=None) as batch_op:
        batch_op.drop_index('uq_cadre_village_current', postgresql_where=sa.text('ended_on IS NULL'), sqlite_where=sa.text('ended_on IS NULL'))
        batch_op.drop_index(batch_op.f('ix_cadre_village_admin_village_id'))
        batch_op.drop_index(batch_op.f('ix_cadre_village_account_id'))

    op.drop_table('cadre_village')
    op.drop_table('problem_source')
    op.drop_table('problem_category')
