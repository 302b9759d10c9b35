"""The rectification ledger's history cannot be changed in place, and a change made behind the
program's back (triggers dropped) is found by `check`, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from models.check import run_checks
from models.core.append_only import drop_triggers
from models.problems.service import ProblemsService
from tests.problems.helpers import CHECKER, FIXER, make_town, register
from tests.problems.photos import write_photo

STATEMENTS = (
    "UPDATE problem_event SET note = '改过了'",
    "DELETE FROM problem_event",
    "UPDATE problem_photo SET position = 5",
    "DELETE FROM problem_photo",
    "UPDATE problem_points SET outcome = 'late'",
    "DELETE FROM problem_points",
)


@pytest.fixture
def closed(db, tmp_path):  # type: ignore[no-untyped-def]
    """A problem with a before- and an after-photo, closed on time with its points."""
    town = make_town(db)
    problem_id = register(db, town, photos=[write_photo(tmp_path / "IMG_20261102_093000.jpg", 1)])
    ProblemsService(db, FIXER).rectify(problem_id, "已清理干净",
                                       [write_photo(tmp_path / "after.jpg", 2)], on=date(2026, 11, 3))
    ProblemsService(db, CHECKER).verify(problem_id, True, on=date(2026, 11, 4))
    ProblemsService(db, CHECKER).close(problem_id, on=date(2026, 11, 4))
    assert run_checks(db) == []
    return problem_id


@pytest.mark.parametrize("statement", STATEMENTS)
def test_plain_sql_cannot_change_or_remove_the_history(db, closed, statement):
    with pytest.raises(DBAPIError, match="只能追加"), db.engine.begin() as connection:
        connection.execute(text(statement))


def _tamper(db, table: str, statement: str, **values) -> None:  # type: ignore[no-untyped-def]
    """Drop the table's triggers, as someone with the database's password could, and change it."""
    dialect = "sqlite" if db.is_sqlite else "postgresql"
    with db.engine.begin() as connection:
        for drop in drop_triggers(table, dialect):
            connection.execute(text(drop))
        connection.execute(text(statement), values)


def test_check_finds_an_event_altered_with_the_triggers_dropped(db, closed):
    _tamper(db, "problem_event", "UPDATE problem_event SET note = '根本没整改' "
            "WHERE problem_id = :p AND kind = 'rectify'", p=closed)
    assert run_checks(db) == [f"问题编号 {closed} 第 3 步：内容与登记时不符，已被程序以外的方式改动。"]


def test_check_finds_a_removed_step(db, closed):
    _tamper(db, "problem_event", "DELETE FROM problem_event WHERE problem_id = :p AND seq = 4",
            p=closed)
    assert run_checks(db) == [f"问题编号 {closed} 第 5 步：前后不相连（缺步、插步或被改动）。"]


def test_check_finds_a_swapped_photo(db, closed):
    _tamper(db, "problem_photo", "UPDATE problem_photo SET stored_file_id = "
            "(SELECT MAX(stored_file_id) FROM problem_photo) WHERE stage = 'before'")
    assert run_checks(db) == [f"问题编号 {closed} 第 1 步：所附照片与记录不符（照片被替换或删除）。"]


def test_check_finds_a_registered_fact_or_a_state_changed_on_the_problem_row(db, closed):
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE problem SET description = '小问题'"))
    assert run_checks(db) == [f"问题编号 {closed} 第 1 步：问题登记的内容（地点、描述等）被改动过。"]
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE problem SET description = '门前堆放建筑垃圾', "
                                "outcome = 'late'"))
    assert run_checks(db) == [f"问题 ZG2026-001（编号 {closed}）记载的状态与它的整改记录不符。"]
