"""The demo's year of the goods store: each village's catalogue, a January purchase, donations,
a write-off, stock counts, and a Redemption with goods and stock out for every redemption entry
the points step wrote, numbered DH<year>-000001… in date order. Deterministic from the seed."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date

from sqlalchemy import select

from models.core.db import Database
from models.org.tables import AdminVillage
from models.points.demo import DEMO_YEAR
from models.points.tables import EntryKind, LedgerEntry, Passbook
from models.core.chain import GENESIS
from models.store.goods import movement_values
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

# name, unit, points, purchase price in fen
CATALOGUE = (
    ("大米（5公斤）", "袋", 20, 2500), ("面粉（5公斤）", "袋", 15, 1800),
    ("食用油（5升）", "桶", 25, 6000), ("烧水壶", "个", 30, 4500), ("肥皂", "块", 3, 350),
    ("洗衣粉", "袋", 5, 800), ("毛巾", "条", 4, 600), ("牙膏", "支", 4, 500),
    ("垃圾袋", "卷", 2, 400), ("扫帚", "把", 6, 1200),
)
# What a redemption of each amount the points step spends is taken in.
BASKETS = {10: (("洗衣粉", 2),), 15: (("面粉（5公斤）", 1),), 20: (("大米（5公斤）", 1),)}
DONORS = ("村乡贤理事会", "镇爱心超市", "在外务工青年联谊会", "县供销社")
CLERK = "村文书"


def _basket(cost: int) -> tuple[tuple[str, int], ...]:
    """Goods worth exactly `cost` points: the usual basket, else soap and bin bags."""
    if cost in BASKETS:
        return BASKETS[cost]
    soap, rest = divmod(cost, 3)
    return (("肥皂", soap),) + ((("垃圾袋", 1),) if rest == 2 else (("肥皂", 1),) if rest else ())


def step(db: Database, seed: int) -> None:
    with db.write() as s:
        if s.scalar(select(Goods.id).limit(1)) is not None:
            return
        spends = s.execute(
            select(LedgerEntry, Passbook.head_id, Passbook.admin_village_id)
            .join(Passbook, Passbook.id == LedgerEntry.passbook_id)
            .where(LedgerEntry.kind == EntryKind.REDEMPTION, Passbook.head_id.is_not(None))
            .order_by(LedgerEntry.occurred_on, LedgerEntry.id)).all()
        by_village: dict[int, list] = defaultdict(list)
        for entry, head_id, village_id in spends:
            by_village[village_id].append((entry, head_id))
        for village_id, in s.execute(select(AdminVillage.id).order_by(AdminVillage.id)):
            _village(s, village_id, by_village[village_id], random.Random(f"{seed}-store-{village_id}"))


def _village(s, village_id: int, spends: list, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    goods = {name: Goods(admin_village_id=village_id, name=name, unit=unit, price_points=price,
                         picture_path="", active=True, stock=0, sort_order=order,
                         movement_seq=0, movement_hash=GENESIS)
             for order, (name, unit, price, _fen) in enumerate(CATALOGUE, start=1)}
    cost = {name: fen for name, _u, _p, fen in CATALOGUE}
    s.add_all(goods.values())
    s.flush()
    year = DEMO_YEAR
    needed: dict[str, int] = defaultdict(int)
    for entry, _head in spends:
        for name, quantity in _basket(entry.spend_delta):
            needed[name] += quantity
    events: list[tuple[date, int, object]] = []
    for name in goods:
        quantity = needed[name] + rng.randint(10, 30)
        events.append((date(year, 1, 6), 0, (MovementKind.PURCHASE, name, quantity,
                                             quantity * cost[name], "", "年初集中采购")))
    for month, name, quantity in ((3, "毛巾", 20), (9, "食用油（5升）", 6), (11, "肥皂", 30)):
        events.append((date(year, month, 15), 0, (MovementKind.DONATION, name, quantity,
                                                  quantity * cost[name], rng.choice(DONORS), "")))
    events.append((date(year, 8, 12), 0, (MovementKind.WRITE_OFF, "面粉（5公斤）", -2, 0, "",
                                          "仓库漏雨受潮")))
    events.append((date(year, 6, 30), 2, ("count", "肥皂", -1)))
    events.append((date(year, 11, 28), 2, ("count", "垃圾袋", 0)))
    for index, (entry, head_id) in enumerate(spends):
        events.append((entry.occurred_on, 1, ("redeem", index, entry, head_id)))
    stock: dict[str, int] = defaultdict(int)
    number = 0
    for on, _order, event in sorted(events, key=lambda e: (e[0], e[1])):
        if event[0] == "redeem":
            number += 1
            _redeem(s, village_id, goods, stock, on, year, number, event[2], event[3])
        elif event[0] == "count":
            name, difference = event[1], event[2]
            stock[name] += difference
            _move(s, goods[name], MovementKind.COUNT, difference, on, CLERK, counted=stock[name],
                  reason="半年盘点" if on.month == 6 else "年末盘点")
        else:
            kind, name, quantity, fen, donor, note = event
            stock[name] += quantity
            _move(s, goods[name], kind, quantity, on, CLERK, value_fen=fen if quantity > 0 else 0,
                  donor=donor, reason=note)
    for name, item in goods.items():
        item.stock = stock[name]
    if number:
        s.add(ReceiptSequence(admin_village_id=village_id, year=year, last=number))
    s.flush()


def _redeem(s, village_id: int, goods: dict[str, Goods], stock: dict[str, int], on: date,  # type: ignore[no-untyped-def]
            year: int, number: int, entry: LedgerEntry, head_id: int) -> None:
    basket = _basket(entry.spend_delta)
    receipt = f"DH{year}-{number:06d}"
    redemption = Redemption(
        number=receipt, admin_village_id=village_id, head_id=head_id,
        total_points=entry.spend_delta, occurred_on=on, status=RedemptionStatus.DONE,
        entry_id=entry.id, entered_by=entry.operator_name,
        lines=[RedemptionLine(goods_id=goods[name].id, name=name, unit=goods[name].unit,
                              quantity=quantity, price_points=goods[name].price_points)
               for name, quantity in basket])
    s.add(redemption)
    s.flush()
    for name, quantity in basket:
        stock[name] -= quantity
        _move(s, goods[name], MovementKind.REDEMPTION, -quantity, on, entry.operator_name,
              redemption_id=redemption.id, reason=receipt)


def _move(s, goods: Goods, kind: MovementKind, quantity: int, on: date, entered_by: str,  # type: ignore[no-untyped-def]
          **details: object) -> None:
    """A movement linked into the goods' chain (the goods row keeps the head; stock is set
    once at the end)."""
    values = movement_values(goods.id, kind, quantity, entered_by, on, **details)
    MOVEMENT_CHAIN.link(values, goods.movement_seq + 1, goods.movement_hash)
    goods.movement_seq, goods.movement_hash = values["chain_seq"], values["hash"]
    s.add(StockMovement(**values))
