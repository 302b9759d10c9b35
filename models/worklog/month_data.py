"""Reading a month of the log for many heads at once: the alley heads in office during the
month in a village or a township, each with his patrol mask, summaries, findings and visits.
A handful of queries whatever the number of heads; the grid, the completeness lists and the
settlement all read through here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from models.org.tables import AdminVillage, Alley, Head, HeadRole, Household, NaturalVillage, Resident, Zone
from models.worklog.calendar import Month
from models.worklog.proposal import HeadMonth
from models.worklog.tables import Finding, PatrolMonth, Visit, WeeklySummary


@dataclass(frozen=True)
class HeadLog:
    """An alley head's month: who and where, and the log as the settlement reads it."""

    head_id: int
    resident_id: int
    name: str
    phone: str
    village_id: int
    village: str
    natural_village: str
    zone: str
    alley: str
    alley_id: int
    log: HeadMonth
    finding_days: frozenset[int]

    @property
    def unit(self) -> str:
        return f"{self.zone}·{self.alley}"


def in_office(month: Month):  # type: ignore[no-untyped-def]
    """Heads whose appointment overlaps the month (the day a head is replaced is the new one's)."""
    return (Head.role == HeadRole.ALLEY, Head.started_on <= month.last,
            or_(Head.ended_on.is_(None), Head.ended_on > month.first))


def month_logs(s: Session, month: Month, *, village_ids: list[int] | None = None,
               township_id: int | None = None, head_ids: list[int] | None = None) -> list[HeadLog]:
    """Every alley head in office during the month in the villages (or the township, or the
    listed heads), ordered as the organisation is: natural village, zone, alley, start date."""
    stmt = (select(Head.id, Head.resident_id, Head.started_on, Head.ended_on, Resident.name,
                   Resident.phone, AdminVillage.id, AdminVillage.name, NaturalVillage.name,
                   Zone.name, Alley.name, Alley.id)
            .join(Resident, Resident.id == Head.resident_id)
            .join(Alley, Alley.id == Head.alley_id).join(Zone, Zone.id == Alley.zone_id)
            .join(NaturalVillage, NaturalVillage.id == Zone.natural_village_id)
            .join(AdminVillage, AdminVillage.id == NaturalVillage.admin_village_id)
            .where(*in_office(month))
            .order_by(AdminVillage.sort_order, AdminVillage.id, NaturalVillage.sort_order,
                      NaturalVillage.id, Zone.sort_order, Zone.id, Alley.sort_order, Alley.id,
                      Head.started_on, Head.id))
    if village_ids is not None:
        stmt = stmt.where(AdminVillage.id.in_(village_ids))
    if township_id is not None:
        stmt = stmt.where(AdminVillage.township_id == township_id)
    if head_ids is not None:
        stmt = stmt.where(Head.id.in_(head_ids))
    heads = s.execute(stmt).all()
    ids = [row[0] for row in heads]
    facts = _MonthFacts(s, month, ids, sorted({row[11] for row in heads}))
    logs = []
    for (head_id, resident_id, started, ended, name, phone, village_id, village, natural, zone,
         alley, alley_id) in heads:
        first = max(started, month.first)
        last = min(ended - timedelta(days=1), month.last) if ended else month.last
        log = HeadMonth(head_id, resident_id, month, first.day, last.day if last >= first else 0,
                        facts.patrols.get(head_id, 0), facts.summaries.get(head_id, frozenset()),
                        facts.households.get(alley_id, 0), facts.visited.get(head_id, 0))
        logs.append(HeadLog(head_id, resident_id, name, phone, village_id, village, natural,
                            zone, alley, alley_id, log, facts.findings.get(head_id, frozenset())))
    return logs


class _MonthFacts:
    """The month's log rows of the given heads, by head (households by alley)."""

    def __init__(self, s: Session, month: Month, head_ids: list[int], alley_ids: list[int]):
        self.patrols: dict[int, int] = {}
        self.summaries: dict[int, frozenset[date]] = {}
        self.visited: dict[int, int] = {}
        self.findings: dict[int, frozenset[int]] = {}
        self.households: dict[int, int] = {}
        weeks = month.weeks()
        summaries, findings = defaultdict(set), defaultdict(set)
        for chunk in _chunks(head_ids):
            self.patrols.update(s.execute(select(PatrolMonth.head_id, PatrolMonth.days).where(
                PatrolMonth.month == month.key, PatrolMonth.head_id.in_(chunk))).all())
            for head_id, monday in s.execute(select(WeeklySummary.head_id, WeeklySummary.week_start)
                                             .where(WeeklySummary.head_id.in_(chunk),
                                                    WeeklySummary.week_start.in_(weeks))):
                summaries[head_id].add(monday)
            for head_id, day in s.execute(select(Finding.head_id, Finding.day).where(
                    Finding.head_id.in_(chunk), Finding.day.between(month.first, month.last))):
                findings[head_id].add(day.day)
            self.visited.update(s.execute(
                select(Visit.head_id, func.count(Visit.id)).join(Household)
                .where(Visit.month == month.key, Visit.head_id.in_(chunk),
                       due_households(month)).group_by(Visit.head_id)).all())
        for chunk in _chunks(alley_ids):
            self.households.update(s.execute(
                select(Household.alley_id, func.count(Household.id))
                .where(Household.alley_id.in_(chunk), due_households(month))
                .group_by(Household.alley_id)).all())
        self.summaries = {k: frozenset(v) for k, v in summaries.items()}
        self.findings = {k: frozenset(v) for k, v in findings.items()}


def due_households(month: Month):  # type: ignore[no-untyped-def]
    """Households still in place at the month's end: the ones a monthly visit must reach."""
    return or_(Household.removed_on.is_(None), Household.removed_on > month.last)


def _chunks(ids: list[int], size: int = 900) -> list[list[int]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)] or [[]]
