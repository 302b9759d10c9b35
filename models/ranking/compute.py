"""Computing a period's selection from the evaluations in the database (read-only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core import settings
from models.core.errors import NotFound
from models.org.tables import AdminVillage, NaturalVillage, Township, Zone
from models.ranking.rules import (
    COMPONENTS,
    QUOTAS,
    TIE_BREAK,
    UNIT_WORDS,
    WEIGHT_HEADS,
    WEIGHT_SECRETARY,
    WEIGHT_VILLAGERS,
    GroupResult,
    PeriodRef,
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
                   settings.get(session, WEIGHT_SECRETARY))


class Scorer:
    """Scores of zones, natural villages and administrative villages for the given months, each
    with the list of what is missing when a score cannot be formed."""

    def __init__(self, session: Session, villages: list[AdminVillage], months: list[str]):
        self.weights = weights(session)
        zone_ids = [z.id for av in villages for nv in av.natural_villages for z in nv.zones]
        # Plain rows, not ORM objects: a year's selection reads every zone's twelve months. Scores
        # have one decimal, so they are kept as whole tenths and each total is one exact Fraction.
        self.tenths = {
            (zone_id, month): None if None in values else tuple(int(v * 10) for v in values)
            for zone_id, month, *values in session.execute(
                select(Evaluation.zone_id, Evaluation.month, *(getattr(Evaluation, k) for k in COMPONENTS))
                .where(Evaluation.month.in_(months), Evaluation.zone_id.in_(zone_ids)))}
        w = self.weights
        self.factors = ((w.villagers, w.heads, w.secretary), 10 * (w.villagers + w.heads + w.secretary))

    def zone_month(self, zone, month: str) -> Scored | None:  # type: ignore[no-untyped-def]
        found = self.tenths.get((zone.id, month))
        if found is None:
            return None
        factors, divisor = self.factors
        total = Fraction(sum(f * v for f, v in zip(factors, found, strict=True)), divisor)
        parts = {k: Fraction(v, 10) for k, v in zip(COMPONENTS, found, strict=True)}
        return Scored(zone.id, zone.name, (zone.sort_order, zone.id), total, parts)

    def natural_month(self, nv: NaturalVillage, month: str) -> tuple[Scored | None, list[str]]:
        scores = [(z, self.zone_month(z, month)) for z in nv.zones]
        missing = [f"{nv.name}{int(month[5:])}月{z.name}" for z, s in scores if s is None]
        if not nv.zones:
            missing = [f"{nv.name}没有片区"]
        if missing:
            return None, missing
        return average(nv.id, nv.name, (nv.sort_order, nv.id), [s for _, s in scores]), []

    def natural_period(self, nv: NaturalVillage, ref: PeriodRef) -> tuple[Scored | None, list[str]]:
        results = [self.natural_month(nv, m) for m in ref.months()]
        missing = [line for _, lines in results for line in lines]
        if missing:
            return None, missing
        return average(nv.id, nv.name, (nv.sort_order, nv.id), [s for s, _ in results]), []

    def admin_quarter(self, av: AdminVillage, ref: PeriodRef) -> tuple[Scored | None, list[str]]:
        results = [self.natural_period(nv, ref) for nv in av.natural_villages]
        missing = [line for _, lines in results for line in lines]
        if missing or not results:
            return None, missing or [f"{av.name}没有自然村"]
        return average(av.id, av.name, (av.sort_order, av.id), [s for s, _ in results]), []

    def admin_year(self, av: AdminVillage, ref: PeriodRef) -> tuple[Scored | None, list[str]]:
        results = [self.admin_quarter(av, q) for q in ref.quarters()]
        missing = [line for _, lines in results for line in lines]
        if missing:
            return None, [f"{av.name}{line}" for line in missing]
        return average(av.id, av.name, (av.sort_order, av.id), [s for s, _ in results]), []


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

    def add(group_id: int, name: str, av_id: int, results) -> None:  # type: ignore[no-untyped-def]
        missing = [line for _, lines in results for line in lines]
        members = [s for s, _ in results if s is not None]
        groups.append(select_units(group_id, name, av_id, members, missing, quotas, tie_keys, word))

    for av in villages:
        if ref.kind is Period.MONTH:
            for nv in av.natural_villages:
                add(nv.id, f"{av.name}·{nv.name}", av.id,
                    [(s, [] if s else [z.name]) for z in nv.zones
                     for s in [scorer.zone_month(z, ref.code)]])
        elif ref.kind is Period.QUARTER:
            add(av.id, av.name, av.id, [scorer.natural_period(nv, ref) for nv in av.natural_villages])
    if ref.kind is Period.YEAR:
        add(town.id, town.name, 0, [scorer.admin_year(av, ref) for av in villages])
    return Selection(ref, town.id, town.name, groups, formula_text(scorer.weights),
                     tie_break_text(tie_keys))


def natural_village_ranks(session: Session, nv_id: int, year: int) -> dict[str, list[int | None]]:
    """Each zone's rank in its natural village for every month of the year (None: not ranked)."""
    nv = session.get(NaturalVillage, nv_id)
    if nv is None:
        raise NotFound("找不到这个自然村，可能已被删除。")
    year_ref = PeriodRef(Period.YEAR, year, 0)
    scorer = Scorer(session, [nv.admin_village], year_ref.months())
    tie_keys = parse_tie_break(settings.get(session, TIE_BREAK))
    ranks: dict[str, list[int | None]] = {z.name: [] for z in nv.zones}
    for month in year_ref.months():
        scores = [scorer.zone_month(z, month) for z in nv.zones]
        ordered = ranking_order([s for s in scores if s], tie_keys) if all(scores) else []
        places = {s.unit_id: place for place, s in enumerate(ordered, start=1)}
        for zone in nv.zones:
            ranks[zone.name].append(places.get(zone.id))
    return ranks
