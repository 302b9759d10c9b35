"""How complete the 三个一 log is: per head and month, patrols x of y days, summaries x of y
weeks, households visited x of y; and who has not yet patrolled today, summarised this week or
visited every household this month, per village and for the township (the reminder list)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from models.core import clock
from models.core.service import Service
from models.org.tables import AdminVillage, Township
from models.worklog.calendar import Month, bit, monday_of
from models.worklog.month_data import HeadLog, month_logs
from models.worklog.tables import WeeklySummary


@dataclass(frozen=True)
class Completeness:
    """One head's month so far (up to `until`)."""

    head: HeadLog
    patrols: int
    patrol_days: int
    summaries: int
    summary_weeks: int
    visited: int
    households: int

    @property
    def complete(self) -> bool:
        return (self.patrols, self.summaries, self.visited) == \
            (self.patrol_days, self.summary_weeks, self.households)


@dataclass(frozen=True)
class Reminder:
    """A head who has not yet done a duty, and which."""

    head: HeadLog
    patrol_today: bool
    summary_this_week: bool
    visited: int
    households: int

    @property
    def missing(self) -> list[str]:
        return [text for text, flag in (
            ("今日未巡查", not self.patrol_today), ("本周未汇总", not self.summary_this_week),
            (f"本月走访 {self.visited}/{self.households} 户", self.visited < self.households))
            if flag]


@dataclass(frozen=True)
class ReminderList:
    scope: str
    on: date
    week: date
    rows: list[Reminder]

    def who_has_not(self, duty: str) -> list[Reminder]:
        """duty: "today", "week" or "month"."""
        test = {"today": lambda r: not r.patrol_today,
                "week": lambda r: not r.summary_this_week,
                "month": lambda r: r.visited < r.households}[duty]
        return [r for r in self.rows if test(r)]


class CompletenessService(Service):
    def month(self, month: Month, *, village_id: int | None = None,
              township_id: int | None = None) -> list[Completeness]:
        """Each head's month; for the month under way, days and weeks up to today only."""
        today = clock.today()
        return [_completeness(x, today) for x in self._logs(month, village_id, township_id)]

    def reminders(self, *, village_id: int | None = None, township_id: int | None = None,
                  on: date | None = None) -> ReminderList:
        """Who has not yet patrolled today, summarised this week or visited all households
        this month (heads in office today)."""
        on = on or clock.today()
        week = monday_of(on)
        logs = self._logs(Month.of(on), village_id, township_id)
        with self.db.read() as s:
            summarised = set(s.scalars(select(WeeklySummary.head_id).where(
                WeeklySummary.week_start == week,
                WeeklySummary.head_id.in_([x.head_id for x in logs]))))
        rows = [Reminder(x, bool(x.log.patrols & bit(on.day)), x.head_id in summarised,
                         min(x.log.households_visited, x.log.households_due), x.log.households_due)
                for x in logs if x.log.in_office(on)]
        rows = [r for r in rows if r.missing]
        return ReminderList(self._scope_name(village_id, township_id), on, week, rows)

    def _logs(self, month: Month, village_id: int | None, township_id: int | None) -> list[HeadLog]:
        if village_id is not None:
            self.require_view(village_id)
        with self.db.read() as s:
            logs = month_logs(s, month, village_ids=None if village_id is None else [village_id],
                              township_id=township_id)
        return [x for x in logs if self.visible(x.village_id)]

    def _scope_name(self, village_id: int | None, township_id: int | None) -> str:
        with self.db.read() as s:
            if village_id is not None:
                return s.scalar(select(AdminVillage.name).where(AdminVillage.id == village_id)) or ""
            if township_id is not None:
                return s.scalar(select(Township.name).where(Township.id == township_id)) or ""
        return "全部"


def _completeness(log: HeadLog, today: date) -> Completeness:
    """Days up to today, and the weeks whose Sunday has come."""
    head_month = log.log
    days = [d for d in range(head_month.first_day, head_month.last_day + 1)
            if head_month.month.day(d) <= today]
    weeks = [m for m in head_month.weeks_due if m + timedelta(days=6) <= today]
    return Completeness(log, sum(1 for d in days if head_month.patrols & bit(d)), len(days),
                        sum(1 for m in weeks if m in head_month.summaries), len(weeks),
                        min(head_month.households_visited, head_month.households_due),
                        head_month.households_due)
