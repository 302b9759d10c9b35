"""accounts, and an append-only audit log

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-29
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

_REFUSAL = "操作记录只能追加，不能修改或删除"
_SQLITE_TRIGGERS = [
    f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
    f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END"
    for verb in ("UPDATE", "DELETE")
]
_POSTGRES_TRIGGERS = [
    ("CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
     f"BEGIN RAISE EXCEPTION '{_REFUSAL}'; END $$"),
    ("CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
     "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"),
    ("CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
     "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"),
]


def upgrade() -> None:
    op.create_table('account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=40), nullable=False),
    sa.Column('display_name', sa.String(length=40), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['village_id'], ['admin_village.id'], name=op.f('fk_account_village_id_admin_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account')),
    sa.UniqueConstraint('username', name=op.f('uq_account_username'))
    )
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_village_id'), ['village_id'], unique=False)
    triggers = _SQLITE_TRIGGERS if op.get_bind().dialect.name == "sqlite" else _POSTGRES_TRIGGERS
    for statement in triggers:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER audit_log_no_update")
        op.execute("DROP TRIGGER audit_log_no_delete")
    else:
        op.execute("DROP TRIGGER audit_log_no_change ON audit_log")
        op.execute("DROP TRIGGER audit_log_no_truncate ON audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_village_id'))
    op.drop_table('account')
