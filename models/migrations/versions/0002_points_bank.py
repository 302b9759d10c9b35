"""points bank: rules catalogue (with the default 积分细则), passbooks, append-only ledger

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from alembic import op
import sqlalchemy as sa

from models.core import clock

# The ledger is append-only: the database itself refuses to change or remove an entry, and
# refuses any entry after a passbook's year-end entry.
REFUSE_CHANGE = "积分流水只能追加，不能修改或删除；更正请登记冲正。"
REFUSE_CLOSED = "该年度积分存折已结转，不能再登记。"
SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON ledger_entry
    BEGIN SELECT RAISE(ABORT, '{REFUSE_CHANGE}'); END""",
    f"""CREATE TRIGGER ledger_entry_no_delete BEFORE DELETE ON ledger_entry
    BEGIN SELECT RAISE(ABORT, '{REFUSE_CHANGE}'); END""",
    f"""CREATE TRIGGER ledger_entry_closed_year BEFORE INSERT ON ledger_entry
    WHEN EXISTS (SELECT 1 FROM ledger_entry WHERE passbook_id = NEW.passbook_id
                 AND kind = 'year_close')
    BEGIN SELECT RAISE(ABORT, '{REFUSE_CLOSED}'); END""",
)
PG_TRIGGERS = (
    f"""CREATE FUNCTION ledger_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '{REFUSE_CHANGE}'; END $$""",
    """CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON ledger_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_refuse_change()""",
    """CREATE TRIGGER ledger_entry_no_truncate BEFORE TRUNCATE ON ledger_entry
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_entry_refuse_change()""",
    f"""CREATE FUNCTION ledger_entry_refuse_closed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM ledger_entry WHERE passbook_id = NEW.passbook_id
                 AND kind = 'year_close') THEN
        RAISE EXCEPTION '{REFUSE_CLOSED}';
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE TRIGGER ledger_entry_closed_year BEFORE INSERT ON ledger_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_refuse_closed()""",
)

