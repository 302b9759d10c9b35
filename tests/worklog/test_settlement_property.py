"""The month-end settlement against an independent computation, on SQLite and PostgreSQL: for
any month's log (and any limits in the catalogue, any score to start from, an entry posted by
hand), the settled entries are what the rules give; settling again posts nothing; a log settled
and then corrected ends with the same passbook — cap and floor included — as the log settled
right the first time. More examples: CUNZHI_WORKLOG_EXAMPLES=200 pytest …"""

from __future__ import annotations

import os
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from models.core.access import SYSTEM
from models.points.service import PointsService, RuleInput
from models.points.tables import LedgerEntry, LimitPeriod, Passbook, PointsRule
from models.worklog.calendar import Month
from models.worklog.proposal import RULE_CODES
from models.worklog.settlement import SettlementService
from tests.worklog.helpers import MonthLog, Terms, clamped, expected_times, make_village, write_log

EXAMPLES = int(os.environ.get("CUNZHI_WORKLOG_EXAMPLES", "8"))
MONTH = Month(2026, 3)
HOUSEHOLDS = 3
HEADS = 2

limits = st.one_of(st.none(), st.tuples(st.integers(1, 3),
                                        st.sampled_from(["day", "week", "month", "year"])))
terms = st.fixed_dictionaries({code: st.builds(
    Terms, st.integers(1, 3).map(lambda p, c=code: p if c.startswith("A") else -p), limits)
    for code in RULE_CODES})
month_logs = st.builds(MonthLog, st.integers(0, 2 ** MONTH.days - 1),
                       st.frozensets(st.integers(0, len(MONTH.weeks()) - 1)),
                       st.integers(0, HOUSEHOLDS))
scenario = st.fixed_dictionaries({
    "terms": terms,
    "first": st.lists(month_logs, min_size=HEADS, max_size=HEADS),
    "corrected": st.lists(month_logs, min_size=HEADS, max_size=HEADS),
    "start": st.sampled_from([-7, -4, 0, 6, 13]),  # entries of ±5 before the month: 0 … 95
    "by_hand": st.one_of(st.none(), st.tuples(st.sampled_from(RULE_CODES),
                                              st.integers(1, MONTH.days))),
})


def _catalogue(db, terms: dict[str, Terms]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    service = PointsService(db, SYSTEM)
    with db.read() as s:
        ids = dict(s.execute(select(PointsRule.code, PointsRule.id)).all())
    for code, term in terms.items():
        count, period = term.limit or (None, None)
        service.save_rule(ids[code], RuleInput(code, f"细则{code}", term.points, "日常履职",
                                               limit_count=count,
                                               limit_period=LimitPeriod(period) if period else None))
    for code, points in (("T+", 5), ("T-", -5)):
        if code not in ids:
            ids[code] = service.save_rule(None, RuleInput(code, f"测试{code}", points))
    return ids


def _prepare(db, ids: dict[str, int], case: dict) -> object:  # type: ignore[no-untyped-def]
    """A village whose heads start from the case's score and carry its entry by hand."""
    village = make_village(db, HEADS, HOUSEHOLDS)
    points = PointsService(db, SYSTEM)
    for head in village.heads:
        rule = ids["T+"] if case["start"] > 0 else ids["T-"]
        for _ in range(abs(case["start"])):
            points.post(head, rule, date(2026, 2, 10), "期初调整")
        if case["by_hand"]:
            code, day = case["by_hand"]
            points.post(head, ids[code], MONTH.day(day), "手工登记")
    return village


def _settled_times(db, village) -> list[dict[str, int]]:  # type: ignore[no-untyped-def]
    preview = SettlementService(db, SYSTEM).preview(MONTH, village_id=village.id)
    return [{code: head.times(code, "posted") for code in RULE_CODES} for head in preview.heads]


def _score(db, head_id: int) -> int:  # type: ignore[no-untyped-def]
    return PointsService(db, SYSTEM).passbook(head_id, MONTH.year).score


def _entries(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalar(select(func.count(LedgerEntry.id)))


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=scenario)
def test_settlement_follows_the_rules_once_and_corrects_to_the_right_passbook(db, case):
    ids = _catalogue(db, case["terms"])
    by_hand = [(case["by_hand"][0], MONTH.day(case["by_hand"][1]))] if case["by_hand"] else []
    settlement = SettlementService(db, SYSTEM)

    corrected = _prepare(db, ids, case)
    for head, log in zip(corrected.heads, case["first"], strict=True):
        write_log(db, corrected, head, MONTH, log)
    settlement.confirm(corrected.id, MONTH)
    assert _settled_times(db, corrected) == expected_times(
        case["terms"], MONTH, case["first"], HOUSEHOLDS, by_hand)
    before = _entries(db)
    again = settlement.confirm(corrected.id, MONTH)
    assert (again.posted, again.reversals, _entries(db)) == (0, 0, before)

    for head, first, log in zip(corrected.heads, case["first"], case["corrected"], strict=True):
        write_log(db, corrected, head, MONTH, log, before=first)
    settlement.confirm(corrected.id, MONTH)
    expected = expected_times(case["terms"], MONTH, case["corrected"], HOUSEHOLDS, by_hand)
    assert _settled_times(db, corrected) == expected

    right_first = _prepare(db, ids, case)
    for head, log in zip(right_first.heads, case["corrected"], strict=True):
        write_log(db, right_first, head, MONTH, log)
    settlement.confirm(right_first.id, MONTH)
    start = clamped(30, [5 if case["start"] > 0 else -5] * abs(case["start"]))
    hand = [case["terms"][case["by_hand"][0]].points] if case["by_hand"] else []
    for index, times in enumerate(expected):
        steps = hand + [times[code] * case["terms"][code].points for code in RULE_CODES if times[code]]
        score = clamped(start, steps)
        assert _score(db, corrected.heads[index]) == _score(db, right_first.heads[index]) == score
    with db.read() as s:
        assert s.scalar(select(func.count(Passbook.id)).where(
            Passbook.head_id.in_(corrected.heads + right_first.heads))) == 2 * HEADS
