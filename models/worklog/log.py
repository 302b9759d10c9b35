"""三个一 entry: the clerk records what the alley heads report by phone, WeChat or on paper.

Every cell of the month grid is its own small operation (one transaction), so a crash loses at
most the cell being typed. A tick is journalled (worklog_patrol_change: who, when, which day);
a tick taken back, and any change to a month already settled, is also written to the audit
log, so a correction shows in the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from models.core import audit, clock
from models.core.access import Permission
from models.core.errors import NotFound, ValidationError
from models.core.service import Service
from models.org.tables import AdminVillage, Head, HeadRole, Household, Resident
from models.problems import workflow as problem_steps
from models.problems.service import HEAD_PATROL_SOURCE
from models.problems.tables import ProblemSource
from models.problems.workflow import ProblemInput
from models.worklog.calendar import Month, bit, days_of, monday_of, month_of_week, week_label
from models.worklog.month_data import HeadLog, due_households, month_logs
from models.worklog.tables import (
    Finding,
    PatrolChange,
    PatrolMonth,
    PatrolSource,
    SettlementLine,
    Visit,
    WeeklySummary,
)

TEXT_LIMIT = 300
COUNT_LIMIT = 999


@dataclass(frozen=True)
class MonthGrid:
    """A village's month for the grid: a row per alley head in office during the month."""

    village_id: int
    village: str
    month: Month
    today: date
    weeks: list[date]
    rows: list[HeadLog]


@dataclass(frozen=True)
class SummaryInput:
    text: str = ""
    found: int = 0
    fixed: int = 0


@dataclass(frozen=True)
class Summary:
    head_id: int
    week_start: date
    label: str
    text: str
    found: int
    fixed: int
    recorded_by: str
    recorded_at: datetime | None


@dataclass(frozen=True)
class VisitInput:
    household_id: int
    visited: bool
    visited_on: date | None = None
    opinion: str = ""


@dataclass(frozen=True)
class VisitRow:
    household_id: int
    householder: str
    address: str
    visited: bool
    visited_on: date | None
    opinion: str


@dataclass(frozen=True)
class VisitSheet:
    head_id: int
    head_name: str
    unit: str
    month: Month
    rows: list[VisitRow]


@dataclass(frozen=True)
class ChangeRow:
    """One line of a month's patrol history: when, who, what."""

    recorded_at: datetime
    user_name: str
    source: PatrolSource
    set_days: list[int]
    cleared_days: list[int]

    @property
    def text(self) -> str:
        parts = []
        if self.set_days:
            parts.append("登记巡查：" + "、".join(f"{d}日" for d in self.set_days))
        if self.cleared_days:
            parts.append("取消巡查：" + "、".join(f"{d}日" for d in self.cleared_days))
        return "；".join(parts)


SOURCE_LABELS = {PatrolSource.GRID: "逐格登记", PatrolSource.IMPORT: "Excel 导入",
                 PatrolSource.DEMO: "演示数据"}


