"""Two PCs (here eight processes) closing the same problem at the same moment, on SQLite and
PostgreSQL: one 销号, one points entry; every other closing sees the problem already closed."""

from __future__ import annotations

import multiprocessing
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from models.core.errors import SavedElsewhere

from models.check import run_checks
from models.core.access import Actor, Role
from models.core.db import Database
from models.points.tables import LedgerEntry
from models.problems.points import key
from models.problems.service import ProblemsService
from models.problems.tables import EventKind, Outcome, ProblemEvent, ProblemPoints
from tests.problems.helpers import fix_and_verify, make_town, register

FORK = multiprocessing.get_context("fork")
PROCESSES = 8


def _target(db: Database) -> str:
    return str(db.path) if db.path else db.url.render_as_string(hide_password=False)


def _close(target: str, problem_id: int, number: int, start, results) -> None:  # type: ignore[no-untyped-def]
    db = Database(target)
    actor = Actor(f"第{number}台电脑", Role.TOWNSHIP_ADMIN, user_id=8000 + number)
    start.wait()
    closing = ProblemsService(db, actor).close(problem_id, on=date(2026, 11, 6))
    results.put((closing.already, closing.ledger_entry_id, closing.outcome.value))
    db.dispose()


def test_eight_pcs_closing_one_problem_make_one_closing_and_one_points_entry(db):
    town = make_town(db)
    problem_id = register(db, town)
    fix_and_verify(db, problem_id, date(2026, 11, 4), date(2026, 11, 5))
    start, results = FORK.Barrier(PROCESSES), FORK.Queue()
    db.dispose()  # no pooled connection may cross a fork
    workers = [FORK.Process(target=_close, args=(_target(db), problem_id, n, start, results))
               for n in range(PROCESSES)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    assert sorted(already for already, _, _ in outcomes) == [False] + [True] * (PROCESSES - 1)
    assert len({entry for _, entry, _ in outcomes}) == 1
    assert {outcome for _, _, outcome in outcomes} == {"on_time"}
    with db.read() as s:
        assert s.scalar(select(func.count(ProblemEvent.id)).where(
            ProblemEvent.kind == EventKind.CLOSE)) == 1
        assert s.scalar(select(func.count(ProblemPoints.id))) == 1
        assert s.scalar(select(func.count(LedgerEntry.id)).where(
            LedgerEntry.idempotency_key == key(problem_id, Outcome.ON_TIME))) == 1
    assert run_checks(db) == []


def test_the_database_itself_refuses_a_second_posting_of_the_same_outcome(db):
    town = make_town(db)
    problem_id = register(db, town)
    fix_and_verify(db, problem_id, date(2026, 11, 4), date(2026, 11, 5))
    ProblemsService(db, Actor("销号人", Role.TOWNSHIP_ADMIN, user_id=7)).close(problem_id)
    with db.read() as s:
        posting = s.scalars(select(ProblemPoints)).one()
        other_entry = s.scalar(select(LedgerEntry.id).where(LedgerEntry.id != posting.ledger_entry_id))
    # The database's unique key refuses it; the program says so in plain words (db_errors).
    with pytest.raises(SavedElsewhere) as refused, db.write() as s:
        s.add(ProblemPoints(problem_id=problem_id, outcome=Outcome.ON_TIME,
                            ledger_entry_id=other_entry, head_id=posting.head_id))
    assert isinstance(refused.value.__cause__, IntegrityError)
