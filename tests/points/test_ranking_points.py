"""Red/black list consequences reach the passbooks (DOMAIN §7): the listed zone's heads — its zone
head and its alley heads — get the catalogue rule's points (one source of truth), in the
passbook of the period's year; a correction taking a zone off reverses them, once."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models.core.errors import ValidationError
from models.org.service import HouseholdInput, OrganisationService, ResidentInput
from models.org.tables import HeadRole, Resident
from models.points.service import PointsService, RuleInput
from models.points.tables import EntryKind, PointsRule
from models.ranking.service import RankingService
from tests.points.helpers import rule_id
from tests.ranking.test_ranking import OFFICE, small_town


def _appoint(db, role: HeadRole, unit: int, name: str, zone: int | None = None) -> int:  # type: ignore[no-untyped-def]
    org = OrganisationService(db, OFFICE)
    alley = unit if role is HeadRole.ALLEY else org.create_alley(zone or unit, f"{name}胡同")
    household = org.add_household(
        alley, HouseholdInput(name, residents=[ResidentInput(name, relation="户主")]))
    with db.read() as s:
        resident = s.scalar(select(Resident.id).where(Resident.household_id == household))
    return org.appoint_head(role, unit, resident, chosen_on=date(2024, 1, 1))


def _lines(db, head: int, year: int = 2024) -> list[tuple[str, str, int]]:  # type: ignore[no-untyped-def]
    book = PointsService(db, OFFICE).passbook(head, year)
    return [(e.kind.label, e.rule_code, e.score_delta) for e in book.entries[1:]]


def _scores(db, east, west, d, a, b, c, month="2024-03"):  # type: ignore[no-untyped-def]
    ranking = RankingService(db, OFFICE)
    ranking.enter_scores(east, month, [(a[0], *a[1:]), (b[0], *b[1:]), (c[0], *c[1:])])
    ranking.enter_scores(west, month, [(d, 80, 80, 80)])
    return ranking


def test_zone_and_alley_heads_get_the_catalogues_points_and_corrections_reverse(db):  # type: ignore[no-untyped-def]
    _av, east, west, (a, b, c, d) = small_town(db)
    head_b, head_c = _appoint(db, HeadRole.ZONE, b, "赵五"), _appoint(db, HeadRole.ZONE, c, "钱六")
    alley_c = OrganisationService(db, OFFICE).create_alley(c, "丙二胡同")
    alley_head_c = _appoint(db, HeadRole.ALLEY, alley_c, "孙七")
    ranking = _scores(db, east, west, d, (a, 70, 70, 70), (b, 90, 90, 90), (c, 60, 60, 60))
    ranking.publish("2024-03", {c: "垃圾清运不及时"}, published_on=date(2024, 4, 3))
    assert _lines(db, head_b) == [("加分", "A07", 5)]
    assert _lines(db, head_c) == [("扣分", "D06", -5)] == _lines(db, alley_head_c)
    points = PointsService(db, OFFICE)
    assert points.passbook(head_b, 2024).score == 35 and points.passbook(alley_head_c, 2024).score == 25
    entry = points.passbook(head_b, 2024).entries[1]
    assert "东村乙片区" in entry.text and entry.occurred_on == date(2024, 4, 3)

    # 乙 was wrongly red: a correction makes 甲 red; 乙's award is reversed, 丙 stays black
    ranking.enter_scores(east, "2024-03", [(b, 65, 65, 65)])
    ranking.publish("2024-03", {c: "垃圾清运不及时"}, change_note="乙片区评分复核",
                    published_on=date(2024, 4, 10))
    book_b = points.passbook(head_b, 2024)
    assert _lines(db, head_b) == [("加分", "A07", 5), ("冲正", "", -5)]
    assert book_b.entries[2].reverses_seq == book_b.entries[1].seq and book_b.score == 30
    assert _lines(db, alley_head_c) == [("扣分", "D06", -5)]  # unchanged, not posted twice
    assert all(i.posted_ref for i in ranking.points_intents())

    # a second correction putting 乙 back on the red list awards again, once
    ranking.enter_scores(east, "2024-03", [(b, 95, 95, 95)])
    ranking.publish("2024-03", {c: "垃圾清运不及时"}, change_note="乙片区再次复核",
                    published_on=date(2024, 4, 20))
    assert _lines(db, head_b) == [("加分", "A07", 5), ("冲正", "", -5), ("加分", "A07", 5)]
    with pytest.raises(ValidationError, match="只能随榜单更正自动冲正"):
        points.reverse(book_b.entries[1].id, "手工撤销")
    with pytest.raises(ValidationError, match="在红黑榜公示时自动记分，不能手工登记"):
        points.post(head_b, rule_id(db, "A07"), date(2024, 4, 20))


def test_the_catalogue_decides_the_points(db):  # type: ignore[no-untyped-def]
    _av, east, west, (a, b, c, d) = small_town(db)
    head_c = _appoint(db, HeadRole.ZONE, c, "钱六")
    points = PointsService(db, OFFICE)
    d06 = rule_id(db, "D06")
    points.save_rule(d06, RuleInput("D06", "所负责片区（胡同）上黑榜", -3, category="红黑榜"))
    ranking = _scores(db, east, west, d, (a, 90, 90, 90), (b, 70, 70, 70), (c, 60, 60, 60))
    ranking.publish("2024-03", {c: "垃圾清运不及时"}, published_on=date(2024, 4, 3))
    entries = points.passbook(head_c, 2024).entries
    assert [(e.kind, e.rule_code, e.requested, e.score_delta) for e in entries[1:]] == [
        (EntryKind.DEDUCTION, "D06", -3, -3)]
    assert [i.points for i in ranking.points_intents() if i.head_name == "钱六"] == [-3]


def test_a_stopped_rule_posts_nothing_and_a_missing_one_is_recreated(db):  # type: ignore[no-untyped-def]
    _av, east, west, (a, b, c, d) = small_town(db)
    head_a, head_c = _appoint(db, HeadRole.ZONE, a, "周八"), _appoint(db, HeadRole.ZONE, c, "钱六")
    with db.write() as s:
        s.execute(PointsRule.__table__.update().where(PointsRule.code == "A07")
                  .values(valid_to=date(2023, 12, 31)))
        s.execute(PointsRule.__table__.update().where(PointsRule.code == "D06").values(code="D96"))
    ranking = _scores(db, east, west, d, (a, 90, 90, 90), (b, 70, 70, 70), (c, 60, 60, 60))
    ranking.publish("2024-03", {c: "垃圾清运不及时"}, published_on=date(2024, 4, 3))
    assert PointsService(db, OFFICE).passbook(head_a, 2024).passbook_id is None
    assert _lines(db, head_c) == [("扣分", "D06", -5)]


def test_a_december_list_published_in_january_counts_in_its_own_year(db):  # type: ignore[no-untyped-def]
    _av, east, west, (a, b, c, d) = small_town(db)
    head_b = _appoint(db, HeadRole.ZONE, b, "赵五")
    ranking = _scores(db, east, west, d, (a, 70, 70, 70), (b, 90, 90, 90), (c, 60, 60, 60),
                      month="2024-12")
    ranking.publish("2024-12", {c: "垃圾清运不及时"}, published_on=date(2025, 1, 5))
    book = PointsService(db, OFFICE).passbook(head_b, 2024)
    assert [(e.rule_code, e.score_delta, e.occurred_on) for e in book.entries[1:]] == [
        ("A07", 5, date(2024, 12, 31))]
    assert PointsService(db, OFFICE).passbook(head_b, 2025).passbook_id is None
    # published in February, the year no longer takes entries: said, nothing published
    ranking.enter_scores(east, "2024-12", [(b, 50, 50, 50)])
    with pytest.raises(ValidationError, match=r"2024年12月红黑榜的积分奖惩.*无法记入积分存折.*2024年度"):
        ranking.publish("2024-12", {b: "复核"}, change_note="复核", published_on=date(2025, 2, 3))
    assert len(ranking.published_lists()) == 1
