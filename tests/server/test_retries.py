"""The network as it is: the server's reply to a COMMIT is lost on the way (a TCP relay drops
the connection right after the server committed). The program says so in plain Chinese, and the
retry with the same idempotency key finds the first try instead of writing twice."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from models.check import run_checks
from models.core.access import SYSTEM
from models.core.db import Database
from models.core.errors import ConnectionLost, SavedElsewhere
from models.org.service import HouseholdInput, OrganisationService
from models.org.tables import Alley, Household, NaturalVillage, Zone
from models.points.tables import LedgerEntry, Passbook
from models.ranking.service import RankingService
from models.ranking.tables import Evaluation
from models.store.counter import CounterService
from models.store.tables import Goods, Redemption, StockMovement
from tests.store.counter_setup import give_points, make_goods, make_village
from tests.server.relay import Relay


@pytest.fixture
def relayed(templates, tmp_path: Path) -> Iterator[tuple[Database, Database, Relay]]:  # type: ignore[no-untyped-def]
    """(direct, through the relay, the relay) views of one fresh empty PostgreSQL database."""
    if templates.server is None:
        pytest.skip("未安装 PostgreSQL 服务器程序，跳过 PostgreSQL 上的测试（CI 中不会跳过）。")
    direct = templates.fresh("postgresql", "empty", tmp_path)
    relay = Relay(templates.server.port)
    far = Database(direct.url.set(port=relay.port))
    try:
        yield direct, far, relay
    finally:
        far.dispose()
        relay.close()
        direct.dispose()
        templates.server.admin(f"DROP DATABASE IF EXISTS {direct.url.database} WITH (FORCE)")


def _count(db: Database, model) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_redemption_whose_commit_reply_is_lost_is_written_once(relayed):
    direct, far, relay = relayed
    v = make_village(direct)
    give_points(direct, v.head_id, 100)
    rice = make_goods(direct, v.village_id, "大米", 10, stock=20)
    counter = CounterService(far, SYSTEM)
    entries = _count(direct, LedgerEntry)

    relay.lose_next_commit_reply()
    with pytest.raises(ConnectionLost, match=r"可能已经保存.*不会重复保存"):
        counter.redeem(v.head_id, {rice: 2}, idempotency_key="counter:test:basket-1")
    assert relay.dropped == 1
    assert _count(direct, Redemption) == 1  # the server did commit it

    again = counter.redeem(v.head_id, {rice: 2}, idempotency_key="counter:test:basket-1")
    with direct.read() as s:
        redemption = s.scalars(select(Redemption)).one()
        assert again.redemption_id == redemption.id and again.total == 20
        assert s.get(Goods, rice).stock == 18
        assert s.scalar(select(func.count()).select_from(StockMovement)
                        .where(StockMovement.redemption_id == redemption.id)) == 1
        assert s.scalar(select(Passbook.spent)) == 20
    assert _count(direct, LedgerEntry) == entries + 1
    assert run_checks(direct) == []


def test_a_household_whose_commit_reply_is_lost_is_added_once(relayed):
    direct, far, relay = relayed
    make_village(direct)
    with direct.read() as s:
        alley = s.scalar(select(Alley.id))
    org = OrganisationService(far, SYSTEM)
    household = HouseholdInput("李桂英", "一胡同2号", "13912345678")

    relay.lose_next_commit_reply()
    with pytest.raises(ConnectionLost):
        org.add_household(alley, household, idempotency_key="household:test:1")
    first = org.add_household(alley, household, idempotency_key="household:test:1")
    with direct.read() as s:
        named = s.scalars(select(Household.id).where(Household.householder_name == "李桂英")).all()
    assert named == [first]
    assert _count(direct, Household) == 2
    # A new action (a new key) is a new household, as the clerk meant.
    org.add_household(alley, household, idempotency_key="household:test:2")
    assert _count(direct, Household) == 3


def test_two_pcs_saving_the_same_months_scores_at_once_give_one_row_and_a_plain_message(relayed):
    """PC A's save is held just before its COMMIT while PC B saves the same natural village's
    month: B waits on A's new rows, A commits, B is told in plain words and writes nothing."""
    direct, far, _relay = relayed
    make_village(direct)
    with direct.read() as s:
        natural, zone = s.execute(select(NaturalVillage.id, Zone.id).join(
            Zone, Zone.natural_village_id == NaturalVillage.id)).one()
    pc_a, pc_b = direct, far
    a_committing, b_started = threading.Event(), threading.Event()

    @event.listens_for(pc_a.engine, "commit")
    def hold(_connection) -> None:  # type: ignore[no-untyped-def]
        a_committing.set()
        b_started.wait(10)
        time.sleep(0.5)  # B is now waiting on A's uncommitted row

    outcome: dict[str, object] = {}

    def save_on_b() -> None:
        a_committing.wait(10)
        b_started.set()
        try:
            outcome["b"] = RankingService(pc_b, SYSTEM).enter_scores(
                natural, "2026-11", [(zone, 80, 81, 82)])
        except Exception as error:  # the test reports what B saw
            outcome["b"] = error

    b = threading.Thread(target=save_on_b)
    b.start()
    assert RankingService(pc_a, SYSTEM).enter_scores(natural, "2026-11", [(zone, 90, 91, 92)]) == 1
    event.remove(pc_a.engine, "commit", hold)
    b.join(20)
    assert isinstance(outcome["b"], SavedElsewhere), outcome
    assert "另一台电脑上刚刚有人保存了同样的内容" in str(outcome["b"])
    with direct.read() as s:
        rows = s.scalars(select(Evaluation).where(Evaluation.zone_id == zone)).all()
    assert [(r.villagers, r.heads, r.secretary) for r in rows] == [(90, 91, 92)]
