"""organisation, settings and audit

Revision ID: 0001
Revises: 
Create Date: 2026-11-29
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('user_name', sa.String(length=60), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.Text(), nullable=False),
    sa.Column('after', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_village_id'), ['village_id'], unique=False)

    op.create_table('setting',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('township',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('county', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_township'))
    )
    op.create_table('admin_village',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('secretary_name', sa.String(length=40), nullable=False),
    sa.Column('secretary_phone', sa.String(length=20), nullable=False),
    sa.Column('supervision_phone', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_admin_village_township_id_township')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_village'))
    )
    with op.batch_alter_table('admin_village', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admin_village_township_id'), ['township_id'], unique=False)

    op.create_table('natural_village',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('admin_village_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['admin_village_id'], ['admin_village.id'], name=op.f('fk_natural_village_admin_village_id_admin_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_natural_village'))
    )
    with op.batch_alter_table('natural_village', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_natural_village_admin_village_id'), ['admin_village_id'], unique=False)

    op.create_table('zone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('natural_village_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['natural_village_id'], ['natural_village.id'], name=op.f('fk_zone_natural_village_id_natural_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zone'))
    )
    with op.batch_alter_table('zone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_zone_natural_village_id'), ['natural_village_id'], unique=False)

    op.create_table('alley',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['zone_id'], ['zone.id'], name=op.f('fk_alley_zone_id_zone')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alley'))
    )
    with op.batch_alter_table('alley', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alley_zone_id'), ['zone_id'], unique=False)

    op.create_table('household',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alley_id', sa.Integer(), nullable=False),
    sa.Column('householder_name', sa.String(length=40), nullable=False),
    sa.Column('address', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('removed_on', sa.Date(), nullable=True),
    sa.Column('removal_reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alley_id'], ['alley.id'], name=op.f('fk_household_alley_id_alley')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household'))
    )
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.create_index('ix_household_active_alley', ['alley_id'], unique=False, postgresql_where=sa.text('removed_on IS NULL'), sqlite_where=sa.text('removed_on IS NULL'))
        batch_op.create_index(batch_op.f('ix_household_alley_id'), ['alley_id'], unique=False)

    op.create_table('resident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('relation', sa.String(length=10), nullable=False),
    sa.Column('gender', sa.String(length=2), nullable=False),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('is_party_member', sa.Boolean(), nullable=False),
    sa.Column('name_initials', sa.String(length=80), nullable=False),
    sa.Column('name_pinyin', sa.String(length=200), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('removed_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_resident_household_id_household')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resident'))
    )
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resident_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resident_name_initials'), ['name_initials'], unique=False)

    op.create_table('head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('zone', 'alley', name='headrole', native_enum=False, length=10), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=True),
    sa.Column('alley_id', sa.Integer(), nullable=True),
    sa.Column('admin_village_id', sa.Integer(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('end_reason', sa.String(length=200), nullable=False),
    sa.Column('chosen_on', sa.Date(), nullable=False),
    sa.Column('chosen_method', sa.String(length=60), nullable=False),
    sa.Column('proposer', sa.String(length=60), nullable=False),
    sa.Column('vest_issued_on', sa.Date(), nullable=True),
    sa.Column('work_id_issued_on', sa.Date(), nullable=True),
    sa.Column('work_id_number', sa.String(length=30), nullable=False),
    sa.Column('photo_path', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['admin_village_id'], ['admin_village.id'], name=op.f('fk_head_admin_village_id_admin_village')),
    sa.ForeignKeyConstraint(['alley_id'], ['alley.id'], name=op.f('fk_head_alley_id_alley')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_head_resident_id_resident')),
    sa.ForeignKeyConstraint(['zone_id'], ['zone.id'], name=op.f('fk_head_zone_id_zone')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_head'))
    )
    with op.batch_alter_table('head', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_head_admin_village_id'), ['admin_village_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_head_alley_id'), ['alley_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_head_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_head_zone_id'), ['zone_id'], unique=False)
        batch_op.create_index('uq_head_open_alley', ['alley_id'], unique=True, postgresql_where=sa.text("ended_on IS NULL AND role = 'alley'"), sqlite_where=sa.text("ended_on IS NULL AND role = 'alley'"))
        batch_op.create_index('uq_head_open_zone', ['zone_id'], unique=True, postgresql_where=sa.text("ended_on IS NULL AND role = 'zone'"), sqlite_where=sa.text("ended_on IS NULL AND role = 'zone'"))



def downgrade() -> None:
    with op.batch_alter_table('head', schema=None) as batch_op:
        batch_op.drop_index('uq_head_open_zone', postgresql_where=sa.text("ended_on IS NULL AND role = 'zone'"), sqlite_where=sa.text("ended_on IS NULL AND role = 'zone'"))
        batch_op.drop_index('uq_head_open_alley', postgresql_where=sa.text("ended_on IS NULL AND role = 'alley'"), sqlite_where=sa.text("ended_on IS NULL AND role = 'alley'"))
        batch_op.drop_index(batch_op.f('ix_head_zone_id'))
        batch_op.drop_index(batch_op.f('ix_head_resident_id'))
        batch_op.drop_index(batch_op.f('ix_head_alley_id'))
        batch_op.drop_index(batch_op.f('ix_head_admin_village_id'))

    op.drop_table('head')
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resident_name_initials'))
        batch_op.drop_index(batch_op.f('ix_resident_household_id'))

    op.drop_table('resident')
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_alley_id'))
        batch_op.drop_index('ix_household_active_alley', postgresql_where=sa.text('removed_on IS NULL'), sqlite_where=sa.text('removed_on IS NULL'))

    op.drop_table('household')
    with op.batch_alter_table('alley', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alley_zone_id'))

    op.drop_table('alley')
    with op.batch_alter_table('zone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zone_natural_village_id'))

    op.drop_table('zone')
    with op.batch_alter_table('natural_village', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_natural_village_admin_village_id'))

    op.drop_table('natural_village')
    with op.batch_alter_table('admin_village', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_admin_village_township_id'))

    op.drop_table('admin_village')
    op.drop_table('township')
    op.drop_table('setting')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_village_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))
        batch_op.drop_index(batch_op.f('ix_audit_log_action'))

    op.drop_table('audit_log')
