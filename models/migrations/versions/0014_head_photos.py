"""heads' photos: head_photo, append-only, the bytes in stored_file

Revision ID: 0014_head_photos
Revises: 0013_evidence_files
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa

from models.core.append_only import create_triggers, drop_triggers

revision = '0014_head_photos'
down_revision = '0013_evidence_files'
branch_labels = None
depends_on = None

REFUSAL = "负责人的照片只能追加（换照片即新增一张），不能修改或删除。"


def upgrade() -> None:
    op.create_table('head_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('stored_file_id', sa.Integer(), nullable=False),
    sa.Column('attached_by', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_head_photo_resident_id_resident')),
    sa.ForeignKeyConstraint(['stored_file_id'], ['stored_file.id'], name=op.f('fk_head_photo_stored_file_id_stored_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_head_photo'))
    )
    with op.batch_alter_table('head_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_head_photo_resident_id'), ['resident_id'], unique=False)
    for statement in create_triggers('head_photo', REFUSAL, op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_triggers('head_photo', op.get_bind().dialect.name):
        op.execute(statement)
    with op.batch_alter_table('head_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_head_photo_resident_id'))
    op.drop_table('head_photo')
