"""Organisation operations: building the five levels, households with their caps, heads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.core import audit, clock, idempotency, settings
from models.core.access import Permission
from models.core.audit import mask_id_number
from models.core.errors import CapExceeded, NotFound, ValidationError
from models.core.names import name_keys
from models.core.service import Service
from models.core.validation import normalise_text, validate_id_number, validate_name, validate_phone
from models.org.directory import Level
from models.org.naming import NAME_LIMITS, alley_label, zone_label
from models.org.uniqueness import SIBLINGS, require_unique_id_numbers, require_unique_name
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
            f"胡同“{alley_label(session, alley)}”已有 {in_alley} 户，每个胡同最多 {alley_cap} 户，"
            "不能再增加。请先调整到其他胡同。"
        )
    zone_cap = settings.get(session, settings.ZONE_HOUSEHOLD_CAP)
    in_zone = active_households_in_zone(session, zone.id)
    if in_zone + adding > zone_cap:
        raise CapExceeded(
            f"片区“{zone_label(session, zone)}”已有 {in_zone} 户，每个片区最多 {zone_cap} 户，不能再增加。"
        )


def new_resident(person: ResidentInput, order: int) -> Resident:
    name = validate_name(person.name, "居民姓名")
    initials, full = name_keys(name)
    if person.birth_year is not None and not 1900 <= person.birth_year <= clock.today().year:
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


def _unit_name(level: Level, name: str) -> str:
    return validate_name(name, f"{level.label}名称", NAME_LIMITS[level])


_MODEL = {Level.TOWNSHIP: Township, Level.ADMIN_VILLAGE: AdminVillage,
          Level.NATURAL_VILLAGE: NaturalVillage, Level.ZONE: Zone, Level.ALLEY: Alley}


class OrganisationService(Service):
    # ---- building the levels -------------------------------------------------------------
    def create_township(self, name: str, county: str = "") -> int:
        with self.operation(Permission.SETTINGS) as s:
            self.require(Permission.SETTINGS, None)
            town = Township(name=_unit_name(Level.TOWNSHIP, name), county=county)
            require_unique_name(s, Level.TOWNSHIP, None, town.name)
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
                name=_unit_name(Level.ADMIN_VILLAGE, name),
                secretary_name=normalise_text(secretary_name),
                secretary_phone=validate_phone(secretary_phone, "书记电话"),
                supervision_phone=validate_phone(supervision_phone, "监督电话"),
                sort_order=self._next_order(s, AdminVillage, AdminVillage.township_id, township_id),
            )
            require_unique_name(s, Level.ADMIN_VILLAGE, township_id, village.name)
            s.add(village)
            s.flush()
            audit.record(s, self.actor, "新建行政村", "admin_village", village.id,
                         village_id=village.id, after={"name": village.name})
            return village.id

    def create_natural_village(self, admin_village_id: int, name: str) -> int:
        with self.operation(Permission.EDIT_ORGANISATION) as s:
            self.require(Permission.EDIT_ORGANISATION, admin_village_id)
            return self._add_unit(s, Level.NATURAL_VILLAGE, admin_village_id, name,
                                  admin_village_id)

    def create_zone(self, natural_village_id: int, name: str) -> int:
        with self.operation(Permission.EDIT_ORGANISATION) as s:
            parent = s.get(NaturalVillage, natural_village_id)
            if parent is None:
                raise NotFound("所选的自然村不存在。")
            self.require(Permission.EDIT_ORGANISATION, parent.admin_village_id)
            return self._add_unit(s, Level.ZONE, natural_village_id, name, parent.admin_village_id)

    def create_alley(self, zone_id: int, name: str) -> int:
        with self.operation(Permission.EDIT_ORGANISATION) as s:
            if s.get(Zone, zone_id) is None:
                raise NotFound("所选的片区不存在。")
            village_id = village_of_zone(s, zone_id)
            self.require(Permission.EDIT_ORGANISATION, village_id)
            return self._add_unit(s, Level.ALLEY, zone_id, name, village_id)

    def _add_unit(self, s: Session, level: Level, parent_id: int, name: str, village_id: int) -> int:
        """Add a unit at the end of its parent's list, audited, inside the caller's operation."""
        model, parent_column, _parent = SIBLINGS[level]
        unit = model(name=_unit_name(level, name),
                     sort_order=self._next_order(s, model, parent_column, parent_id))
        require_unique_name(s, level, parent_id, unit.name)
        setattr(unit, parent_column.key, parent_id)
        s.add(unit)
        s.flush()
        audit.record(s, self.actor, f"新建{level.label}", model.__tablename__, unit.id,
                     village_id=village_id, after={"name": unit.name})
        return unit.id

    @staticmethod
    def _next_order(session: Session, model: type, parent_column, parent_id: int) -> int:  # type: ignore[no-untyped-def]
        highest = session.scalar(select(func.max(model.sort_order)).where(parent_column == parent_id))
        return (highest or 0) + 1

    # ---- households ----------------------------------------------------------------------
    def add_household(self, alley_id: int, data: HouseholdInput, *,
                      idempotency_key: str | None = None) -> int:
        """Add a household (and its residents) to an alley, within the alley and zone caps. A
        retry with the same key returns the household the first try added."""
        with self.operation(Permission.EDIT_ORGANISATION) as s:
            if replayed := idempotency.claim(s, idempotency_key, "add_household"):
                return replayed.result
            alley = _locked(s, Alley, alley_id)
            zone = _locked(s, Zone, alley.zone_id)
            village_id = village_of_alley(s, alley_id)
            self.require(Permission.EDIT_ORGANISATION, village_id)
            household = self._build_household(alley_id, data)
            require_unique_id_numbers(s, household=(household.id_number, None), residents=[
                (r.id_number, None, f"“{r.name}”") for r in household.residents])
            check_room(s, alley, zone)
            s.add(household)
            s.flush()
            audit.record(s, self.actor, "新增农户", "household", household.id,
                         village_id=village_id, after=household_summary(household))
            idempotency.settle(s, idempotency_key, household.id)
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

    # ---- changing the levels ---------------------------------------------------------------
    def rename_unit(self, level: Level, unit_id: int, name: str) -> None:
        permission = Permission.SETTINGS if level <= Level.ADMIN_VILLAGE else \
            Permission.EDIT_ORGANISATION
        with self.operation(permission) as s:
            unit = _locked(s, _MODEL[level], unit_id)
            village_id = village_of(s, level, unit_id)
            self.require(permission, village_id)
            before = unit.name
            new_name = _unit_name(level, name)
            parent_column = SIBLINGS[level][1]
            require_unique_name(s, level, getattr(unit, parent_column.key) if parent_column is not None
                                else None, new_name, unit_id)
            unit.name = new_name
            audit.record(s, self.actor, f"重命名{level.label}", _MODEL[level].__tablename__,
                         unit_id, village_id=village_id, before={"name": before},
                         after={"name": unit.name})

    def move_unit(self, level: Level, unit_id: int, new_parent_id: int) -> None:
        """Move a natural village, zone or alley under another parent one level up; an alley's
        households count against the new zone's cap."""
        if level not in _PARENTS:
            raise ValidationError(f"{level.label}不能移动。")
        parent_model, parent_field, parent_label = _PARENTS[level]
        with self.operation(Permission.EDIT_ORGANISATION) as s:
            unit = _locked(s, _MODEL[level], unit_id)
            if s.get(parent_model, new_parent_id) is None:
                raise NotFound(f"要移入的{parent_label}不存在。")
            old_village = village_of(s, level, unit_id)
            new_village = village_of(s, Level(level - 1), new_parent_id)
            self.require(Permission.EDIT_ORGANISATION, old_village)
            self.require(Permission.EDIT_ORGANISATION, new_village)
            if old_village != new_village and contents(s, level, unit_id):
                raise ValidationError(f"{level.label}“{unit.name}”里还有："
                                      f"{'、'.join(contents(s, level, unit_id))}，只有空的单位才能"
                                      "移到另一个行政村（农户和负责人记录属于本村）。")
            if level == Level.ALLEY:
                households = active_households_in_alley(s, unit_id)
                zone = _locked(s, Zone, new_parent_id)
                cap = settings.get(s, settings.ZONE_HOUSEHOLD_CAP)
                there = active_households_in_zone(s, new_parent_id)
                if unit.zone_id != new_parent_id and there + households > cap:
                    raise CapExceeded(f"片区“{zone_label(s, zone)}”已有 {there} 户，移入“{unit.name}”的 "
                                      f"{households} 户后将超过每个片区最多 {cap} 户。")
            before = getattr(unit, parent_field)
            require_unique_name(s, level, new_parent_id, unit.name, unit_id)
            setattr(unit, parent_field, new_parent_id)
            unit.sort_order = self._next_order(s, _MODEL[level], getattr(_MODEL[level],
                                               parent_field), new_parent_id)
            audit.record(s, self.actor, f"移动{level.label}", _MODEL[level].__tablename__,
                         unit_id, village_id=new_village, before={parent_field: before},
                         after={parent_field: new_parent_id, "name": unit.name})

    def remove_unit(self, level: Level, unit_id: int) -> None:
        """Remove an empty unit; otherwise refuse, saying what is still inside."""
        permission = Permission.SETTINGS if level <= Level.ADMIN_VILLAGE else \
            Permission.EDIT_ORGANISATION
        with self.operation(permission) as s:
            unit = _locked(s, _MODEL[level], unit_id)
            village_id = village_of(s, level, unit_id)
            self.require(permission, village_id)
            inside = contents(s, level, unit_id)
            if inside:
                raise ValidationError(f"{level.label}“{unit.name}”里还有：{'、'.join(inside)}，"
                                      "不能删除。请先移走或删除这些内容。")
            name = unit.name
            s.delete(unit)
            audit.record(s, self.actor, f"删除{level.label}", _MODEL[level].__tablename__,
                         unit_id, village_id=village_id, before={"name": name})

    # ---- households and residents ---------------------------------------------------------
    def _household(self, s: Session, household_id: int) -> tuple[Household, int]:
        household = s.get(Household, household_id)
        if household is None or household.removed_on is not None:
            raise NotFound("这一户不存在或已迁出，请刷新后重试。")
        village_id = village_of_alley(s, household.alley_id)
        self.require(Permission.EDIT_ORGANISATION, village_id)
        return household, village_id

    def update_household(self, household_id: int, data: HouseholdInput) -> None:
        """Change the householder's name, address, phone or ID number (residents aside);
        an ID number of None keeps the stored one, "" clears it."""
        with self.operation(Permission.EDIT_ORGANISATION) as s:
            household, village_id = self._household(s, household_id)
            before = household_summary(household)
            fresh = self._build_household(household.alley_id, data)
            if data.id_number is not None:
                require_unique_id_numbers(s, household=(fresh.id_number, household_id))
            keys = ("householder_name", "address", "phone") + \
                (("id_number",) if data.id_number is not None else ())
            for key in keys:
                setattr(household, key, getattr(fresh, key))
            audit.record(s, self.actor, "修改农户", "household", household_id,
                         village_id=village_id, before=before, after=household_summary(household))

    def move_household(self, household_id: int, alley_id: int) -> None:
        """Move a household to another alley of the same village, within the caps."""
        with self.operation(Permission.EDIT_ORGANISATION) as s:
            household, village_id = self._household(s, household_id)
            alley = _locked(s, Alley, alley_id)
            zone = _locked(s, Zone, alley.zone_id)
            if village_of_alley(s, alley_id) != village_id:
                raise ValidationError("农户只能在本村的胡同之间调整；迁往外村请先迁出再在对方村新增。")
            if household.alley_id == alley_id:
                raise ValidationError(f"这一户已经在“{alley.name}”。")
            same_zone = s.get(Alley, household.alley_id).zone_id == zone.id
            alley_cap = settings.get(s, settings.ALLEY_HOUSEHOLD_CAP)
            in_alley = active_households_in_alley(s, alley_id)
            if in_alley + 1 > alley_cap:
                raise CapExceeded(f"胡同“{alley_label(s, alley)}”已有 {in_alley} 户，每个胡同最多 "
                                  f"{alley_cap} 户，不能再调入。")
            if not same_zone:
                check_room(s, alley, zone)
            before = household.alley_id
            household.alley_id = alley_id
            audit.record(s, self.actor, "调整农户胡同", "household", household_id,
                         village_id=village_id, before={"alley_id": before},
                         after={"alley_id": alley_id, "householder": household.householder_name})

    def remove_household(self, household_id: int, reason: str, on: date | None = None) -> None:
        """Remove (注销) a household with a reason; its row and points history stay."""
        reason = normalise_text(reason)
        if not reason:
            raise ValidationError("注销农户必须填写原因（如：整户迁出、户籍合并）。")
        with self.operation(Permission.EDIT_ORGANISATION) as s:
            household, village_id = self._household(s, household_id)
            serving = self._serving_heads(s, [r.id for r in household.residents])
            if serving:
                raise ValidationError(f"这一户的“{serving}”正在担任负责人，请先另行推选后再注销。")
            household.removed_on = on or clock.today()
            household.removal_reason = reason[:200]
            audit.record(s, self.actor, "注销农户", "household", household_id,
                         village_id=village_id, before=household_summary(household),
                         after={"removed_on": household.removed_on, "reason": reason})

    @staticmethod
    def _serving_heads(s: Session, resident_ids: list[int]) -> str:
        names = s.scalars(select(Resident.name).join(Head, Head.resident_id == Resident.id).where(
            Head.resident_id.in_(resident_ids), Head.ended_on.is_(None))).all()
        return "、".join(dict.fromkeys(names))

    def add_resident(self, household_id: int, person: ResidentInput) -> int:
        with self.operation(Permission.EDIT_ORGANISATION) as s:
            household, village_id = self._household(s, household_id)
            order = max((r.sort_order for r in household.residents), default=0) + 1
            resident = new_resident(person, order)
            require_unique_id_numbers(s, residents=[(resident.id_number, None, f"“{resident.name}”")])
            household.residents.append(resident)
            s.flush()
            audit.record(s, self.actor, "新增居民", "resident", resident.id, village_id=village_id,
                         after={"name": resident.name, "household_id": household_id})
            return resident.id

    def update_resident(self, resident_id: int, person: ResidentInput) -> None:
        """Change a resident; an ID number of None keeps the stored one, "" clears it."""
        with self.operation(Permission.EDIT_ORGANISATION) as s:
            resident = s.get(Resident, resident_id)
            if resident is None or resident.removed_on is not None:
                raise NotFound("这位居民不存在或已注销，请刷新后重试。")
            _household, village_id = self._household(s, resident.household_id)
            fresh = new_resident(person, resident.sort_order)
            if person.id_number is not None:
                require_unique_id_numbers(s, residents=[(fresh.id_number, resident_id, f"“{fresh.name}”")])
            before = {"name": resident.name, "phone": resident.phone,
                      "id_number": resident.id_number or ""}
            keys = ("name", "relation", "gender", "birth_year", "phone", "is_party_member",
                    "name_initials", "name_pinyin")
            for key in keys + (("id_number",) if person.id_number is not None else ()):
                setattr(resident, key, getattr(fresh, key))
            audit.record(s, self.actor, "修改居民", "resident", resident_id, village_id=village_id,
                         before=before, after={"name": resident.name, "phone": resident.phone,
                                               "id_number": resident.id_number or ""})

    def remove_resident(self, resident_id: int, reason: str, on: date | None = None) -> None:
        reason = normalise_text(reason)
        if not reason:
            raise ValidationError("注销居民必须填写原因（如：迁出、去世）。")
        with self.operation(Permission.EDIT_ORGANISATION) as s:
            resident = s.get(Resident, resident_id)
            if resident is None or resident.removed_on is not None:
                raise NotFound("这位居民不存在或已注销，请刷新后重试。")
            household, village_id = self._household(s, resident.household_id)
            if self._serving_heads(s, [resident_id]):
                raise ValidationError(f"“{resident.name}”正在担任负责人，请先另行推选后再注销。")
            if resident.relation == "户主" and len([r for r in household.residents
                                                   if r.removed_on is None]) > 1:
                raise ValidationError(f"“{resident.name}”是户主，请先把户主改为其他家庭成员。")
            resident.removed_on = on or clock.today()
            audit.record(s, self.actor, "注销居民", "resident", resident_id, village_id=village_id,
                         before={"name": resident.name}, after={"removed_on": resident.removed_on,
                                                                "reason": reason})

    def members(self, household_id: int) -> list[MemberRow]:
        """The household's current residents, householder first."""
        with self.db.read() as s:
            household = s.get(Household, household_id)
            if household is None:
                raise NotFound("这一户不存在。")
            self.require_view(village_of_alley(s, household.alley_id))
            return [MemberRow(r.id, r.name, r.relation, r.gender, r.birth_year, r.phone,
                              mask_id_number(r.id_number) if r.id_number else "",
                              r.is_party_member)
                    for r in household.residents if r.removed_on is None]

    def unit_path(self, alley_id: int) -> list[int]:
        """[township, admin village, natural village, zone, alley] ids of an alley."""
        with self.db.read() as s:
            row = s.execute(
                select(AdminVillage.township_id, AdminVillage.id, NaturalVillage.id, Zone.id)
                .join(NaturalVillage, NaturalVillage.admin_village_id == AdminVillage.id)
                .join(Zone, Zone.natural_village_id == NaturalVillage.id)
                .join(Alley, Alley.zone_id == Zone.id).where(Alley.id == alley_id)).first()
            if row is None:
                raise NotFound("这个胡同不存在。")
            self.require_view(row[1])
            return [*row, alley_id]

    # ---- heads ---------------------------------------------------------------------------
    def record_issue(self, head_id: int, *, vest_issued_on: date | None = None,
                     work_id_issued_on: date | None = None, work_id_number: str = "") -> None:
        """Record the red vest 红马甲 and/or the work ID 工作证 issued to a serving head."""
        with self.operation(Permission.EDIT_ORGANISATION) as s:
            head = s.get(Head, head_id)
            if head is None:
                raise NotFound("这条负责人记录不存在。")
            self.require(Permission.EDIT_ORGANISATION, head.admin_village_id)
            for day in (vest_issued_on, work_id_issued_on):
                if day is not None and not head.started_on <= day <= clock.today():
                    raise ValidationError(f"发放日期 {day} 应在任职之日（{head.started_on}）与今天之间。")
            before = {"vest": head.vest_issued_on, "work_id": head.work_id_issued_on}
            if vest_issued_on is not None:
                head.vest_issued_on = vest_issued_on
            if work_id_issued_on is not None:
                head.work_id_issued_on = work_id_issued_on
            if normalise_text(work_id_number):
                head.work_id_number = normalise_text(work_id_number)[:30]
            audit.record(s, self.actor, "登记红马甲/工作证", "head", head_id,
                         village_id=head.admin_village_id, before=before,
                         after={"vest": head.vest_issued_on, "work_id": head.work_id_issued_on,
                                "number": head.work_id_number})

    def head_history(self, level: Level, unit_id: int) -> list[HeadRecord]:
        """Every appointment of the zone or alley, the serving one first."""
        column = Head.zone_id if level == Level.ZONE else Head.alley_id
        with self.db.read() as s:
            rows = s.execute(select(Head, Resident).join(Resident, Resident.id == Head.resident_id)
                             .where(column == unit_id)
                             .order_by(Head.ended_on.is_not(None), Head.started_on.desc(),
                                       Head.id.desc())).all()
            if rows:
                self.require_view(rows[0][0].admin_village_id)
            return [HeadRecord(h.id, r.id, r.name, r.phone, h.role.label, h.chosen_on,
                               h.chosen_method, h.proposer, h.started_on, h.ended_on,
                               h.end_reason, h.vest_issued_on, h.work_id_issued_on,
                               h.work_id_number) for h, r in rows]

    def heads_roster(self, village_id: int) -> list[HeadRosterRow]:
        """The public roster of serving heads of one village, in the order of the units."""
        self.require_view(village_id)
        with self.db.read() as s:
            village = s.get(AdminVillage, village_id)
            if village is None:
                raise NotFound("所选的行政村不存在。")
            zones = s.execute(
                select(NaturalVillage.name, Zone.name, Zone.id)
                .join(Zone, Zone.natural_village_id == NaturalVillage.id)
                .where(NaturalVillage.admin_village_id == village_id)
                .order_by(NaturalVillage.sort_order, NaturalVillage.id, Zone.sort_order, Zone.id)
            ).all()
            alleys: dict[int, list[tuple[str, int]]] = {}
            for zone_id, name, alley_id in s.execute(
                    select(Alley.zone_id, Alley.name, Alley.id)
                    .where(Alley.zone_id.in_([z[2] for z in zones]))
                    .order_by(Alley.sort_order, Alley.id)):
                alleys.setdefault(zone_id, []).append((name, alley_id))
            serving = {(h.role, h.zone_id or h.alley_id): r for h, r in s.execute(
                select(Head, Resident).join(Resident, Resident.id == Head.resident_id)
                .where(Head.admin_village_id == village_id, Head.ended_on.is_(None)))}
            rows = []
            for natural, zone, zone_id in zones:
                units = [(HeadRole.ZONE, zone_id, "")] + \
                    [(HeadRole.ALLEY, alley_id, name) for name, alley_id in alleys.get(zone_id, [])]
                for role, unit_id, alley in units:
                    person = serving.get((role, unit_id))
                    rows.append(HeadRosterRow(village.name, natural, zone, alley, role.label,
                                              person.name if person else "（空缺）",
                                              person.phone if person else "",
                                              bool(person and person.is_party_member)))
            return rows

    def appoint_head(self, role: HeadRole, unit_id: int, resident_id: int, *, chosen_on: date,
                     chosen_method: str = "党员群众共同推选", proposer: str = "",
                     end_reason: str = "", dismissed: bool = False) -> int:
        """Appoint a head of a zone or alley (推选). The previous head's appointment ends that
        day with `end_reason` (default 重新推选; `dismissed` when he is removed for cause, 撤换)
        and stays in the history with its records."""
        with self.operation(Permission.EDIT_ORGANISATION) as s:
            return appoint(s, self, role, unit_id, resident_id, chosen_on=chosen_on,
                           chosen_method=chosen_method, proposer=proposer,
                           end_reason=end_reason, dismissed=dismissed).id


