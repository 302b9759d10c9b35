"""paper: the register of document numbers given to official notices (issued_number), append-only

Revision ID: 0010_paper
Revises: 0009_worklog
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa

from models.core.append_only import create_triggers, drop_triggers

revision = '0010_paper'
down_revision = '0009_worklog'
branch_labels = None
depends_on = None

REFUSAL = "已编排的发文字号不能修改或删除。"


def upgrade() -> None:
    op.create_table('issued_number',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('taken_by', sa.String(length=60), nullable=False),
    sa.Column('admin_village_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['admin_village_id'], ['admin_village.id'], name=op.f('fk_issued_number_admin_village_id_admin_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_number')),
    sa.UniqueConstraint('code', 'year', 'sequence', name=op.f('uq_issued_number_code_year_sequence'))
    )
    with op.batch_alter_table('issued_number', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issued_number_subject'), ['subject'], unique=False)
        batch_op.create_index(batch_op.f('ix_issued_number_admin_village_id'), ['admin_village_id'], unique=False)
    for statement in create_triggers('issued_number', REFUSAL, op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_triggers('issued_number', op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_table('issued_number')
