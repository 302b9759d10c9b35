"""How the people area names a head's unit: with the natural village for a zone, with the zone
for an alley (the demo's 韩家村 has five zones called 四片区), as the points bank does."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from models.org.tables import AdminVillage, Alley, Head, HeadRole, NaturalVillage, Resident, Zone


@dataclass(frozen=True)
class HeadInfo:
    head_id: int
    resident_id: int
    name: str
    role: HeadRole
    unit: str  # "东庄·南片区" or "南片区·南一胡同"
    village_id: int
    village: str
    started_on: date
    ended_on: date | None
    is_party_member: bool
    unit_id: int  # the zone's or the alley's id

    @property
    def role_label(self) -> str:
        return self.role.label


_ALLEY_ZONE = aliased(Zone)
_ALLEY_NATURAL = aliased(NaturalVillage)


def head_infos(s: Session, head_ids: Collection[int]) -> dict[int, HeadInfo]:
    ids = list(dict.fromkeys(head_ids))
    found: dict[int, HeadInfo] = {}
    for start in range(0, len(ids), 500):
        found.update((info.head_id, info) for info in _load(
            s, Head.id.in_(ids[start:start + 500])))
    return found


def village_heads(s: Session, village_id: int) -> list[HeadInfo]:
    """Every appointment of the village (serving and ended), in the order of the units."""
    return _load(s, Head.admin_village_id == village_id)


def _load(s: Session, condition) -> list[HeadInfo]:  # type: ignore[no-untyped-def]
    zone_order = (func.coalesce(_ALLEY_NATURAL.sort_order, NaturalVillage.sort_order),
                  func.coalesce(_ALLEY_ZONE.sort_order, Zone.sort_order),
                  func.coalesce(_ALLEY_ZONE.id, Zone.id))
    zone_first = case((Head.role == HeadRole.ZONE, 0), else_=1)
    rows = s.execute(
        select(Head.id, Head.resident_id, Resident.name, Head.role, Zone.name, NaturalVillage.name,
               Alley.name, _ALLEY_ZONE.name, Head.admin_village_id, AdminVillage.name,
               Head.started_on, Head.ended_on, Resident.is_party_member,
               func.coalesce(Head.zone_id, Head.alley_id))
        .join(Resident, Resident.id == Head.resident_id)
        .join(AdminVillage, AdminVillage.id == Head.admin_village_id)
        .outerjoin(Zone, Zone.id == Head.zone_id)
        .outerjoin(NaturalVillage, NaturalVillage.id == Zone.natural_village_id)
        .outerjoin(Alley, Alley.id == Head.alley_id)
        .outerjoin(_ALLEY_ZONE, _ALLEY_ZONE.id == Alley.zone_id)
        .outerjoin(_ALLEY_NATURAL, _ALLEY_NATURAL.id == _ALLEY_ZONE.natural_village_id)
        .where(condition)
        .order_by(AdminVillage.sort_order, AdminVillage.id, *zone_order, zone_first,
                  func.coalesce(Alley.sort_order, 0), Head.id)).all()
    return [HeadInfo(r[0], r[1], r[2], r[3], f"{r[7]}·{r[6]}" if r[6] else f"{r[5]}·{r[4]}",
                     r[8], r[9], r[10], r[11], bool(r[12]), r[13]) for r in rows]
