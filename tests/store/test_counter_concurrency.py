"""Real processes at the counter: eight counters racing for one head's points and one item's
stock, and a counter killed at random moments that must never lose a confirmed redemption."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time

from sqlalchemy import func, select

from models.check import run_checks
from models.core.access import SYSTEM
from models.core.db import Database
from models.core.errors import DomainError
from models.store.counter import CounterService
from models.store.tables import Goods, Redemption
from tests.store.counter_setup import give_points, make_goods, make_village

FORK = multiprocessing.get_context("fork")
PROCESSES, ATTEMPTS = 8, 50
KILLS = 55  # about 9 s on SQLite, 25 s on PostgreSQL on a busy two-core machine


def _target(db: Database) -> str:
    return str(db.path) if db.path else db.url.render_as_string(hide_password=False)


def _race(target: str, head_id: int, goods_id: int, start, results) -> None:  # type: ignore[no-untyped-def]
    db = Database(target)
    counter = CounterService(db, SYSTEM)
    done, refused = 0, 0
    start.wait()
    for _ in range(ATTEMPTS):
        try:
            counter.redeem(head_id, {goods_id: 1})
            done += 1
        except DomainError:
            refused += 1
    results.put((done, refused))
    db.dispose()


def test_eight_counters_never_oversell_or_overspend(db):
    v = make_village(db)
    give_points(db, v.head_id, 1000)
    rice = make_goods(db, v.village_id, "大米", 10, stock=60)
    start, results = FORK.Barrier(PROCESSES), FORK.Queue()
    db.dispose()  # no pooled connection may cross a fork
    workers = [FORK.Process(target=_race, args=(_target(db), v.head_id, rice, start, results))
               for _ in range(PROCESSES)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    assert sum(done for done, _ in outcomes) == 60
    assert sum(refused for _, refused in outcomes) == PROCESSES * ATTEMPTS - 60
    card = CounterService(db, SYSTEM).head_card(v.head_id)
    assert (card.standing.spendable, card.standing.owed) == (400, 0)
    with db.read() as s:
        assert s.scalar(select(Goods.stock)) == 0
        assert s.scalar(select(func.count(Redemption.id))) == 60
    assert run_checks(db) == []


def _stream(target: str, head_id: int, goods_id: int, report: int) -> None:
    """Redeem forever; after each commit, say so on the pipe (the counter's 'confirmed')."""
    db = Database(target)
    counter = CounterService(db, SYSTEM)
    while True:
        done = counter.redeem(head_id, {goods_id: 1})
        os.write(report, f"{done.number}\n".encode())


def test_a_counter_killed_at_random_never_loses_a_confirmed_redemption(db):
    v = make_village(db)
    give_points(db, v.head_id, 5000)
    rice = make_goods(db, v.village_id, "肥皂", 1, stock=5000, unit="块")
    db.dispose()
    rng = random.Random(20240601)
    confirmed: list[str] = []
    kills = 0
    while kills < KILLS:
        read_end, write_end = os.pipe()
        child = FORK.Process(target=_stream, args=(_target(db), v.head_id, rice, write_end),
                             daemon=True)
        child.start()
        os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            try:
                # The first commit (a new process compiles its statements) starts the clock.
                confirmed.append(pipe.readline().decode().strip())
                time.sleep(rng.uniform(0.0, 0.05))
            finally:
                os.kill(child.pid, signal.SIGKILL)
                child.join()
            kills += 1
            confirmed += [line.decode() for line in pipe.read().split(b"\n") if line]
    with db.read() as s:
        stored = set(s.scalars(select(Redemption.number)))
        stock = s.scalar(select(Goods.stock))
    assert len(confirmed) > kills, "too few commits between kills to prove anything"
    assert set(confirmed) <= stored
    assert stock == 5000 - len(stored)
    assert run_checks(db) == []
