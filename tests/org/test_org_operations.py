"""Editing the organisation: rename, move, remove only when empty; households and residents
moved and removed with caps and reasons; heads replaced with history; the public roster."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from models.core.access import SYSTEM, Actor, Role
from models.core.audit import AuditLog
from models.core.errors import CapExceeded, PermissionDenied, ValidationError
from models.org.directory import DirectoryService, Level
from models.org.service import HouseholdInput, OrganisationService, ResidentInput, units_in_village
from models.org.tables import AdminVillage, Alley, Head, HeadRole, Household, Resident, Zone


def build(db):  # type: ignore[no-untyped-def]
    org = OrganisationService(db, SYSTEM)
    village = org.create_admin_village(org.create_township("测试镇"), "测试村")
    natural = org.create_natural_village(village, "东庄")
    zone = org.create_zone(natural, "南片区")
    return org, village, natural, zone, org.create_alley(zone, "南一胡同")


def test_rename_move_and_remove_only_when_empty(db):
    org, _village, natural, zone, alley = build(db)
    org.rename_unit(Level.ALLEY, alley, "南 一 胡同")
    other_zone = org.create_zone(natural, "北片区")
    org.move_unit(Level.ALLEY, alley, other_zone)
    with db.read() as s:
        moved = s.get(Alley, alley)
        assert (moved.name, moved.zone_id) == ("南 一 胡同", other_zone)
    org.add_household(alley, HouseholdInput("张三"))
    with pytest.raises(ValidationError, match="还有：1 条胡同"):
        org.remove_unit(Level.ZONE, other_zone)
    with pytest.raises(ValidationError, match="1 户农户"):
        org.remove_unit(Level.ALLEY, alley)
    org.remove_unit(Level.ZONE, zone)  # now empty
    with db.read() as s:
        assert s.get(Zone, zone) is None
        assert s.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "删除片区")) == 1


def test_households_move_within_caps_and_are_removed_with_a_reason(db):
    org, _village, _natural, zone, alley = build(db)
    full = org.create_alley(zone, "南二胡同")
    for n in range(10):
        org.add_household(full, HouseholdInput(f"李{n}"))
    household = org.add_household(alley, HouseholdInput("王五", phone="13812345678"))
    with pytest.raises(CapExceeded, match="已有 10 户"):
        org.move_household(household, full)
    org.update_household(household, HouseholdInput("王五", address="南一胡同1号",
                                                   phone="13900001111"))
    with pytest.raises(ValidationError, match="原因"):
        org.remove_household(household, "  ")
    org.remove_household(household, "整户迁出", date(2024, 1, 2))
    with db.read() as s:
        row = s.get(Household, household)
        assert (row.address, row.phone, row.removed_on, row.removal_reason) == (
            "南一胡同1号", "13900001111", date(2024, 1, 2), "整户迁出")
    assert DirectoryService(db, SYSTEM).stats()["households"] == 10


def test_residents_added_edited_removed(db):
    org, *_, alley = build(db)
    household = org.add_household(alley, HouseholdInput("韩梅"))
    child = org.add_resident(household, ResidentInput("韩小梅", relation="女儿"))
    org.update_resident(child, ResidentInput("曾小梅", relation="女儿", phone="13812340000"))
    with db.read() as s:
        person = s.get(Resident, child)
        assert (person.name, person.name_initials, person.name_pinyin) == (
            "曾小梅", "zxm", "zengxiaomei")
    with pytest.raises(ValidationError, match="手机号"):
        org.update_resident(child, ResidentInput("曾小梅", phone="12345"))
    org.remove_resident(child, "外嫁迁出")
    assert DirectoryService(db, SYSTEM).stats()["residents"] == 1


def test_replacing_a_head_keeps_history_and_refuses_removing_a_serving_head(db):
    org, *_, alley = build(db)
    first = org.add_household(alley, HouseholdInput("甲"))
    second = org.add_household(alley, HouseholdInput("乙"))
    with db.read() as s:
        a, b = (s.scalar(select(Resident.id).where(Resident.household_id == h))
                for h in (first, second))
    old = org.appoint_head(HeadRole.ALLEY, alley, a, chosen_on=date(2023, 3, 1), proposer="党支部")
    with pytest.raises(ValidationError, match="正在担任负责人"):
        org.remove_household(first, "迁出")
    org.record_issue(old, vest_issued_on=date(2023, 3, 15), work_id_issued_on=date(2023, 3, 15),
                     work_id_number="WZ01")
    org.appoint_head(HeadRole.ALLEY, alley, b, chosen_on=date(2024, 3, 1), chosen_method="群众推选")
    history = org.head_history(Level.ALLEY, alley)
    assert [(h.name, h.ended_on) for h in history] == [("乙", None), ("甲", date(2024, 3, 1))]
    assert (history[1].vest_issued_on, history[1].work_id_number) == (date(2023, 3, 15), "WZ01")
    org.remove_household(first, "迁出")  # no longer serving


def test_heads_roster_lists_every_unit_with_published_phones(demo_db):
    with demo_db.read() as s:
        village = s.scalars(select(AdminVillage.id).order_by(AdminVillage.id)).first()
    rows = OrganisationService(demo_db, SYSTEM).heads_roster(village)
    assert rows[0].natural_village == "韩家村" and rows[0].role == "片区长"
    assert {r.zone for r in rows[:11]} == {"南片区", "北片区", "中片区"}
    with demo_db.read() as s:
        heads = s.scalar(select(func.count(Head.id)).where(Head.admin_village_id == village,
                                                           Head.ended_on.is_(None)))
    assert len(rows) == heads and all(len(r.phone) == 11 for r in rows)


def test_village_bound_accounts_cannot_edit_another_village(demo_db):
    with demo_db.read() as s:
        first, second = s.scalars(select(AdminVillage.id).order_by(AdminVillage.id)).all()[:2]
        alley = s.scalar(select(Alley.id).order_by(Alley.id))
    secretary = OrganisationService(demo_db, Actor("书记", Role.SECRETARY, village_id=second))
    with pytest.raises(PermissionDenied):
        secretary.rename_unit(Level.ALLEY, alley, "新名字")
    clerk = OrganisationService(demo_db, Actor("文书", Role.CLERK, village_id=first))
    with pytest.raises(PermissionDenied):
        clerk.rename_unit(Level.ALLEY, alley, "新名字")


def test_move_choices_are_the_units_of_the_village(db):
    org, village, _natural, zone, alley = build(db)
    other = org.create_natural_village(village, "西庄")
    assert units_in_village(org, Level.ZONE, village) == [(zone, "东庄 › 南片区")]
    assert units_in_village(org, Level.ALLEY, village) == [(alley, "东庄 › 南片区 › 南一胡同")]
    org.move_unit(Level.ZONE, zone, other)
    assert units_in_village(org, Level.ALLEY, village) == [(alley, "西庄 › 南片区 › 南一胡同")]
    assert [n for _, n in units_in_village(org, Level.NATURAL_VILLAGE, village)] == ["东庄", "西庄"]