class WorkLogService(Service):
    # ---- reading ---------------------------------------------------------------------------
    def villages(self) -> list[tuple[int, str]]:
        with self.db.read() as s:
            rows = s.execute(select(AdminVillage.id, AdminVillage.name)
                             .order_by(AdminVillage.township_id, AdminVillage.sort_order)).all()
        return [(i, n) for i, n in rows if self.visible(i)]

    def grid(self, village_id: int, month: Month) -> MonthGrid:
        self.require_view(village_id)
        with self.db.read() as s:
            name = s.scalar(select(AdminVillage.name).where(AdminVillage.id == village_id))
            if name is None:
                raise NotFound(f"行政村（编号 {village_id}）不存在。")
            rows = month_logs(s, month, village_ids=[village_id])
        return MonthGrid(village_id, name, month, clock.today(), month.weeks(), rows)

    def summaries(self, head_id: int, month: Month) -> list[Summary]:
        with self.db.read() as s:
            self.require_view(_head(s, head_id).admin_village_id)
            found = {x.week_start: x for x in s.scalars(select(WeeklySummary).where(
                WeeklySummary.head_id == head_id, WeeklySummary.week_start.in_(month.weeks())))}
        return [_summary(head_id, monday, found.get(monday)) for monday in month.weeks()]

    def summary(self, head_id: int, monday: date) -> Summary:
        with self.db.read() as s:
            self.require_view(_head(s, head_id).admin_village_id)
            row = s.scalar(select(WeeklySummary).where(WeeklySummary.head_id == head_id,
                                                       WeeklySummary.week_start == monday))
        return _summary(head_id, monday, row)

    def visit_sheet(self, head_id: int, month: Month) -> VisitSheet:
        """The households of the head's alley due a visit this month, ticked where visited."""
        with self.db.read() as s:
            head = _head(s, head_id)
            self.require_view(head.admin_village_id)
            log = month_logs(s, month, head_ids=[head_id])
            visits = {v.household_id: v for v in s.scalars(select(Visit).where(
                Visit.head_id == head_id, Visit.month == month.key))}
            households = s.scalars(select(Household).where(
                Household.alley_id == head.alley_id, due_households(month)).order_by(Household.id)).all()
            name = s.scalar(select(Resident.name).where(Resident.id == head.resident_id)) or ""
        rows = [VisitRow(h.id, h.householder_name, h.address, h.id in visits,
                         visits[h.id].visited_on if h.id in visits else None,
                         visits[h.id].opinion if h.id in visits else "") for h in households]
        return VisitSheet(head_id, name, log[0].unit if log else "", month, rows)

    def patrol_history(self, head_id: int, month: Month) -> list[ChangeRow]:
        """Who ticked or took back which day, and when: the month's journal in order."""
        with self.db.read() as s:
            self.require_view(_head(s, head_id).admin_village_id)
            rows = s.execute(select(PatrolChange).join(PatrolMonth).where(
                PatrolMonth.head_id == head_id, PatrolMonth.month == month.key)
                .order_by(PatrolChange.seq)).scalars().all()
        return [ChangeRow(r.recorded_at, r.user_name, r.source, days_of(r.set_days),
                          days_of(r.cleared_days)) for r in rows]

    def findings(self, head_id: int, day: date) -> list[tuple[int, str, str]]:
        """(id, text, raised as) of the findings of a head's patrol on a day."""
        with self.db.read() as s:
            self.require_view(_head(s, head_id).admin_village_id)
            return [tuple(r) for r in s.execute(select(Finding.id, Finding.text, Finding.raised_as)
                                                .where(Finding.head_id == head_id, Finding.day == day)
                                                .order_by(Finding.id))]

    # ---- writing ---------------------------------------------------------------------------
    def set_patrol(self, head_id: int, day: date, done: bool) -> int:
        """Tick (or take back) one day's patrol; returns the month's day mask afterwards."""
        with self.operation(Permission.EDIT_WORKLOG) as s:
            head = self._writable_head(s, head_id)
            _check_in_office(s, head, day)
            return change_patrols(s, self, head, Month.of(day), bit(day.day) if done else 0,
                                   0 if done else bit(day.day), PatrolSource.GRID)

    def add_finding(self, head_id: int, day: date, text: str) -> int:
        """A problem found on the day's patrol (the patrol is ticked with it)."""
        text = _text(text, "发现的问题")
        if not text:
            raise ValidationError("请写明巡查发现的问题。")
        with self.operation(Permission.EDIT_WORKLOG) as s:
            head = self._writable_head(s, head_id)
            _check_in_office(s, head, day)
            change_patrols(s, self, head, Month.of(day), bit(day.day), 0, PatrolSource.GRID)
            finding = Finding(head_id=head_id, day=day, text=text, user_name=self.actor.name)
            s.add(finding)
            s.flush()
            audit.record(s, self.actor, "登记巡查发现的问题", "worklog_finding", finding.id,
                         village_id=head.admin_village_id,
                         after={"head_id": head_id, "day": day, "finding": text})
            return finding.id

    def raise_finding(self, finding_id: int, category_id: int) -> str:
        """转为整改问题: the finding registered in the rectification ledger (source 片区长胡同长
        巡查, at the head's alley) in the transaction that marks it raised, so it is raised once.
        Returns the problem's number."""
        with self.operation(Permission.REGISTER_PROBLEMS) as s:
            finding = s.execute(select(Finding).where(Finding.id == finding_id)
                                .with_for_update()).scalar_one_or_none()
            if finding is None:
                raise NotFound(f"巡查发现的问题（编号 {finding_id}）不存在。")
            head = _head(s, finding.head_id)
            self.require(Permission.REGISTER_PROBLEMS, head.admin_village_id)
            if finding.raised_as:
                raise ValidationError(f"这条问题已转为整改问题 {finding.raised_as}，不能重复转。")
            source = s.scalar(select(ProblemSource.id).where(ProblemSource.name == HEAD_PATROL_SOURCE))
            if source is None:
                raise ValidationError(f"问题来源中没有“{HEAD_PATROL_SOURCE}”，请先在问题整改的来源中添加。")
            problem = problem_steps.register(s, self.actor, ProblemInput(
                finding.day, source, category_id, finding.text, alley_id=head.alley_id,
                reporter=_person(s, head)), on=max(clock.today(), finding.day))
            finding.raised_as = problem.number
            audit.record(s, self.actor, "巡查发现转为整改问题", "problem", problem.id,
                         village_id=head.admin_village_id,
                         after={"problem": problem.number, "day": finding.day,
                                "finding": finding.text})
            return problem.number

    def save_summary(self, head_id: int, monday: date, data: SummaryInput) -> int:
        """Record (or correct) a head's summary of a week."""
        text = _text(data.text, "周汇总")
        found, fixed = (_count(v, label) for v, label in ((data.found, "发现问题数"),
                                                            (data.fixed, "已整改数")))
        if monday != monday_of(monday):
            raise ValidationError(f"{monday:%Y-%m-%d} 不是星期一，周汇总按周一登记。")
        with self.operation(Permission.EDIT_WORKLOG) as s:
            head = self._writable_head(s, head_id)
            _check_week(s, head, monday)
            row = s.scalar(select(WeeklySummary).where(WeeklySummary.head_id == head_id,
                                                       WeeklySummary.week_start == monday)
                           .with_for_update())
            after = {"week": monday, "summary": text, "found": found, "fixed": fixed}
            before = None
            if row is None:
                row = WeeklySummary(head_id=head_id, week_start=monday)
                s.add(row)
            else:
                before = {"week": monday, "summary": row.text, "found": row.found, "fixed": row.fixed}
            row.text, row.found, row.fixed = text, found, fixed
            row.user_name, row.recorded_at = self.actor.name, clock.utcnow()
            s.flush()
            audit.record(s, self.actor, "更正周汇总" if before else "登记周汇总",
                         "worklog_summary", row.id, village_id=head.admin_village_id,
                         before=before, after={"head_id": head_id, **after})
            return row.id

    def withdraw_summary(self, head_id: int, monday: date, reason: str) -> None:
        """Take back a summary recorded by mistake; the audit log keeps what it said."""
        reason = _text(reason, "撤销原因")
        if not reason:
            raise ValidationError("撤销周汇总必须写明原因。")
        with self.operation(Permission.EDIT_WORKLOG) as s:
            head = self._writable_head(s, head_id)
            row = s.scalar(select(WeeklySummary).where(WeeklySummary.head_id == head_id,
                                                       WeeklySummary.week_start == monday))
            if row is None:
                raise NotFound(f"{week_label(monday)}没有登记周汇总。")
            audit.record(s, self.actor, "撤销周汇总", "worklog_summary", row.id,
                         village_id=head.admin_village_id,
                         before={"head_id": head_id, "week": monday, "summary": row.text,
                                 "found": row.found, "fixed": row.fixed},
                         after={"reason": reason})
            s.delete(row)

    def save_visits(self, head_id: int, month: Month, visits: list[VisitInput]) -> int:
        """The month's visits of a head as ticked in the household list (one save); returns the
        number of households visited."""
        with self.operation(Permission.EDIT_WORKLOG) as s:
            head = self._writable_head(s, head_id)
            if month.first > clock.today():
                raise ValidationError(f"{month.label}还没有到，不能登记走访。")
            due = dict(s.execute(select(Household.id, Household.householder_name).where(
                Household.alley_id == head.alley_id, due_households(month))).all())
            current = {v.household_id: v for v in s.scalars(select(Visit).where(
                Visit.head_id == head_id, Visit.month == month.key).with_for_update())}
            before = [_visited(due.get(k, str(k)), v.opinion) for k, v in current.items()]
            after = []
            for item in visits:
                if item.household_id not in due:
                    raise ValidationError(f"农户（编号 {item.household_id}）不在本胡同的走访名单里。")
                row = current.get(item.household_id)
                if not item.visited:
                    if row is not None:
                        s.delete(row)
                    continue
                opinion = _text(item.opinion, f"“{due[item.household_id]}”的意见")
                if item.visited_on and Month.of(item.visited_on) != month:
                    raise ValidationError(f"“{due[item.household_id]}”的走访日期 "
                                          f"{item.visited_on:%Y-%m-%d} 不在{month.label}。")
                if row is None:
                    row = Visit(head_id=head_id, month=month.key, household_id=item.household_id)
                    s.add(row)
                row.visited_on, row.opinion = item.visited_on, opinion
                after.append(_visited(due[item.household_id], opinion))
            s.flush()
            audit.record(s, self.actor, "登记入户走访", "worklog_visit", head_id,
                         village_id=head.admin_village_id,
                         before={"month": month.text, "visited": before} if current else None,
                         after={"month": month.text, "visited": after})
            return len(after)

    def _writable_head(self, s: Session, head_id: int) -> Head:
        head = _head(s, head_id)
        self.require(Permission.EDIT_WORKLOG, head.admin_village_id)
        return head


