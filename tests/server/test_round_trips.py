"""Few round trips on a township's line: a redemption in at most 6, a batch of points in as
many for ten heads as for one (O(1), not O(heads)), counted by the relay on a delayed line."""

from __future__ import annotations

import pytest

from tests.server.helpers import start_server
from tests.server.round_trips import Bench


@pytest.fixture(scope="module")
def bench():  # type: ignore[no-untyped-def]
    server = start_server()
    made = Bench(server, delay=0.01)
    yield made
    made.close()
    server.stop()


def test_a_redemption_takes_at_most_six_round_trips(bench):
    measured = bench.measure("兑换（3种物品）", bench.operations()["兑换（3种物品）"], runs=5)
    assert measured.round_trips <= 6, measured


def test_a_batch_post_takes_as_many_round_trips_for_ten_heads_as_for_one(bench):
    operations = bench.operations()
    one = bench.measure("1", operations["批量登记积分（1人）"], runs=3)
    ten = bench.measure("10", operations["批量登记积分（10人）"], runs=3)
    assert ten.round_trips == one.round_trips <= 6, (one, ten)
