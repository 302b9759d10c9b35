"""`check` invariants of the goods store: the stored stock agrees with the stock ledger."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.check import invariant
from models.goods import Goods, StockMovement


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
