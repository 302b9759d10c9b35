"""The life of a problem through the service, on SQLite and PostgreSQL: 登记 → 交办 → 整改 →
复核 (by another person) → 销号 with its points; sending back, 拒不整改 → 街道督办 and the
township's answer, reopening; overdue derived from the deadline; refusals that write nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from models.check import run_checks
from models.core import clock
from models.core.access import SYSTEM
from models.core.errors import DomainError, ValidationError
from models.points.tables import LedgerEntry
from models.problems.service import Assignment, ProblemFilter, ProblemInput, ProblemsService
from models.problems.tables import (
    EventKind,
    Outcome,
    Problem,
    ProblemEvent,
    ProblemPoints,
    Responsible,
    Status,
)
from tests.problems.helpers import CHECKER, FIXER, fix_and_verify, make_town, register


@pytest.fixture
def town(db):  # type: ignore[no-untyped-def]
    return make_town(db)


def status(db, problem_id: int) -> Status:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.get(Problem, problem_id).status


def test_a_problem_goes_from_registration_to_closing_and_posts_its_points(db, town):
    problem_id = register(db, town)  # found 2 Nov, deadline 3 days (垃圾乱堆乱放)
    card = ProblemsService(db, SYSTEM).card(problem_id)
    assert card.row.deadline == date(2026, 11, 5)
    assert card.row.responsible == "韩甲1"
    assert [t.kind for t in card.timeline] == [EventKind.REGISTER, EventKind.ASSIGN]
    fix_and_verify(db, problem_id, date(2026, 11, 4), date(2026, 11, 5))
    closing = ProblemsService(db, CHECKER).close(problem_id, on=date(2026, 11, 6))
    assert closing.outcome is Outcome.ON_TIME and not closing.already
    with db.read() as s:
        entry = s.get(LedgerEntry, closing.ledger_entry_id)
        assert (entry.rule_code, entry.score_delta) == ("A04", 2)
        assert "ZG2026-001" in entry.note  # the passbook entry names the problem
        assert entry.occurred_on == date(2026, 11, 6)
    card = ProblemsService(db, SYSTEM).card(problem_id)
    assert card.row.status is Status.CLOSED and card.row.verifier == "复核人"
    assert card.row.progress == "已清理干净（按期整改）"
    assert [p.points for p in card.points] == [2]
    assert card.points[0].head == "韩乙1"  # the alley head answers for the household
    assert run_checks(db) == []


def test_late_fix_posts_the_late_rule_and_escalation_the_refusal_rule(db, town):
    late = register(db, town, found_on=date(2026, 10, 1))
    fix_and_verify(db, late, date(2026, 10, 20), date(2026, 10, 21))
    assert ProblemsService(db, CHECKER).close(late, on=date(2026, 10, 22)).outcome is Outcome.LATE
    refused = register(db, town, found_on=date(2026, 10, 2))
    ProblemsService(db, CHECKER).escalate(refused, "户主拒不清理", on=date(2026, 10, 9))
    assert status(db, refused) is Status.ESCALATED
    ProblemsService(db, FIXER).rectify(refused, "街道督办后已清理", on=date(2026, 10, 12))
    ProblemsService(db, CHECKER).verify(refused, True, on=date(2026, 10, 13))
    closing = ProblemsService(db, CHECKER).close(refused, on=date(2026, 10, 13))
    assert closing.outcome is Outcome.REFUSED
    with db.read() as s:
        codes = dict(s.execute(select(ProblemPoints.problem_id, LedgerEntry.rule_code).join(
            LedgerEntry, LedgerEntry.id == ProblemPoints.ledger_entry_id)).all())
    assert codes == {late: "D04", refused: "D05"}
    assert run_checks(db) == []


def test_verification_must_be_by_another_person_and_a_send_back_returns_the_fix(db, town):
    problem_id = register(db, town)
    ProblemsService(db, FIXER).rectify(problem_id, "清理了一半", on=date(2026, 11, 3))
    with pytest.raises(ValidationError, match="整改登记人以外"):
        ProblemsService(db, FIXER).verify(problem_id, True, on=date(2026, 11, 3))
    with pytest.raises(ValidationError, match="复核意见不能为空"):
        ProblemsService(db, CHECKER).verify(problem_id, False, on=date(2026, 11, 3))
    ProblemsService(db, CHECKER).verify(problem_id, False, "还有一半没清", on=date(2026, 11, 3))
    assert status(db, problem_id) is Status.ASSIGNED
    with pytest.raises(ValidationError, match="不能销号"):
        ProblemsService(db, CHECKER).close(problem_id, on=date(2026, 11, 4))
    fix_and_verify(db, problem_id, date(2026, 11, 7), date(2026, 11, 8))
    # The fix that passed was after the deadline of 5 November: late, whatever came before.
    assert ProblemsService(db, CHECKER).close(problem_id, on=date(2026, 11, 8)).outcome \
        is Outcome.LATE


def test_no_step_skips_a_state_and_a_refused_step_writes_nothing(db, town):
    problem_id = register(db, town, assign=False)
    service = ProblemsService(db, CHECKER)
    with db.read() as s:
        events = s.scalar(select(func.count(ProblemEvent.id)))
    for step in (lambda: service.rectify(problem_id, "已清理", on=date(2026, 11, 3)),
                 lambda: service.verify(problem_id, True, on=date(2026, 11, 3)),
                 lambda: service.close(problem_id, on=date(2026, 11, 3)),
                 lambda: service.escalate(problem_id, "拒不整改", on=date(2026, 11, 3)),
                 lambda: service.reopen(problem_id, "复发", on=date(2026, 11, 3)),
                 lambda: service.return_escalation(problem_id, "退回", on=date(2026, 11, 3))):
        with pytest.raises(DomainError):
            step()
    with db.read() as s:
        assert s.scalar(select(func.count(ProblemEvent.id))) == events
    assert status(db, problem_id) is Status.REGISTERED


def test_the_street_office_returns_an_escalation_with_a_new_deadline(db, town):
    problem_id = register(db, town)
    service = ProblemsService(db, CHECKER)
    service.escalate(problem_id, "户主不在家，联系不上", on=date(2026, 11, 6))
    service.return_escalation(problem_id, "已联系上，由村里继续督促", deadline=date(2026, 11, 20),
                              on=date(2026, 11, 7))
    with db.read() as s:
        problem = s.get(Problem, problem_id)
        assert (problem.status, problem.escalated, problem.deadline) == \
            (Status.ASSIGNED, False, date(2026, 11, 20))
    fix_and_verify(db, problem_id, date(2026, 11, 15), date(2026, 11, 16))
    assert service.close(problem_id, on=date(2026, 11, 16)).outcome is Outcome.ON_TIME


def test_reopening_starts_a_new_round_and_points_are_posted_once_per_outcome(db, town):
    problem_id = register(db, town)
    fix_and_verify(db, problem_id, date(2026, 11, 4), date(2026, 11, 4))
    service = ProblemsService(db, CHECKER)
    first = service.close(problem_id, on=date(2026, 11, 5))
    with pytest.raises(ValidationError, match="理由不能为空"):
        service.reopen(problem_id, " ", on=date(2026, 11, 10))
    service.reopen(problem_id, "垃圾又堆回来了", deadline=date(2026, 11, 12), on=date(2026, 11, 10))
    fix_and_verify(db, problem_id, date(2026, 11, 11), date(2026, 11, 12))
    second = service.close(problem_id, on=date(2026, 11, 12))
    assert (first.outcome, second.outcome) == (Outcome.ON_TIME, Outcome.ON_TIME)
    assert second.ledger_entry_id == first.ledger_entry_id  # not posted twice
    service.reopen(problem_id, "又复发了", deadline=date(2026, 11, 14), on=date(2026, 11, 13))
    fix_and_verify(db, problem_id, date(2026, 11, 20), date(2026, 11, 20))
    third = service.close(problem_id, on=date(2026, 11, 21))
    assert third.outcome is Outcome.LATE and third.ledger_entry_id != first.ledger_entry_id
    with db.read() as s:
        assert s.scalar(select(func.count(ProblemPoints.id))) == 2
        assert s.get(Problem, problem_id).round == 3
    assert run_checks(db) == []


def test_overdue_is_derived_from_the_deadline_and_today(db, town):
    today = clock.today()  # the dates count back from the suite's day, across a year's turn too
    due = register(db, town, found_on=today - timedelta(days=11), deadline=today - timedelta(days=6))
    not_yet = register(db, town, found_on=today - timedelta(days=3), deadline=today)
    fixed = register(db, town, found_on=today - timedelta(days=11),
                     deadline=today - timedelta(days=9))
    ProblemsService(db, FIXER).rectify(fixed, "已清理", on=today - timedelta(days=8))
    service = ProblemsService(db, SYSTEM)
    overdue = service.problems(ProblemFilter(overdue_only=True))
    assert [(r.id, r.overdue_days) for r in overdue] == [(due, 6)]
    rows = {r.id: r for r in service.problems(ProblemFilter())}
    assert rows[not_yet].overdue_days == 0 and rows[fixed].overdue_days == 0
    assert rows[due].status_text == "整改中（逾期6天）"


def test_closing_a_village_problem_posts_no_points(db, town):
    data = ProblemInput(date(2026, 11, 2), town.source_id, town.category_id, "村口路灯损坏",
                        natural_village_id=town.home.natural_id, place="村口")
    registered = ProblemsService(db, SYSTEM).register(
        data, assign=Assignment(Responsible.VILLAGE), on=date(2026, 11, 2))
    fix_and_verify(db, registered.problem_id, date(2026, 11, 3), date(2026, 11, 4))
    closing = ProblemsService(db, CHECKER).close(registered.problem_id, on=date(2026, 11, 4))
    assert closing.ledger_entry_id is None
    card = ProblemsService(db, SYSTEM).card(registered.problem_id)
    assert card.row.responsible == "韩家村村集体" and card.points == ()
    assert "不记个人积分" in card.timeline[-1].detail


def test_bad_registrations_are_refused_in_chinese(db, town):
    service = ProblemsService(db, SYSTEM)
    base = ProblemInput(date(2026, 11, 2), town.source_id, town.category_id, "门前垃圾",
                        household_id=town.home.households[0])
    cases = {
        "问题描述不能为空": ProblemInput(base.found_on, base.source_id, base.category_id, " ",
                                  household_id=base.household_id),
        "还没有到": ProblemInput(clock.today() + timedelta(days=4), base.source_id, base.category_id,
                             "门前垃圾",
                             household_id=base.household_id),
        "对不上": ProblemInput(base.found_on, base.source_id, base.category_id, "门前垃圾",
                            household_id=base.household_id, zone_id=town.other.zone_id),
        "请选择问题所在的村": ProblemInput(base.found_on, base.source_id, base.category_id, "门前垃圾"),
        "问题来源（编号 999）不存在": ProblemInput(base.found_on, 999, base.category_id, "门前垃圾",
                                          village_id=town.home.village_id),
    }
    for message, data in cases.items():
        with pytest.raises(DomainError, match=message):
            service.register(data)
    with pytest.raises(ValidationError, match="整改时限"):
        service.register(base, assign=Assignment(Responsible.HOUSEHOLD, deadline=date(2026, 11, 1)),
                         on=date(2026, 11, 2))
    with db.read() as s:
        assert s.scalar(select(func.count(Problem.id))) == 0


def test_serial_numbers_run_per_village_and_year(db, town):
    first = register(db, town)
    second = register(db, town, found_on=date(2026, 11, 3))
    data = ProblemInput(date(2026, 11, 3), town.source_id, town.category_id, "柴草堆放",
                        household_id=town.other.households[0])
    other = ProblemsService(db, SYSTEM).register(data)
    rows = {r.id: r.number for r in ProblemsService(db, SYSTEM).problems(ProblemFilter())}
    assert (rows[first], rows[second], rows[other.problem_id]) == \
        ("ZG2026-001", "ZG2026-002", "ZG2026-001")


def test_the_catalogues_propose_deadlines_and_refuse_bad_entries(db, town):
    service = ProblemsService(db, SYSTEM)
    category = service.save_category(None, "秸秆焚烧", 1)
    notice = next(s.id for s in service.sources() if s.name == "上级通报")
    data = ProblemInput(date(2026, 11, 2), notice, next(
        c.id for c in service.categories() if c.name == "私搭乱建"), "违建棚子",
        household_id=town.home.households[1])
    registered = service.register(data, assign=Assignment(Responsible.HOUSEHOLD), on=date(2026, 11, 2))
    # 私搭乱建 allows 15 days, a notice from above 3: the shorter counts.
    assert service.card(registered.problem_id).row.deadline == date(2026, 11, 5)
    for bad in (("", 3), ("秸秆焚烧", 3), ("新类别", 0)):
        with pytest.raises(ValidationError):
            service.save_category(None, *bad)
    service.save_category(category, "秸秆焚烧", 2, active=False)
    assert "秸秆焚烧" not in [c.name for c in service.categories(active_only=True)]
    with pytest.raises(ValidationError, match="已停用"):
        service.register(ProblemInput(date(2026, 11, 2), notice, category, "焚烧",
                                      village_id=town.home.village_id))


def test_each_heads_rectification_record_for_the_yearly_assessment(db, town):
    on_time = register(db, town, found_on=date(2026, 10, 1))
    fix_and_verify(db, on_time, date(2026, 10, 2), date(2026, 10, 3))
    late = register(db, town, found_on=date(2026, 10, 5))
    fix_and_verify(db, late, date(2026, 10, 20), date(2026, 10, 21))
    refused = register(db, town, found_on=date(2026, 10, 6))
    service = ProblemsService(db, CHECKER)
    service.escalate(refused, "拒不整改", on=date(2026, 10, 12))
    fix_and_verify(db, refused, date(2026, 10, 14), date(2026, 10, 15))
    for problem in (on_time, late, refused):
        service.close(problem, on=date(2026, 10, 22))
    register(db, town, found_on=date(2026, 11, 1))  # still owed, overdue since 4 November
    register(db, town, household=town.home.households[2], found_on=date(2026, 11, 1))
    head = town.home.alley_heads[0]  # answers for households[0] under 门前三包
    record = ProblemsService(db, SYSTEM).rectification_record(head, 2026)
    assert (record.responsible, record.on_time, record.late, record.escalated, record.overdue) == \
        (4, 1, 1, 1, 1)
    others = ProblemsService(db, SYSTEM).rectification_records(2026, village_id=town.home.village_id)
    assert set(others) == {head, town.home.alley_heads[1]}
    assert others[town.home.alley_heads[1]].overdue == 1
    assert ProblemsService(db, SYSTEM).rectification_record(town.home.zone_head, 2025).responsible == 0
