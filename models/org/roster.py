"""Rosters in and out: importing households and residents from a checked file, all or nothing,
and the rows of any roster view for export."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from models.core import audit, settings
from models.core.access import Permission
from models.core.names import name_keys
from models.core.service import Service
from models.org.directory import Level
from models.org.naming import name_key
from models.org.roster_sheet import FIELD_HEADER, HEADERS, HouseholdRows, PersonRow, Problem, read_roster
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

Place = tuple[str, str, str, str, str]


@dataclass(frozen=True)
class ImportResult:
    """`problems` empty: imported. Otherwise nothing was written and each problem says why."""

    rows: int
    households: int
    residents: int
    heads: int
    created_units: int
    problems: list[Problem]
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


class _Refused(Exception):
    """Rolls the import's transaction back, carrying the problems found inside it."""

    def __init__(self, problems: list[Problem]):
        super().__init__()
        self.problems = problems


class _Units:
    """The existing units by name path; new ones are created when allowed."""

    def __init__(self, session: Session, create: bool):
        self.s, self.create, self.created = session, create, 0
        # Keyed by name_key: the file's “三 片区” is the 三片区 already there, never a second one.
        self.townships = {name_key(n): i for i, n in session.execute(select(Township.id, Township.name))}
        self.villages = {(t, name_key(n)): i for i, t, n in session.execute(
            select(AdminVillage.id, AdminVillage.township_id, AdminVillage.name))}
        self.naturals = {(p, name_key(n)): i for i, p, n in session.execute(
            select(NaturalVillage.id, NaturalVillage.admin_village_id, NaturalVillage.name))}
        self.zones = {(p, name_key(n)): i for i, p, n in session.execute(
            select(Zone.id, Zone.natural_village_id, Zone.name))}
        self.alleys = {(p, name_key(n)): i for i, p, n in session.execute(
            select(Alley.id, Alley.zone_id, Alley.name))}

    def resolve_all(self, places: list[Place]) -> dict[Place, tuple[int, int, int] | str]:
        """Each place → (village id, zone id, alley id), or the header of its first unknown
        unit. Creating is done level by level, one batched insert per level, in file order."""
        levels = ((self.townships, None, Township, "镇（街道）"),
                  (self.villages, "township_id", AdminVillage, "行政村"),
                  (self.naturals, "admin_village_id", NaturalVillage, "自然村"),
                  (self.zones, "natural_village_id", Zone, "片区"),
                  (self.alleys, "zone_id", Alley, "胡同"))
        ids: dict[Place, list[int]] = {place: [] for place in places}
        unknown: dict[Place, str] = {}
        for depth, (known, parent_field, model, header) in enumerate(levels):
            new: dict[object, object] = {}
            for place, path in ids.items():
                if place in unknown:
                    continue
                key = _key(place, depth, path, parent_field)
                if key in known:
                    continue
                if not self.create:
                    unknown[place] = header
                elif key not in new:
                    values = {"name": place[depth]}
                    if parent_field is not None:
                        values[parent_field] = path[-1]
                    new[key] = model(**values)
            self._insert(new, known, parent_field)
            for place, path in ids.items():
                if place not in unknown:
                    path.append(known[_key(place, depth, path, parent_field)])
        return {place: unknown.get(place) or (path[1], path[3], path[4])
                for place, path in ids.items()}

    def _insert(self, new: dict, known: dict, parent_field: str | None) -> None:  # type: ignore[type-arg]
        """Add the new units after their parent's existing children, in file order."""
        if not new:
            return
        following: Counter[object] = Counter()
        for key in known:
            if parent_field is not None:
                following[key[0]] += 1
        for key, unit in new.items():
            if parent_field is not None:
                following[key[0]] += 1
                unit.sort_order = following[key[0]]
        self.s.add_all(new.values())
        self.s.flush()
        for key, unit in new.items():
            known[key] = unit.id
            self.created += 1


def _key(place: Place, depth: int, path: list[int], parent_field: str | None) -> object:
    name = name_key(place[depth])
    return name if parent_field is None else (path[-1], name)


