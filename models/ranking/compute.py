"""Computing a period's selection from the evaluations and the passbooks (read-only).

A zone's month = the points component and the evaluation, weighted (DOMAIN §7); natural villages,
administrative villages and the township average up from there. A unit whose scores for the
period are incomplete is excluded and named; in a monthly list a zone whose head is on that
year's 约谈 list is passed over for the red list (models.ranking.eligibility)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from sqlalchemy import func, not_, or_, select
from sqlalchemy.orm import Session

from models.core import settings
from models.core.errors import NotFound
from models.org.tables import AdminVillage, Alley, Head, NaturalVillage, Township, Zone
from models.points.tables import (
    ANNUAL_CAP,
    LIST_KEY_PREFIX,
    OPENING_POINTS,
    EntryKind,
    LedgerEntry,
    Passbook,
)
from models.ranking.eligibility import red_ineligible
from models.ranking.rules import (
    COMPONENTS,
    QUOTAS,
    TIE_BREAK,
    UNIT_WORDS,
    WEIGHT_HEADS,
    WEIGHT_POINTS,
    WEIGHT_SECRETARY,
    WEIGHT_VILLAGERS,
    GroupResult,
    PeriodRef,
    PointsScale,
    Scored,
    Weights,
    average,
    formula_text,
    parse_tie_break,
    ranking_order,
    tie_break_text,
)
from models.ranking.rules import select as select_units
from models.ranking.tables import Evaluation, Period


@dataclass
class Selection:
    ref: PeriodRef
    township_id: int
    township_name: str
    groups: list[GroupResult]
    formula: str
    tie_break: str

    def notes(self) -> list[str]:
        """Every group's exclusions and exceptions, as the notice states them."""
        return [line for group in self.groups for line in group.notes()]

    @property
    def excluded(self) -> list[str]:
        """The units left out for incomplete scores (publishing them so is confirmed first)."""
        return [f"{g.group_name}：{line}" for g in self.groups for line in g.excluded]


def township(session: Session, township_id: int | None) -> Township:
    stmt = select(Township).order_by(Township.id).limit(1) if township_id is None else \
        select(Township).where(Township.id == township_id)
    found = session.scalar(stmt)
    if found is None:
        raise NotFound("数据库中还没有镇（街道），请先建立组织架构。")
    return found


@dataclass
class Unit:
    """A zone, natural or administrative village as the computation needs it: plain rows, not
    ORM objects (a county publishes hundreds of lists; loading the tree was a third of it)."""

    id: int
    name: str
    sort_order: int
    natural_villages: list[Unit] = field(default_factory=list)
    zones: list[Unit] = field(default_factory=list)


def load_tree(session: Session, township_id: int) -> list[Unit]:
    """The township's administrative villages → natural villages → zones, in register order."""
    villages = {r.id: Unit(r.id, r.name, r.sort_order) for r in session.execute(
        select(AdminVillage.id, AdminVillage.name, AdminVillage.sort_order)
        .where(AdminVillage.township_id == township_id)
        .order_by(AdminVillage.sort_order, AdminVillage.id))}
    naturals = {}
    for r in session.execute(
            select(NaturalVillage.id, NaturalVillage.name, NaturalVillage.sort_order,
                   NaturalVillage.admin_village_id)
            .where(NaturalVillage.admin_village_id.in_(list(villages)))
            .order_by(NaturalVillage.sort_order, NaturalVillage.id)):
        naturals[r.id] = Unit(r.id, r.name, r.sort_order)
        villages[r.admin_village_id].natural_villages.append(naturals[r.id])
    for r in session.execute(
            select(Zone.id, Zone.name, Zone.sort_order, Zone.natural_village_id)
            .where(Zone.natural_village_id.in_(list(naturals)))
            .order_by(Zone.sort_order, Zone.id)):
        naturals[r.natural_village_id].zones.append(Unit(r.id, r.name, r.sort_order))
    return list(villages.values())


def weights(session: Session) -> Weights:
    return Weights(settings.get(session, WEIGHT_VILLAGERS), settings.get(session, WEIGHT_HEADS),
                   settings.get(session, WEIGHT_SECRETARY), settings.get(session, WEIGHT_POINTS))


def points_scale(session: Session) -> PointsScale:
    return PointsScale(settings.get(session, ANNUAL_CAP), settings.get(session, OPENING_POINTS))


