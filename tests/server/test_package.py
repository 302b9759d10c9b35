"""A village without a network, by file: its month goes up to the township (scores, points,
redemptions, stock) and the township's published lists — with the points they posted — come
back down. Both databases then agree passbook by passbook, `check` is clean on both, a package
imported twice changes nothing, and a passbook both sides wrote to is refused by name."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models.check import run_checks
from models.core import clock
from models.core.access import SYSTEM, Actor, Role
from models.core.db import Database
from models.core.errors import ValidationError
from models.org.service import OrganisationService
from models.org.tables import AdminVillage, Head, HeadRole, Resident, Zone
from models.org.service import HouseholdInput
from models.points.service import PointsService, RuleInput
from models.points.tables import LedgerEntry, Passbook, PointsRule
from models.ranking.service import RankingService
from models.ranking.tables import RankingList
from models.server.moving import MoveService
from models.server.package import PackageService
from models.store.counter import CounterService
from models.store.goods import GoodsService
from models.store.tables import Goods, Redemption
from tests.store.counter_setup import give_points, make_goods, make_village

MONTH = clock.today().strftime("%Y-%m")


@pytest.fixture(params=["UTC", "Asia/Shanghai"])
def office_zone(request, monkeypatch):  # type: ignore[no-untyped-def]
    """The time zone of the office PCs and of the township's server: the suite's machine runs in
    UTC, the users' in China's time, where a month starts at 16:00 UTC the day before."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    assert time.strftime("%z", time.localtime(0)) == {"UTC": "+0000", "Asia/Shanghai": "+0800"}[
        request.param], "the machine lacks the time zone database (Debian: tzdata)"
    yield request.param
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def village_and_township(office_zone, templates, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A village on its own SQLite file (two zones, a head with points, goods), moved up once to
    a township server set up in the offices' time zone."""
    if templates.server is None:
        pytest.skip("未安装 PostgreSQL 服务器程序，跳过 PostgreSQL 上的测试（CI 中不会跳过）。")
    village = templates.fresh("sqlite", "empty", tmp_path)
    v = make_village(village)
    with village.read() as s:
        natural = s.scalar(select(Zone.natural_village_id))
    org = OrganisationService(village, SYSTEM)
    north = org.create_zone(natural, "北片区")  # with its own head: a zone without one is not ranked
    org.add_household(org.create_alley(north, "北一胡同"), HouseholdInput("周北平", "北一胡同1号"))
    with village.read() as s:
        resident = s.scalar(select(Resident.id).where(Resident.name == "周北平"))
    org.appoint_head(HeadRole.ZONE, north, resident, chosen_on=date(2024, 1, 1))
    give_points(village, v.head_id, 60)
    make_goods(village, v.village_id, "大米", 10, stock=30)
    township = templates.fresh("postgresql", "empty", tmp_path)
    templates.server.admin(f"ALTER DATABASE {township.url.database} SET TimeZone = '{office_zone}'")
    township.engine.dispose()
    OrganisationService(township, SYSTEM).create_township("韩家镇")
    MoveService(township, SYSTEM).move_up(village, "韩家村")
    yield village, township, v
    village.dispose()
    township.dispose()
    templates.server.admin(f"DROP DATABASE IF EXISTS {township.url.database} WITH (FORCE)")


def _standing(db: Database) -> dict:
    with db.read() as s:
        books = sorted((b.year, b.score, b.spent, b.last_seq) for b in s.scalars(select(Passbook)))
        stock = sorted((g.name, g.stock) for g in s.scalars(select(Goods)))
        numbers = sorted((r.number, r.status.value) for r in s.scalars(select(Redemption)))
    return {"passbooks": books, "stock": stock, "redemptions": numbers}


def _village_id(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(AdminVillage.id).where(AdminVillage.name == "韩家村"))


def test_a_month_goes_up_and_the_lists_come_down(village_and_township, tmp_path: Path):
    village, township, v = village_and_township
    # The village's month, offline.
    points = PointsService(village, SYSTEM)
    rule = points.save_rule(None, RuleInput("T-9", "协助清理河道", 4))
    points.post(v.head_id, rule, clock.today(), "清理河道")
    CounterService(village, SYSTEM).redeem(v.head_id, {1: 2}, idempotency_key="offline:1")
    GoodsService(village, SYSTEM).stock_in(1, 5, on=clock.today(), value_yuan="50")
    with village.read() as s:
        natural = s.scalar(select(Zone.natural_village_id))
        zones = list(s.scalars(select(Zone.id).order_by(Zone.id)))
    RankingService(village, SYSTEM).enter_scores(natural, MONTH,
                                                 [(zones[0], 95, 94, 93), (zones[1], 70, 71, 72)])

    up = tmp_path / "韩家村-上报.json"
    PackageService(village, SYSTEM).export_up(_village_id(village), MONTH, up)
    # The rule the village added offline reaches the township's catalogue first.
    PointsService(township, SYSTEM).save_rule(None, RuleInput("T-9", "协助清理河道", 4))
    done = PackageService(township, SYSTEM).import_up(up)
    assert done.counts["积分流水"] >= 2 and done.counts["兑换"] == 1, done.describe()
    assert _standing(township) == _standing(village)
    assert run_checks(township) == []
    again = PackageService(township, SYSTEM).import_up(up)
    assert again.counts["积分流水"] == 0 and _standing(township) == _standing(village)

    # The township publishes the month, and commends the head in his passbook on the server.
    entries_before = _entries(township)
    office = RankingService(township, Actor("镇管理员", Role.TOWNSHIP_ADMIN))
    office.publish(MONTH, {s.unit_id: "卫生差" for g in office.selection(MONTH).groups
                           for s in g.black})
    PointsService(township, SYSTEM).post(_head_on(township), _rule_on(township), clock.today(),
                                         "镇里通报表扬")
    down = tmp_path / "韩家镇-下发.json"
    PackageService(township, SYSTEM).export_down(_village_id(township), MONTH, down)
    done = PackageService(village, SYSTEM).import_down(down)
    # the commendation, and the list's own points to the red and black zones' heads (with the
    # opening of a passbook the list opened)
    assert _entries(township) - entries_before >= 3
    assert done.counts == {"积分流水": _entries(township) - entries_before, "红黑榜": 1}, \
        done.describe()
    assert _standing(village) == _standing(township)
    with village.read() as s:
        assert s.scalar(select(RankingList.period)) == MONTH
    assert run_checks(village) == [] and run_checks(township) == []

    # Both sides write to the same passbook before exchanging: refused, nothing written.
    points.post(v.head_id, rule, clock.today(), "村里又登记了一笔")
    PointsService(township, SYSTEM).post(_head_on(township), _rule_on(township), clock.today(),
                                         "镇里也登记了一笔")
    before = _standing(township)
    PackageService(village, SYSTEM).export_up(_village_id(village), MONTH, up)
    with pytest.raises(ValidationError, match="在村里和镇里都有新的记录"):
        PackageService(township, SYSTEM).import_up(up)
    assert _standing(township) == before


def _entries(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count(LedgerEntry.id)))


def _head_on(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(Head.id))


def _rule_on(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(PointsRule.id).where(PointsRule.code == "T-9"))
