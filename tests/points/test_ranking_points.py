"""Red/black list consequences reach the zone heads' passbooks: awards and deductions under the
catalogue's 红黑榜 rules when a month is published, reversals when a correction takes a zone off."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models.core import settings
from models.org.service import HouseholdInput, OrganisationService, ResidentInput
from models.org.tables import HeadRole, Resident
from models.points.service import PointsService
from models.points.tables import EntryKind, PointsRule
from models.ranking.rules import BLACK_HEAD_POINTS, RED_HEAD_POINTS
from models.ranking.service import RankingService
from tests.ranking.test_ranking import OFFICE, small_town


def _appoint(db, zone: int, name: str) -> int:  # type: ignore[no-untyped-def]
    org = OrganisationService(db, OFFICE)
    alley = org.create_alley(zone, f"{name}胡同")
    household = org.add_household(
        alley, HouseholdInput(name, residents=[ResidentInput(name, relation="户主")]))
    with db.read() as s:
        resident = s.scalar(select(Resident.id).where(Resident.household_id == household))
    return org.appoint_head(HeadRole.ZONE, zone, resident, chosen_on=date(2024, 1, 1))


def _lines(db, head: int) -> list[tuple[str, str, int]]:  # type: ignore[no-untyped-def]
    book = PointsService(db, OFFICE).passbook(head, 2024)
    return [(e.kind.label, e.rule_code, e.score_delta) for e in book.entries[1:]]


def test_published_month_posts_to_heads_and_correction_reverses(db):  # type: ignore[no-untyped-def]
    _av, east, _west, (a, b, c, _d) = small_town(db)
    head_b, head_c = _appoint(db, b, "赵五"), _appoint(db, c, "钱六")
    with db.write() as s:
        settings.put(s, RED_HEAD_POINTS, 5)
        settings.put(s, BLACK_HEAD_POINTS, 5)
    ranking = RankingService(db, OFFICE)
    ranking.enter_scores(east, "2024-03", [(a, 70, 70, 70), (b, 90, 90, 90), (c, 60, 60, 60)])
    ranking.publish("2024-03", {c: "垃圾清运不及时"}, published_on=date(2024, 4, 3))
    assert _lines(db, head_b) == [("加分", "A07", 5)]
    assert _lines(db, head_c) == [("扣分", "D06", -5)]
    points = PointsService(db, OFFICE)
    assert points.passbook(head_b, 2024).score == 35 and points.passbook(head_c, 2024).score == 25
    assert "东村乙片区" in points.passbook(head_b, 2024).entries[1].text

    # 乙 was wrongly red: a correction makes 甲 red; 乙's award is reversed, 丙 stays black
    ranking.enter_scores(east, "2024-03", [(b, 65, 65, 65)])
    ranking.publish("2024-03", {c: "垃圾清运不及时"}, change_note="乙片区评分复核",
                    published_on=date(2024, 4, 10))
    book_b = points.passbook(head_b, 2024)
    assert _lines(db, head_b) == [("加分", "A07", 5), ("冲正", "", -5)]
    assert book_b.entries[2].reverses_seq == book_b.entries[1].seq and book_b.score == 30
    assert _lines(db, head_c) == [("扣分", "D06", -5)]  # unchanged, not posted twice
    assert all(i.posted_ref for i in ranking.points_intents())

    # a second correction putting 乙 back on the red list awards again, once
    ranking.enter_scores(east, "2024-03", [(b, 95, 95, 95)])
    ranking.publish("2024-03", {c: "垃圾清运不及时"}, change_note="乙片区再次复核",
                    published_on=date(2024, 4, 20))
    assert _lines(db, head_b) == [("加分", "A07", 5), ("冲正", "", -5), ("加分", "A07", 5)]


def test_settings_at_zero_post_nothing(db):  # type: ignore[no-untyped-def]
    _av, east, _west, (a, b, c, _d) = small_town(db)
    head_c = _appoint(db, c, "钱六")
    ranking = RankingService(db, OFFICE)
    ranking.enter_scores(east, "2024-03", [(a, 90, 90, 90), (b, 70, 70, 70), (c, 60, 60, 60)])
    ranking.publish("2024-03", {c: "垃圾清运不及时"})
    assert PointsService(db, OFFICE).passbook(head_c, 2024).passbook_id is None
    assert ranking.points_intents() == []


def test_missing_rule_is_recreated_and_amount_follows_setting(db):  # type: ignore[no-untyped-def]
    _av, east, _west, (a, b, c, _d) = small_town(db)
    head_c = _appoint(db, c, "钱六")
    with db.write() as s:
        s.execute(PointsRule.__table__.update().where(PointsRule.code == "D06").values(code="D96"))
        settings.put(s, BLACK_HEAD_POINTS, 3)
    ranking = RankingService(db, OFFICE)
    ranking.enter_scores(east, "2024-03", [(a, 90, 90, 90), (b, 70, 70, 70), (c, 60, 60, 60)])
    ranking.publish("2024-03", {c: "垃圾清运不及时"}, published_on=date(2024, 4, 3))
    entries = PointsService(db, OFFICE).passbook(head_c, 2024).entries
    assert [(e.kind, e.rule_code, e.score_delta) for e in entries[1:]] == [(EntryKind.DEDUCTION, "D06", -3)]
