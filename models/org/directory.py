"""Read-only views of the organisation for screens, the command line and reports."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.core import settings
from models.core.audit import mask_id_number
from models.core.errors import NotFound
from models.core.service import Service
from models.org.tables import (
    AdminVillage,
    Alley,
    Head,
    HeadRole,
    Household,
    NaturalVillage,
    Resident,
    Township,
    Zone,
)

STAT_KEYS = ("admin_villages", "natural_villages", "zones", "alleys", "zone_heads",
             "alley_heads", "households", "residents")
STAT_LABELS = dict(zip(STAT_KEYS, ("行政村", "自然村", "片区", "胡同", "片区长", "胡同长",
                                   "农户", "常住人口"), strict=True))


class Level(enum.IntEnum):
    TOWNSHIP = 0
    ADMIN_VILLAGE = 1
    NATURAL_VILLAGE = 2
    ZONE = 3
    ALLEY = 4

    @property
    def label(self) -> str:
        return ("镇（街道）", "行政村", "自然村", "片区", "胡同")[self]


@dataclass(frozen=True)
class UnitRow:
    level: Level
    id: int
    name: str
    households: int
    has_children: bool


@dataclass(frozen=True)
class HeadInfo:
    head_id: int
    resident_id: int
    name: str
    phone: str
    role: HeadRole
    started_on: str
    chosen_method: str
    is_party_member: bool


@dataclass(frozen=True)
class UnitDetails:
    level: Level
    id: int
    name: str
    path: str
    counts: dict[str, int]
    head: HeadInfo | None
    cap: int | None


@dataclass(frozen=True)
class HouseholdRow:
    id: int
    householder: str
    address: str
    phone: str
    residents: int
    id_number_masked: str


_MODELS = {Level.TOWNSHIP: Township, Level.ADMIN_VILLAGE: AdminVillage,
           Level.NATURAL_VILLAGE: NaturalVillage, Level.ZONE: Zone, Level.ALLEY: Alley}
_PARENT = {Level.ADMIN_VILLAGE: AdminVillage.township_id,
           Level.NATURAL_VILLAGE: NaturalVillage.admin_village_id,
           Level.ZONE: Zone.natural_village_id, Level.ALLEY: Alley.zone_id}


def _household_counts(level: Level):  # type: ignore[no-untyped-def]
    """A statement grouping active households by the unit id at `level`."""
    stmt = select(func.count(Household.id)).join(Alley, Alley.id == Household.alley_id)
    key = {Level.ALLEY: Alley.id, Level.ZONE: Alley.zone_id}.get(level)
    if key is None:
        stmt = stmt.join(Zone, Zone.id == Alley.zone_id)
        key = Zone.natural_village_id
        if level <= Level.ADMIN_VILLAGE:
            stmt = stmt.join(NaturalVillage, NaturalVillage.id == Zone.natural_village_id)
            key = NaturalVillage.admin_village_id
        if level == Level.TOWNSHIP:
            stmt = stmt.join(AdminVillage, AdminVillage.id == NaturalVillage.admin_village_id)
            key = AdminVillage.township_id
    return stmt.add_columns(key).where(Household.removed_on.is_(None)).group_by(key)


@dataclass(frozen=True)
class VillageSummary:
    id: int
    township: str
    name: str
    secretary: str
    natural_villages: int
    zones: int
    alleys: int
    households: int


@dataclass(frozen=True)
class NaturalVillageSummary:
    id: int
    name: str
    zones: int
    alleys: int
    households: int
    heads: int  # serving zone and alley heads


class DirectoryService(Service):
    def stats(self) -> dict[str, int]:
        """The report's table: counts of units, serving heads, households and residents."""
        with self.db.read() as s:
            scope = self._village_scope()
            return {key: count(s, scope) for key, count in _STAT_QUERIES.items()}

    def village_summaries(self) -> list[VillageSummary]:
        """One row per administrative village in the actor's scope: its units and households."""
        with self.db.read() as s:
            scope = self._village_scope()
            stmt = (select(AdminVillage.id, Township.name, AdminVillage.name,
                           AdminVillage.secretary_name,
                           func.count(func.distinct(NaturalVillage.id)),
                           func.count(func.distinct(Zone.id)), func.count(func.distinct(Alley.id)))
                    .join(Township, Township.id == AdminVillage.township_id)
                    .outerjoin(NaturalVillage, NaturalVillage.admin_village_id == AdminVillage.id)
                    .outerjoin(Zone, Zone.natural_village_id == NaturalVillage.id)
                    .outerjoin(Alley, Alley.zone_id == Zone.id)
                    .group_by(AdminVillage.id, Township.name, AdminVillage.name,
                              AdminVillage.secretary_name)
                    .order_by(AdminVillage.township_id, AdminVillage.sort_order, AdminVillage.id))
            if scope is not None:
                stmt = stmt.where(AdminVillage.id.in_(scope))
            households = {village: n for n, village in
                          s.execute(_household_counts(Level.ADMIN_VILLAGE)).all()}
            return [VillageSummary(vid, town, name, secretary, nv, zones, alleys,
                                   households.get(vid, 0))
                    for vid, town, name, secretary, nv, zones, alleys in s.execute(stmt).all()]

    def natural_village_summaries(self, village_id: int) -> list[NaturalVillageSummary]:
        """One row per natural village of administrative village `village_id`, in tree order."""
        scope = self._village_scope()
        if scope is not None and village_id not in scope:
            return []
        with self.db.read() as s:
            stmt = (select(NaturalVillage.id, NaturalVillage.name, func.count(func.distinct(Zone.id)),
                           func.count(func.distinct(Alley.id)))
                    .outerjoin(Zone, Zone.natural_village_id == NaturalVillage.id)
                    .outerjoin(Alley, Alley.zone_id == Zone.id)
                    .where(NaturalVillage.admin_village_id == village_id)
                    .group_by(NaturalVillage.id, NaturalVillage.name, NaturalVillage.sort_order)
                    .order_by(NaturalVillage.sort_order, NaturalVillage.id))
            households = {nv: n for n, nv in s.execute(_household_counts(Level.NATURAL_VILLAGE)).all()}
            heads = _heads_by_natural_village(s, village_id)
            return [NaturalVillageSummary(nv, name, zones, alleys, households.get(nv, 0),
                                          heads.get(nv, 0))
                    for nv, name, zones, alleys in s.execute(stmt).all()]

    def _village_scope(self) -> frozenset[int] | None:
        """The villages whose units this account lists; None: the whole township."""
        return self.actor.villages

    def _require_unit(self, s: Session, level: Level, unit_id: int) -> None:
        """A unit inside an administrative village is seen only by who may see that village
        (a township and its list of villages by everyone in it)."""
        if level >= Level.ADMIN_VILLAGE:
            self.require_view(village_of_unit(s, level, unit_id))

    def children(self, level: Level, parent_id: int | None) -> list[UnitRow]:
        """The units one level below `level`'s unit `parent_id` (townships when level is None)."""
        child = Level(level + 1) if parent_id is not None else Level.TOWNSHIP
        model = _MODELS[child]
        with self.db.read() as s:
            if parent_id is not None:
                self._require_unit(s, level, parent_id)
            stmt = select(model.id, model.name)
            if parent_id is not None:
                stmt = stmt.where(_PARENT[child] == parent_id)
            if child == Level.ADMIN_VILLAGE and self._village_scope() is not None:
                stmt = stmt.where(AdminVillage.id.in_(self._village_scope()))
            order = model.sort_order if hasattr(model, "sort_order") else model.id
            units = s.execute(stmt.order_by(order, model.id)).all()
            counts = {k: n for n, k in s.execute(_household_counts(child)).all()} \
                if units else {}
            has_kids = child < Level.ALLEY
            return [UnitRow(child, uid, name, counts.get(uid, 0), has_kids) for uid, name in units]

    def details(self, level: Level, unit_id: int) -> UnitDetails:
        with self.db.read() as s:
            unit = s.get(_MODELS[level], unit_id)
            if unit is None:
                raise NotFound("所选单位已不存在，请刷新后重试。")
            self._require_unit(s, level, unit_id)
            path = self._path(s, level, unit)
            households = {k: n for n, k in s.execute(
                _household_counts(level).where(_unit_filter(level, unit_id))).all()}
            counts = {"households": households.get(unit_id, 0)}
            head = self._head(s, level, unit_id)
            cap = None
            if level == Level.ZONE:
                cap = settings.get(s, settings.ZONE_HOUSEHOLD_CAP)
            elif level == Level.ALLEY:
                cap = settings.get(s, settings.ALLEY_HOUSEHOLD_CAP)
            return UnitDetails(level, unit_id, unit.name, path, counts, head, cap)

    @staticmethod
    def _path(s: Session, level: Level, unit: object) -> str:
        names = []
        current, lvl = unit, level
        while current is not None:
            names.append(current.name)
            if lvl == Level.TOWNSHIP:
                break
            parent_key = getattr(current, _PARENT[lvl].key)
            lvl = Level(lvl - 1)
            current = s.get(_MODELS[lvl], parent_key)
        return " › ".join(reversed(names))

    @staticmethod
    def _head(s: Session, level: Level, unit_id: int) -> HeadInfo | None:
        if level not in (Level.ZONE, Level.ALLEY):
            return None
        column = Head.zone_id if level == Level.ZONE else Head.alley_id
        row = s.execute(
            select(Head, Resident).join(Resident, Resident.id == Head.resident_id)
            .where(column == unit_id, Head.ended_on.is_(None))
        ).first()
        if row is None:
            return None
        head, person = row
        return HeadInfo(head.id, person.id, person.name, person.phone, head.role,
                        head.started_on.isoformat(), head.chosen_method, person.is_party_member)

    def households(self, alley_id: int) -> list[HouseholdRow]:
        with self.db.read() as s:
            self._require_unit(s, Level.ALLEY, alley_id)
            residents = (select(Resident.household_id, func.count(Resident.id).label("n"))
                         .where(Resident.removed_on.is_(None))
                         .group_by(Resident.household_id).subquery())
            rows = s.execute(
                select(Household, residents.c.n)
                .outerjoin(residents, residents.c.household_id == Household.id)
                .where(Household.alley_id == alley_id, Household.removed_on.is_(None))
                .order_by(Household.id)
            ).all()
            return [HouseholdRow(h.id, h.householder_name, h.address, h.phone, n or 0,
                                 mask_id_number(h.id_number) if h.id_number else "")
                    for h, n in rows]


