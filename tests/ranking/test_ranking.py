"""Evaluations and the red/black lists: frozen lists and corrections, units too few or
incomplete, consequences, import, permissions (the demo's lists against an independent
computation: tests/ranking/test_recomputation.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select, text

from models.core.access import Actor, Role
from models.core.errors import PermissionDenied, ValidationError
from models.org.service import HouseholdInput, OrganisationService, ResidentInput
from models.org.tables import HeadRole, Resident, Township, Zone
from models.ranking import service as ranking_module
from models.ranking.service import ExclusionsNotConfirmed, RankingService
from models.ranking.tables import Colour, Evaluation, RankingList

OFFICE = Actor(name="镇人居办", role=Role.TOWNSHIP_ADMIN)


def test_published_list_does_not_change_when_scores_are_corrected(demo_db):  # type: ignore[no-untyped-def]
    service = RankingService(demo_db, OFFICE)
    before = service.latest_list("2026-05")
    red = next(e for e in before.entries if e.colour is Colour.RED)
    rows = service.grid(red.group_id, "2026-05")
    service.enter_scores(red.group_id, "2026-05",
                         [(r.zone_id, 0 if r.zone_id == red.unit_id else r.villagers, r.heads, r.secretary)
                          for r in rows])
    group = next(g for g in service.selection("2026-05").groups if g.group_id == red.group_id)
    assert red.unit_id in [m.unit_id for m in group.black]
    after = service.latest_list("2026-05")
    assert after.id == before.id and after.version == 1
    assert [(e.colour, e.unit_id, e.unit_name, e.score, e.resident_names) for e in after.entries] == \
        [(e.colour, e.unit_id, e.unit_name, e.score, e.resident_names) for e in before.entries]


def test_correction_is_a_new_version_that_says_what_changed(demo_db):  # type: ignore[no-untyped-def]
    service = RankingService(demo_db, OFFICE)
    history = [s for s in service.published_lists() if s.period == "2026-03"]
    assert [(s.version, s.current) for s in history] == [(1, False), (2, True)]
    assert "评议分录入有误" in history[1].change_note and "撤下" in history[1].change_note
    first = service.published_list(history[0].id)
    second = service.published_list(history[1].id)
    assert first.change_note == "" and len(first.entries) == len(second.entries)
    selection = service.selection("2026-04")
    reasons = {m.unit_id: "垃圾清运不及时" for g in selection.groups for m in g.black}
    with pytest.raises(ValidationError, match="必须写明更正原因"):
        service.publish("2026-04", reasons)


def test_black_entries_need_a_reason_and_listed_zone_residents_are_named(demo_db):  # type: ignore[no-untyped-def]
    service = RankingService(demo_db, OFFICE)
    with demo_db.read() as s:
        count = s.scalar(select(func.count()).select_from(RankingList))
    selection = service.selection("2026-04")
    reasons = {m.unit_id: "垃圾清运不及时" for g in selection.groups for m in g.black}
    reasons.pop(selection.groups[0].black[0].unit_id)
    with pytest.raises(ValidationError, match=f"{selection.groups[0].black[0].name}.*必须写一句上榜原因"):
        service.publish("2026-04", reasons, change_note="复核")
    with demo_db.read() as s:
        assert s.scalar(select(func.count()).select_from(RankingList)) == count
        zone = s.get(Zone, selection.groups[0].black[0].unit_id)
        names = [name for alley in zone.alleys for (name,) in s.execute(text(
            "SELECT r.name FROM resident r JOIN household h ON h.id = r.household_id "
            "WHERE h.alley_id = :a AND h.removed_on IS NULL AND r.removed_on IS NULL"), {"a": alley.id})]
        zone_id = zone.id
    entry = next(e for e in service.latest_list("2026-04").entries if e.unit_id == zone_id)
    assert sorted(entry.resident_names.split("、")) == sorted(names)
    assert not any(ch.isdigit() for ch in entry.resident_names)


def small_town(db):  # type: ignore[no-untyped-def]
    """One administrative village: 东村 with zones 甲/乙/丙, 西村 with only zone 丁."""
    org = OrganisationService(db, OFFICE)
    town = org.create_township("测试镇")
    av = org.create_admin_village(town, "前进村", secretary_name="王书记")
    east, west = org.create_natural_village(av, "东村"), org.create_natural_village(av, "西村")
    zones = [org.create_zone(east, n) for n in ("甲片区", "乙片区", "丙片区")]
    zones.append(org.create_zone(west, "丁片区"))
    alley = org.create_alley(zones[0], "甲一胡同")
    household = org.add_household(alley, HouseholdInput("张三", phone="13812345678", residents=[
        ResidentInput("张三", relation="户主"), ResidentInput("李四", relation="配偶")]))
    with db.read() as s:
        resident = s.scalar(select(Resident.id).where(Resident.household_id == household,
                                                      Resident.name == "张三"))
    org.appoint_head(HeadRole.ZONE, zones[0], resident, chosen_on=date(2024, 1, 1))
    for zone, name in zip(zones[1:], ("赵乙", "钱丙", "孙丁"), strict=True):  # every zone has its head
        alley = org.create_alley(zone, f"{name[1]}一胡同")
        org.add_household(alley, HouseholdInput(name, residents=[ResidentInput(name, relation="户主")]))
        with db.read() as s:
            resident = s.scalar(select(Resident.id).where(Resident.name == name))
        org.appoint_head(HeadRole.ZONE, zone, resident, chosen_on=date(2024, 1, 1))
    return av, east, west, zones


def test_incomplete_units_are_excluded_and_named_the_rest_ranked(db):  # type: ignore[no-untyped-def]
    _av, east, west, (a, b, c, d) = small_town(db)
    service = RankingService(db, OFFICE)
    service.enter_scores(east, "2024-01", [(a, 90, 90, 90), (b, 80, 80, 80), (c, 70, 70, None)])
    groups = {g.group_name: g for g in service.selection("2024-01").groups}
    east_group = groups["前进村·东村"]
    assert [m.name for m in east_group.red] == ["甲片区"] and [m.name for m in east_group.black] == ["乙片区"]
    assert east_group.excluded == ["丙片区（缺评议分）"] and not east_group.problem
    assert groups["前进村·西村"].problem.startswith("参评的片区只有0个，不足以评出1个红榜、1个黑榜")
    with pytest.raises(ExclusionsNotConfirmed, match="丙片区（缺评议分）") as refusal:
        service.publish("2024-01", {b: "垃圾清运不及时"}, published_on=date(2024, 2, 5))
    assert refusal.value.lines == ["前进村·东村：丙片区（缺评议分）", "前进村·西村：丁片区（缺评议分）"]
    list_id = service.publish("2024-01", {b: "垃圾清运不及时"}, published_on=date(2024, 2, 5),
                              confirm_exclusions=True)
    listing = service.published_list(list_id)
    assert [(e.colour, e.unit_name, e.reason, e.group_size) for e in listing.entries] == [
        (Colour.RED, "甲片区", "", 2), (Colour.BLACK, "乙片区", "垃圾清运不及时", 2)]
    assert listing.entries[0].resident_names == "张三、李四" and listing.entries[0].head_name == "张三"
    assert "前进村·东村：丙片区（缺评议分），评分不全，不参加本期评选" in listing.unranked.split("\n")
    assert "前进村·西村：参评的片区只有0个" in listing.unranked
    service.enter_scores(west, "2024-02", [(d, 95, 95, 95)])
    service.enter_scores(east, "2024-02", [(a, 90, 90, 90), (b, 80, 80, 80), (c, 70, 70, 70)])
    groups = {g.group_name: g for g in service.selection("2024-02").groups}
    west_group = groups["前进村·西村"]
    assert west_group.problem.startswith("参评的片区只有1个") and not west_group.excluded
    service.publish("2024-02", {c: "垃圾清运不及时"}, published_on=date(2024, 3, 5))  # no exclusion

def test_tie_break_villagers_then_register_order(db):  # type: ignore[no-untyped-def]
    _av, east, _west, (a, b, c, _d) = small_town(db)
    service = RankingService(db, OFFICE)
    # b and c have the same total (80) as a; b has the higher villagers' score, a and c are equal
    service.enter_scores(east, "2025-02", [(a, 80, 80, 80), (b, 83, 75, 80), (c, 80, 80, 80)])
    group = next(g for g in service.selection("2025-02").groups if g.group_id == east)
    assert [m.name for m in group.ranked] == ["乙片区", "甲片区", "丙片区"]
    assert [m.name for m in group.red] == ["乙片区"] and [m.name for m in group.black] == ["丙片区"]
    assert "群众评议分（高者在前）" in service.selection("2025-02").tie_break


def test_scores_are_validated_and_bad_input_writes_nothing(db):  # type: ignore[no-untyped-def]
    _av, east, _west, (a, b, _c, d) = small_town(db)
    service = RankingService(db, OFFICE)
    for bad, message in ((101, "0 到 100"), ("八十", "不是数字"), ("80.25", "一位小数")):
        with pytest.raises(ValidationError, match=message):
            service.enter_scores(east, "2024-01", [(a, 90, 90, 90), (b, bad, 80, 80)])
    with pytest.raises(ValidationError, match="不属于自然村"):
        service.enter_scores(east, "2024-01", [(d, 90, 90, 90)])
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Evaluation)) == 0


def test_permissions(db):  # type: ignore[no-untyped-def]
    av, east, _west, (a, b, c, _d) = small_town(db)
    clerk = RankingService(db, Actor("文书", Role.CLERK, village_id=av))
    with pytest.raises(PermissionDenied):
        clerk.enter_scores(east, "2024-01", [(a, 90, 90, 90)])
    with pytest.raises(PermissionDenied):
        clerk.publish("2024-01", {})
    other = RankingService(db, Actor("外村书记", Role.SECRETARY, village_id=av + 100))
    with pytest.raises(PermissionDenied):
        other.enter_scores(east, "2024-01", [(a, 90, 90, 90)])
    own = RankingService(db, Actor("王书记", Role.SECRETARY, village_id=av))
    assert own.enter_scores(east, "2024-01", [(a, 90, 90, 90)]) == 1
    own.enter_scores(east, "2024-01", [(b, 80, 80, 80), (c, 70, 70, 70)])
    with pytest.raises(PermissionDenied):  # the township publishes
        own.publish("2024-01", {c: "原因"})


def test_import_xlsx_all_or_nothing(db, tmp_path):  # type: ignore[no-untyped-def]
    _av, east, _west, (_a, _b, _c, _d) = small_town(db)
    service = RankingService(db, OFFICE)
    book = Workbook()
    book.active.append(["行政村", "自然村", "片区", "群众评议", "片区长观摩评议", "书记评议"])
    book.active.append(["前进村", "东村", "甲片区", 91.5, 88, 90])
    book.active.append(["前进村", "西村", "丁片区", 77, 78, 79])
    book.save(tmp_path / "ok.xlsx")
    assert service.import_scores_xlsx(tmp_path / "ok.xlsx", "2026-03") == 2
    assert service.grid(east, "2026-03")[0].villagers == Decimal("91.5")
    book.active.append(["前进村", "东村", "戊片区", 70, 70, 70])
    book.save(tmp_path / "bad.xlsx")
    with pytest.raises(ValidationError, match=r"第4行：在.*找不到行政村“前进村”的自然村“东村”的片区“戊片区”"):
        service.import_scores_xlsx(tmp_path / "bad.xlsx", "2026-04")
    assert all(r.villagers is None for r in service.grid(east, "2026-04"))


def test_import_xlsx_tells_two_natural_villages_of_one_name_apart(db, tmp_path):  # type: ignore[no-untyped-def]
    """Two administrative villages each with a 小石桥 and its 东片区: the 行政村 column decides;
    without it the row is refused, never put into the wrong village."""
    qianjin, _east, _west, _zones = small_town(db)
    org = OrganisationService(db, OFFICE)
    with db.read() as s:
        town = s.scalar(select(Township.id))
    bridges = []
    for av in (qianjin, org.create_admin_village(town, "红旗村")):
        bridge = org.create_natural_village(av, "小石桥")
        org.create_zone(bridge, "东片区")
        bridges.append(bridge)
    service = RankingService(db, OFFICE)
    book = Workbook()
    book.active.append(["行政村", "自然村", "片区", "群众评议", "片区长观摩评议", "书记评议"])
    book.active.append(["红旗村", "小石桥", "东片区", 81, 82, 83])
    book.save(tmp_path / "with.xlsx")
    assert service.import_scores_xlsx(tmp_path / "with.xlsx", "2026-05") == 1
    assert service.grid(bridges[1], "2026-05")[0].villagers == Decimal("81")
    assert service.grid(bridges[0], "2026-05")[0].villagers is None
    book = Workbook()
    book.active.append(["自然村", "片区", "群众评议", "片区长观摩评议", "书记评议"])
    book.active.append(["小石桥", "东片区", 71, 72, 73])
    book.save(tmp_path / "without.xlsx")
    with pytest.raises(ValidationError, match=r"在前进村、红旗村都有.*加上“行政村”"):
        service.import_scores_xlsx(tmp_path / "without.xlsx", "2026-06")
    assert all(service.grid(b, "2026-06")[0].villagers is None for b in bridges)


def test_points_intents_and_hook(db):  # type: ignore[no-untyped-def]
    _av, east, _west, (a, b, c, _d) = small_town(db)
    service = RankingService(db, OFFICE)
    service.enter_scores(east, "2024-01", [(a, 90, 90, 90), (b, 80, 80, 80), (c, 70, 70, 70)])
    service.enter_scores(_west, "2024-01", [(_d, 80, 80, 80)])
    posted = []
    ledger_poster = ranking_module.connect_points_posting(
        lambda s, actor, intent: posted.append(intent.points) or f"L{len(posted)}")
    try:
        service.publish("2024-01", {c: "垃圾清运不及时"})
        service.enter_scores(east, "2024-01", [(a, 60, 60, 60)])  # 甲 drops to black; 乙 red
        service.publish("2024-01", {a: "复核后得分最低"}, change_note="甲片区评分复核")
    finally:
        ranking_module.connect_points_posting(ledger_poster)
    intents = [(i.head_name, i.points, i.posted_ref) for i in service.points_intents()]
    # the catalogue's ±5 (A07/D06); a correction takes back what a zone leaving a list was given
    assert intents == [("张三", 5, "L1"), ("钱丙", -5, "L2"), ("赵乙", 5, "L3"), ("张三", -5, "L4"),
                       ("张三", -5, "L5"), ("钱丙", 5, "L6")]
