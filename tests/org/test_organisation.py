"""The five levels, their caps, and heads — through the services, on both engines."""

from datetime import date

import pytest
from sqlalchemy import func, select

from models.core import settings
from models.core.access import Actor, Role
from models.core.errors import CapExceeded, PermissionDenied, ValidationError
from models.org.directory import DirectoryService, Level
from models.org.service import HouseholdInput, OrganisationService, ResidentInput
from models.org.tables import Alley, Head, HeadRole, Household, Resident, Zone

REPORT_TOTALS = {"admin_villages": 6, "natural_villages": 32, "zones": 193, "alleys": 385,
                 "zone_heads": 193, "alley_heads": 385, "households": 3070, "residents": 7397}


def test_demo_town_has_the_report_totals(demo_db, system):
    assert DirectoryService(demo_db, system).stats() == REPORT_TOTALS


def test_hanjia_village_has_three_zones_and_eight_alleys(demo_db, system):
    with demo_db.read() as s:
        zones = s.scalars(select(Zone).join(Zone.natural_village)
                          .where(Zone.natural_village.has(name="韩家村"))).all()
        assert sorted(z.name for z in zones) == ["中片区", "北片区", "南片区"]
        assert sum(len(z.alleys) for z in zones) == 8


def _empty_town(db, system, alleys_per_zone=6):
    org = OrganisationService(db, system)
    town = org.create_township("测试镇")
    village = org.create_admin_village(town, "测试村")
    natural = org.create_natural_village(village, "前庄")
    zone = org.create_zone(natural, "一片区")
    alleys = [org.create_alley(zone, f"{i}号胡同") for i in range(1, alleys_per_zone + 1)]
    return org, village, zone, alleys


def _count(db, model):
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_eleventh_household_of_an_alley_is_refused_and_nothing_written(db, system):
    org, _, _, alleys = _empty_town(db, system)
    for n in range(10):
        org.add_household(alleys[0], HouseholdInput(f"住户{n}"))
    households, residents = _count(db, Household), _count(db, Resident)
    with pytest.raises(CapExceeded, match=r"胡同“前庄·一片区·1号胡同”已有 10 户.*最多 10 户"):
        org.add_household(alleys[0], HouseholdInput("第十一户"))
    assert (_count(db, Household), _count(db, Resident)) == (households, residents)


def test_fifty_first_household_of_a_zone_is_refused(db, system):
    org, _, _, alleys = _empty_town(db, system)
    for alley in alleys[:5]:
        for n in range(10):
            org.add_household(alley, HouseholdInput(f"住户{n}"))
    with pytest.raises(CapExceeded, match=r"片区“前庄·一片区”已有 50 户.*最多 50 户"):
        org.add_household(alleys[5], HouseholdInput("第五十一户"))
    assert _count(db, Household) == 50


def test_caps_are_settings(db, system):
    org, _, _, alleys = _empty_town(db, system)
    with db.write() as s:
        settings.put(s, settings.ALLEY_HOUSEHOLD_CAP, 2)
    org.add_household(alleys[0], HouseholdInput("甲"))
    org.add_household(alleys[0], HouseholdInput("乙"))
    with pytest.raises(CapExceeded, match="最多 2 户"):
        org.add_household(alleys[0], HouseholdInput("丙"))


def test_bad_id_number_writes_nothing(db, system):
    org, _, _, alleys = _empty_town(db, system)
    with pytest.raises(ValidationError, match="户主“王五”的身份证号校验位不对"):
        org.add_household(alleys[0], HouseholdInput("王五", id_number="11010519491231002X"[:-1] + "1"))
    assert _count(db, Household) == 0


def test_household_residents_and_search_keys_are_stored(db, system):
    org, _, _, alleys = _empty_town(db, system)
    org.add_household(alleys[0], HouseholdInput(
        "曾䶮", phone="13812345678",
        residents=[ResidentInput("曾䶮", "户主", phone="13812345678"), ResidentInput("单秀英", "配偶")]))
    with db.read() as s:
        people = {r.name: r for r in s.scalars(select(Resident))}
    assert people["曾䶮"].name_initials.startswith("z")
    assert people["单秀英"].name_pinyin == "shanxiuying"


def test_appointing_a_new_head_keeps_the_old_one_in_history(db, system):
    org, _, zone, alleys = _empty_town(db, system)
    first = org.add_household(alleys[0], HouseholdInput("甲"))
    second = org.add_household(alleys[0], HouseholdInput("乙"))
    with db.read() as s:
        r1, r2 = (s.scalars(select(Resident.id).where(Resident.household_id == h)).one()
                  for h in (first, second))
    org.appoint_head(HeadRole.ZONE, zone, r1, chosen_on=date(2024, 1, 5), proposer="村党支部")
    org.appoint_head(HeadRole.ZONE, zone, r2, chosen_on=date(2024, 6, 1))
    with db.read() as s:
        heads = s.scalars(select(Head).order_by(Head.id)).all()
    assert [(h.resident_id, h.ended_on) for h in heads] == [(r1, date(2024, 6, 1)), (r2, None)]
    assert DirectoryService(db, system).details(Level.ZONE, zone).head.resident_id == r2


def test_clerk_cannot_add_households_and_nothing_is_written(db, system):
    _org, village, _, alleys = _empty_town(db, system)
    clerk = Actor("文书小李", Role.CLERK, village_id=village)
    with pytest.raises(PermissionDenied):
        OrganisationService(db, clerk).add_household(alleys[0], HouseholdInput("甲"))
    assert _count(db, Household) == 0


def test_secretary_cannot_touch_another_village(db, system):
    _org, village, zone, _ = _empty_town(db, system)
    other = Actor("外村书记", Role.SECRETARY, village_id=village + 1000)
    with pytest.raises(PermissionDenied, match="本村"):
        OrganisationService(db, other).create_alley(zone, "新胡同")
    with db.read() as s:
        assert s.scalar(select(func.count(Alley.id))) == 6
