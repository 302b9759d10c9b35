"""Finding people by name, pinyin initials, full pinyin (both readings of special surnames) and
phone tails; scoped to a village; refreshed after changes."""

from __future__ import annotations

from sqlalchemy import select

from models.core.access import SYSTEM, Actor, Role
from models.core.names import key_variants, name_keys
from models.org.search import PeopleSearch
from models.org.service import HouseholdInput, OrganisationService
from models.org.tables import AdminVillage, Alley


def _alley(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalars(select(Alley.id).order_by(Alley.id)).first()


def test_special_surnames_have_both_readings():
    assert name_keys("曾国藩") == ("zgf", "zengguofan")
    assert dict(key_variants("曾国藩", *name_keys("曾国藩"))) == {"zgf": "zengguofan",
                                                               "cgf": "cengguofan"}
    for name, reading in (("单", "shan"), ("解", "xie"), ("仇", "qiu"), ("区", "ou"),
                          ("查", "zha"), ("朴", "piao")):
        assert name_keys(name + "小明")[1].startswith(reading)


def test_a_han_and_a_zeng_are_found_every_way(demo_db):
    search = PeopleSearch(demo_db, SYSTEM)
    han = next(h for h in search.find("韩", limit=100) if h.name.startswith("韩") and h.phone)
    for text in ("h", "han", han.name, han.phone[-4:]):
        hits = search.find(text, han.village_id, limit=500)
        assert han.resident_id in [h.resident_id for h in hits], text
    zeng = search.find("曾", limit=1)[0]
    for text in ("z", "zeng", "ceng", "ZENG", zeng.name):
        hits = search.find(text, zeng.village_id, limit=500)
        assert zeng.resident_id in [h.resident_id for h in hits], text
    assert all(h.name.startswith("曾") for h in search.find("zeng", limit=30))


def test_village_scope_heads_only_and_village_bound_accounts(demo_db):
    with demo_db.read() as s:
        first, second = s.scalars(select(AdminVillage.id).order_by(AdminVillage.id)).all()[:2]
    search = PeopleSearch(demo_db, SYSTEM)
    assert {h.village_id for h in search.find("w", first, limit=200)} == {first}
    assert len({h.village_id for h in search.find("w", None, limit=2000)}) > 1
    heads = search.find("w", None, heads_only=True, limit=200)
    assert heads and all(h.roles for h in heads)
    clerk = PeopleSearch(demo_db, Actor("文书", Role.CLERK, village_id=second))
    assert {h.village_id for h in clerk.find("w", first, limit=200)} == {second}


def test_rare_characters_are_stored_shown_and_found_after_a_change(db):
    service = OrganisationService(db, SYSTEM)
    town = service.create_township("测试镇")
    village = service.create_admin_village(town, "测试村")
    zone = service.create_zone(service.create_natural_village(village, "东庄"), "一片区")
    alley = service.create_alley(zone, "一胡同")
    search = PeopleSearch(db, SYSTEM)
    assert search.find("wy") == []
    service.add_household(alley, HouseholdInput("王䶮", phone="13812345678"))
    PeopleSearch.invalidate(db)
    for text in ("䶮", "王䶮", "wy", "wangyan", "5678"):
        assert [h.name for h in search.find(text)] == ["王䶮"], text