def appoint(s: Session, service: Service, role: HeadRole, unit_id: int, resident_id: int, *,
            chosen_on: date, chosen_method: str = "党员群众共同推选", proposer: str = "",
            end_reason: str = "", dismissed: bool = False) -> Head:
    """The appointment inside the caller's EDIT_ORGANISATION operation (the replacement of a
    head after his assessment goes through here too); returns the new appointment."""
    if role is HeadRole.ZONE:
        unit = _locked(s, Zone, unit_id)
        village_id = village_of_zone(s, unit_id)
        current = select(Head).where(Head.zone_id == unit_id, Head.ended_on.is_(None))
    else:
        unit = _locked(s, Alley, unit_id)
        village_id = village_of_alley(s, unit_id)
        current = select(Head).where(Head.alley_id == unit_id, Head.ended_on.is_(None))
    service.require(Permission.EDIT_ORGANISATION, village_id)
    person = s.get(Resident, resident_id)
    if person is None or person.removed_on is not None:
        raise NotFound("所选的居民不存在或已注销。")
    if village_of_alley(s, person.household.alley_id) != village_id:
        raise ValidationError(f"“{person.name}”不是本村居民，不能担任本村的{role.label}。")
    previous = s.scalars(current).first()
    reason = " ".join(end_reason.split())[:200] or ("撤换" if dismissed else "重新推选")
    if previous is not None:
        if previous.resident_id == resident_id and dismissed:
            raise ValidationError(f"撤换{role.label}时，新人选不能是被撤换的“{person.name}”本人。")
        previous.ended_on = chosen_on
        previous.end_reason = reason
        previous.dismissed = dismissed
    elif dismissed:
        raise ValidationError(f"“{unit.name}”目前没有在任的{role.label}，无人可撤换。")
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
    audit.record(s, service.actor, f"任命{role.label}", "head", head.id, village_id=village_id,
                 before={"head_id": previous.id, "end_reason": reason,
                         "dismissed": dismissed} if previous else None,
                 after={"unit": unit.name, "resident": person.name,
                        "chosen_on": chosen_on, "method": head.chosen_method})
    return head


