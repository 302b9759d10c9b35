"""tamper evidence for every ledger: the audit trail chained per village, the stock ledger
chained per goods item, passbooks never deleted, pay deductions append-only, chain heads in
chain_head

Revision ID: 0017_hardening
Revises: 0016_pay_deduction
Create Date: 2026-12-01
"""

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from models.core.append_only import (
    create_frozen_triggers,
    create_triggers,
    drop_frozen_triggers,
    drop_triggers,
)
from models.core.audit import CHAINED as AUDIT_CHAIN
from models.core.audit import AuditLog
from models.core.chain import GENESIS
from models.store.tables import MOVEMENT_CHAIN, StockMovement

revision = '0017_hardening'
down_revision = '0016_pay_deduction'
branch_labels = None
depends_on = None

AUDIT_REFUSAL = "操作记录只能追加，不能修改或删除"
# Stock movements are append-only since 0012_server (its wording): the rows already there are
# linked with its triggers lifted for the moment.
STOCK_REFUSAL = "物品出入库记录只能追加，不能修改或删除；更正请另登记一笔出入库或盘点。"
PAY_REFUSAL = "扣发绩效补贴的记录只能追加，不能修改或删除。"
PASSBOOK_REFUSAL = "积分存折不能删除，也不能改换所属的人、年度或村。"
PASSBOOK_IDENTITY = ("id", "resident_id", "year", "admin_village_id", "opened_on", "created_at")
# The audit trail's triggers as 0004 made them (SQLite's are the helper's, word for word).
_OLD_AUDIT_TRIGGERS = {
    "sqlite": (drop_triggers("audit_log", "sqlite"),
               create_triggers("audit_log", AUDIT_REFUSAL, "sqlite")),
    "postgresql": (
        ["DROP TRIGGER audit_log_no_change ON audit_log",
         "DROP TRIGGER audit_log_no_truncate ON audit_log",
         "DROP FUNCTION audit_log_append_only()"],
        ["CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
         f"BEGIN RAISE EXCEPTION '{AUDIT_REFUSAL}'; END $$",
         "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
         "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
         "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
         "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"]),
}
BATCH = 5000


def _link_columns(table: str) -> None:
    op.add_column(table, sa.Column('chain_seq', sa.Integer(), nullable=False, server_default='0'))
    op.add_column(table, sa.Column('prev_hash', sa.String(length=64), nullable=False,
                                   server_default=''))
    op.add_column(table, sa.Column('hash', sa.String(length=64), nullable=False, server_default=''))


def _chain_existing(bind, table: sa.Table, chained, order, key_of) -> dict:  # type: ignore[no-untyped-def]
    """Link the rows already there, in the order they were written; returns each chain's head."""
    heads: dict[int, tuple[int, str]] = defaultdict(lambda: (0, GENESIS))
    # Every hashed field but the link's own new columns (the audit trail's chain_key is new too).
    columns = [table.c[name] for name in chained.fields if name not in ("chain_seq", "chain_key")]
    pending = []
    update = sa.text(f"UPDATE {table.name} SET {chained.key} = :key, chain_seq = :seq, "
                     "prev_hash = :prev, hash = :hash WHERE id = :id")
    for row in bind.execute(sa.select(table.c.id, *columns).order_by(*order)).mappings().all():
        values = dict(row)
        key = key_of(values)
        seq, last = heads[key]
        values[chained.key] = key
        chained.link(values, seq + 1, last)
        heads[key] = (seq + 1, values[chained.hash])
        pending.append({"id": values["id"], "key": key, "seq": seq + 1,
                        "prev": values[chained.prev], "hash": values[chained.hash]})
        if len(pending) >= BATCH:
            bind.execute(update, pending)
            pending.clear()
    if pending:
        bind.execute(update, pending)
    return heads


def upgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    op.create_table('chain_head',
    sa.Column('ledger', sa.String(length=30), nullable=False),
    sa.Column('chain_key', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('ledger', 'chain_key', name=op.f('pk_chain_head'))
    )

    # The audit trail: one chain per village, the rows already there linked in id order.
    for statement in _OLD_AUDIT_TRIGGERS[dialect][0]:
        op.execute(statement)
    op.add_column('audit_log', sa.Column('chain_key', sa.Integer(), nullable=False,
                                         server_default='0'))
    _link_columns('audit_log')
    audit = AuditLog.__table__
    heads = _chain_existing(bind, audit, AUDIT_CHAIN, [audit.c.id],
                            lambda row: row["village_id"] or 0)
    if heads:
        bind.execute(sa.text("INSERT INTO chain_head (ledger, chain_key, seq, hash) "
                             "VALUES (:ledger, :key, :seq, :hash)"),
                     [{"ledger": AUDIT_CHAIN.ledger, "key": key, "seq": seq, "hash": last}
                      for key, (seq, last) in heads.items()])
    op.create_index('uq_audit_log_chain_key_chain_seq', 'audit_log', ['chain_key', 'chain_seq'],
                    unique=True)
    for statement in create_triggers('audit_log', AUDIT_REFUSAL, dialect):
        op.execute(statement)

    # The stock ledger: one chain per goods item, its head on the goods row.
    op.add_column('goods', sa.Column('movement_seq', sa.Integer(), nullable=False,
                                     server_default='0'))
    op.add_column('goods', sa.Column('movement_hash', sa.String(length=64), nullable=False,
                                     server_default=GENESIS))
    for statement in drop_triggers('stock_movement', dialect):
        op.execute(statement)
    _link_columns('stock_movement')
    movements = StockMovement.__table__
    heads = _chain_existing(bind, movements, MOVEMENT_CHAIN,
                            [movements.c.goods_id, movements.c.id], lambda row: row["goods_id"])
    if heads:
        bind.execute(sa.text("UPDATE goods SET movement_seq = :seq, movement_hash = :hash "
                             "WHERE id = :key"),
                     [{"key": key, "seq": seq, "hash": last} for key, (seq, last) in heads.items()])
    op.create_index('uq_stock_movement_goods_id_chain_seq', 'stock_movement',
                    ['goods_id', 'chain_seq'], unique=True)
    for statement in create_triggers('stock_movement', STOCK_REFUSAL, dialect):
        op.execute(statement)

    for statement in create_frozen_triggers('passbook', PASSBOOK_IDENTITY, PASSBOOK_REFUSAL,
                                            dialect):
        op.execute(statement)
    # Money once deducted stays recorded (its audit row is its witness in `check`).
    for statement in create_triggers('ranking_pay_deduction', PAY_REFUSAL, dialect):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in drop_triggers('ranking_pay_deduction', dialect):
        op.execute(statement)
    for statement in drop_frozen_triggers('passbook', dialect):
        op.execute(statement)
    for statement in drop_triggers('stock_movement', dialect):
        op.execute(statement)
    op.drop_index('uq_stock_movement_goods_id_chain_seq', table_name='stock_movement')
    for column in ('hash', 'prev_hash', 'chain_seq'):
        op.execute(f"ALTER TABLE stock_movement DROP COLUMN {column}")
    for column in ('movement_hash', 'movement_seq'):
        op.execute(f"ALTER TABLE goods DROP COLUMN {column}")
    for statement in create_triggers('stock_movement', STOCK_REFUSAL, dialect):
        op.execute(statement)
    for statement in drop_triggers('audit_log', dialect):
        op.execute(statement)
    op.drop_index('uq_audit_log_chain_key_chain_seq', table_name='audit_log')
    for column in ('hash', 'prev_hash', 'chain_seq', 'chain_key'):
        op.execute(f"ALTER TABLE audit_log DROP COLUMN {column}")
    for statement in _OLD_AUDIT_TRIGGERS[dialect][1]:
        op.execute(statement)
    op.drop_table('chain_head')
