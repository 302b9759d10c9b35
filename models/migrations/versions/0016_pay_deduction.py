"""one pay deduction per list entry, enforced by a unique index. Deductions recorded twice
before this revision are reported and kept (money records are never deleted); the index leaves
exactly those later duplicates out, so every new one is refused by the database.

Revision ID: 0016_pay_deduction
Revises: 0015_org_rules
Create Date: 2026-12-01
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0016_pay_deduction"
down_revision = "0015_org_rules"
branch_labels = None
depends_on = None

log = logging.getLogger("cunzhi.migrations")
INDEX = "uq_ranking_pay_deduction_entry_id"


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT d.id, d.entry_id, d.secretary_name, d.month, d.amount FROM ranking_pay_deduction d "
        "ORDER BY d.entry_id, d.id")).all()
    kept: set[int] = set()
    later = []
    for row in rows:
        if row.entry_id in kept:
            later.append(row.id)
            log.warning("升级时发现同一榜单记录重复扣发绩效补贴（未改动，请人工核对）：%s %s 月扣发 %s 元，"
                        "扣发记录编号 %s。", row.secretary_name, row.month, row.amount, row.id)
        kept.add(row.entry_id)
    with op.batch_alter_table("ranking_pay_deduction") as batch:
        batch.drop_index("ix_ranking_pay_deduction_entry_id")
    where = sa.text(f"id NOT IN ({', '.join(map(str, later))})") if later else None
    op.create_index(INDEX, "ranking_pay_deduction", ["entry_id"], unique=True,
                    sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    op.drop_index(INDEX, "ranking_pay_deduction")
    op.create_index("ix_ranking_pay_deduction_entry_id", "ranking_pay_deduction", ["entry_id"])