_PARENTS = {Level.NATURAL_VILLAGE: (AdminVillage, "admin_village_id", "行政村"),
            Level.ZONE: (NaturalVillage, "natural_village_id", "自然村"),
            Level.ALLEY: (Zone, "zone_id", "片区")}


def village_of(session: Session, level: Level, unit_id: int) -> int | None:
    """The administrative village a unit belongs to (None for a township)."""
    if level == Level.TOWNSHIP:
        return None
    if level == Level.ADMIN_VILLAGE:
        return unit_id
    if level == Level.NATURAL_VILLAGE:
        return session.get(NaturalVillage, unit_id).admin_village_id
    if level == Level.ZONE:
        return village_of_zone(session, unit_id)
    return village_of_alley(session, unit_id)


def contents(session: Session, level: Level, unit_id: int) -> list[str]:
    """What is still inside a unit, in words: “2 个片区”, “7 户农户（含已迁出）”, “负责人记录 3 条”."""
    found = []
    child = {Level.TOWNSHIP: (AdminVillage, AdminVillage.township_id, "个行政村"),
             Level.ADMIN_VILLAGE: (NaturalVillage, NaturalVillage.admin_village_id, "个自然村"),
             Level.NATURAL_VILLAGE: (Zone, Zone.natural_village_id, "个片区"),
             Level.ZONE: (Alley, Alley.zone_id, "条胡同")}.get(level)
    if child is not None:
        n = session.scalar(select(func.count(child[0].id)).where(child[1] == unit_id)) or 0
        if n:
            found.append(f"{n} {child[2]}")
    if level == Level.ALLEY:
        n = session.scalar(select(func.count(Household.id)).where(Household.alley_id == unit_id))
        if n:
            found.append(f"{n} 户农户（含已迁出的记录）")
    head_column = {Level.ZONE: Head.zone_id, Level.ALLEY: Head.alley_id}.get(level)
    if head_column is not None:
        n = session.scalar(select(func.count(Head.id)).where(head_column == unit_id))
        if n:
            found.append(f"负责人任职记录 {n} 条")
    return found


