"""Reading the rectification ledger: the rows for a filter (the page's list and the 台账 are the
same rows), one problem's card with its timeline and photos, the statistics per village and
month, and each head's rectification record. Plain data only; nothing here writes."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import extract, or_, select
from sqlalchemy.orm import Session

from models.org.tables import (
    AdminVillage,
    Alley,
    Head,
    Household,
    NaturalVillage,
    PledgeReturn,
    Resident,
    Zone,
)
from models.points.tables import LedgerEntry, Passbook
from models.problems.lifecycle import OWED, overdue_days
from models.problems.tables import (
    EventKind,
    Responsible,
    Outcome,
    Problem,
    ProblemCategory,
    ProblemEvent,
    ProblemPhoto,
    ProblemPoints,
    ProblemSource,
    Stage,
    Status,
)


@dataclass(frozen=True)
class ProblemFilter:
    """Which problems: by village (the account's scope narrows it further), status (or only
    those not closed), source, category, overdue today, escalated, and the year and month found."""

    village_id: int | None = None
    status: Status | None = None
    open_only: bool = False
    source_id: int | None = None
    category_id: int | None = None
    overdue_only: bool = False
    escalated_only: bool = False
    year: int | None = None
    month: int | None = None
    villages: frozenset[int] | None = None  # the account's scope, set by the service

    def within(self, villages: frozenset[int]) -> ProblemFilter:
        scope = villages if self.villages is None else self.villages & villages
        return replace(self, villages=scope)


@dataclass(frozen=True)
class ProblemRow:
    id: int
    village_id: int
    village: str
    number: str
    found_on: date
    place: str
    description: str
    source: str
    category: str
    reporter: str
    responsible: str
    deadline: date | None
    status: Status
    overdue_days: int
    escalated: bool
    rectified_on: date | None
    rectification: str  # what the passed (or pending) fix was
    verifier: str
    closed_on: date | None
    outcome: Outcome | None
    household_id: int | None
    source_id: int
    category_id: int

    @property
    def status_text(self) -> str:
        late = f"（逾期{self.overdue_days}天）" if self.overdue_days else ""
        return f"{self.status.label}{late}"

    @property
    def progress(self) -> str:
        """整改情况 as the 台账 states it."""
        if self.status is Status.CLOSED:
            result = self.outcome.label if self.outcome else ""
            return f"{self.rectification}（{result}）" if self.rectification else result
        if self.rectified_on is not None:
            return f"{self.rectified_on:%m-%d}已整改：{self.rectification}（{self.status.label}）"
        return self.status_text


@dataclass(frozen=True)
class TimelineItem:
    seq: int
    kind: EventKind
    occurred_on: date
    operator: str
    note: str
    detail: str
    photos: tuple[int, ...]

    @property
    def label(self) -> str:
        return self.kind.label


@dataclass(frozen=True)
class PointsLine:
    outcome: Outcome
    head: str
    points: int
    entry: str  # e.g. 2026年积分存折第12笔


@dataclass(frozen=True)
class ProblemCard:
    row: ProblemRow
    timeline: tuple[TimelineItem, ...]
    before: tuple[int, ...]  # stored_file ids
    after: tuple[int, ...]
    pledge: str  # whether the responsible household's 门前三包 pledge came back; "" if none
    points: tuple[PointsLine, ...] = field(default=())
    round: int = 1


@dataclass(frozen=True)
class StatRow:
    village_id: int
    village: str
    month: int
    found: int
    closed: int
    on_time: int
    days_to_close: int  # summed over the closed ones

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.closed if self.closed else None

    @property
    def average_days(self) -> float | None:
        return self.days_to_close / self.closed if self.closed else None


@dataclass(frozen=True)
class RectificationRecord:
    """整改记录 of one head for a year, as the yearly assessment reads it."""

    head_id: int
    year: int
    responsible: int = 0
    on_time: int = 0
    late: int = 0
    escalated: int = 0
    overdue: int = 0


@dataclass(frozen=True)
class CatalogueRow:
    id: int
    name: str
    default_days: int | None
    active: bool


# ---- rows ----------------------------------------------------------------------------------

def rows(s: Session, criteria: ProblemFilter, today: date, *,
         problem_id: int | None = None) -> list[ProblemRow]:
    stmt = (select(Problem, AdminVillage.name, ProblemSource.name, ProblemCategory.name,
                   NaturalVillage.name, Zone.name, Alley.name, Household.householder_name)
            .join(AdminVillage, AdminVillage.id == Problem.admin_village_id)
            .join(ProblemSource, ProblemSource.id == Problem.source_id)
            .join(ProblemCategory, ProblemCategory.id == Problem.category_id)
            .outerjoin(NaturalVillage, NaturalVillage.id == Problem.natural_village_id)
            .outerjoin(Zone, Zone.id == Problem.zone_id)
            .outerjoin(Alley, Alley.id == Problem.alley_id)
            .outerjoin(Household, Household.id == Problem.household_id))
    if problem_id is not None:
        stmt = stmt.where(Problem.id == problem_id)
    stmt = _filtered(stmt, criteria, today).order_by(
        Problem.found_on, AdminVillage.sort_order, Problem.admin_village_id, Problem.serial)
    found = s.execute(stmt).all()
    steps = _last_steps(s, [row[0].id for row in found])
    return [_row(problem, village, source, category, _place(natural, zone, alley, householder,
                                                            problem.place),
                 steps.get(problem.id, {}), today)
            for problem, village, source, category, natural, zone, alley, householder in found]


def _filtered(stmt, criteria: ProblemFilter, today: date):  # type: ignore[no-untyped-def]
    if criteria.village_id is not None:
        stmt = stmt.where(Problem.admin_village_id == criteria.village_id)
    if criteria.villages is not None:
        stmt = stmt.where(Problem.admin_village_id.in_(sorted(criteria.villages)))
    if criteria.status is not None:
        stmt = stmt.where(Problem.status == criteria.status)
    if criteria.open_only:
        stmt = stmt.where(Problem.status != Status.CLOSED)
    if criteria.source_id is not None:
        stmt = stmt.where(Problem.source_id == criteria.source_id)
    if criteria.category_id is not None:
        stmt = stmt.where(Problem.category_id == criteria.category_id)
    if criteria.overdue_only:
        stmt = stmt.where(Problem.status.in_(OWED), Problem.deadline < today)
    if criteria.escalated_only:
        stmt = stmt.where(Problem.escalated.is_(True))
    if criteria.year is not None:
        stmt = stmt.where(Problem.year == criteria.year)
    if criteria.month is not None:
        stmt = stmt.where(extract("month", Problem.found_on) == criteria.month)
    return stmt


def _last_steps(s: Session, problem_ids: Sequence[int]) -> dict[int, dict[EventKind, tuple[str, str]]]:
    """Per problem, the note and operator of its latest 整改 and 复核通过 of the present round."""
    found: dict[int, dict[EventKind, tuple[str, str]]] = defaultdict(dict)
    for chunk in _chunks(problem_ids):
        events = s.execute(select(ProblemEvent.problem_id, ProblemEvent.kind, ProblemEvent.note,
                                  ProblemEvent.operator_name)
                           .where(ProblemEvent.problem_id.in_(chunk),
                                  ProblemEvent.kind.in_((EventKind.RECTIFY, EventKind.PASS,
                                                         EventKind.REOPEN)))
                           .order_by(ProblemEvent.problem_id, ProblemEvent.seq))
        for problem_id, kind, note, operator in events:
            if kind is EventKind.REOPEN:
                found[problem_id].clear()
            else:
                found[problem_id][kind] = (note, operator)
    return found


def _chunks(ids: Sequence[int], size: int = 500) -> list[Sequence[int]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def _row(problem: Problem, village: str, source: str, category: str, place: str,
         steps: dict[EventKind, tuple[str, str]], today: date) -> ProblemRow:
    fix = steps.get(EventKind.RECTIFY, ("", ""))[0] if problem.rectified_on else ""
    verifier = steps.get(EventKind.PASS, ("", ""))[1] \
        if problem.status in (Status.VERIFIED, Status.CLOSED) else ""
    return ProblemRow(
        problem.id, problem.admin_village_id, village, problem.number, problem.found_on, place,
        problem.description, source, category, problem.reporter, problem.responsible_name,
        problem.deadline, problem.status, overdue_days(problem.status, problem.deadline, today),
        problem.escalated, problem.rectified_on, fix, verifier, problem.closed_on, problem.outcome,
        problem.household_id, problem.source_id, problem.category_id)


def _place(natural: str | None, zone: str | None, alley: str | None, householder: str | None,
           text: str) -> str:
    unit = "".join(filter(None, (natural, zone, alley)))
    who = f"{householder}户" if householder else ""
    return " ".join(filter(None, (unit, who, text))) or "—"


def place_of(s: Session, problem: Problem) -> str:
    names = [s.scalar(select(model.name).where(model.id == unit_id)) if unit_id else None
             for model, unit_id in ((NaturalVillage, problem.natural_village_id),
                                    (Zone, problem.zone_id), (Alley, problem.alley_id))]
    householder = s.scalar(select(Household.householder_name).where(
        Household.id == problem.household_id)) if problem.household_id else None
    return _place(*names, householder, problem.place)


# ---- one problem ---------------------------------------------------------------------------

def card(s: Session, problem: Problem, today: date) -> ProblemCard:
    this = rows(s, ProblemFilter(), today, problem_id=problem.id)[0]
    photos: dict[int, list[tuple[Stage, int]]] = defaultdict(list)
    for event_id, stage, file_id in s.execute(
            select(ProblemPhoto.event_id, ProblemPhoto.stage, ProblemPhoto.stored_file_id)
            .where(ProblemPhoto.problem_id == problem.id).order_by(ProblemPhoto.id)):
        photos[event_id].append((stage, file_id))
    events = s.scalars(select(ProblemEvent).where(ProblemEvent.problem_id == problem.id)
                       .order_by(ProblemEvent.seq)).all()
    timeline = tuple(TimelineItem(e.seq, e.kind, e.occurred_on, e.operator_name, e.note,
                                  _detail(s, e), tuple(f for _, f in photos.get(e.id, ())))
                     for e in events)
    every = [pair for e in events for pair in photos.get(e.id, ())]
    return ProblemCard(this, timeline, tuple(f for stage, f in every if stage is Stage.BEFORE),
                       tuple(f for stage, f in every if stage is Stage.AFTER),
                       pledge_note(s, _pledged_household(problem), problem.year),
                       _points_lines(s, problem.id), problem.round)


def _pledged_household(problem: Problem) -> int | None:
    """The household whose 门前三包 pledge matters: the one answering for the problem, or, before
    it is handed on, the one it was found at."""
    if problem.responsible is None:
        return problem.household_id
    return problem.responsible_household_id if problem.responsible is Responsible.HOUSEHOLD else None


def _detail(s: Session, event: ProblemEvent) -> str:
    details = json.loads(event.details)
    if event.kind is EventKind.ASSIGN:
        return f"责任人：{details['name']}；整改时限：{details['deadline']}"
    if event.kind in (EventKind.RETURN, EventKind.REOPEN):
        return f"新的整改时限：{details['deadline']}"
    if event.kind is EventKind.CLOSE:
        outcome = Outcome(details["outcome"]).label
        if details.get("points") is None:
            return f"整改结果：{outcome}（村集体负责，不记个人积分）" if details.get("head") is None \
                else f"整改结果：{outcome}"
        points = s.scalar(select(LedgerEntry.score_delta).where(LedgerEntry.id == details["points"]))
        return f"整改结果：{outcome}；责任人积分 {points:+d} 分"
    return ""


def _points_lines(s: Session, problem_id: int) -> tuple[PointsLine, ...]:
    rows_ = s.execute(select(ProblemPoints.outcome, Resident.name, LedgerEntry.score_delta,
                             Passbook.year, LedgerEntry.seq)
                      .join(LedgerEntry, LedgerEntry.id == ProblemPoints.ledger_entry_id)
                      .join(Passbook, Passbook.id == LedgerEntry.passbook_id)
                      .join(Head, Head.id == ProblemPoints.head_id)
                      .join(Resident, Resident.id == Head.resident_id)
                      .where(ProblemPoints.problem_id == problem_id).order_by(ProblemPoints.id))
    return tuple(PointsLine(Outcome(outcome), name, points, f"{year}年积分存折第{seq}笔")
                 for outcome, name, points, year, seq in rows_)


def pledge_note(s: Session, household_id: int | None, year: int) -> str:
    """门前三包: whether the household's signed pledge of the year came back, and which copies."""
    if household_id is None:
        return ""
    back = s.scalar(select(PledgeReturn).where(PledgeReturn.household_id == household_id,
                                               PledgeReturn.year == year))
    if back is None:
        return f"{year}年门前三包责任书：未签回"
    copies = "、".join(label for label, kept in (("镇", back.township_copy), ("村", back.village_copy),
                                                 ("户", back.household_copy)) if kept)
    return f"{year}年门前三包责任书：{back.returned_on:%Y-%m-%d}已签回（{copies}联）"


