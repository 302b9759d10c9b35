"""A small village for the goods and counter tests: one head, one household, one item."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models.core import clock
from models.core.access import SYSTEM
from models.core.db import Database
from models.org.service import HouseholdInput, OrganisationService
from models.org.tables import HeadRole, Resident, Township
from models.store.goods import GoodsService


@dataclass(frozen=True)
class Village:
    village_id: int
    head_id: int
    resident_id: int


def make_village(db: Database, head_name: str = "韩立新", phone: str = "13812345678") -> Village:
    org = OrganisationService(db, SYSTEM)
    with db.read() as s:  # hypothesis calls this again on the same database: townships differ
        towns = s.query(Township).count()
    town = org.create_township(f"韩家镇{towns + 1}" if towns else "韩家镇")
    village = org.create_admin_village(town, "韩家村")
    natural = org.create_natural_village(village, "韩家")
    zone = org.create_zone(natural, "南片区")
    alley = org.create_alley(zone, "一胡同")
    org.add_household(alley, HouseholdInput(head_name, "一胡同1号", phone))
    with db.read() as s:
        resident_id = s.query(Resident.id).filter(Resident.name == head_name) \
            .order_by(Resident.id.desc()).limit(1).scalar()
    head = org.appoint_head(HeadRole.ALLEY, alley, resident_id, chosen_on=date(2024, 1, 1))
    return Village(village, head, resident_id)


def make_goods(db: Database, village_id: int, name: str = "大米", price: int = 10,
               stock: int = 60, unit: str = "袋") -> int:
    goods = GoodsService(db, SYSTEM)
    goods_id = goods.create_goods(village_id, name, unit, price)
    if stock:
        goods.stock_in(goods_id, stock, on=date(2024, 1, 2), value_yuan="0")
    return goods_id


def give_points(db: Database, head_id: int, spendable: int, on: date | None = None) -> None:
    """Raise the annual cap and award the head `spendable` points above the opening."""
    from models.core import settings
    from models.points.service import PointsService, RuleInput
    from models.points.tables import ANNUAL_CAP

    with db.write() as s:
        settings.put(s, ANNUAL_CAP, max(settings.get(s, ANNUAL_CAP), spendable + 1000))
    points = PointsService(db, SYSTEM)
    code = f"T{head_id}-{len(points.rules()) + 1}"
    rule = points.save_rule(None, RuleInput(code, "测试加分", spendable))
    points.post(head_id, rule, on or clock.today(), "测试")