class RosterService(Service):
    def import_file(self, path: Path, *, create_units: bool | None = None,
                    progress=None) -> ImportResult:  # type: ignore[no-untyped-def]
        """Import households and residents from a roster file, all or nothing. Missing units are
        created when `create_units` (default: only when the database has no township yet)."""
        roster = read_roster(Path(path), progress)
        residents = sum(len(h.people) for h in roster.households)
        try:
            with self.operation(Permission.EDIT_ORGANISATION) as s:
                if create_units is None:
                    create_units = s.scalar(select(func.count(Township.id))) == 0
                created, heads = self._write(s, roster.households, create_units, progress,
                                             roster.problems)
                audit.record(s, self.actor, "导入农户名单", "household", None, after={
                    "file": Path(path).name, "households": len(roster.households),
                    "residents": residents, "heads": heads, "created_units": created})
        except _Refused as refused:
            return ImportResult(roster.rows, 0, 0, 0, 0, refused.problems, tuple(roster.warnings))
        return ImportResult(roster.rows, len(roster.households), residents, heads, created, [],
                            tuple(roster.warnings))

    def _write(self, s: Session, households: list[HouseholdRows], create_units: bool,
               progress, file_problems: list[Problem]) -> tuple[int, int]:  # type: ignore[no-untyped-def]
        """Check the file's households against the database (all problems at once, with the
        file's own), then write them; any problem rolls everything back."""
        if create_units:
            self.require(Permission.SETTINGS, None)
        units = _Units(s, create_units)
        problems: list[Problem] = list(file_problems)
        if not households and not problems:
            raise _Refused([Problem(1, "（整个文件）", "表头以下没有任何居民，没有可以导入的内容。")])
        placed: list[tuple[HouseholdRows, tuple[int, int, int]]] = []
        resolved = units.resolve_all(list(dict.fromkeys(h.people[0].place for h in households)))
        for household in households:
            head_row = household.householder
            found = resolved[household.people[0].place]
            if isinstance(found, str):
                problems.append(Problem(head_row.row, found, f"{found}“{_unit_name(head_row, found)}”"
                                        "在系统中不存在（请先在组织架构中建立，或勾选自动新建）。"))
                continue
            if not self.actor.may(Permission.EDIT_ORGANISATION, found[0]):
                problems.append(Problem(head_row.row, "行政村",
                                        f"当前账号不能修改“{head_row.village}”的数据。"))
                continue
            placed.append((household, found))
        problems += self._check_caps(s, placed)
        problems += self._check_duplicates(s, placed)
        problems += self._check_heads(s, placed)
        if problems:
            problems.sort(key=lambda p: (p.row, _column_order(p.column)))
            raise _Refused(problems)
        return units.created, _insert_people(s, placed, progress)

    @staticmethod
    def _check_caps(s: Session, placed) -> list[Problem]:  # type: ignore[no-untyped-def]
        alley_cap = settings.get(s, settings.ALLEY_HOUSEHOLD_CAP)
        zone_cap = settings.get(s, settings.ZONE_HOUSEHOLD_CAP)
        in_alley = Counter(dict(s.execute(
            select(Household.alley_id, func.count(Household.id))
            .where(Household.removed_on.is_(None)).group_by(Household.alley_id)).all()))
        in_zone = Counter(dict(s.execute(
            select(Alley.zone_id, func.count(Household.id)).join(Household, Household.alley_id == Alley.id)
            .where(Household.removed_on.is_(None)).group_by(Alley.zone_id)).all()))
        problems, reported = [], set()
        for household, (_village, zone_id, alley_id) in placed:
            in_alley[alley_id] += 1
            in_zone[zone_id] += 1
            person = household.householder
            if in_alley[alley_id] > alley_cap and ("a", alley_id) not in reported:
                reported.add(("a", alley_id))
                problems.append(Problem(person.row, "胡同", f"胡同“{person.zone}{person.alley}”"
                                        f"导入到这一户时已达 {in_alley[alley_id]} 户，"
                                        f"每个胡同最多 {alley_cap} 户（超过上限）。"))
            if in_zone[zone_id] > zone_cap and ("z", zone_id) not in reported:
                reported.add(("z", zone_id))
                problems.append(Problem(person.row, "片区", f"片区“{person.zone}”导入到这一户时已达 "
                                        f"{in_zone[zone_id]} 户，每个片区最多 {zone_cap} 户（超过上限）。"))
        return problems

    @staticmethod
    def _check_duplicates(s: Session, placed) -> list[Problem]:  # type: ignore[no-untyped-def]
        rows_by_id: dict[str, int] = {}
        for household, _ in placed:
            for p in household.people:
                if p.id_number:
                    rows_by_id.setdefault(p.id_number, p.row)
        problems = []
        numbers = list(rows_by_id)
        for start in range(0, len(numbers), 1000):
            for (number,) in s.execute(select(Resident.id_number).join(Household).where(
                    Resident.id_number.in_(numbers[start:start + 1000]),
                    Resident.removed_on.is_(None), Household.removed_on.is_(None))):
                problems.append(Problem(rows_by_id[number], "身份证号",
                                        "这个身份证号在系统中已有登记（重复）。"))
        alleys = {alley for _, (_v, _z, alley) in placed}
        existing = set()
        for start in range(0, len(alleys), 1000):
            chunk = list(alleys)[start:start + 1000]
            existing |= set(s.execute(select(Household.alley_id, Household.householder_name,
                                             Household.address).where(
                Household.alley_id.in_(chunk), Household.removed_on.is_(None))).all())
        for household, (_v, _z, alley_id) in placed:
            person = household.householder
            if (alley_id, person.name, person.address) in existing:
                problems.append(Problem(person.row, "姓名", f"“{person.name}”一户（{person.address}）"
                                        "已在该胡同登记，重复。"))
        return problems

    @staticmethod
    def _check_heads(s: Session, placed) -> list[Problem]:  # type: ignore[no-untyped-def]
        taken_zones = set(s.scalars(select(Head.zone_id).where(
            Head.role == HeadRole.ZONE, Head.ended_on.is_(None))))
        taken_alleys = set(s.scalars(select(Head.alley_id).where(
            Head.role == HeadRole.ALLEY, Head.ended_on.is_(None))))
        problems, first_row = [], {}
        for household, (_v, zone_id, alley_id) in placed:
            for person in household.people:
                for role in person.roles:
                    unit = ("片区", zone_id) if role == "片区长" else ("胡同", alley_id)
                    taken = taken_zones if role == "片区长" else taken_alleys
                    if unit in first_row:
                        problems.append(Problem(person.row, "职务", f"这个{unit[0]}的{role}在第"
                                                f"{first_row[unit]}行已填写，一个{unit[0]}只能有一位{role}。"))
                    elif unit[1] in taken:
                        problems.append(Problem(person.row, "职务", f"这个{unit[0]}已有在任的{role}，"
                                                "导入不会替换，请在组织架构中更换。"))
                    first_row.setdefault(unit, person.row)
        return problems

    # ---- export --------------------------------------------------------------------------
    def export_rows(self, level: Level | None = None, unit_id: int | None = None) -> list[list]:
        """One row per active resident of the unit (everything visible when no unit), in the
        roster's column order (models.org.roster_sheet.COLUMNS)."""
        with self.db.read() as s:
            stmt = (select(Township.name, AdminVillage.id, AdminVillage.name, NaturalVillage.name,
                           Zone.name, Alley.name, Zone.id, Alley.id, Household, Resident)
                    .join(AdminVillage, AdminVillage.township_id == Township.id)
                    .join(NaturalVillage, NaturalVillage.admin_village_id == AdminVillage.id)
                    .join(Zone, Zone.natural_village_id == NaturalVillage.id)
                    .join(Alley, Alley.zone_id == Zone.id)
                    .join(Household, Household.alley_id == Alley.id)
                    .join(Resident, Resident.household_id == Household.id)
                    .where(Household.removed_on.is_(None), Resident.removed_on.is_(None))
                    .order_by(Township.id, AdminVillage.sort_order, AdminVillage.id,
                              NaturalVillage.sort_order, NaturalVillage.id, Zone.sort_order,
                              Zone.id, Alley.sort_order, Alley.id, Household.id,
                              Resident.sort_order, Resident.id))
            if level is not None:
                column = {Level.TOWNSHIP: Township.id, Level.ADMIN_VILLAGE: AdminVillage.id,
                          Level.NATURAL_VILLAGE: NaturalVillage.id, Level.ZONE: Zone.id,
                          Level.ALLEY: Alley.id}[level]
                stmt = stmt.where(column == unit_id)
            heads = _open_heads(s)
            out = []
            for town, vid, village, natural, zone, alley, zid, aid, h, r in s.execute(stmt):
                if not self.visible(vid):
                    continue
                held = [x for x in heads.get(r.id, ())
                        if (x.zone_id == zid if x.role is HeadRole.ZONE else x.alley_id == aid)]
                first = held[0] if held else None
                out.append([town, village, natural, zone, alley, str(h.id), h.address, r.name,
                            r.relation, r.gender, r.birth_year, r.phone, r.id_number or "",
                            "是" if r.is_party_member else "否",
                            "、".join(x.role.label for x in held),
                            first.chosen_on if first else None,
                            first.chosen_method if first else "",
                            first.proposer if first else "",
                            first.vest_issued_on if first else None,
                            first.work_id_issued_on if first else None,
                            first.work_id_number if first else ""])
            return out


