"""The counter: one redemption is one transaction; refusals say why and write nothing;
a cancellation restores points and stock by reversal entries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as settings_
from hypothesis import strategies as st
from sqlalchemy import func, select

from models.check import run_checks
from models.core import clock, settings
from models.core.access import Actor, Role
from models.core.errors import PermissionDenied, ValidationError
from models.points.service import PointsService, RuleInput
from models.points.tables import EntryKind, LedgerEntry
from models.store.counter import CounterService
from models.store.goods import GoodsService, OutOfStock
from models.store.tables import REFUSE_TALK_LIST, Goods, MovementKind, Redemption, StockMovement
from tests.store.counter_setup import give_points, make_goods, make_village

TODAY = clock.today()


def test_redemption_takes_points_and_stock_and_numbers_the_receipt(db, system):
    v = make_village(db)
    give_points(db, v.head_id, 100)
    rice = make_goods(db, v.village_id, "大米", 20, stock=10)
    soap = make_goods(db, v.village_id, "肥皂", 3, stock=10, unit="块")
    counter = CounterService(db, system)
    done = counter.redeem(v.head_id, {rice: 2, soap: 5})
    assert done.number == f"DH{TODAY.year}-000001"
    assert (done.total, done.spendable_after) == (55, 45)
    second = counter.redeem(v.head_id, {soap: 1})
    assert second.number == f"DH{TODAY.year}-000002"
    card = counter.head_card(v.head_id)
    assert (card.standing.score, card.standing.spendable, card.standing.owed) == (130, 42, 0)
    assert [g.stock for g in GoodsService(db, system).catalogue(v.village_id)] == [8, 4]
    receipt = counter.receipt_data(done.redemption_id)
    assert receipt.head_name == "韩立新" and receipt.village == "韩家村"
    assert [(x.name, x.quantity, x.points) for x in receipt.lines] == [("大米", 2, 40),
                                                                      ("肥皂", 5, 15)]
    assert (receipt.spendable_before, receipt.spendable_after) == (100, 45)
    assert run_checks(db) == []


@pytest.mark.parametrize("case", ["points", "stock", "empty"])
def test_refusals_say_why_and_write_nothing(db, system, case):
    v = make_village(db)
    give_points(db, v.head_id, 30)
    rice = make_goods(db, v.village_id, "大米", 10, stock=2)
    oil = make_goods(db, v.village_id, "食用油", 40, stock=5, unit="桶")
    counter = CounterService(db, system)
    items, error, text = {
        "points": ({oil: 1}, ValidationError, "韩立新可兑换积分只有 30 分，不够兑换 40 分"),
        "stock": ({rice: 3}, OutOfStock, "“大米”库存不足：现有 2袋，需要 3袋"),
        "empty": ({}, ValidationError, "还没有选择要兑换的物品"),
    }[case]
    with pytest.raises(error, match=text):
        counter.redeem(v.head_id, items)
    with db.read() as s:
        assert s.scalar(select(func.count(Redemption.id))) == 0
        assert s.scalar(select(func.sum(Goods.stock))) == 7
        assert s.scalar(select(func.count(LedgerEntry.id)).where(
            LedgerEntry.kind == EntryKind.REDEMPTION)) == 0
    assert counter.redeem(v.head_id, {rice: 2}).number.endswith("-000001")  # no gap


def test_a_head_on_the_talk_list_is_refused_when_the_setting_says_so(db, system):
    v = make_village(db)
    give_points(db, v.head_id, 50)
    points = PointsService(db, system)
    fine = points.save_rule(None, RuleInput("K1", "乱堆乱放", -60))
    points.post(v.head_id, fine, TODAY, "门前堆放柴草")
    rice = make_goods(db, v.village_id, "大米", 1, stock=5)
    counter = CounterService(db, system)
    card = counter.head_card(v.head_id)
    assert card.standing.on_talk_list and "约谈名单" in card.refusal
    with pytest.raises(ValidationError, match="在约谈名单上（本年积分 20 分"):
        counter.redeem(v.head_id, {rice: 1})
    with db.write() as s:
        settings.put(s, REFUSE_TALK_LIST, False)
    with pytest.raises(ValidationError, match="可兑换积分只有 0 分"):
        counter.redeem(v.head_id, {rice: 1})


def test_cancel_restores_points_and_stock_by_reversal_the_same_day_only(db, system):
    v = make_village(db)
    give_points(db, v.head_id, 100)
    rice = make_goods(db, v.village_id, "大米", 10, stock=10)
    counter = CounterService(db, system)
    done = counter.redeem(v.head_id, {rice: 3})
    clerk = Actor("文书", Role.CLERK, village_id=v.village_id)
    with pytest.raises(PermissionDenied, match="只有村党支部书记"):
        CounterService(db, clerk).cancel(done.redemption_id, "拿错了")
    with pytest.raises(ValidationError, match="原因"):
        counter.cancel(done.redemption_id, " ")
    with pytest.raises(ValidationError, match="只能当天撤销"):
        counter.cancel(done.redemption_id, "拿错了", today=TODAY + timedelta(days=1))
    secretary = Actor("书记", Role.SECRETARY, village_id=v.village_id)
    CounterService(db, secretary).cancel(done.redemption_id, "拿错了")
    assert counter.head_card(v.head_id).standing.spendable == 100
    assert GoodsService(db, system).goods(rice).stock == 10
    with pytest.raises(ValidationError, match="已经撤销过"):
        counter.cancel(done.redemption_id, "再撤一次")
    with db.read() as s:
        kinds = [k for (k,) in s.execute(select(StockMovement.kind).order_by(StockMovement.id))]
        assert kinds == [MovementKind.PURCHASE, MovementKind.REDEMPTION, MovementKind.CANCELLATION]
        assert s.scalar(select(func.count(Redemption.id))) == 1
    receipt = counter.receipt_data(done.redemption_id)
    assert receipt.cancelled and receipt.cancel_reason == "拿错了"
    assert run_checks(db) == []


def test_find_heads_by_name_initials_and_phone_digits(db, system):
    v = make_village(db)
    counter = CounterService(db, system)
    for query in ("韩立", "hlx", "hanli", "5678", "138123"):
        assert [h.head_id for h in counter.find_heads(v.village_id, query)] == [v.head_id], query
    assert counter.find_heads(v.village_id, "zsf") == []


def test_clerk_of_another_village_cannot_redeem(db, system):
    v = make_village(db)
    give_points(db, v.head_id, 10)
    rice = make_goods(db, v.village_id, "大米", 10, stock=1)
    other = Actor("外村文书", Role.CLERK, village_id=v.village_id + 99)
    with pytest.raises(PermissionDenied):
        CounterService(db, other).redeem(v.head_id, {rice: 1})


def test_a_retried_redemption_with_the_same_key_is_made_once(db, system):
    v = make_village(db)
    give_points(db, v.head_id, 50)
    rice = make_goods(db, v.village_id, "大米", 10, stock=5)
    counter = CounterService(db, system)
    first = counter.redeem(v.head_id, {rice: 1}, idempotency_key="k1")
    again = counter.redeem(v.head_id, {rice: 1}, idempotency_key="k1")
    assert first.redemption_id == again.redemption_id
    assert GoodsService(db, system).goods(rice).stock == 4


@settings_(max_examples=15, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(
    st.tuples(st.just("redeem"), st.integers(0, 4), st.integers(0, 4)),
    st.tuples(st.just("cancel"), st.integers(0, 20), st.just(0)),
    st.tuples(st.just("restock"), st.integers(1, 5), st.just(0))), max_size=15))
def test_any_day_at_the_counter_keeps_books_and_shelf_agreeing(db, system, steps):
    # hypothesis reuses the function's database: each example gets a village of its own.
    v = make_village(db)
    give_points(db, v.head_id, 60)
    rice = make_goods(db, v.village_id, f"大米{v.village_id}", 7, stock=3)
    soap = make_goods(db, v.village_id, f"肥皂{v.village_id}", 2, stock=5, unit="块")
    counter, goods = CounterService(db, system), GoodsService(db, system)
    done: dict[int, tuple[int, int, int]] = {}
    stock = {rice: 3, soap: 5}
    for kind, a, b in steps:
        if kind == "redeem":
            spendable = 60 - sum(total for total, _r, _s in done.values())
            total = 7 * a + 2 * b
            ok = (a or b) and total <= spendable and a <= stock[rice] and b <= stock[soap]
            try:
                made = counter.redeem(v.head_id, {rice: a, soap: b})
            except (ValidationError, OutOfStock):
                assert not ok
                continue
            assert ok
            done[made.redemption_id] = (total, a, b)
            stock[rice] -= a
            stock[soap] -= b
        elif kind == "cancel" and done:
            key = sorted(done)[a % len(done)]
            counter.cancel(key, "拿错了")
            _total, r, s = done.pop(key)
            stock[rice] += r
            stock[soap] += s
        elif kind == "restock":
            goods.stock_in(rice, a, on=TODAY)
            stock[rice] += a
    card = counter.head_card(v.head_id)
    assert card.standing.spendable == 60 - sum(total for total, _r, _s in done.values())
    assert {g.id: g.stock for g in goods.catalogue(v.village_id)} == stock
    assert run_checks(db) == []
