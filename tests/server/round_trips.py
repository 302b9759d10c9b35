"""Measuring the round trips of an operation on a line like a village's: a throwaway server, the
relay in between (tests/server/relay.py), a small village with goods and ten heads with points.
Used by tests/server/test_round_trips.py and tests/benchmarks/bench_round_trips.py."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from models.core import clock
from models.core.access import SYSTEM
from models.core.db import Database
from models.core.schema import migrate
from models.org.service import HouseholdInput, OrganisationService
from models.org.tables import Alley, HeadRole, Resident, Zone
from models.points.service import PointsService, RuleInput
from models.store.counter import CounterService
from tests.pgserver import PostgresServer
from tests.server.relay import Relay
from tests.store.counter_setup import give_points, make_goods, make_village


@dataclass(frozen=True)
class Measured:
    name: str
    round_trips: int
    seconds: float


class Bench:
    def __init__(self, server: PostgresServer, delay: float):
        server.admin("CREATE DATABASE round_trips")
        self.direct = Database(server.url("round_trips"))
        migrate(self.direct)
        self.relay = Relay(server.port, delay=delay)
        self.far = Database(self.direct.url.set(port=self.relay.port))
        self._village()

    def _village(self) -> None:
        v = make_village(self.direct)
        self.head, self.village = v.head_id, v.village_id
        give_points(self.direct, v.head_id, 5000)
        self.goods = [make_goods(self.direct, v.village_id, name, 5, stock=5000)
                      for name in ("大米", "肥皂", "洗衣粉")]
        org = OrganisationService(self.direct, SYSTEM)
        with self.direct.read() as s:
            zone = s.scalar(select(Zone.id))
            self.alley = s.scalar(select(Alley.id))
        self.heads = []
        for i in range(10):
            alley = org.create_alley(zone, f"测{i}胡同")
            household = org.add_household(alley, HouseholdInput(f"测试户{i}"))
            with self.direct.read() as s:
                resident = s.scalar(select(Resident.id).where(Resident.household_id == household))
            self.heads.append(org.appoint_head(HeadRole.ALLEY, alley, resident,
                                               chosen_on=date(2024, 1, 1)))
        points = PointsService(self.direct, SYSTEM)
        self.rule = points.save_rule(None, RuleInput("RT-1", "走访", 1))
        points.post_batch(self.heads, self.rule, clock.today(), "开户")  # passbooks opened

    def operations(self) -> dict[str, Callable[[int], object]]:
        counter, points = CounterService(self.far, SYSTEM), PointsService(self.far, SYSTEM)
        org = OrganisationService(self.far, SYSTEM)
        today = clock.today()
        return {
            "兑换（3种物品）": lambda i: counter.redeem(
                self.head, dict.fromkeys(self.goods, 1), idempotency_key=f"bench:{i}"),
            "批量登记积分（1人）": lambda i: points.post_batch(self.heads[:1], self.rule, today, "走访"),
            "批量登记积分（10人）": lambda i: points.post_batch(self.heads, self.rule, today, "走访"),
            "新增农户": lambda i: org.add_household(self.alley, HouseholdInput(f"新户{i}"),
                                                idempotency_key=f"bench-household:{i}"),
            "打开积分存折": lambda i: points.passbook(self.head, today.year),
        }

    def measure(self, name: str, call: Callable[[int], object], runs: int) -> Measured:
        call(-1)  # the pool's connection made, the caches warm
        trips, times = [], []
        for i in range(runs):
            before = self.relay.round_trips
            started = time.perf_counter()
            call(i)
            times.append(time.perf_counter() - started)
            trips.append(self.relay.round_trips - before)
        return Measured(name, statistics.median_low(trips), statistics.median(times))

    def close(self) -> None:
        self.far.dispose()
        self.direct.dispose()
        self.relay.close()
