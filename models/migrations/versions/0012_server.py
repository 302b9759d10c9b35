"""the township server: idempotency keys of retried user actions; where moved-up rows came
from; stock movements append-only in the database itself (so the everyday login gets INSERT and
SELECT only on them)

Revision ID: 0012_server
Revises: 0011_problems_state
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from models.core.append_only import create_triggers, drop_triggers

revision = '0012_server'
down_revision = '0011_problems_state'
branch_labels = None
depends_on = None

MOVED_REFUSAL = "迁入记录只能追加，不能修改或删除。"
STOCK_REFUSAL = "物品出入库记录只能追加，不能修改或删除；更正请另登记一笔出入库或盘点。"


def upgrade() -> None:
    op.create_table('operation_key',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('operation', sa.String(length=60), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_operation_key'))
    )
    op.create_table('moved_row',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=130), nullable=False),
    sa.Column('table_name', sa.String(length=60), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('moved_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moved_row')),
    sa.UniqueConstraint('source', 'table_name', 'source_id', name=op.f('uq_moved_row_source_table_name_source_id'))
    )
    with op.batch_alter_table('moved_row', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moved_row_source'), ['source'], unique=False)
    for statement in create_triggers('moved_row', MOVED_REFUSAL, op.get_bind().dialect.name):
        op.execute(statement)
    for statement in create_triggers('stock_movement', STOCK_REFUSAL, op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for table in ('stock_movement', 'moved_row'):
        for statement in drop_triggers(table, op.get_bind().dialect.name):
            op.execute(statement)
    op.drop_table('moved_row')
    op.drop_table('operation_key')
