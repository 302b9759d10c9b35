"""goods, stock ledger and redemptions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('goods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('admin_village_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('unit', sa.String(length=10), nullable=False),
    sa.Column('price_points', sa.Integer(), nullable=False),
    sa.Column('picture_path', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('stock', sa.Integer(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('price_points > 0', name=op.f('ck_goods_price_positive')),
    sa.CheckConstraint('stock >= 0', name=op.f('ck_goods_stock_not_negative')),
    sa.ForeignKeyConstraint(['admin_village_id'], ['admin_village.id'], name=op.f('fk_goods_admin_village_id_admin_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goods')),
    sa.UniqueConstraint('admin_village_id', 'name', name=op.f('uq_goods_admin_village_id_name'))
    )
    with op.batch_alter_table('goods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goods_admin_village_id'), ['admin_village_id'], unique=False)

    op.create_table('receipt_sequence',
    sa.Column('admin_village_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['admin_village_id'], ['admin_village.id'], name=op.f('fk_receipt_sequence_admin_village_id_admin_village')),
    sa.PrimaryKeyConstraint('admin_village_id', 'year', name=op.f('pk_receipt_sequence'))
    )
    op.create_table('redemption',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('admin_village_id', sa.Integer(), nullable=False),
    sa.Column('head_id', sa.Integer(), nullable=False),
    sa.Column('total_points', sa.Integer(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('done', 'cancelled', name='redemptionstatus', native_enum=False, length=10), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('idempotency_key', sa.String(length=100), nullable=True),
    sa.Column('entered_by', sa.String(length=60), nullable=False),
    sa.Column('entered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_by', sa.String(length=60), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['admin_village_id'], ['admin_village.id'], name=op.f('fk_redemption_admin_village_id_admin_village')),
    sa.ForeignKeyConstraint(['entry_id'], ['ledger_entry.id'], name=op.f('fk_redemption_entry_id_ledger_entry')),
    sa.ForeignKeyConstraint(['head_id'], ['head.id'], name=op.f('fk_redemption_head_id_head')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redemption')),
    sa.UniqueConstraint('admin_village_id', 'number', name=op.f('uq_redemption_admin_village_id_number')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_redemption_idempotency_key'))
    )
    with op.batch_alter_table('redemption', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_redemption_admin_village_id'), ['admin_village_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_redemption_head_id'), ['head_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_redemption_occurred_on'), ['occurred_on'], unique=False)
        batch_op.create_index('ix_redemption_village_day', ['admin_village_id', 'occurred_on'], unique=False)

    op.create_table('redemption_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('redemption_id', sa.Integer(), nullable=False),
    sa.Column('goods_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('unit', sa.String(length=10), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('price_points', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_redemption_line_quantity_positive')),
    sa.ForeignKeyConstraint(['goods_id'], ['goods.id'], name=op.f('fk_redemption_line_goods_id_goods')),
    sa.ForeignKeyConstraint(['redemption_id'], ['redemption.id'], name=op.f('fk_redemption_line_redemption_id_redemption')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redemption_line'))
    )
    with op.batch_alter_table('redemption_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_redemption_line_goods_id'), ['goods_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_redemption_line_redemption_id'), ['redemption_id'], unique=False)

    op.create_table('stock_movement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('goods_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('purchase', 'donation', 'write_off', 'count', 'redemption', 'cancellation', name='movementkind', native_enum=False, length=20), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('value_fen', sa.Integer(), nullable=False),
    sa.Column('donor', sa.String(length=80), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('counted', sa.Integer(), nullable=True),
    sa.Column('redemption_id', sa.Integer(), nullable=True),
    sa.Column('entered_by', sa.String(length=60), nullable=False),
    sa.Column('entered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['goods_id'], ['goods.id'], name=op.f('fk_stock_movement_goods_id_goods')),
    sa.ForeignKeyConstraint(['redemption_id'], ['redemption.id'], name=op.f('fk_stock_movement_redemption_id_redemption')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_movement'))
    )
    with op.batch_alter_table('stock_movement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_movement_goods_id'), ['goods_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_movement_occurred_on'), ['occurred_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_movement_redemption_id'), ['redemption_id'], unique=False)

def downgrade() -> None:
    with op.batch_alter_table('stock_movement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_movement_redemption_id'))
        batch_op.drop_index(batch_op.f('ix_stock_movement_occurred_on'))
        batch_op.drop_index(batch_op.f('ix_stock_movement_goods_id'))

    op.drop_table('stock_movement')
    with op.batch_alter_table('redemption_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_redemption_line_redemption_id'))
        batch_op.drop_index(batch_op.f('ix_redemption_line_goods_id'))

    op.drop_table('redemption_line')
    with op.batch_alter_table('redemption', schema=None) as batch_op:
        batch_op.drop_index('ix_redemption_village_day')
        batch_op.drop_index(batch_op.f('ix_redemption_occurred_on'))
        batch_op.drop_index(batch_op.f('ix_redemption_head_id'))
        batch_op.drop_index(batch_op.f('ix_redemption_admin_village_id'))

    op.drop_table('redemption')
    op.drop_table('receipt_sequence')
    with op.batch_alter_table('goods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goods_admin_village_id'))

    op.drop_table('goods')