@dataclass(frozen=True)
class HeadRecord:
    """One appointment in a unit's history (推选记录)."""

    head_id: int
    resident_id: int
    name: str
    phone: str
    role: str
    chosen_on: date
    chosen_method: str
    proposer: str
    started_on: date
    ended_on: date | None
    end_reason: str
    vest_issued_on: date | None
    work_id_issued_on: date | None
    work_id_number: str


@dataclass(frozen=True)
class MemberRow:
    """A resident of a household as the members dialog shows it (ID number masked)."""

    resident_id: int
    name: str
    relation: str
    gender: str
    birth_year: int | None
    phone: str
    id_number_masked: str
    is_party_member: bool


@dataclass(frozen=True)
class HeadRosterRow:
    """A row of the heads' public roster (片区/胡同长公示名单): names and phones are published."""

    village: str
    natural_village: str
    zone: str
    alley: str
    role: str
    name: str
    phone: str
    is_party_member: bool


def household_summary(household: Household) -> dict[str, object]:
    return {
        "householder": household.householder_name,
        "address": household.address,
        "phone": household.phone,
        "id_number": household.id_number or "",
        "alley_id": household.alley_id,
        "residents": len(household.residents),
    }


def units_in_village(service: Service, level: Level, village_id: int) -> list[tuple[int, str]]:
    """(id, “东庄 › 南片区 › 南一胡同”) for every natural village, zone or alley of a village:
    the choices when moving something within the village."""
    service.require_view(village_id)
    with service.db.read() as s:
        stmt = select(NaturalVillage.id, NaturalVillage.name).where(
            NaturalVillage.admin_village_id == village_id)
        order = [NaturalVillage.sort_order, NaturalVillage.id]
        if level >= Level.ZONE:
            stmt = stmt.join(Zone, Zone.natural_village_id == NaturalVillage.id).add_columns(
                Zone.id, Zone.name)
            order += [Zone.sort_order, Zone.id]
        if level == Level.ALLEY:
            stmt = stmt.join(Alley, Alley.zone_id == Zone.id).add_columns(Alley.id, Alley.name)
            order += [Alley.sort_order, Alley.id]
        rows = s.execute(stmt.order_by(*order)).all()
    return [(row[-2], " › ".join(row[1::2])) for row in rows]
