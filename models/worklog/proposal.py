"""What a month of one head's log is worth under the rules catalogue: the settlement's arithmetic,
free of the database so that the service, the demo and the tests compute it the same way.

Each duty has units: a patrol per day in office, a summary per week (the week's Thursday in
office), a visit per month (in office on the month's last day, the alley having households).
A unit done earns the duty's award rule once, a unit missed its deduction rule once, on the
unit's date (the day, the week's Thursday, the month's last day). A rule's validity dates and
its limit per day/week/month/year are applied occurrence by occurrence, counting what the
passbook already holds in the period (`Occurrences`). Duties are posted in the order of
`DUTIES`: visits, summaries, patrols, awards before deductions — patrols last, as the most often
corrected, so that a corrected patrol reverses the fewest entries."""

from __future__ import annotations

import bisect
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from models.points.ledger import period_bounds
from models.points.tables import LimitPeriod
from models.worklog.calendar import THURSDAY, Month, bit, days_of


class Duty(enum.StrEnum):
    VISIT = "visit"
    SUMMARY = "summary"
    PATROL = "patrol"

    @property
    def label(self) -> str:
        return {"visit": "每月走访", "summary": "每周汇总", "patrol": "每日巡查"}[self.value]


DUTIES = (Duty.VISIT, Duty.SUMMARY, Duty.PATROL)
# The default catalogue's rules for each duty (migration 0002): (award, deduction).
DUTY_RULES = {Duty.VISIT: ("A03", "D03"), Duty.SUMMARY: ("A02", "D02"),
              Duty.PATROL: ("A01", "D01")}
RULE_CODES = tuple(code for duty in DUTIES for code in DUTY_RULES[duty])


@dataclass(frozen=True)
class RuleTerms:
    """The parts of a catalogue rule the settlement applies."""

    id: int
    code: str
    text: str
    points: int
    limit_count: int | None = None
    limit_period: LimitPeriod | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    evidence_required: bool = False

    def in_force(self, on: date) -> bool:
        return not ((self.valid_from and on < self.valid_from)
                    or (self.valid_to and on > self.valid_to))


@dataclass(frozen=True)
class HeadMonth:
    """One head's log of one month, as the settlement reads it."""

    head_id: int
    resident_id: int
    month: Month
    first_day: int  # first and last day in office this month; first_day > last_day: none
    last_day: int
    patrols: int  # day mask
    summaries: frozenset[date]  # Mondays of the weeks summarised
    households_due: int  # households of the alley at the month's end
    households_visited: int

    @property
    def duty_days(self) -> int:
        return max(0, self.last_day - self.first_day + 1)

    def in_office(self, day: date) -> bool:
        return Month.of(day) == self.month and self.first_day <= day.day <= self.last_day

    @property
    def weeks_due(self) -> list[date]:
        return [monday for monday in self.month.weeks()
                if self.in_office(monday + timedelta(days=THURSDAY))]

    @property
    def visit_due(self) -> bool:
        return self.last_day == self.month.days and self.households_due > 0 \
            and self.first_day <= self.last_day

    def units(self, duty: Duty) -> list[tuple[date, bool]]:
        """The duty's units this month: (the date it counts on, done)."""
        if duty is Duty.PATROL:
            return [(self.month.day(d), bool(self.patrols & bit(d)))
                    for d in range(self.first_day, self.last_day + 1)]
        if duty is Duty.SUMMARY:
            return [(monday + timedelta(days=THURSDAY), monday in self.summaries)
                    for monday in self.weeks_due]
        if not self.visit_due:
            return []
        return [(self.month.last, self.households_visited >= self.households_due)]


class Occurrences:
    """How often each rule already occurs in a person's passbook, by date: entries posted by
    hand and the days of settlement lines in force. The settlement adds what it accepts."""

    def __init__(self) -> None:
        self._dates: dict[tuple[int, int], list[date]] = {}

    def add(self, resident_id: int, rule_id: int, days: Iterable[date]) -> None:
        dates = self._dates.setdefault((resident_id, rule_id), [])
        for day in days:
            bisect.insort(dates, day)

    def count(self, resident_id: int, rule_id: int, start: date, end: date) -> int:
        dates = self.dates(resident_id, rule_id)
        return bisect.bisect_right(dates, end) - bisect.bisect_left(dates, start)

    def dates(self, resident_id: int, rule_id: int) -> list[date]:
        """The rule's dates in the person's passbook, in order (not to be changed)."""
        return self._dates.get((resident_id, rule_id), [])


@dataclass(frozen=True)
class Line:
    """One rule's part of a head's month: `times` occurrences on the days of `days`."""

    duty: Duty
    rule: RuleTerms
    times: int
    days: int  # day mask of the occurrences' dates

    @property
    def requested(self) -> int:
        return self.times * self.rule.points


@dataclass
class Proposal:
    head_id: int
    lines: list[Line] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def line(self, rule_id: int) -> Line | None:
        return next((x for x in self.lines if x.rule.id == rule_id), None)


def propose(log: HeadMonth, rules: dict[str, RuleTerms], used: Occurrences) -> Proposal:
    """The head's lines for the month, in posting order; what is accepted is added to `used`."""
    proposal = Proposal(log.head_id)
    for duty in DUTIES:
        units = log.units(duty)
        for code, done in zip(DUTY_RULES[duty], (True, False), strict=True):
            wanted = [on for on, was_done in units if was_done is done]
            if not wanted:
                continue
            rule = rules.get(code)
            if rule is None:
                proposal.notes.append(f"积分细则中没有编号为 {code} 的细则，{duty.label}"
                                      f"{'加分' if done else '扣分'}不结算。")
                continue
            if rule.evidence_required:
                proposal.notes.append(f"细则“{rule.code} {rule.text}”要求附证据，不能按日志"
                                      "自动结算，请在积分银行逐条登记。")
                continue
            accepted = _accepted(log.resident_id, rule, wanted, used)
            if accepted:
                used.add(log.resident_id, rule.id, accepted)
                mask = 0
                for on in accepted:
                    mask |= bit(on.day)
                proposal.lines.append(Line(duty, rule, len(accepted), mask))
            if len(accepted) < len(wanted):
                proposal.notes.append(_left_out(rule, len(wanted) - len(accepted)))
    return proposal


def _accepted(resident_id: int, rule: RuleTerms, wanted: list[date],
              used: Occurrences) -> list[date]:
    limited = rule.limit_count is not None and rule.limit_period is not None
    existing = used.dates(resident_id, rule.id)
    taken: dict[date, int] = {}  # the period's first day → occurrences in it so far
    accepted: list[date] = []
    for on in wanted:
        if not rule.in_force(on):
            continue
        if limited:
            start, end = period_bounds(rule.limit_period, on)
            if start not in taken:
                taken[start] = bisect.bisect_right(existing, end) - \
                    bisect.bisect_left(existing, start) if existing else 0
            if taken[start] >= rule.limit_count:
                continue
            taken[start] += 1
        accepted.append(on)
    return accepted


def _left_out(rule: RuleTerms, count: int) -> str:
    limit = f"（{rule.limit_period.label}最多 {rule.limit_count} 次）" \
        if rule.limit_period is not None else ""
    return f"细则“{rule.code} {rule.text}”有 {count} 次因停用或次数上限{limit}不计。"


def line_dates(month: Month, days: int) -> list[date]:
    return [month.day(d) for d in days_of(days)]
