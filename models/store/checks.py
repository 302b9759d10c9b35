"""`check` invariants of the goods store: the stock ledger's chains are whole (nothing missing,
edited or out of order), the stored stock agrees with the ledger, each redemption with its points
entry and its stock movements, receipt numbers have no gaps. The goods' chain heads are anchors
`S<goods>-<movement>` (models.core.anchors)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.core import anchors
from models.core.chain import Break, BreakKind, walk
from models.core.checks import invariant
from models.org.tables import AdminVillage
from models.points.tables import LedgerEntry
from models.store.tables import (
    MOVEMENT_CHAIN,
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


def _goods_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = list(ids)
    rows = session.execute(select(Goods.id, Goods.name, AdminVillage.name)
                           .join(AdminVillage, AdminVillage.id == Goods.admin_village_id)
                           .where(Goods.id.in_(wanted))) if wanted else []
    return {goods_id: f"{village}的物品“{name}”" for goods_id, name, village in rows}


def _movement(row) -> str:  # type: ignore[no-untyped-def]
    return f"第{row.chain_seq}条（{row.occurred_on:%Y-%m-%d} {MovementKind(row.kind).label}）"


def _describe(brk: Break, goods: str) -> str:
    span = f"第{brk.first}条" if brk.first == brk.last else f"第{brk.first}至{brk.last}条"
    after = f"，在{_movement(brk.before)}之后" if brk.before is not None else ""
    if brk.kind is BreakKind.MISSING:
        return f"{goods}的出入库台账缺少{span}{after}、{_movement(brk.row)}之前：记录被删除过。"
    if brk.kind is BreakKind.EDITED:
        return f"{goods}的出入库台账{_movement(brk.row)}与登记时不符：这一条在程序之外被改动过。"
    if brk.kind is BreakKind.OUT_OF_ORDER:
        return (f"{goods}的出入库台账{_movement(brk.row)}与前一条接不上：记录的顺序被打乱，"
                "或前一条被改动过。")
    if brk.kind is BreakKind.TAIL_MISSING:
        return f"{goods}的出入库台账记载已有{brk.last}条，找不到{span}{after}：末尾的记录被删除过。"
    if brk.kind is BreakKind.BEYOND_HEAD:
        return (f"{goods}的出入库台账记载只有{brk.first - 1}条，却还有{span}：物品的记录被改回过，"
                "或这些记录是在程序之外添加的。")
    return f"{goods}记载的台账最后一条校验值与第{brk.last}条不符：物品的记录被改动过。"


@invariant
def stock_ledger_chains(session: Session) -> list[str]:
    """Each goods item's stock movements: none missing, edited or out of order."""
    heads = {goods_id: (seq, last) for goods_id, seq, last in session.execute(
        select(Goods.id, Goods.movement_seq, Goods.movement_hash))}
    columns = [getattr(StockMovement, name) for name in MOVEMENT_CHAIN.fields]
    rows = session.execute(select(*columns, StockMovement.prev_hash, StockMovement.hash)
                           .order_by(StockMovement.goods_id, StockMovement.chain_seq))
    breaks = walk(rows.yield_per(5000), MOVEMENT_CHAIN, heads)[:50]
    names = _goods_names(session, {brk.key for brk in breaks})
    return [_describe(brk, names.get(brk.key, f"物品 {brk.key}")) for brk in breaks]


def _heads(session: Session):  # type: ignore[no-untyped-def]
    rows = session.execute(select(Goods.id, Goods.movement_seq, Goods.movement_hash)
                           .order_by(Goods.id)).all()
    names = _goods_names(session, [row.id for row in rows])
    return [(row.id, row.movement_seq, row.movement_hash, names.get(row.id, "")) for row in rows]


def _point(session: Session, goods_id: int, seq: int) -> anchors.Point:
    if session.get(Goods, goods_id) is None:
        return anchors.Point("", 0, None, exists=False)
    stored = session.scalar(select(StockMovement.hash).where(
        StockMovement.goods_id == goods_id, StockMovement.chain_seq == seq))
    length = session.scalar(select(func.max(StockMovement.chain_seq))
                            .where(StockMovement.goods_id == goods_id)) or 0
    return anchors.Point(_goods_names(session, [goods_id])[goods_id] + "的出入库台账", length,
                         stored)


anchors.register(anchors.Ledger("S", "物品出入库台账", "条", _heads, _point))
