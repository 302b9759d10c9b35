"""The red/black score combines points and evaluation (DOMAIN §7, the report's "通过积分量化和
群众评议"): a zone's month = w_points × its points component + (1 − w_points) × its evaluation;
a zone with a head on that year's 约谈 list is passed over for the red list, and the list says
why. Dates count from the suite's day: the month scored is the last full month before it."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from sqlalchemy import select

from models.core import clock
from models.org.service import HouseholdInput, OrganisationService, ResidentInput
from models.org.tables import Head, HeadRole, Resident
from models.points.service import PointsService
from models.points.wording import TALK_HOLDER
from models.ranking.eligibility import red_ineligible
from models.ranking.rules import WEIGHT_POINTS, rounded
from models.ranking.service import RankingService
from models.settings_service import SettingsService
from reports.ranking_notices import notice_for
from tests.points.helpers import make_rule
from tests.ranking.test_ranking import OFFICE, small_town


def _last_month() -> tuple[str, date]:
    last = clock.today().replace(day=1) - timedelta(days=1)
    return f"{last:%Y-%m}", last


def _zone_head(db, zone: int) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalar(select(Head.id).where(Head.zone_id == zone, Head.ended_on.is_(None)))


def _alley_head(db, zone: int, name: str) -> int:  # type: ignore[no-untyped-def]
    org = OrganisationService(db, OFFICE)
    alley = org.create_alley(zone, f"{name}胡同")
    household = org.add_household(alley, HouseholdInput(
        name, residents=[ResidentInput(name, relation="户主")]))
    with db.read() as s:
        resident = s.scalar(select(Resident.id).where(Resident.household_id == household))
    return org.appoint_head(HeadRole.ALLEY, alley, resident, chosen_on=date(2024, 1, 1))


def _scored_town(db, scores):  # type: ignore[no-untyped-def]
    _av, east, west, (a, b, c, d) = small_town(db)
    month, _ = _last_month()
    ranking = RankingService(db, OFFICE)
    ranking.enter_scores(east, month, [(z, s, s, s) for z, s in zip((a, b, c), scores, strict=True)])
    ranking.enter_scores(west, month, [(d, 80, 80, 80)])
    return ranking, month, (a, b, c)


def test_points_decide_when_the_evaluation_is_close(db):
    ranking, month, (a, b, c) = _scored_town(db, (70, 80, 75))
    _, last = _last_month()
    points = PointsService(db, OFFICE)
    ten, three, minus = make_rule(db, "T10", 10), make_rule(db, "T3", 3), make_rule(db, "T-5", -5)
    alley_a = _alley_head(db, a, "周八")
    points.post(_zone_head(db, a), ten, last)
    points.post(alley_a, make_rule(db, "T2", 2), last)
    points.post(_zone_head(db, b), three, last)
    points.post(_zone_head(db, c), minus, last, "巡查不到位")
    east = next(g for g in ranking.selection(month).groups if g.group_name == "前进村·东村")
    share = Fraction(100 - 30, 12)
    expected = {
        "甲片区": Fraction(30) + Fraction(70, 100) * 70,  # mean net 6 > the month's share: 100
        "乙片区": Fraction(30, 100) * (100 * 3 / share) + Fraction(70, 100) * 80,
        "丙片区": Fraction(70, 100) * 75,  # a net loss counts 0
    }
    assert {m.name: m.total for m in east.ranked} == expected
    assert [m.name for m in east.red] == ["甲片区"] and [m.name for m in east.black] == ["丙片区"]
    assert east.ranked[1].parts["points"] == 100 * 3 / share
    formula = ranking.selection(month).formula
    assert "积分量化分×30% + 群众评议综合分×70%" in formula
    assert "月度分摊分 =（年度积分上限100 − 初始积分30）÷ 12 = 5.83分" in formula
    listed = ranking.published_list(ranking.publish(month, {c: "巡查不到位"}))
    assert [(e.unit_name, e.score) for e in listed.entries] == [
        ("甲片区", rounded(expected["甲片区"])), ("丙片区", rounded(expected["丙片区"]))]
    assert "积分量化分×30%" in listed.formula and "积分量化分×30%" in "".join(
        notice_for(listed).sections[-1].paragraphs)
    SettingsService(db, OFFICE).put(WEIGHT_POINTS.key, 0)  # evaluation only: 乙 would be red
    east = next(g for g in ranking.selection(month).groups if g.group_name == "前进村·东村")
    assert [m.name for m in east.red] == ["乙片区"]


def test_a_zone_with_a_head_on_the_talk_list_is_not_red(db):
    ranking, month, (a, b, c) = _scored_town(db, (90, 80, 70))
    _, last = _last_month()
    alley_a = _alley_head(db, a, "周八")
    PointsService(db, OFFICE).post(alley_a, make_rule(db, "T-5", -5), last, "拒不整改")
    year = last.year
    with db.read() as s:
        assert red_ineligible(s, year, [a, b, c]) == {
            a: f"因胡同长周八在{year}年度约谈名单上（由{TALK_HOLDER}约谈）"}
    east = next(g for g in ranking.selection(month).groups if g.group_name == "前进村·东村")
    assert [m.name for m in east.ranked] == ["甲片区", "乙片区", "丙片区"]
    assert [m.name for m in east.red] == ["乙片区"] and [m.name for m in east.black] == ["丙片区"]
    why = (f"甲片区（第1名）因胡同长周八在{year}年度约谈名单上（由{TALK_HOLDER}约谈），"
           "不列入红榜，由下一名递补")
    assert east.passed_over == [why]
    listed = ranking.published_list(ranking.publish(month, {c: "卫生差"}))
    assert f"前进村·东村：{why}" in listed.unranked.split("\n")
    notice = notice_for(listed)
    assert any(why in line for section in notice.sections for line in section.paragraphs)
    assert PointsService(db, OFFICE).passbook(alley_a, year).score == 25  # the talk stands


def test_a_zone_without_heads_is_excluded_and_named(db):
    ranking, month, (_a, b, _c) = _scored_town(db, (90, 80, 70))
    org = OrganisationService(db, OFFICE)
    with db.read() as s:
        zone_b_head = s.scalar(select(Head).where(Head.zone_id == b))
    replaced = org.appoint_head(HeadRole.ZONE, b, zone_b_head.resident_id, chosen_on=date(2024, 1, 1))
    with db.write() as s:  # the zone's only head left before the month (an empty post)
        s.get(Head, replaced).ended_on = date(2024, 1, 1)
    east = next(g for g in ranking.selection(month).groups if g.group_name == "前进村·东村")
    assert east.excluded == ["乙片区（无在任片区长、胡同长，积分量化分无从计算）"]
    assert [m.name for m in east.ranked] == ["甲片区", "丙片区"]
