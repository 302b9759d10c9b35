"""Nothing in the organisation can be confused: sibling units have different names (case, width
and spaces aside), an ID number belongs to one current household and one current resident, and
names have a length a card can carry. Refused with a plain message, nothing written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models.core.errors import ValidationError
from models.org.directory import Level
from models.org.service import HouseholdInput, OrganisationService, ResidentInput
from models.org.tables import Alley, Household, Resident, Zone
from models.org.uniqueness import duplicate_id_numbers, duplicate_names

ID_A = "110101199003070011"  # valid check digits (GB 11643)
ID_B = "110101199003070038"


def _count(db, model) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def _town(db, system):  # type: ignore[no-untyped-def]
    org = OrganisationService(db, system)
    village = org.create_admin_village(org.create_township("测试镇"), "韩家村")
    natural = org.create_natural_village(village, "新杏园")
    zone = org.create_zone(natural, "三片区")
    return org, village, natural, zone, [org.create_alley(zone, n) for n in ("三一胡同", "三二胡同")]


def test_a_second_zone_of_the_same_name_is_refused(db, system):
    org, village, natural, _zone, _ = _town(db, system)
    for clash in ("三片区", " 三 片区 ", "三片区　"):
        with pytest.raises(ValidationError, match="“新杏园”里已经有片区“三片区”"):
            org.create_zone(natural, clash)
    other = org.create_natural_village(village, "东杏园")
    twin = org.create_zone(other, "三片区")  # the same name in another natural village is fine
    assert _count(db, Zone) == 2
    with pytest.raises(ValidationError, match="“新杏园”里已经有片区“三片区”"):
        org.move_unit(Level.ZONE, twin, natural)
    with pytest.raises(ValidationError, match="已经有片区“三片区”"):
        org.rename_unit(Level.ZONE, org.create_zone(natural, "四片区"), "三片区")
    with pytest.raises(ValidationError, match="已经有自然村“新杏园”"):
        org.create_natural_village(village, "新杏园")


def test_renaming_or_moving_an_alley_onto_a_siblings_name_is_refused(db, system):
    org, _village, natural, zone, (first, second) = _town(db, system)
    with pytest.raises(ValidationError, match="已经有胡同“三一胡同”"):
        org.rename_unit(Level.ALLEY, second, "三一胡同")
    org.rename_unit(Level.ALLEY, first, "三一胡同")  # keeping its own name is no clash
    org.rename_unit(Level.ALLEY, first, "ａ胡同")  # stored as "a胡同" (normalise_text)
    with pytest.raises(ValidationError, match="已经有胡同“a胡同”"):
        org.rename_unit(Level.ALLEY, second, "A胡同")
    other_zone = org.create_zone(natural, "四片区")
    stranger = org.create_alley(other_zone, "三二胡同")
    with pytest.raises(ValidationError, match="“三片区”里已经有胡同“三二胡同”"):
        org.move_unit(Level.ALLEY, stranger, zone)
    with db.read() as s:
        assert s.get(Alley, stranger).zone_id == other_zone
        assert sorted(s.scalars(select(Alley.name).where(Alley.zone_id == zone))) == ["a胡同", "三二胡同"]


def test_an_id_number_belongs_to_one_household_and_one_resident(db, system):
    org, *_rest, (first, second) = _town(db, system)
    org.add_household(first, HouseholdInput("张三", id_number=ID_A))
    before = (_count(db, Household), _count(db, Resident))
    with pytest.raises(ValidationError, match=r"身份证号 110\*+1 已登记为新杏园·三片区·三一胡同户主“张三”"):
        org.add_household(second, HouseholdInput("李四", id_number=ID_A))
    with pytest.raises(ValidationError, match="一个身份证号只能登记一人"):
        org.add_household(second, HouseholdInput("李四", residents=[
            ResidentInput("李四", relation="户主", id_number=ID_B),
            ResidentInput("李五", relation="子女", id_number=ID_B)]))
    assert (_count(db, Household), _count(db, Resident)) == before
    other = org.add_household(second, HouseholdInput("李四", id_number=ID_B))
    with pytest.raises(ValidationError, match=r"已登记为.*居民“张三”"):
        org.add_resident(other, ResidentInput("王五", relation="亲属", id_number=ID_A))
    with pytest.raises(ValidationError, match="户主“张三”"):
        org.update_household(other, HouseholdInput("李四", id_number=ID_A))
    with db.read() as s:
        member = s.scalar(select(Resident.id).where(Resident.household_id == other))
    org.update_resident(member, ResidentInput("李四", relation="户主", id_number=ID_B))  # its own
    with db.read() as s:
        assert duplicate_id_numbers(s) == []


def test_names_have_a_length_limit(db, system):
    org, _village, natural, zone, _ = _town(db, system)
    with pytest.raises(ValidationError, match=r"片区名称.*太长，最多20个字"):
        org.create_zone(natural, "很" * 60)
    with pytest.raises(ValidationError, match=r"胡同名称.*太长，最多20个字"):
        org.create_alley(zone, "长" * 21)
    org.create_alley(zone, "长" * 20)


def test_check_lists_the_clashes_written_past_the_services(db, system):
    org, _village, natural, _zone, (first, _second) = _town(db, system)
    org.add_household(first, HouseholdInput("张三", id_number=ID_A))
    with db.write() as s:  # as an old version, or a hand-made import, could have left them
        s.add(Zone(natural_village_id=natural, name="三 片区", sort_order=9))
        s.add(Household(alley_id=first, householder_name="赵六", id_number=ID_A))
    with db.read() as s:
        assert duplicate_names(s) == ["“新杏园”里有 2 个片区同名：“三片区”、“三 片区”，请改名区分。"]
        assert duplicate_id_numbers(s) == [
            "身份证号 110**************1 同时登记在2个户主名下：新杏园·三片区·三一胡同“张三”、"
            "新杏园·三片区·三一胡同“赵六”。"]