def village_of_unit(s: Session, level: Level, unit_id: int) -> int:
    """The administrative village a unit at `level` (administrative village or below) lies in."""
    if level == Level.ADMIN_VILLAGE:
        return unit_id
    stmt = select(NaturalVillage.admin_village_id)
    if level >= Level.ZONE:
        stmt = stmt.join(Zone, Zone.natural_village_id == NaturalVillage.id)
    if level == Level.ALLEY:
        stmt = stmt.join(Alley, Alley.zone_id == Zone.id)
    village = s.scalar(stmt.where(_MODELS[level].id == unit_id))
    if village is None:
        raise NotFound("所选单位已不存在，请刷新后重试。")
    return village


def _unit_filter(level: Level, unit_id: int):  # type: ignore[no-untyped-def]
    return {
        Level.ALLEY: Alley.id == unit_id,
        Level.ZONE: Alley.zone_id == unit_id,
        Level.NATURAL_VILLAGE: Zone.natural_village_id == unit_id,
        Level.ADMIN_VILLAGE: NaturalVillage.admin_village_id == unit_id,
        Level.TOWNSHIP: AdminVillage.township_id == unit_id,
    }[level]


def _count(stmt, scope: frozenset[int] | None, village_column):  # type: ignore[no-untyped-def]
    return stmt if scope is None else stmt.where(village_column.in_(scope))


