"""Organisation operations: building the five levels, households with their caps, heads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import audit, settings
from models.access import Permission
from models.errors import CapExceeded, NotFound, ValidationError
from models.names import name_keys
from models.org import (
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
from models.services.base import Service
from models.validation import (
    normalise_text,
    validate_id_number,
    validate_name,
    validate_phone,
)


@dataclass(frozen=True)
class ResidentInput:
    name: str
    relation: str = ""
    gender: str = ""
    birth_year: int | None = None
    phone: str = ""
    id_number: str | None = None
    is_party_member: bool = False


@dataclass(frozen=True)
class HouseholdInput:
    householder_name: str
    address: str = ""
    phone: str = ""
    id_number: str | None = None
    residents: list[ResidentInput] = field(default_factory=list)


def village_of_alley(session: Session, alley_id: int) -> int:
    return session.execute(
        select(NaturalVillage.admin_village_id)
        .join(Zone, Zone.natural_village_id == NaturalVillage.id)
        .join(Alley, Alley.zone_id == Zone.id)
        .where(Alley.id == alley_id)
    ).scalar_one()


def village_of_zone(session: Session, zone_id: int) -> int:
    return session.execute(
        select(NaturalVillage.admin_village_id)
        .join(Zone, Zone.natural_village_id == NaturalVillage.id)
        .where(Zone.id == zone_id)
    ).scalar_one()


def active_households_in_alley(session: Session, alley_id: int) -> int:
    return session.scalar(
        select(func.count(Household.id)).where(
            Household.alley_id == alley_id, Household.removed_on.is_(None)
        )
    ) or 0


def active_households_in_zone(session: Session, zone_id: int) -> int:
    return session.scalar(
        select(func.count(Household.id))
        .join(Alley, Alley.id == Household.alley_id)
        .where(Alley.zone_id == zone_id, Household.removed_on.is_(None))
    ) or 0


def _locked(session: Session, model: type, key: int):  # type: ignore[no-untyped-def]
    """Load a row for update: on PostgreSQL a row lock so that two offices adding households at
    once are counted one after the other (SQLite's BEGIN IMMEDIATE already serialises writers)."""
    row = session.scalars(select(model).where(model.id == key).with_for_update()).first()
    if row is None:
        raise NotFound("要操作的单位已不存在，请刷新后重试。")
    return row


def check_room(session: Session, alley: Alley, zone: Zone, adding: int = 1) -> None:
    """Refuse when the alley or the zone would exceed its cap; the message names unit, count, cap."""
    alley_cap = settings.get(session, settings.ALLEY_HOUSEHOLD_CAP)
    in_alley = active_households_in_alley(session, alley.id)
    if in_alley + adding > alley_cap:
        raise CapExceeded(
            f"“{zone.name}{alley.name}”已有 {in_alley} 户，每个胡同最多 {alley_cap} 户，"
            "不能再增加。请先调整到其他胡同。"
        )
    zone_cap = settings.get(session, settings.ZONE_HOUSEHOLD_CAP)
    in_zone = active_households_in_zone(session, zone.id)
    if in_zone + adding > zone_cap:
        raise CapExceeded(
            f"片区“{zone.name}”已有 {in_zone} 户，每个片区最多 {zone_cap} 户，不能再增加。"
        )


def new_resident(person: ResidentInput, order: int) -> Resident:
    name = validate_name(person.name, "居民姓名")
    initials, full = name_keys(name)
    if person.birth_year is not None and not 1900 <= person.birth_year <= date.today().year:
        raise ValidationError(f"居民“{name}”的出生年份 {person.birth_year} 不合理。")
    return Resident(
        name=name,
        relation=normalise_text(person.relation),
        gender=normalise_text(person.gender),
        birth_year=person.birth_year,
        phone=validate_phone(person.phone, f"居民“{name}”的电话"),
        id_number=validate_id_number(person.id_number, f"居民“{name}”的身份证号"),
        is_party_member=person.is_party_member,
        name_initials=initials,
        name_pinyin=full,
        sort_order=order,
    )


class OrganisationService(Service):
    # ---- building the levels -------------------------------------------------------------
    def create_township(self, name: str, county: str = "") -> int:
        with self.operation(Permission.SETTINGS) as s:
            self.require(Permission.SETTINGS, None)
            town = Township(name=validate_name(name, "镇（街道）名称", 60), county=county)
            s.add(town)
            s.flush()
            audit.record(s, self.actor, "新建镇街", "township", town.id, after={"name": town.name})
            return town.id

    def create_admin_village(self, township_id: int, name: str, *, secretary_name: str = "",
                             secretary_phone: str = "", supervision_phone: str = "") -> int:
        with self.operation(Permission.SETTINGS) as s:
            self.require(Permission.SETTINGS, None)
            if s.get(Township, township_id) is None:
                raise NotFound("所选的镇（街道）不存在。")
            village = AdminVillage(
                township_id=township_id,
                name=validate_name(name, "行政村名称", 60),
                secretary_name=normalise_text(secretary_name),
                secretary_phone=validate_phone(secretary_phone, "书记电话"),
                supervision_phone=validate_phone(supervision_phone, "监督电话"),
                sort_order=self._next_order(s, AdminVillage, AdminVillage.township_id, township_id),
            )
            s.add(village)
            s.flush()
            audit.record(s, self.actor, "新建行政村", "admin_village", village.id,
                         village_id=village.id, after={"name": village.name})
            return village.id

    def create_natural_village(self, admin_village_id: int, name: str) -> int:
        with self.operation(Permission.EDIT_ORGANISATION) as s:
            self.require(Permission.EDIT_ORGANISATION, admin_village_id)
            unit = NaturalVillage(
                admin_village_id=admin_village_id,
                name=validate_name(name, "自然村名称", 60),
                sort_order=self._next_order(
                    s, NaturalVillage, NaturalVillage.admin_village_id, admin_village_id),
            )
            s.add(unit)
            s.flush()
            audit.record(s, self.actor, "新建自然村", "natural_village", unit.id,
                         village_id=admin_village_id, after={"name": unit.name})
            return unit.id

    def create_zone(self, natural_village_id: int, name: str) -> int:
        with self.operation(Permission.EDIT_ORGANISATION) as s:
            parent = s.get(NaturalVillage, natural_village_id)
            if parent is None:
                raise NotFound("所选的自然村不存在。")
            self.require(Permission.EDIT_ORGANISATION, parent.admin_village_id)
            unit = Zone(
                natural_village_id=natural_village_id,
                name=validate_name(name, "片区名称", 60),
                sort_order=self._next_order(s, Zone, Zone.natural_village_id, natural_village_id),
            )
            s.add(unit)
            s.flush()
            audit.record(s, self.actor, "新建片区", "zone", unit.id,
                         village_id=parent.admin_village_id, after={"name": unit.name})
            return unit.id

    def create_alley(self, zone_id: int, name: str) -> int:
        with self.operation(Permission.EDIT_ORGANISATION) as s:
            if s.get(Zone, zone_id) is None:
                raise NotFound("所选的片区不存在。")
            village_id = village_of_zone(s, zone_id)
            self.require(Permission.EDIT_ORGANISATION, village_id)
            unit = Alley(
                zone_id=zone_id,
                name=validate_name(name, "胡同名称", 60),
                sort_order=self._next_order(s, Alley, Alley.zone_id, zone_id),
            )
            s.add(unit)
            s.flush()
            audit.record(s, self.actor, "新建胡同", "alley", unit.id,
                         village_id=village_id, after={"name": unit.name})
            return unit.id

    @staticmethod
    def _next_order(session: Session, model: type, parent_column, parent_id: int) -> int:  # type: ignore[no-untyped-def]
        highest = session.scalar(select(func.max(model.sort_order)).where(parent_column == parent_id))
        return (highest or 0) + 1

    # ---- households ----------------------------------------------------------------------
    def add_household(self, alley_id: int, data: HouseholdInput) -> int:
        """Add a household (and its residents) to an alley, within the alley and zone caps."""
        with self.operation(Permission.EDIT_ORGANISATION) as s:
            alley = _locked(s, Alley, alley_id)
            zone = _locked(s, Zone, alley.zone_id)
            village_id = village_of_alley(s, alley_id)
            self.require(Permission.EDIT_ORGANISATION, village_id)
            household = self._build_household(alley_id, data)
            check_room(s, alley, zone)
            s.add(household)
            s.flush()
            audit.record(s, self.actor, "新增农户", "household", household.id,
                         village_id=village_id, after=household_summary(household))
            return household.id

    @staticmethod
    def _build_household(alley_id: int, data: HouseholdInput) -> Household:
        name = validate_name(data.householder_name, "户主姓名")
        household = Household(
            alley_id=alley_id,
            householder_name=name,
            address=normalise_text(data.address),
            phone=validate_phone(data.phone, f"户主“{name}”的电话"),
            id_number=validate_id_number(data.id_number, f"户主“{name}”的身份证号"),
        )
        people = data.residents or [ResidentInput(
            name=name, relation="户主", phone=household.phone, id_number=household.id_number)]
        household.residents = [new_resident(p, i) for i, p in enumerate(people, start=1)]
        return household

    # ---- heads ---------------------------------------------------------------------------
    def appoint_head(self, role: HeadRole, unit_id: int, resident_id: int, *, chosen_on: date,
                     chosen_method: str = "党员群众共同推选", proposer: str = "") -> int:
        """Appoint a head of a zone or alley (推选). The previous head's appointment ends that
        day and stays in the history with its records."""
        with self.operation(Permission.EDIT_ORGANISATION) as s:
            if role is HeadRole.ZONE:
                unit = _locked(s, Zone, unit_id)
                village_id = village_of_zone(s, unit_id)
                current = select(Head).where(Head.zone_id == unit_id, Head.ended_on.is_(None))
            else:
                unit = _locked(s, Alley, unit_id)
                village_id = village_of_alley(s, unit_id)
                current = select(Head).where(Head.alley_id == unit_id, Head.ended_on.is_(None))
            self.require(Permission.EDIT_ORGANISATION, village_id)
            person = s.get(Resident, resident_id)
            if person is None:
                raise NotFound("所选的居民不存在。")
            previous = s.scalars(current).first()
            if previous is not None:
                previous.ended_on = chosen_on
                previous.end_reason = "重新推选"
            head = Head(
                resident_id=resident_id,
                role=role,
                zone_id=unit_id if role is HeadRole.ZONE else None,
                alley_id=unit_id if role is HeadRole.ALLEY else None,
                admin_village_id=village_id,
                started_on=chosen_on,
                chosen_on=chosen_on,
                chosen_method=normalise_text(chosen_method) or "党员群众共同推选",
                proposer=normalise_text(proposer),
            )
            s.add(head)
            s.flush()
            audit.record(s, self.actor, f"任命{role.label}", "head", head.id, village_id=village_id,
                         before={"head_id": previous.id} if previous else None,
                         after={"unit": unit.name, "resident": person.name,
                                "chosen_on": chosen_on, "method": head.chosen_method})
            return head.id


def household_summary(household: Household) -> dict[str, object]:
    return {
        "householder": household.householder_name,
        "address": household.address,
        "phone": household.phone,
        "id_number": household.id_number or "",
        "alley_id": household.alley_id,
        "residents": len(household.residents),
    }
