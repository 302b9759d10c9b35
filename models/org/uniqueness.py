"""Nothing in the organisation may be confused with something else: sibling units have different
names (compared by `name_key`), and an ID number belongs to one current household and one
current resident. The services refuse a clash, `check` lists the clashes already stored."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from models.core.masking import mask_id_number
from models.core.errors import ValidationError
from models.org.directory import Level
from models.org.naming import NAME_LIMITS, name_key, unit_labels
from models.org.tables import AdminVillage, Alley, Household, NaturalVillage, Resident, Township, Zone

# level → (model, parent column, the parent's model); townships have no parent
SIBLINGS = {
    Level.TOWNSHIP: (Township, None, None),
    Level.ADMIN_VILLAGE: (AdminVillage, AdminVillage.township_id, Township),
    Level.NATURAL_VILLAGE: (NaturalVillage, NaturalVillage.admin_village_id, AdminVillage),
    Level.ZONE: (Zone, Zone.natural_village_id, NaturalVillage),
    Level.ALLEY: (Alley, Alley.zone_id, Zone),
}


def require_unique_name(session: Session, level: Level, parent_id: int | None, name: str,
                        unit_id: int | None = None) -> None:
    """Refuse `name` for a unit of `level` under `parent_id` when a sibling (other than `unit_id`
    itself) already has it. The parent row is locked first, so two offices naming units at
    once are compared one after the other."""
    model, parent_column, parent_model = SIBLINGS[level]
    stmt = select(model.id, model.name)
    where = "本镇（街道）列表"
    if parent_column is not None:
        parent = session.scalars(select(parent_model).where(parent_model.id == parent_id)
                                 .with_for_update()).first()
        where = f"“{parent.name}”" if parent is not None else "上级单位"
        stmt = stmt.where(parent_column == parent_id)
    key = name_key(name)
    clash = next((other for other_id, other in session.execute(stmt)
                  if other_id != unit_id and name_key(other) == key), None)
    if clash is not None:
        raise ValidationError(f"{where}里已经有{level.label}“{clash}”，同一上级下的{level.label}"
                              f"不能重名（大小写、全角半角和空格不同也算同名）。请换一个名称。")


def duplicate_names(session: Session) -> list[str]:
    """Every group of siblings sharing a name, in plain Chinese (for `check` and the upgrade)."""
    problems = []
    for level, (model, parent_column, parent_model) in SIBLINGS.items():
        columns = [model.id, model.name] + ([parent_column] if parent_column is not None else [])
        groups: dict[tuple, list[str]] = defaultdict(list)  # type: ignore[type-arg]
        for row in session.execute(select(*columns).order_by(model.id)):
            parent = row[2] if parent_column is not None else None
            groups[(parent, name_key(row[1]))].append(row[1])
        parents = {}
        if parent_model is not None:
            ids = [parent for (parent, _), names in groups.items() if len(names) > 1]
            parents = dict(session.execute(select(parent_model.id, parent_model.name)
                                           .where(parent_model.id.in_(ids))).all())
        for (parent, _), names in groups.items():
            if len(names) > 1:
                where = f"“{parents.get(parent, '')}”里" if parent_model is not None else "本库中"
                problems.append(f"{where}有 {len(names)} 个{level.label}同名："
                                f"{'、'.join(f'“{n}”' for n in names)}，请改名区分。")
    return problems


def lock_id_numbers(session: Session, numbers: Iterable[str]) -> None:
    """On PostgreSQL, a transaction lock per ID number: two offices registering the same
    number at once are checked one after the other (SQLite writers queue anyway)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for number in sorted(set(numbers)):
        key = int.from_bytes(hashlib.sha256(number.encode()).digest()[:8], "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def require_unique_id_numbers(session: Session, *, household: tuple[str | None, int | None] = (None, None),
                              residents: Iterable[tuple[str | None, int | None, str]] = ()) -> None:
    """Refuse an ID number already held by another current household (`household`: number and
    the household's own id) or resident (`residents`: number, the resident's own id, name)."""
    people = [(n, i, who) for n, i, who in residents if n]
    seen: dict[str, str] = {}
    for number, _id, who in people:
        if number in seen:
            raise ValidationError(f"{seen[number]}和{who}的身份证号相同（{mask_id_number(number)}），"
                                  "一个身份证号只能登记一人。")
        seen[number] = who
    number, own = household
    lock_id_numbers(session, [n for n, _i, _w in people] + ([number] if number else []))
    if number:
        other = session.execute(select(Household.id, Household.householder_name, Household.alley_id)
                                .where(Household.id_number == number, Household.removed_on.is_(None),
                                       Household.id != (own or 0))).first()
        if other is not None:
            raise ValidationError(_taken(session, number, other.householder_name, other.alley_id, "户主"))
    for number, own_id, _who in people:
        other = session.execute(
            select(Resident.name, Household.alley_id).join(Household, Household.id == Resident.household_id)
            .where(Resident.id_number == number, Resident.removed_on.is_(None),
                   Household.removed_on.is_(None), Resident.id != (own_id or 0))).first()
        if other is not None:
            raise ValidationError(_taken(session, number, other.name, other.alley_id, "居民"))


def _taken(session: Session, number: str, name: str, alley_id: int, role: str) -> str:
    where = unit_labels(session, alley_ids=[alley_id])[1].get(alley_id, "")
    return (f"身份证号 {mask_id_number(number)} 已登记为{where}{role}“{name}”的身份证号，"
            "一个身份证号只能登记一人。请核对。")


def duplicate_id_numbers(session: Session) -> list[str]:
    """Every ID number held by more than one current household or resident."""
    problems = []
    queries = (
        ("户主", select(Household.id_number, Household.householder_name, Household.alley_id)
         .where(Household.id_number.is_not(None), Household.id_number != "",
                Household.removed_on.is_(None))),
        ("居民", select(Resident.id_number, Resident.name, Household.alley_id)
         .join(Household, Household.id == Resident.household_id)
         .where(Resident.id_number.is_not(None), Resident.id_number != "",
                Resident.removed_on.is_(None), Household.removed_on.is_(None))),
    )
    for role, stmt in queries:
        holders: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for number, name, alley_id in session.execute(stmt):
            holders[number].append((name, alley_id))
        clashes = {n: h for n, h in holders.items() if len(h) > 1}
        labels = unit_labels(session, alley_ids=[a for h in clashes.values() for _, a in h])[1]
        for number, held in sorted(clashes.items()):
            who = "、".join(f"{labels.get(alley, '')}“{name}”" for name, alley in held)
            problems.append(f"身份证号 {mask_id_number(number)} 同时登记在{len(held)}个{role}名下：{who}。")
    return problems


def over_long_names(session: Session) -> list[str]:
    """Units whose name is longer than its level allows (written before the limits)."""
    problems = []
    for level, (model, _parent, _model) in SIBLINGS.items():
        limit = NAME_LIMITS[level]
        for (name,) in session.execute(select(model.name).where(func.length(model.name) > limit)
                                       .order_by(model.id)):
            problems.append(f"{level.label}名称“{name[:12]}…”有 {len(name)} 个字，超过上限 {limit} 个字，"
                            "请改短。")
    return problems
