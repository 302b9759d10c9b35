"""The 三个一 log on both engines: ticks journalled and taken back with an audit row, refusals
that write nothing, summaries, visits and matters, completeness and the reminder lists, the
append-only journal and `check`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from models.check import run_checks
from models.core.access import SYSTEM, Actor, Role
from models.core import clock
from models.core.audit import AuditLog
from models.core.errors import PermissionDenied, ValidationError
from models.org.tables import Head, HeadRole
from models.problems.service import ProblemsService
from models.problems.views import ProblemFilter
from models.worklog.calendar import Month, bit, days_of, monday_of
from models.worklog.completeness import CompletenessService
from models.worklog.log import SummaryInput, VisitInput, WorkLogService
from models.worklog.matters import MatterInput, MatterService
from models.worklog.tables import MatterStatus, OfficerRole, PatrolChange, PatrolSource
from tests.worklog.helpers import make_village

NOVEMBER = Month(2026, 11)


@pytest.fixture
def village(db):  # type: ignore[no-untyped-def]
    return make_village(db, heads=2, households=3)


def _count(db, model) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_ticks_are_journalled_and_a_tick_taken_back_is_audited(db, village):  # type: ignore[no-untyped-def]
    clerk = Actor("村文书", Role.CLERK, None, village.id)
    service = WorkLogService(db, clerk)
    head = village.heads[0]
    audits = _count(db, AuditLog)
    assert service.set_patrol(head, date(2026, 11, 3), True) == bit(3)
    assert service.set_patrol(head, date(2026, 11, 4), True) == bit(3) | bit(4)
    assert service.set_patrol(head, date(2026, 11, 4), True) == bit(3) | bit(4)  # no change
    assert _count(db, AuditLog) == audits  # first entries go to the journal only
    assert service.set_patrol(head, date(2026, 11, 3), False) == bit(4)
    assert _count(db, AuditLog) == audits + 1  # a tick taken back is a correction
    history = service.patrol_history(head, NOVEMBER)
    assert [(h.set_days, h.cleared_days, h.user_name, h.source) for h in history] == [
        ([3], [], "村文书", PatrolSource.GRID), ([4], [], "村文书", PatrolSource.GRID),
        ([], [3], "村文书", PatrolSource.GRID)]
    assert history[-1].text == "取消巡查：3日"
    assert run_checks(db) == []


@pytest.mark.parametrize("day, message", [
    (lambda: clock.today() + timedelta(days=1), "还没有到"),
    (lambda: date(2019, 12, 31), "不在任期内")], ids=["tomorrow", "before-office"])
def test_a_day_out_of_reach_is_refused_and_nothing_written(db, village, day, message):  # type: ignore[no-untyped-def]
    before = _count(db, PatrolChange)
    with pytest.raises(ValidationError, match=message):
        WorkLogService(db, SYSTEM).set_patrol(village.heads[0], day(), True)
    assert _count(db, PatrolChange) == before


def test_another_villages_clerk_and_a_zone_head_are_refused(db, village):  # type: ignore[no-untyped-def]
    stranger = Actor("外村文书", Role.CLERK, None, village.id + 1000)
    with pytest.raises(PermissionDenied):
        WorkLogService(db, stranger).set_patrol(village.heads[0], date(2026, 11, 3), True)
    inspector = Actor("纪工委", Role.INSPECTOR)
    with pytest.raises(PermissionDenied):
        WorkLogService(db, inspector).set_patrol(village.heads[0], date(2026, 11, 3), True)
    with db.write() as s:
        alley_head = s.get(Head, village.heads[0])
        zone_head = Head(resident_id=alley_head.resident_id, role=HeadRole.ZONE,
                         zone_id=s.execute(text("SELECT zone_id FROM alley WHERE id = :a"),
                                           {"a": alley_head.alley_id}).scalar(),
                         admin_village_id=village.id, started_on=date(2020, 1, 1),
                         chosen_on=date(2020, 1, 1))
        s.add(zone_head)
        s.flush()
        zone_head_id = zone_head.id
    with pytest.raises(ValidationError, match="片区长没有"):
        WorkLogService(db, SYSTEM).set_patrol(zone_head_id, date(2026, 11, 3), True)
    assert _count(db, PatrolChange) == 0


def test_the_journal_is_append_only_and_check_finds_a_mask_changed_behind_its_back(db, village):  # type: ignore[no-untyped-def]
    WorkLogService(db, SYSTEM).set_patrol(village.heads[0], date(2026, 11, 3), True)
    with pytest.raises(DBAPIError, match="只能追加"), db.write() as s:
        s.execute(text("UPDATE worklog_patrol_change SET set_days = 7"))
    with pytest.raises(DBAPIError, match="只能追加"), db.write() as s:
        s.execute(text("DELETE FROM worklog_patrol_change"))
    with db.write() as s:
        s.execute(text("UPDATE worklog_patrol SET days = 7"))
    assert any("修改记录对不上" in p for p in run_checks(db))


def test_summaries_are_recorded_corrected_and_withdrawn_with_their_history(db, village):  # type: ignore[no-untyped-def]
    service = WorkLogService(db, SYSTEM)
    head, monday = village.heads[0], NOVEMBER.weeks()[1]
    service.save_summary(head, monday, SummaryInput("清理垃圾三处", 3, 2))
    service.save_summary(head, monday, SummaryInput("清理垃圾四处", 4, 4))
    found = service.summaries(head, NOVEMBER)
    assert [(s.text, s.found, s.fixed) for s in found][1] == ("清理垃圾四处", 4, 4)
    assert found[1].label == "第2周（11月9日—11月15日）"
    with pytest.raises(ValidationError, match="星期一"):
        service.save_summary(head, monday.replace(day=10), SummaryInput())
    with pytest.raises(ValidationError, match="原因"):
        service.withdraw_summary(head, monday, " ")
    service.withdraw_summary(head, monday, "登记到了别的胡同长名下")
    assert service.summaries(head, NOVEMBER)[1].recorded_at is None
    with db.read() as s:
        actions = list(s.scalars(select(AuditLog.action).where(
            AuditLog.entity == "worklog_summary").order_by(AuditLog.id)))
    assert actions == ["登记周汇总", "更正周汇总", "撤销周汇总"]


def test_visits_tick_the_alleys_households(db, village):  # type: ignore[no-untyped-def]
    service = WorkLogService(db, SYSTEM)
    head = village.heads[0]
    households = village.households[head]
    visited = service.save_visits(head, NOVEMBER, [
        VisitInput(households[0], True, date(2026, 11, 12), "希望增设垃圾桶"),
        VisitInput(households[1], True), VisitInput(households[2], False)])
    assert visited == 2
    sheet = service.visit_sheet(head, NOVEMBER)
    assert [(r.visited, r.opinion) for r in sheet.rows] == [
        (True, "希望增设垃圾桶"), (True, ""), (False, "")]
    other = village.households[village.heads[1]][0]
    with pytest.raises(ValidationError, match="不在本胡同"):
        service.save_visits(head, NOVEMBER, [VisitInput(other, True)])
    rows = CompletenessService(db, SYSTEM).month(NOVEMBER, village_id=village.id)
    assert [(r.visited, r.households) for r in rows] == [(2, 3), (0, 3)]


def test_findings_tick_the_patrol_of_the_day(db, village):  # type: ignore[no-untyped-def]
    service = WorkLogService(db, SYSTEM)
    head = village.heads[1]
    service.add_finding(head, date(2026, 11, 6), "门前堆放柴草未清理")
    grid = service.grid(village.id, NOVEMBER)
    assert days_of(grid.rows[1].log.patrols) == [6] and grid.rows[1].finding_days == {6}
    assert [f[1] for f in service.findings(head, date(2026, 11, 6))] == ["门前堆放柴草未清理"]


def test_matters_by_officer_role_with_statuses_for_disputes_and_hazards(db, village):  # type: ignore[no-untyped-def]
    service = MatterService(db, SYSTEM)
    head = village.heads[0]
    dispute = service.record(MatterInput(head, date(2026, 11, 5), OfficerRole.DISPUTE,
                                         "调解两户因排水引起的矛盾"))
    service.record(MatterInput(head, date(2026, 11, 6), OfficerRole.POLICY, "宣传门前三包"))
    with pytest.raises(ValidationError, match="不跟踪办理状态"):
        service.record(MatterInput(head, date(2026, 11, 6), OfficerRole.POLICY, "宣传",
                                   MatterStatus.DONE))
    rows = service.matters(village.id, NOVEMBER)
    assert [(r.role, r.status) for r in rows] == [
        (OfficerRole.DISPUTE, MatterStatus.IN_PROGRESS), (OfficerRole.POLICY, None)]
    counts = next(c for c in service.role_counts(NOVEMBER) if c.village_id == village.id)
    assert (counts.counts[OfficerRole.DISPUTE], counts.counts[OfficerRole.POLICY], counts.open) == (1, 1, 1)
    service.set_status(dispute, MatterStatus.DONE)
    counts = next(c for c in service.role_counts(NOVEMBER) if c.village_id == village.id)
    assert counts.open == 0 and counts.total == 2


def test_who_has_not_today_this_week_and_this_month(db, village):  # type: ignore[no-untyped-def]
    service = WorkLogService(db, SYSTEM)
    first, second = village.heads
    today = clock.today()  # this week may begin in last month, or last year
    service.set_patrol(first, today, True)
    service.save_summary(second, monday_of(today), SummaryInput("本周巡查正常"))
    service.save_visits(first, Month.of(today), [VisitInput(h, True) for h in village.households[first]])
    reminders = CompletenessService(db, SYSTEM).reminders(village_id=village.id)
    assert [r.head.head_id for r in reminders.who_has_not("today")] == [second]
    assert [r.head.head_id for r in reminders.who_has_not("week")] == [first]
    assert [r.head.head_id for r in reminders.who_has_not("month")] == [second]
    assert reminders.who_has_not("month")[0].missing == ["今日未巡查", "本月走访 0/3 户"]


def test_a_finding_is_raised_as_a_problem_once(db, village):  # type: ignore[no-untyped-def]
    service = WorkLogService(db, SYSTEM)
    finding = service.add_finding(village.heads[0], date(2026, 11, 6), "排水沟堵塞")
    category = ProblemsService(db, SYSTEM).categories(active_only=True)[0].id
    number = service.raise_finding(finding, category)
    assert [f[2] for f in service.findings(village.heads[0], date(2026, 11, 6))] == [number]
    card = ProblemsService(db, SYSTEM).problems(ProblemFilter(village_id=village.id))
    assert [(p.number, p.description) for p in card] == [(number, "排水沟堵塞")]
    with pytest.raises(ValidationError, match="不能重复转"):
        service.raise_finding(finding, category)
    clerk = Actor("外村文书", Role.CLERK, None, village.id + 1000)
    with pytest.raises(PermissionDenied):
        WorkLogService(db, clerk).raise_finding(finding, category)