def change_patrols(s: Session, service: Service, head: Head, month: Month, set_days: int,
                    cleared_days: int, source: PatrolSource) -> int:
    """Set and clear days of a head's month, journal what changed, and audit a taking back or a
    change to a settled month. Returns the month's mask afterwards."""
    patrol = locked_patrol(s, head.id, month)
    before = patrol.days
    after = (before | set_days) & ~cleared_days
    if after == before:
        return after
    patrol.days = after
    patrol.changes += 1
    actor = service.actor
    s.add(PatrolChange(patrol_id=patrol.id, seq=patrol.changes, set_days=after & ~before,
                       cleared_days=before & ~after, recorded_at=clock.utcnow(),
                       user_name=actor.name, source=source))
    taken_back = before & ~after
    if taken_back or _settled(s, head.id, month):
        audit.record(s, actor, "更正巡查记录", "worklog_patrol", patrol.id,
                     village_id=head.admin_village_id,
                     before={"head_id": head.id, "month": month.text, "days": days_of(before)},
                     after={"head_id": head.id, "month": month.text, "days": days_of(after)})
    return after


def locked_patrol(s: Session, head_id: int, month: Month) -> PatrolMonth:
    """The head's patrol row of the month, created if missing, locked for this transaction."""
    maker = pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
    s.execute(maker(PatrolMonth).values(head_id=head_id, month=month.key, days=0, changes=0)
              .on_conflict_do_nothing())
    return s.execute(select(PatrolMonth).where(PatrolMonth.head_id == head_id,
                                               PatrolMonth.month == month.key)
                     .with_for_update().execution_options(populate_existing=True)).scalar_one()


