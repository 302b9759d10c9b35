"""What a print job covers: the whole town, one village, natural village, zone, alley, head or
household. Parsed from the `--scope` text (`village:韩家村`, `zone:韩家村/东街/东片区`, `head:刘䶮`)
or built by the print centre's pickers; resolved to ids with a readable Chinese label."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core.errors import NotFound, ValidationError
from models.core.validation import as_id, search_text
from models.org.tables import AdminVillage, Alley, Head, Household, NaturalVillage, Resident, Zone


class ScopeKind(enum.StrEnum):
    ALL = "all"
    VILLAGE = "village"
    NATURAL = "natural"
    ZONE = "zone"
    ALLEY = "alley"
    HEAD = "head"
    HOUSEHOLD = "household"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {ScopeKind.ALL: "全镇", ScopeKind.VILLAGE: "行政村", ScopeKind.NATURAL: "自然村",
           ScopeKind.ZONE: "片区", ScopeKind.ALLEY: "胡同", ScopeKind.HEAD: "负责人",
           ScopeKind.HOUSEHOLD: "农户"}
SYNTAX = ("范围写法：all、village:韩家村、natural:自然村名、zone:片区编号或“村/自然村/片区”、"
          "alley:胡同编号或名称路径、head:姓名或编号、household:农户编号")


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    id: int | None = None
    label: str = "全镇"
    village_id: int | None = None  # the administrative village it lies in (None: all)


ALL = Scope(ScopeKind.ALL)

# Units by level: the name columns of their path from the administrative village down.
_PATHS = {
    ScopeKind.VILLAGE: (AdminVillage.id, (AdminVillage.name,), AdminVillage.id),
    ScopeKind.NATURAL: (NaturalVillage.id, (AdminVillage.name, NaturalVillage.name),
                        AdminVillage.id),
    ScopeKind.ZONE: (Zone.id, (AdminVillage.name, NaturalVillage.name, Zone.name), AdminVillage.id),
    ScopeKind.ALLEY: (Alley.id, (AdminVillage.name, NaturalVillage.name, Zone.name, Alley.name),
                      AdminVillage.id),
}


def parse(s: Session, text: str) -> Scope:
    """The scope named by `text`; a clear Chinese error when it names nothing or several."""
    text = search_text(text, 200)
    if text.lower() in ("all", "全部", "全镇"):
        return ALL
    kind_text, _, value = text.partition(":")
    try:
        kind = ScopeKind(kind_text.strip().lower())
    except ValueError:
        raise ValidationError(f"不认识的打印范围“{text[:40]}”。{SYNTAX}") from None
    value = value.strip()
    if not value or kind is ScopeKind.ALL:
        raise ValidationError(f"打印范围“{text[:40]}”缺少{kind.label}的名称或编号。{SYNTAX}")
    if kind is ScopeKind.HEAD:
        return _head(s, value)
    if kind is ScopeKind.HOUSEHOLD:
        return _household(s, value)
    return _unit(s, kind, value)


def of(s: Session, kind: ScopeKind, unit_id: int) -> Scope:
    """The scope of a unit picked in the print centre (by id)."""
    if kind is ScopeKind.ALL:
        return ALL
    return parse(s, f"{kind.value}:{unit_id}")


def _unit(s: Session, kind: ScopeKind, value: str) -> Scope:
    key, names, village = _PATHS[kind]
    stmt = select(key, village, *names).select_from(AdminVillage)
    for model, parent in ((NaturalVillage, NaturalVillage.admin_village_id == AdminVillage.id),
                          (Zone, Zone.natural_village_id == NaturalVillage.id),
                          (Alley, Alley.zone_id == Zone.id))[: len(names) - 1]:
        stmt = stmt.join(model, parent)
    unit_id = as_id(value)
    if unit_id is not None:
        rows = s.execute(stmt.where(key == unit_id)).all()
    else:
        parts = [p.strip() for p in value.replace("›", "/").split("/") if p.strip()]
        rows = [r for r in s.execute(stmt.where(names[-1] == parts[-1])).all()
                if list(r[2:])[-len(parts):] == parts]
    return Scope(kind, *_one(rows, kind, value))


def _one(rows, kind: ScopeKind, value: str) -> tuple[int, str, int]:  # type: ignore[no-untyped-def]
    value = value if len(value) <= 30 else value[:30] + "…"
    if not rows:
        raise NotFound(f"找不到{kind.label}“{value}”。{SYNTAX}")
    if len(rows) > 1:
        paths = "、".join("/".join(r[2:]) for r in rows[:6])
        raise ValidationError(f"{kind.label}“{value}”有{len(rows)}个：{paths}。请写出上级名称，"
                              f"例如“{'/'.join(rows[0][2:])}”，或写编号。")
    unit_id, village_id, *names = rows[0]
    return unit_id, "/".join(names), village_id


def _head(s: Session, value: str) -> Scope:
    stmt = (select(Head.id, Head.admin_village_id, AdminVillage.name, Resident.name)
            .join(Resident, Resident.id == Head.resident_id)
            .join(AdminVillage, AdminVillage.id == Head.admin_village_id)
            .where(Head.ended_on.is_(None)))
    head_id = as_id(value)
    condition = Head.id == head_id if head_id is not None else Resident.name == value
    rows = s.execute(stmt.where(condition).order_by(Head.id)).all()
    head_id, _, village_id = _one(rows, ScopeKind.HEAD, value)
    name = next(n for h, _, _, n in rows if h == head_id)
    return Scope(ScopeKind.HEAD, head_id, name, village_id)


def _household(s: Session, value: str) -> Scope:
    household_id = as_id(value)
    if household_id is None:
        raise ValidationError(f"农户请写编号，例如 household:1024（“{value[:20]}”不是编号）。")
    row = s.execute(select(Household.id, Household.householder_name, NaturalVillage.admin_village_id)
                    .join(Alley, Alley.id == Household.alley_id)
                    .join(Zone, Zone.id == Alley.zone_id)
                    .join(NaturalVillage, NaturalVillage.id == Zone.natural_village_id)
                    .where(Household.id == household_id, Household.removed_on.is_(None))).first()
    if row is None:
        raise NotFound(f"找不到编号为 {value} 的在册农户。")
    return Scope(ScopeKind.HOUSEHOLD, row[0], f"{row[1]}户", row[2])
