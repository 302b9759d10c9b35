"""Reports of the goods store: redemptions by day, month and village; stock on hand; stock
movements; the donation register. Each is a plain Table that a page shows and reports/ exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from models.core import clock
from models.core.service import Service
from models.org.tables import AdminVillage
from models.store.tables import (
    Goods,
    MovementKind,
    Redemption,
    RedemptionLine,
    RedemptionStatus,
    StockMovement,
)


@dataclass(frozen=True)
class Table:
    """A titled table of plain values; `money` names the columns holding yuan."""

    title: str
    headers: tuple[str, ...]
    rows: list[tuple]
    money: tuple[str, ...] = ()


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _period(start: date, end: date) -> str:
    return f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}"


class StoreReportService(Service):
    def village_id(self, name: str) -> int | None:
        """The administrative village of this name (the command line names villages), or None."""
        with self.db.read() as s:
            return s.scalar(select(AdminVillage.id).where(AdminVillage.name == name))

    def redemptions_by_day(self, village_id: int, start: date, end: date) -> Table:
        return self._by_time(village_id, start, end, monthly=False)

    def redemptions_by_month(self, village_id: int, start: date, end: date) -> Table:
        return self._by_time(village_id, start, end, monthly=True)

    def _by_time(self, village_id: int, start: date, end: date, monthly: bool) -> Table:
        with self.db.read() as s:
            self.require_view(village_id)
            done = (Redemption.admin_village_id == village_id,
                    Redemption.status == RedemptionStatus.DONE,
                    Redemption.occurred_on.between(start, end))
            tally: dict[str, list[int]] = {}
            for day, points in s.execute(select(Redemption.occurred_on, Redemption.total_points)
                                         .where(*done)):
                key = f"{day:%Y-%m}" if monthly else f"{day:%Y-%m-%d}"
                row = tally.setdefault(key, [0, 0, 0])
                row[0] += 1
                row[1] += points
            for day, quantity in s.execute(
                    select(Redemption.occurred_on, RedemptionLine.quantity)
                    .join(RedemptionLine, RedemptionLine.redemption_id == Redemption.id)
                    .where(*done)):
                tally[f"{day:%Y-%m}" if monthly else f"{day:%Y-%m-%d}"][2] += quantity
            name = self._village_name(s, village_id)
            rows = [(key, *values) for key, values in sorted(tally.items())]
            rows.append(("合计", *(sum(r[i] for r in rows) for i in (1, 2, 3))))
            return Table(f"{name}积分兑换{'月' if monthly else '日'}报（{_period(start, end)}）",
                         ("月份" if monthly else "日期", "兑换笔数", "兑换积分", "物品件数"), rows)

    def redemptions_by_village(self, start: date, end: date) -> Table:
        """Every village the account may see, with or without redemptions in the period."""
        with self.db.read() as s:
            villages = [(vid, name) for vid, name in s.execute(
                select(AdminVillage.id, AdminVillage.name)
                .order_by(AdminVillage.township_id, AdminVillage.sort_order, AdminVillage.id))
                if self.visible(vid)]
            done = s.execute(
                select(Redemption.admin_village_id, func.count(Redemption.id),
                       func.sum(Redemption.total_points))
                .where(Redemption.status == RedemptionStatus.DONE,
                       Redemption.occurred_on.between(start, end))
                .group_by(Redemption.admin_village_id)).all()
            figures = {vid: (n, int(points or 0)) for vid, n, points in done}
            rows = [(name, *figures.get(vid, (0, 0))) for vid, name in villages]
            rows.append(("合计", sum(r[1] for r in rows), sum(r[2] for r in rows)))
            return Table(f"各村积分兑换汇总（{_period(start, end)}）",
                         ("行政村", "兑换笔数", "兑换积分"), rows)

    def stock_on_hand(self, village_id: int) -> Table:
        with self.db.read() as s:
            self.require_view(village_id)
            rows = [(g.name, g.unit, g.price_points, g.stock, "在兑" if g.active else "停兑")
                    for g in s.scalars(select(Goods).where(Goods.admin_village_id == village_id)
                                       .order_by(Goods.sort_order, Goods.id))]
            return Table(f"{self._village_name(s, village_id)}物品库存（{clock.today():%Y-%m-%d}）",
                         ("物品", "单位", "兑换积分", "库存", "状态"), rows)

    def movements(self, village_id: int, start: date, end: date) -> Table:
        with self.db.read() as s:
            self.require_view(village_id)
            rows = [(m.occurred_on.isoformat(), name, m.kind.label, m.quantity, unit,
                     _yuan(m.value_fen) if m.value_fen else "", m.donor, m.reason, m.entered_by)
                    for m, name, unit in s.execute(
                        select(StockMovement, Goods.name, Goods.unit)
                        .join(Goods, Goods.id == StockMovement.goods_id)
                        .where(Goods.admin_village_id == village_id,
                               StockMovement.occurred_on.between(start, end))
                        .order_by(StockMovement.occurred_on, StockMovement.id))]
            return Table(f"{self._village_name(s, village_id)}出入库明细（{_period(start, end)}）",
                         ("日期", "物品", "类别", "数量", "单位", "金额（元）", "捐赠人", "说明",
                          "经办人"), rows, money=("金额（元）",))

    def donations(self, village_id: int, start: date, end: date) -> Table:
        with self.db.read() as s:
            self.require_view(village_id)
            found = s.execute(
                select(StockMovement, Goods.name, Goods.unit)
                .join(Goods, Goods.id == StockMovement.goods_id)
                .where(Goods.admin_village_id == village_id,
                       StockMovement.kind == MovementKind.DONATION,
                       StockMovement.occurred_on.between(start, end))
                .order_by(StockMovement.occurred_on, StockMovement.id)).all()
            rows = [(m.occurred_on.isoformat(), m.donor, name, m.quantity, unit,
                     _yuan(m.value_fen), m.entered_by) for m, name, unit in found]
            total = sum(m.value_fen for m, _n, _u in found)
            rows.append(("合计", "", "", "", "", _yuan(total), ""))
            return Table(f"{self._village_name(s, village_id)}捐赠物品登记簿（{_period(start, end)}）",
                         ("日期", "捐赠人", "物品", "数量", "单位", "折合金额（元）", "经办人"),
                         rows, money=("折合金额（元）",))

    @staticmethod
    def _village_name(s, village_id: int) -> str:  # type: ignore[no-untyped-def]
        return s.scalar(select(AdminVillage.name).where(AdminVillage.id == village_id)) or ""
