"""The stock ledger: in, write-off and count are entries; stock never goes below zero."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from models.check import run_checks
from models.core.access import Actor, Role
from models.core.errors import PermissionDenied, ValidationError
from models.store.goods import GoodsService, OutOfStock
from models.store.tables import Goods, MovementKind, StockMovement
from tests.store.counter_setup import make_goods, make_village

DAY = date(2024, 3, 5)


def test_stock_in_write_off_and_count_are_ledger_entries(db, system):
    village = make_village(db)
    service = GoodsService(db, system)
    rice = make_goods(db, village.village_id, stock=0)
    service.stock_in(rice, 40, on=DAY, value_yuan="1200.50")
    service.stock_in(rice, 10, on=DAY, donor="韩家村乡贤理事会", value_yuan="300")
    service.write_off(rice, 3, "受潮", on=DAY)
    assert service.record_count(rice, 45, on=DAY, note="月底盘点") == -2
    assert service.goods(rice).stock == 45
    with db.read() as s:
        lines = [(m.kind, m.quantity, m.value_fen, m.donor, m.counted)
                 for m in s.query(StockMovement).order_by(StockMovement.id)]
    assert lines == [(MovementKind.PURCHASE, 40, 120050, "", None),
                     (MovementKind.DONATION, 10, 30000, "韩家村乡贤理事会", None),
                     (MovementKind.WRITE_OFF, -3, 0, "", None),
                     (MovementKind.COUNT, -2, 0, "", 45)]
    assert run_checks(db) == []


def test_write_off_beyond_stock_is_refused_and_writes_nothing(db, system):
    village = make_village(db)
    service = GoodsService(db, system)
    soap = make_goods(db, village.village_id, "肥皂", 3, stock=5, unit="块")
    with pytest.raises(OutOfStock, match="“肥皂”库存不足：现有 5块"):
        service.write_off(soap, 6, "丢失", on=DAY)
    with pytest.raises(ValidationError, match="原因"):
        service.write_off(soap, 1, "  ", on=DAY)
    with pytest.raises(ValidationError, match="不是有效的金额"):
        service.stock_in(soap, 1, on=DAY, value_yuan="十元")
    assert service.goods(soap).stock == 5
    with db.read() as s:
        assert s.query(StockMovement).count() == 1


def test_goods_validation_and_clerk_cannot_manage_goods(db, system):
    village = make_village(db)
    service = GoodsService(db, system)
    make_goods(db, village.village_id, "面粉", 8)
    with pytest.raises(ValidationError, match="已经有名为“面粉”"):
        service.create_goods(village.village_id, "面粉", "袋", 8)
    with pytest.raises(ValidationError, match="兑换积分"):
        service.create_goods(village.village_id, "毛巾", "条", 0)
    clerk = Actor("文书", Role.CLERK, village_id=village.village_id)
    with pytest.raises(PermissionDenied):
        GoodsService(db, clerk).create_goods(village.village_id, "毛巾", "条", 5)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["in", "out", "count"]), st.integers(0, 30)),
                max_size=12))
def test_any_sequence_keeps_stock_equal_to_ledger(db, system, steps):
    # hypothesis reuses the function's database across examples: set it up once.
    with db.read() as s:
        goods_id = s.query(Goods.id).scalar()
    if goods_id is None:
        goods_id = make_goods(db, make_village(db).village_id, stock=0)
    service = GoodsService(db, system)
    expected = service.goods(goods_id).stock
    for kind, n in steps:
        if kind == "in" and n > 0:
            service.stock_in(goods_id, n, on=DAY)
            expected += n
        elif kind == "out" and n > 0:
            if n > expected:
                with pytest.raises(OutOfStock):
                    service.write_off(goods_id, n, "损坏", on=DAY)
            else:
                service.write_off(goods_id, n, "损坏", on=DAY)
                expected -= n
        elif kind == "count":
            service.record_count(goods_id, n, on=DAY)
            expected = n
    assert service.goods(goods_id).stock == expected
    assert run_checks(db) == []


def test_check_finds_a_stock_figure_changed_behind_the_ledger(db, system):
    village = make_village(db)
    make_goods(db, village.village_id, "毛巾", 4, stock=12, unit="条")
    with db.write() as s:
        s.execute(update(Goods).values(stock=20))
    assert run_checks(db) == ["物品“毛巾”的库存 20 与出入库台账合计 12 不一致。"]