def _open_heads(s: Session) -> dict[int, list[Head]]:
    heads: dict[int, list[Head]] = {}
    for head in s.scalars(select(Head).where(Head.ended_on.is_(None)).order_by(Head.role.desc())):
        heads.setdefault(head.resident_id, []).append(head)
    return heads


@lru_cache(maxsize=65536)
def _keys(name: str) -> tuple[str, str]:
    return name_keys(name)  # villages repeat names; pypinyin costs ~22 µs a call


def _unit_name(person: PersonRow, header: str) -> str:
    field = {v: k for k, v in FIELD_HEADER.items()}.get(header, "")
    return getattr(person, field, "") if field else ""



def template_choices(service: Service) -> dict[str, list[str]]:
    """Names for the template's drop-down lists: the places the account may see."""
    with service.db.read() as s:
        rows = s.execute(
            select(Township.name, AdminVillage.id, AdminVillage.name, NaturalVillage.name,
                   Zone.name, Alley.name)
            .join(AdminVillage, AdminVillage.township_id == Township.id)
            .outerjoin(NaturalVillage, NaturalVillage.admin_village_id == AdminVillage.id)
            .outerjoin(Zone, Zone.natural_village_id == NaturalVillage.id)
            .outerjoin(Alley, Alley.zone_id == Zone.id)
            .order_by(Township.id, AdminVillage.sort_order, NaturalVillage.sort_order,
                      Zone.sort_order, Alley.sort_order)).all()
    fields = ("township", "village", "natural", "zone", "alley")
    choices: dict[str, list[str]] = {f: [] for f in fields}
    for town, vid, *names in rows:
        if not service.visible(vid):
            continue
        for f, name in zip(fields, (town, *names), strict=True):
            if name and name not in choices[f]:
                choices[f].append(name)
    return choices


