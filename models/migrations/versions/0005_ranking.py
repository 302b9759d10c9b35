"""evaluations, red/black lists and their consequences

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ranking_list',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('township_name', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.Enum('month', 'quarter', 'year', name='period', native_enum=False, length=10), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('change_note', sa.Text(), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('publisher', sa.String(length=60), nullable=False),
    sa.Column('doc_number', sa.String(length=40), nullable=False),
    sa.Column('formula', sa.Text(), nullable=False),
    sa.Column('tie_break', sa.Text(), nullable=False),
    sa.Column('unranked', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['supersedes_id'], ['ranking_list.id'], name=op.f('fk_ranking_list_supersedes_id_ranking_list')),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_ranking_list_township_id_township')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ranking_list')),
    sa.UniqueConstraint('township_id', 'kind', 'period', 'version', name=op.f('uq_ranking_list_township_id_kind_period_version'))
    )
    with op.batch_alter_table('ranking_list', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ranking_list_township_id'), ['township_id'], unique=False)

    op.create_table('ranking_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('colour', sa.Enum('red', 'black', name='colour', native_enum=False, length=10), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('unit_name', sa.String(length=60), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('group_name', sa.String(length=120), nullable=False),
    sa.Column('admin_village_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('villagers_score', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('group_size', sa.Integer(), nullable=False),
    sa.Column('head_name', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('resident_names', sa.Text(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['list_id'], ['ranking_list.id'], name=op.f('fk_ranking_entry_list_id_ranking_list')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ranking_entry'))
    )
    with op.batch_alter_table('ranking_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ranking_entry_list_id'), ['list_id'], unique=False)

    op.create_table('ranking_pay_deduction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('admin_village_id', sa.Integer(), nullable=False),
    sa.Column('secretary_name', sa.String(length=40), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('amount', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('recorded_by', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['admin_village_id'], ['admin_village.id'], name=op.f('fk_ranking_pay_deduction_admin_village_id_admin_village')),
    sa.ForeignKeyConstraint(['entry_id'], ['ranking_entry.id'], name=op.f('fk_ranking_pay_deduction_entry_id_ranking_entry')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ranking_pay_deduction'))
    )
    with op.batch_alter_table('ranking_pay_deduction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ranking_pay_deduction_admin_village_id'), ['admin_village_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ranking_pay_deduction_entry_id'), ['entry_id'], unique=False)

    op.create_table('evaluation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('villagers', sa.Numeric(precision=4, scale=1), nullable=True),
    sa.Column('heads', sa.Numeric(precision=4, scale=1), nullable=True),
    sa.Column('secretary', sa.Numeric(precision=4, scale=1), nullable=True),
    sa.Column('entered_by', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['zone_id'], ['zone.id'], name=op.f('fk_evaluation_zone_id_zone')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation')),
    sa.UniqueConstraint('zone_id', 'month', name=op.f('uq_evaluation_zone_id_month'))
    )
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_month'), ['month'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_zone_id'), ['zone_id'], unique=False)

    op.create_table('ranking_points_intent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('head_id', sa.Integer(), nullable=False),
    sa.Column('head_name', sa.String(length=40), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('posted_ref', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['ranking_entry.id'], name=op.f('fk_ranking_points_intent_entry_id_ranking_entry')),
    sa.ForeignKeyConstraint(['head_id'], ['head.id'], name=op.f('fk_ranking_points_intent_head_id_head')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ranking_points_intent'))
    )
    with op.batch_alter_table('ranking_points_intent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ranking_points_intent_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ranking_points_intent_head_id'), ['head_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('ranking_points_intent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ranking_points_intent_head_id'))
        batch_op.drop_index(batch_op.f('ix_ranking_points_intent_entry_id'))

    op.drop_table('ranking_points_intent')
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_zone_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_month'))

    op.drop_table('evaluation')
    with op.batch_alter_table('ranking_pay_deduction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ranking_pay_deduction_entry_id'))
        batch_op.drop_index(batch_op.f('ix_ranking_pay_deduction_admin_village_id'))

    op.drop_table('ranking_pay_deduction')
    with op.batch_alter_table('ranking_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ranking_entry_list_id'))

    op.drop_table('ranking_entry')
    with op.batch_alter_table('ranking_list', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ranking_list_township_id'))

    op.drop_table('ranking_list')