def _count_units(level: Level):  # type: ignore[no-untyped-def]
    def run(s: Session, scope: frozenset[int] | None) -> int:
        model = _MODELS[level]
        stmt = select(func.count(model.id))
        if level >= Level.NATURAL_VILLAGE:
            stmt = stmt.select_from(model)
            if level == Level.ALLEY:
                stmt = stmt.join(Zone, Zone.id == Alley.zone_id)
            if level >= Level.ZONE:
                stmt = stmt.join(NaturalVillage, NaturalVillage.id == Zone.natural_village_id)
            return s.scalar(_count(stmt, scope, NaturalVillage.admin_village_id)) or 0
        return s.scalar(_count(stmt, scope, AdminVillage.id)) or 0
    return run


def _count_heads(role: HeadRole):  # type: ignore[no-untyped-def]
    def run(s: Session, scope: frozenset[int] | None) -> int:
        stmt = select(func.count(Head.id)).where(Head.role == role, Head.ended_on.is_(None))
        return s.scalar(_count(stmt, scope, Head.admin_village_id)) or 0
    return run


def _heads_by_natural_village(s: Session, village_id: int) -> dict[int, int]:
    """Serving zone heads (by their zone) and alley heads (by their alley's zone)."""
    alley_zone = select(Alley.zone_id).where(Alley.id == Head.alley_id).scalar_subquery()
    zone_id = func.coalesce(Head.zone_id, alley_zone)
    stmt = (select(Zone.natural_village_id, func.count(Head.id)).select_from(Head)
            .join(Zone, Zone.id == zone_id)
            .where(Head.admin_village_id == village_id, Head.ended_on.is_(None))
            .group_by(Zone.natural_village_id))
    return dict(s.execute(stmt).all())


def _count_households(s: Session, scope: frozenset[int] | None) -> int:
    stmt = _household_counts(Level.ADMIN_VILLAGE)
    return sum(n for n, village in s.execute(stmt).all() if scope is None or village in scope)


def _count_residents(s: Session, scope: frozenset[int] | None) -> int:
    stmt = (select(func.count(Resident.id))
            .join(Household, Household.id == Resident.household_id)
            .where(Resident.removed_on.is_(None), Household.removed_on.is_(None)))
    if scope is not None:
        stmt = (stmt.join(Alley, Alley.id == Household.alley_id)
                .join(Zone, Zone.id == Alley.zone_id)
                .join(NaturalVillage, NaturalVillage.id == Zone.natural_village_id)
                .where(NaturalVillage.admin_village_id.in_(scope)))
    return s.scalar(stmt) or 0


_STAT_QUERIES = {
    "admin_villages": _count_units(Level.ADMIN_VILLAGE),
    "natural_villages": _count_units(Level.NATURAL_VILLAGE),
    "zones": _count_units(Level.ZONE),
    "alleys": _count_units(Level.ALLEY),
    "zone_heads": _count_heads(HeadRole.ZONE),
    "alley_heads": _count_heads(HeadRole.ALLEY),
    "households": _count_households,
    "residents": _count_residents,
}