def _settled(s: Session, head_id: int, month: Month) -> bool:
    return s.scalar(select(SettlementLine.id).where(SettlementLine.head_id == head_id,
                                                    SettlementLine.month == month.key).limit(1)) is not None


def _head(s: Session, head_id: int) -> Head:
    head = s.get(Head, head_id)
    if head is None:
        raise NotFound(f"负责人（编号 {head_id}）不存在。")
    if head.role is not HeadRole.ALLEY:
        raise ValidationError("“三个一”工作日志由胡同长填写，片区长没有这项登记。")
    return head


def _person(s: Session, head: Head) -> str:
    return s.scalar(select(Resident.name).where(Resident.id == head.resident_id)) or "该胡同长"


def _check_in_office(s: Session, head: Head, day: date) -> None:
    if day > clock.today():
        raise ValidationError(f"{day:%Y-%m-%d} 还没有到，不能登记巡查。")
    if day < head.started_on or (head.ended_on is not None and day >= head.ended_on):
        end = f"至 {head.ended_on - timedelta(days=1):%Y-%m-%d}" if head.ended_on else "起"
        raise ValidationError(f"{_person(s, head)}的任期为 {head.started_on:%Y-%m-%d} {end}，"
                              f"{day:%Y-%m-%d} 不在任期内。")


def _check_week(s: Session, head: Head, monday: date) -> None:
    if monday > clock.today():
        raise ValidationError(f"{week_label(monday)}还没有到，不能登记周汇总。")
    thursday = monday + timedelta(days=3)
    if thursday < head.started_on or (head.ended_on is not None and thursday >= head.ended_on):
        raise ValidationError(f"{_person(s, head)}在{month_of_week(monday).label}"
                              f"{week_label(monday)}不在任，这一周的汇总不归他。")


def _summary(head_id: int, monday: date, row: WeeklySummary | None) -> Summary:
    if row is None:
        return Summary(head_id, monday, week_label(monday), "", 0, 0, "", None)
    return Summary(head_id, monday, week_label(monday), row.text, row.found, row.fixed,
                   row.user_name, row.recorded_at)


def _visited(householder: str, opinion: str) -> str:
    return f"{householder}（{opinion}）" if opinion else householder


def free_text(value: str | None) -> str:
    """What a person wrote, spaces folded; Chinese punctuation kept as typed (no NFKC)."""
    return " ".join(str(value or "").split())


def _text(value: str, label: str) -> str:
    text = free_text(value)
    if len(text) > TEXT_LIMIT:
        raise ValidationError(f"{label}最多 {TEXT_LIMIT} 个字，现在有 {len(text)} 个字。")
    return text


def _count(value: object, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= COUNT_LIMIT:
        raise ValidationError(f"{label}应为 0 到 {COUNT_LIMIT} 之间的整数，收到的是“{value}”。")
    return value