def _column_order(column: str) -> int:
    return HEADERS.index(column) if column in HEADERS else -1


def _reserve_ids(s: Session, model: type, count: int) -> list[int]:
    """`count` fresh primary keys. PostgreSQL hands them out from the table's sequence (safe
    beside other writers); SQLite's BEGIN IMMEDIATE means no one else writes meanwhile."""
    if count == 0:
        return []
    table = model.__tablename__
    if s.get_bind().dialect.name == "postgresql":
        return list(s.scalars(text(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
            "FROM generate_series(1, :n)"), {"n": count}))
    start = (s.scalar(select(func.max(model.id))) or 0) + 1
    return list(range(start, start + count))


def _members(rows: HouseholdRows) -> list[PersonRow]:
    head_row = rows.householder
    return [head_row, *(p for p in rows.people if p is not head_row)]


def _insert_people(s: Session, placed, progress) -> int:  # type: ignore[no-untyped-def]
    """Households, residents and appointments as three batched INSERTs with reserved ids (a
    unit of work over ORM objects, or ordered RETURNING on SQLite, took several times as long);
    returns the number of heads added."""
    household_ids = _reserve_ids(s, Household, len(placed))
    s.execute(insert(Household), [
        {"id": household_id, "alley_id": alley_id, "householder_name": rows.householder.name,
          "address": rows.householder.address, "phone": rows.householder.phone,
         "id_number": rows.householder.id_number, "removal_reason": ""}
        for household_id, (rows, (_v, _z, alley_id)) in zip(household_ids, placed, strict=True)])
    people, residents = [], []
    for done, ((rows, _), household_id) in enumerate(zip(placed, household_ids, strict=True), 1):
        for order, person in enumerate(_members(rows), start=1):
            initials, full = _keys(person.name)
            people.append(person)
            residents.append({
                "household_id": household_id, "name": person.name, "relation": person.relation,
                "gender": person.gender, "birth_year": person.birth_year, "phone": person.phone,
                "id_number": person.id_number, "is_party_member": person.party,
                "name_initials": initials, "name_pinyin": full, "sort_order": order})
        if progress is not None and done % 500 == 0:
            progress.report(done, len(placed), f"正在写入第 {done} 户…")
    resident_ids = _reserve_ids(s, Resident, len(residents))
    for row, resident_id in zip(residents, resident_ids, strict=True):
        row["id"] = resident_id
    s.execute(insert(Resident), residents)
    where = {id(p): (v, z, a) for rows, (v, z, a) in placed for p in rows.people}
    heads = []
    for person, resident_id in zip(people, resident_ids, strict=True):
        village_id, zone_id, alley_id = where[id(person)]
        for role_name in person.roles:
            role = HeadRole.ZONE if role_name == "片区长" else HeadRole.ALLEY
            heads.append({
                "resident_id": resident_id, "role": role, "admin_village_id": village_id,
                "zone_id": zone_id if role is HeadRole.ZONE else None,
                "alley_id": alley_id if role is HeadRole.ALLEY else None,
                "started_on": person.chosen_on, "chosen_on": person.chosen_on,
                "chosen_method": person.chosen_method or "党员群众共同推选",
                "proposer": person.proposer, "vest_issued_on": person.vest_on,
                "work_id_issued_on": person.work_id_on, "work_id_number": person.work_id_number,
                "end_reason": "", "photo_path": ""})
    if heads:
        s.execute(insert(Head), heads)
    return len(heads)
