"""Building blocks for the worklog tests: a small village of alley heads, a month's log written
in one go, and the expected value of a month computed from the rules independently."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from models.core.access import SYSTEM
from models.core.db import Database
from models.org.service import HouseholdInput, OrganisationService, ResidentInput
from models.org.tables import Head, HeadRole, Resident
from models.worklog.calendar import Month, bit
from models.worklog.log import SummaryInput, VisitInput, WorkLogService, change_patrols
from models.worklog.tables import PatrolSource

_names = itertools.count(1)


@dataclass
class Village:
    id: int
    heads: list[int]
    households: dict[int, list[int]]  # head → household ids of his alley


def make_village(db: Database, heads: int = 2, households: int = 3,
                 appointed: date = date(2020, 1, 1)) -> Village:
    """A village of its own (unique names) with `heads` alleys, each with a head."""
    org = OrganisationService(db, SYSTEM)
    number = next(_names)
    town = org.create_township(f"测试镇{number}")
    village = org.create_admin_village(town, f"测试村{number}")
    natural = org.create_natural_village(village, f"测试屯{number}")
    zone = org.create_zone(natural, "南片区")
    made = Village(village, [], {})
    for index in range(heads):
        alley = org.create_alley(zone, f"{index + 1}号胡同")
        ids = [org.add_household(alley, HouseholdInput(
            f"户主{number}{index}{h}", address=f"{h + 1}号",
            residents=[ResidentInput(f"户主{number}{index}{h}", relation="户主")]))
            for h in range(households)]
        with db.read() as s:
            resident = s.scalar(select(Resident.id).where(Resident.household_id == ids[0]))
        head = org.appoint_head(HeadRole.ALLEY, alley, resident, chosen_on=appointed)
        made.heads.append(head)
        made.households[head] = ids
    return made


@dataclass(frozen=True)
class MonthLog:
    """What a head did in a month: the patrol mask, the weeks summarised (their index in the
    month), how many of the alley's households were visited."""

    patrols: int
    weeks: frozenset[int] = field(default_factory=frozenset)
    visited: int = 0


def write_log(db: Database, village: Village, head_id: int, month: Month, log: MonthLog,
              before: MonthLog | None = None) -> None:
    """Bring the head's month from `before` (nothing) to `log` through the service's paths."""
    before = before or MonthLog(0)
    service = WorkLogService(db, SYSTEM)
    with db.write() as s:
        change_patrols(s, service, s.get(Head, head_id), month, log.patrols & ~before.patrols,
                       before.patrols & ~log.patrols, PatrolSource.GRID)
    weeks = month.weeks()
    for index in sorted(log.weeks - before.weeks):
        service.save_summary(head_id, weeks[index], SummaryInput("巡查正常", 1, 1))
    for index in sorted(before.weeks - log.weeks):
        service.withdraw_summary(head_id, weeks[index], "登记错了")
    if log.visited != before.visited:
        households = village.households[head_id]
        service.save_visits(head_id, month, [VisitInput(h, i < log.visited)
                                             for i, h in enumerate(households)])


@dataclass(frozen=True)
class Terms:
    points: int
    limit: tuple[int, str] | None = None  # (count, "day" | "week" | "month" | "year")


def period_key(period: str, day: date) -> object:
    """The limit's period, said differently from the ledger's period_bounds."""
    if period == "day":
        return day
    if period == "week":
        return day.isocalendar()[:2]
    if period == "month":
        return (day.year, day.month)
    return day.year


def expected_times(terms: dict[str, Terms], month: Month, logs: list[MonthLog],
                   households: int, by_hand: list[tuple[str, date]] = ()) -> list[dict[str, int]]:
    """For heads who are one person each, what every rule should count, limits applied:
    the units of each duty in date order, after what was posted by hand."""
    results = []
    for log in logs:
        used: dict[tuple[str, object], int] = {}
        for code, day in by_hand:
            if terms[code].limit:
                key = (code, period_key(terms[code].limit[1], day))
                used[key] = used.get(key, 0) + 1
        days = [month.first + timedelta(days=n) for n in range(month.days)]
        thursdays = [d for d in days if d.weekday() == 3]
        units = {
            ("A03", "D03"): [(month.last, log.visited >= households)] if households else [],
            ("A02", "D02"): [(t, i in log.weeks) for i, t in enumerate(thursdays)],
            ("A01", "D01"): [(d, bool(log.patrols & bit(d.day))) for d in days],
        }
        times: dict[str, int] = {}
        for (award, deduction), items in units.items():
            for code, done in ((award, True), (deduction, False)):
                count = 0
                for day, was_done in items:
                    if was_done is not done:
                        continue
                    limit = terms[code].limit
                    if limit:
                        key = (code, period_key(limit[1], day))
                        if used.get(key, 0) >= limit[0]:
                            continue
                        used[key] = used.get(key, 0) + 1
                    count += 1
                times[code] = count
        results.append(times)
    return results


def clamped(start: int, steps: list[int], cap: int = 100, floor: int = 0) -> int:
    score = start
    for step in steps:
        score = min(cap, max(floor, score + step))
    return score
