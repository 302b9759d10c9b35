"""files in the database: stored_file, append-only and content-addressed per village

Revision ID: 0007_stored_files
Revises: 0006
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa

from models.core.append_only import create_triggers, drop_triggers

revision = '0007_stored_files'
down_revision = '0006'
branch_labels = None
depends_on = None

REFUSAL = "已存入的文件和照片只能追加，不能修改或删除。"


def upgrade() -> None:
    op.create_table('stored_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('byte_size', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('taken_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=60), nullable=False),
    sa.Column('admin_village_id', sa.Integer(), nullable=True),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['admin_village_id'], ['admin_village.id'], name=op.f('fk_stored_file_admin_village_id_admin_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_file'))
    )
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stored_file_admin_village_id'), ['admin_village_id'], unique=False)
        batch_op.create_index('uq_stored_file_scope_sha256', [sa.text('coalesce(admin_village_id, 0)'), 'sha256'], unique=True)
    for statement in create_triggers('stored_file', REFUSAL, op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_triggers('stored_file', op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_table('stored_file')