# The default 积分细则 drawn from the report: (code, text, points, category, evidence, limit).
DEFAULT_RULES = (
    ("A01", "完成当日环境卫生巡查", 1, "日常履职", False, "day"),
    ("A02", "按时完成每周问题汇总", 2, "日常履职", False, "week"),
    ("A03", "完成每月入户走访、收集群众意见", 3, "日常履职", False, "month"),
    ("A04", "发现问题并按期整改销号", 2, "问题整改", False, None),
    ("A05", "成功调解矛盾纠纷", 3, "七个管理员", False, None),
    ("A06", "带头参加集中整治、志愿服务活动", 2, "七个管理员", False, None),
    ("A07", "所负责片区（胡同）上红榜", 5, "红黑榜", False, "month"),
    ("A08", "受到镇（街道）通报表彰", 10, "上级表彰通报", True, None),
    ("A09", "受到县级以上表彰", 20, "上级表彰通报", True, None),
    ("D01", "未按要求开展每日巡查", -1, "日常履职", False, "day"),
    ("D02", "未按时上报每周汇总", -2, "日常履职", False, "week"),
    ("D03", "未完成每月入户走访", -3, "日常履职", False, "month"),
    ("D04", "发现的问题未按期整改", -3, "问题整改", True, None),
    ("D05", "拒不整改，被街道督办", -5, "问题整改", True, None),
    ("D06", "所负责片区（胡同）上黑榜", -5, "红黑榜", False, "month"),
    ("D07", "被镇（街道）通报批评", -10, "上级表彰通报", True, None),
    ("D08", "被县级以上通报批评", -20, "上级表彰通报", True, None),
)


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('points_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('evidence_required', sa.Boolean(), nullable=False),
    sa.Column('limit_count', sa.Integer(), nullable=True),
    sa.Column('limit_period', sa.Enum('day', 'week', 'month', 'year', name='limitperiod', native_enum=False, length=12), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_rule')),
    sa.UniqueConstraint('code', name=op.f('uq_points_rule_code'))
    )
    op.create_table('points_closed_year',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_by', sa.String(length=60), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_points_closed_year'))
    )
    op.create_table('passbook',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('head_id', sa.Integer(), nullable=True),
    sa.Column('admin_village_id', sa.Integer(), nullable=False),
    sa.Column('opening', sa.Integer(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('spent', sa.Integer(), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['admin_village_id'], ['admin_village.id'], name=op.f('fk_passbook_admin_village_id_admin_village')),
    sa.ForeignKeyConstraint(['head_id'], ['head.id'], name=op.f('fk_passbook_head_id_head')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_passbook_resident_id_resident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_passbook')),
    sa.UniqueConstraint('resident_id', 'year', name=op.f('uq_passbook_resident_id_year'))
    )
    with op.batch_alter_table('passbook', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_passbook_admin_village_id'), ['admin_village_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_passbook_year'), ['year'], unique=False)

    op.create_table('ledger_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('passbook_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('opening', 'award', 'deduction', 'redemption', 'reversal', 'year_close', name='entrykind', native_enum=False, length=12), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=True),
    sa.Column('rule_code', sa.String(length=20), nullable=False),
    sa.Column('rule_text', sa.String(length=200), nullable=False),
    sa.Column('rule_points', sa.Integer(), nullable=False),
    sa.Column('requested', sa.Integer(), nullable=False),
    sa.Column('score_delta', sa.Integer(), nullable=False),
    sa.Column('spend_delta', sa.Integer(), nullable=False),
    sa.Column('score_after', sa.Integer(), nullable=False),
    sa.Column('spent_after', sa.Integer(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('operator_name', sa.String(length=60), nullable=False),
    sa.Column('operator_role', sa.String(length=20), nullable=False),
    sa.Column('operator_user_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('evidence_path', sa.Text(), nullable=False),
    sa.Column('evidence_sha256', sa.String(length=64), nullable=False),
    sa.Column('idempotency_key', sa.String(length=100), nullable=True),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['passbook_id'], ['passbook.id'], name=op.f('fk_ledger_entry_passbook_id_passbook')),
    sa.ForeignKeyConstraint(['reverses_id'], ['ledger_entry.id'], name=op.f('fk_ledger_entry_reverses_id_ledger_entry')),
    sa.ForeignKeyConstraint(['rule_id'], ['points_rule.id'], name=op.f('fk_ledger_entry_rule_id_points_rule')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entry')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_ledger_entry_idempotency_key')),
    sa.UniqueConstraint('passbook_id', 'seq', name=op.f('uq_ledger_entry_passbook_id_seq')),
    sa.UniqueConstraint('reverses_id', name=op.f('uq_ledger_entry_reverses_id'))
    )
    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_entry_occurred', ['occurred_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entry_rule_id'), ['rule_id'], unique=False)

    for statement in (SQLITE_TRIGGERS if op.get_bind().dialect.name == "sqlite" else PG_TRIGGERS):
        op.execute(statement)
    op.bulk_insert(sa.table(
        'points_rule', sa.column('code'), sa.column('text'), sa.column('points'),
        sa.column('category'), sa.column('evidence_required'), sa.column('limit_count'),
        sa.column('limit_period'), sa.column('sort_order'), sa.column('created_at'),
    ), [dict(code=code, text=text, points=points, category=category, evidence_required=evidence,
             limit_count=1 if period else None, limit_period=period, sort_order=order,
             created_at=clock.utcnow())
        for order, (code, text, points, category, evidence, period) in enumerate(DEFAULT_RULES)])


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER IF EXISTS ledger_entry_append_only ON ledger_entry")
        op.execute("DROP TRIGGER IF EXISTS ledger_entry_no_truncate ON ledger_entry")
        op.execute("DROP TRIGGER IF EXISTS ledger_entry_closed_year ON ledger_entry")
        op.execute("DROP FUNCTION IF EXISTS ledger_entry_refuse_change()")
        op.execute("DROP FUNCTION IF EXISTS ledger_entry_refuse_closed()")
    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_entry_rule_id'))
        batch_op.drop_index('ix_ledger_entry_occurred')

    op.drop_table('ledger_entry')
    with op.batch_alter_table('passbook', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_passbook_year'))
        batch_op.drop_index(batch_op.f('ix_passbook_admin_village_id'))

    op.drop_table('passbook')
    op.drop_table('points_closed_year')
    op.drop_table('points_rule')
