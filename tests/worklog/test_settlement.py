"""Month-end settlement on both engines: the secretary's exclusions, the month not yet over,
who may confirm, the difference a correction shows, the limits that still hold for entries
posted by hand afterwards, and the demo's three duties, settled from its log."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from models.core import clock
from models.core.access import SYSTEM, Actor, Role
from models.core.errors import PermissionDenied, ValidationError
from models.org.tables import AdminVillage
from models.points.service import PointsService
from models.points.tables import LedgerEntry, PointsRule
from models.worklog.calendar import Month, bit
from models.worklog.settlement import SettlementService
from models.worklog.tables import SettlementExclusion
from tests.worklog.helpers import MonthLog, make_village, write_log

MARCH = Month(2026, 3)
ALL_DAYS = (1 << MARCH.days) - 1


@pytest.fixture
def village(db):  # type: ignore[no-untyped-def]
    made = make_village(db, heads=2, households=2)
    write_log(db, made, made.heads[0], MARCH, MonthLog(ALL_DAYS & ~bit(9), frozenset({0, 1}), 2))
    write_log(db, made, made.heads[1], MARCH, MonthLog(bit(1) | bit(2), frozenset(), 1))
    return made


def _entries(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalar(select(func.count(LedgerEntry.id)))


def test_preview_then_confirm_posts_each_line_once_with_its_month_in_the_note(db, village):  # type: ignore[no-untyped-def]
    service = SettlementService(db, SYSTEM)
    preview = service.preview(MARCH, village_id=village.id)
    first, second = preview.heads
    assert [(x.code, x.times, x.requested) for x in first.proposed] == [
        ("A03", 1, 3), ("A02", 2, 4), ("D02", 2, -4), ("A01", 30, 30), ("D01", 1, -1)]
    assert (first.state, first.difference, second.proposed_total) == ("待结算", 32, -3 - 8 + 2 - 29)
    result = service.confirm(village.id, MARCH)
    assert (result.posted, result.reversals, result.heads) == (9, 0, 2)
    view = PointsService(db, SYSTEM).passbook(village.heads[0], 2026)
    assert [e.text for e in view.entries][-1] == "未按要求开展每日巡查：2026年3月三个一月结：未巡查 1 天"
    assert view.score == 30 + 32
    assert SettlementService(db, SYSTEM).preview(MARCH, village_id=village.id).heads[0].state == "已结算"


def test_an_excluded_head_needs_a_reason_and_is_settled_later(db, village):  # type: ignore[no-untyped-def]
    service = SettlementService(db, SYSTEM)
    with pytest.raises(ValidationError, match="原因"):
        service.confirm(village.id, MARCH, {village.heads[1]: " "})
    assert _entries(db) == 0
    result = service.confirm(village.id, MARCH, {village.heads[1]: "本人对巡查记录有异议，待核实"})
    assert (result.heads, result.excluded) == (1, 1)
    preview = service.preview(MARCH, village_id=village.id)
    assert [h.state for h in preview.heads] == ["已结算", "待结算"]
    assert preview.heads[1].excluded_before == "本人对巡查记录有异议，待核实"
    with db.read() as s:
        assert s.scalar(select(func.count(SettlementExclusion.id))) == 1
    assert service.confirm(village.id, MARCH).heads == 1


def test_a_month_not_over_and_the_wrong_accounts_are_refused(db, village):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="还没有结束"):
        SettlementService(db, SYSTEM).confirm(village.id, Month.of(clock.today()))
    clerk = Actor("村文书", Role.CLERK, None, village.id)
    with pytest.raises(PermissionDenied):
        SettlementService(db, clerk).confirm(village.id, MARCH)
    elsewhere = Actor("外村书记", Role.SECRETARY, None, village.id + 1000)
    with pytest.raises(PermissionDenied):
        SettlementService(db, elsewhere).confirm(village.id, MARCH)
    assert _entries(db) == 0
    secretary = Actor("本村书记", Role.SECRETARY, None, village.id)
    assert SettlementService(db, secretary).confirm(village.id, MARCH).posted == 9


def test_a_correction_shows_its_difference_and_reverses_only_what_follows_it(db, village):  # type: ignore[no-untyped-def]
    service = SettlementService(db, SYSTEM)
    service.confirm(village.id, MARCH)
    write_log(db, village, village.heads[0], MARCH, MonthLog(ALL_DAYS, frozenset({0, 1}), 2),
              before=MonthLog(ALL_DAYS & ~bit(9), frozenset({0, 1}), 2))
    head = service.preview(MARCH, village_id=village.id).heads[0]
    assert (head.state, head.difference) == ("有更正", 2)  # one day more: +1, one deduction less
    result = service.confirm(village.id, MARCH)
    assert (result.posted, result.reversals) == (1, 2)  # patrols come last: A01 and D01 only
    assert PointsService(db, SYSTEM).passbook(village.heads[0], 2026).score == 30 + 34


def test_the_ledger_counts_settled_days_against_a_rules_daily_limit(db, village):  # type: ignore[no-untyped-def]
    SettlementService(db, SYSTEM).confirm(village.id, MARCH)
    points = PointsService(db, SYSTEM)
    with db.read() as s:
        a01 = s.scalar(select(PointsRule.id).where(PointsRule.code == "A01"))
    with pytest.raises(ValidationError, match="每天最多登记 1 次"):
        points.post(village.heads[0], a01, date(2026, 3, 3), "手工补记")
    points.post(village.heads[0], a01, date(2026, 3, 9), "手工补记")  # the day not patrolled


def test_the_demo_three_duties_are_the_settlement_of_its_log(demo_db):  # type: ignore[no-untyped-def]
    service = SettlementService(demo_db, SYSTEM)
    with demo_db.read() as s:
        township = s.scalar(select(AdminVillage.township_id).limit(1))
    for number in range(1, 12):
        states = Counter(h.state for h in service.preview(Month(2026, number),
                                                          township_id=township).heads)
        assert states == Counter({"已结算" if number <= 10 else "待结算": 385}), number