def month_bounds(month: str) -> tuple[date, date]:
    first = date(int(month[:4]), int(month[5:7]), 1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


# Entries that move a score by the head's own work: not the opening, not the year end, and not
# the red/black lists' own awards and deductions (a list must not feed the next one).
COUNTED_KINDS = (EntryKind.AWARD, EntryKind.DEDUCTION, EntryKind.REVERSAL)


class PointsNets:
    """Per zone and month: the net points each of its serving heads (zone head and the heads of
    its alleys) gained in the month, from the passbooks."""

    def __init__(self, session: Session, zone_ids: list[int], months: list[str]):
        self.months = {m: month_bounds(m) for m in months}
        first = min(start for start, _ in self.months.values())
        last = max(end for _, end in self.months.values())
        zone_of = func.coalesce(Head.zone_id, Alley.zone_id)
        self.heads: dict[int, list[tuple[int, date, date | None]]] = defaultdict(list)
        for zone_id, resident_id, started, ended in session.execute(
                select(zone_of, Head.resident_id, Head.started_on, Head.ended_on)
                .outerjoin(Alley, Alley.id == Head.alley_id)
                .where(zone_of.in_(zone_ids), Head.started_on <= last,
                       or_(Head.ended_on.is_(None), Head.ended_on >= first))):
            self.heads[zone_id].append((resident_id, started, ended))
        residents = list({r for heads in self.heads.values() for r, _, _ in heads})
        self.net: dict[tuple[int, str], int] = defaultdict(int)
        for start in range(0, len(residents), 1000):
            for resident_id, on, delta in session.execute(
                    select(Passbook.resident_id, LedgerEntry.occurred_on, LedgerEntry.score_delta)
                    .join(Passbook, Passbook.id == LedgerEntry.passbook_id)
                    .where(Passbook.resident_id.in_(residents[start:start + 1000]),
                           LedgerEntry.occurred_on.between(first, last),
                           LedgerEntry.kind.in_(COUNTED_KINDS), LedgerEntry.score_delta != 0,
                           or_(LedgerEntry.idempotency_key.is_(None),
                               not_(LedgerEntry.idempotency_key.startswith(LIST_KEY_PREFIX))))):
                self.net[(resident_id, f"{on.year}-{on.month:02d}")] += delta

    def of(self, zone_id: int, month: str) -> list[int] | None:
        """The nets of the zone's heads serving in the month (None: nobody served)."""
        start, end = self.months[month]
        serving = {r for r, started, ended in self.heads.get(zone_id, ())
                   if started <= end and (ended is None or ended >= start)}
        return [self.net.get((r, month), 0) for r in sorted(serving)] or None


class Scorer:
    """Scores of zones, natural villages and administrative villages for the given months, each
    with the list of what is missing when a score cannot be formed."""

    def __init__(self, session: Session, villages: list[Unit], months: list[str]):
        self.weights = weights(session)
        self.scale = points_scale(session)
        zone_ids = [z.id for av in villages for nv in av.natural_villages for z in nv.zones]
        # Plain rows, not ORM objects: a year's selection reads every zone's twelve months. Scores
        # have one decimal, so they are kept as whole tenths and each total is one exact Fraction.
        self.tenths = {
            (zone_id, month): None if None in values else tuple(int(v * 10) for v in values)
            for zone_id, month, *values in session.execute(
                select(Evaluation.zone_id, Evaluation.month, *(getattr(Evaluation, k) for k in COMPONENTS))
                .where(Evaluation.month.in_(months), Evaluation.zone_id.in_(zone_ids)))}
        self.nets = PointsNets(session, zone_ids, months) if self.weights.points else None

    def zone_month(self, zone: Unit, month: str) -> tuple[Scored | None, str]:
        """The zone's month, or None and what is missing."""
        found = self.tenths.get((zone.id, month))
        if found is None:
            return None, "缺评议分"
        parts = {k: Fraction(v, 10) for k, v in zip(COMPONENTS, found, strict=True)}
        evaluation = self.weights.evaluation(*parts.values())
        points = Fraction(0)
        if self.nets is not None:
            nets = self.nets.of(zone.id, month)
            if nets is None:
                return None, "无在任片区长、胡同长，积分量化分无从计算"
            points = self.scale.component(nets)
        parts["points"] = points
        return Scored(zone.id, zone.name, (zone.sort_order, zone.id),
                      self.weights.total(evaluation, points), parts), ""

    def natural_month(self, nv: Unit, month: str) -> tuple[Scored | None, list[str]]:
        if not nv.zones:
            return None, [f"{nv.name}没有片区"]
        scores = [(z, *self.zone_month(z, month)) for z in nv.zones]
        missing = [f"{nv.name}{int(month[5:])}月{z.name}{why}" for z, s, why in scores if s is None]
        if missing:
            return None, missing
        return average(nv.id, nv.name, (nv.sort_order, nv.id), [s for _, s, _ in scores]), []

    def natural_period(self, nv: Unit, ref: PeriodRef) -> tuple[Scored | None, list[str]]:
        results = [self.natural_month(nv, m) for m in ref.months()]
        missing = [line for _, lines in results for line in lines]
        if missing:
            return None, missing
        return average(nv.id, nv.name, (nv.sort_order, nv.id), [s for s, _ in results]), []

    def admin_quarter(self, av: Unit, ref: PeriodRef) -> tuple[Scored | None, list[str]]:
        results = [self.natural_period(nv, ref) for nv in av.natural_villages]
        missing = [line for _, lines in results for line in lines]
        if missing or not results:
            return None, missing or [f"{av.name}没有自然村"]
        return average(av.id, av.name, (av.sort_order, av.id), [s for s, _ in results]), []

    def admin_year(self, av: Unit, ref: PeriodRef) -> tuple[Scored | None, list[str]]:
        results = [self.admin_quarter(av, q) for q in ref.quarters()]
        missing = [line for _, lines in results for line in lines]
        if missing:
            return None, missing
        return average(av.id, av.name, (av.sort_order, av.id), [s for s, _ in results]), []


def _missing_text(name: str, lines: list[str]) -> str:
    shown = "、".join(lines[:3]) + (f"等{len(lines)}处" if len(lines) > 3 else "")
    return f"{name}（{shown}）"


def compute(session: Session, ref: PeriodRef, township_id: int | None = None) -> Selection:
    town = township(session, township_id)
    villages = load_tree(session, town.id)
    scorer = Scorer(session, villages, PeriodRef(Period.YEAR, ref.year, 0).months()
                    if ref.kind is Period.YEAR else ref.months())
    red, black = QUOTAS[ref.kind]
    quotas = (settings.get(session, red), settings.get(session, black))
    tie_keys = parse_tie_break(settings.get(session, TIE_BREAK))
    word = UNIT_WORDS[ref.kind][0]
    groups: list[GroupResult] = []
    not_red = red_ineligible(session, ref.year, [z.id for av in villages for nv in av.natural_villages
                                                 for z in nv.zones]) \
        if ref.kind is Period.MONTH else {}

    def add(group_id: int, name: str, av_id: int, results) -> None:  # type: ignore[no-untyped-def]
        members = [s for s, _, _ in results if s is not None]
        excluded = [_missing_text(unit, lines) for s, unit, lines in results if s is None]
        groups.append(select_units(group_id, name, av_id, members, excluded, quotas, tie_keys, word,
                                   not_red))

    for av in villages:
        if ref.kind is Period.MONTH:
            for nv in av.natural_villages:
                results = []
                for zone in nv.zones:
                    scored, why = scorer.zone_month(zone, ref.code)
                    results.append((scored, zone.name, [why] if why else []))
                add(nv.id, f"{av.name}·{nv.name}", av.id, results)
        elif ref.kind is Period.QUARTER:
            add(av.id, av.name, av.id, [(s, nv.name, lines) for nv in av.natural_villages
                                        for s, lines in [scorer.natural_period(nv, ref)]])
    if ref.kind is Period.YEAR:
        add(town.id, town.name, 0, [(s, av.name, lines) for av in villages
                                    for s, lines in [scorer.admin_year(av, ref)]])
    return Selection(ref, town.id, town.name, groups, formula_text(scorer.weights, scorer.scale),
                     tie_break_text(tie_keys))


def natural_village_ranks(session: Session, nv_id: int, year: int) -> dict[str, list[int | None]]:
    """Each zone's rank in its natural village for every month of the year (None: not ranked)."""
    nv = session.get(NaturalVillage, nv_id)
    if nv is None:
        raise NotFound("找不到这个自然村，可能已被删除。")
    unit = Unit(nv.id, nv.name, nv.sort_order,
                zones=[Unit(z.id, z.name, z.sort_order) for z in nv.zones])
    year_ref = PeriodRef(Period.YEAR, year, 0)
    scorer = Scorer(session, [Unit(0, "", 0, natural_villages=[unit])], year_ref.months())
    tie_keys = parse_tie_break(settings.get(session, TIE_BREAK))
    ranks: dict[str, list[int | None]] = {z.name: [] for z in unit.zones}
    for month in year_ref.months():
        scores = [s for z in unit.zones for s, _ in [scorer.zone_month(z, month)] if s is not None]
        places = {s.unit_id: place for place, s in enumerate(ranking_order(scores, tie_keys), start=1)}
        for zone in unit.zones:
            ranks[zone.name].append(places.get(zone.id))
    return ranks