# ---- figures -------------------------------------------------------------------------------

def statistics(s: Session, year: int, villages: frozenset[int] | None) -> list[StatRow]:
    names = dict(s.execute(select(AdminVillage.id, AdminVillage.name)).all())
    order = list(s.scalars(select(AdminVillage.id).order_by(AdminVillage.township_id,
                                                            AdminVillage.sort_order)))
    wanted = [v for v in order if villages is None or v in villages]
    found: dict[tuple[int, int], int] = defaultdict(int)
    closed: dict[tuple[int, int], list[tuple[Outcome, int]]] = defaultdict(list)
    stmt = select(Problem.admin_village_id, Problem.found_on, Problem.closed_on, Problem.outcome) \
        .where(or_(Problem.year == year, extract("year", Problem.closed_on) == year))
    if villages is not None:
        stmt = stmt.where(Problem.admin_village_id.in_(sorted(villages)))
    for village_id, found_on, closed_on, outcome in s.execute(stmt):
        if found_on.year == year:
            found[(village_id, found_on.month)] += 1
        if closed_on is not None and closed_on.year == year:
            closed[(village_id, closed_on.month)].append((outcome, (closed_on - found_on).days))
    return [StatRow(v, names[v], month, found[(v, month)], len(closed[(v, month)]),
                    sum(1 for o, _ in closed[(v, month)] if o is Outcome.ON_TIME),
                    sum(d for _, d in closed[(v, month)]))
            for v in wanted for month in range(1, 13)]


