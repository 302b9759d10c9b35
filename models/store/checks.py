"""`check` invariants of the goods store: the stored stock agrees with the stock ledger, each
redemption with its points entry and its stock movements, receipt numbers have no gaps."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.core.checks import invariant
from models.points.tables import LedgerEntry
from models.store.tables import (
    Goods,
    MovementKind,
    ReceiptSequence,
    Redemption,
    RedemptionLine,
    RedemptionStatus,
    StockMovement,
)


@invariant
def stock_matches_ledger(session: Session) -> list[str]:
    ledger = (select(StockMovement.goods_id, func.sum(StockMovement.quantity).label("total"))
              .group_by(StockMovement.goods_id).subquery())
    rows = session.execute(
        select(Goods.name, Goods.stock, func.coalesce(ledger.c.total, 0))
        .outerjoin(ledger, ledger.c.goods_id == Goods.id)
        .where(Goods.stock != func.coalesce(ledger.c.total, 0))).all()
    return [f"物品“{name}”的库存 {stock} 与出入库台账合计 {total} 不一致。"
            for name, stock, total in rows]


@invariant
def stock_not_negative(session: Session) -> list[str]:
    rows = session.execute(select(Goods.name, Goods.stock).where(Goods.stock < 0)).all()
    return [f"物品“{name}”的库存为负数（{stock}）。" for name, stock in rows]


@invariant
def redemptions_reconcile(session: Session) -> list[str]:
    """Each redemption agrees with its lines, its ledger entry (and reversal when cancelled) and
    its stock movements."""
    lines = dict(session.execute(
        select(RedemptionLine.redemption_id,
               func.sum(RedemptionLine.quantity * RedemptionLine.price_points))
        .group_by(RedemptionLine.redemption_id)).all())
    pieces = dict(session.execute(
        select(RedemptionLine.redemption_id, func.sum(RedemptionLine.quantity))
        .group_by(RedemptionLine.redemption_id)).all())
    moved: dict[tuple[int, MovementKind], int] = {
        (rid, kind): int(total) for rid, kind, total in session.execute(
            select(StockMovement.redemption_id, StockMovement.kind, func.sum(StockMovement.quantity))
            .where(StockMovement.redemption_id.is_not(None))
            .group_by(StockMovement.redemption_id, StockMovement.kind))}
    spent = dict(session.execute(select(LedgerEntry.id, LedgerEntry.spend_delta)
                                 .where(LedgerEntry.kind == "redemption")).all())
    reversed_ = set(session.scalars(select(LedgerEntry.reverses_id)
                                    .where(LedgerEntry.reverses_id.is_not(None))))
    problems = []
    for r in session.scalars(select(Redemption)):
        where = f"兑换凭证 {r.number}"
        n = int(pieces.get(r.id) or 0)
        if int(lines.get(r.id) or 0) != r.total_points:
            problems.append(f"{where}的合计积分与明细不符。")
        if spent.get(r.entry_id) != r.total_points:
            problems.append(f"{where}的积分流水与兑换积分 {r.total_points} 分不符。")
        if moved.get((r.id, MovementKind.REDEMPTION), 0) != -n:
            problems.append(f"{where}的兑换出库数量与明细 {n} 件不符。")
        cancelled = r.status is RedemptionStatus.CANCELLED
        if cancelled != (r.entry_id in reversed_):
            problems.append(f"{where}的撤销状态与积分冲正记录不符。")
        if moved.get((r.id, MovementKind.CANCELLATION), 0) != (n if cancelled else 0):
            problems.append(f"{where}的撤销退库数量不符。")
    return problems


@invariant
def receipt_numbers_without_gaps(session: Session) -> list[str]:
    counts = {(v, int(y)): n for v, y, n in session.execute(
        select(Redemption.admin_village_id, func.extract("year", Redemption.occurred_on),
               func.count(Redemption.id))
        .group_by(Redemption.admin_village_id, func.extract("year", Redemption.occurred_on)))}
    return [f"{year}年兑换凭证号已发到 {last} 号，但只有 {counts.get((village, year), 0)} 笔兑换记录。"
            for village, year, last in session.execute(
                select(ReceiptSequence.admin_village_id, ReceiptSequence.year,
                       ReceiptSequence.last))
            if counts.get((village, year), 0) != last]
