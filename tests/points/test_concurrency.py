"""8 processes awarding 30 points each to one passbook at the same moment end exactly at the cap."""

from __future__ import annotations

import multiprocessing

from models.check import run_checks
from models.core.access import SYSTEM
from models.core.db import Database
from models.points.service import PointsService
from tests.points.helpers import make_heads, make_rule, recent_day

WRITERS = 8


def _award(target: str, head_id: int, rule_id: int, day, start, results) -> None:  # type: ignore[no-untyped-def]
    db = Database(target)
    service = PointsService(db, SYSTEM)
    start.wait()
    service.post(head_id, rule_id, day, "同时登记")
    results.put("ok")
    db.dispose()


def test_eight_writers_stop_at_the_cap(db, system):
    head, = make_heads(db)
    rule = make_rule(db, "T30", 30)
    target = str(db.path) if db.path else db.url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(WRITERS), context.Queue()
    workers = [context.Process(target=_award, args=(target, head, rule, recent_day(), start, results))
               for _ in range(WRITERS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0] * WRITERS
    view = PointsService(db, system).passbook(head, recent_day().year)
    assert view.score == 100
    assert len(view.entries) == 1 + WRITERS
    assert sum(e.score_delta for e in view.entries) == 100
    assert run_checks(db) == []