def totals(rows: Sequence[StatRow], label: str = "合计", month: int = 0) -> StatRow:
    """Several villages' or months' figures added up (rates and averages recomputed)."""
    return StatRow(0, label, month, sum(r.found for r in rows), sum(r.closed for r in rows),
                   sum(r.on_time for r in rows), sum(r.days_to_close for r in rows))


def records(s: Session, year: int, today: date, head_ids: Sequence[int] | None,
            villages: frozenset[int] | None) -> dict[int, RectificationRecord]:
    stmt = select(Problem.responsible_head_id, Problem.status, Problem.deadline, Problem.outcome,
                  Problem.escalated).where(Problem.year == year,
                                           Problem.responsible_head_id.is_not(None))
    if head_ids is not None:
        stmt = stmt.where(Problem.responsible_head_id.in_(list(head_ids)))
    if villages is not None:
        stmt = stmt.where(Problem.admin_village_id.in_(sorted(villages)))
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for head_id, status, deadline, outcome, escalated in s.execute(stmt):
        tally = counts[head_id]
        tally["responsible"] += 1
        tally["on_time"] += outcome is Outcome.ON_TIME and status is Status.CLOSED
        tally["late"] += outcome is Outcome.LATE and status is Status.CLOSED
        tally["escalated"] += bool(escalated)
        tally["overdue"] += overdue_days(status, deadline, today) > 0
    heads = list(head_ids) if head_ids is not None else list(counts)
    return {h: RectificationRecord(h, year, **counts.get(h, {})) for h in heads}


def catalogue(s: Session, model, active_only: bool) -> list[CatalogueRow]:  # type: ignore[no-untyped-def]
    stmt = select(model).order_by(model.sort_order, model.id)
    if active_only:
        stmt = stmt.where(model.active.is_(True))
    return [CatalogueRow(i.id, i.name, i.default_days, i.active) for i in s.scalars(stmt)]

