"""The demo generator's bulk writing: what it writes is what the program itself would write."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import select, text

from models.check import run_checks
from models.core.db import Database
from models.core.names import name_keys
from models.core.schema import migrate
from models.demo.bulk import insert_checks_suspended, insert_rows
from models.org.tables import Resident
from models.points.tables import LedgerEntry, LimitPeriod, PointsRule


def test_demo_town_passes_check(demo_db):  # type: ignore[no-untyped-def]
    """Hash chains, passbook figures, caps: everything `main.py check` verifies."""
    assert run_checks(demo_db) == []


def test_demo_name_keys_are_those_of_the_whole_name(demo_db):  # type: ignore[no-untyped-def]
    with demo_db.read() as s:
        rows = s.execute(select(Resident.name, Resident.name_initials, Resident.name_pinyin)).all()
    assert len(rows) == 7397
    assert [(name, *name_keys(name)) for name, _, _ in rows] == [tuple(r) for r in rows]


def test_bulk_rows_read_back_as_the_orm_wrote_them(db):  # type: ignore[no-untyped-def]
    """Enums, dates and the columns' Python defaults, on both engines."""
    with db.write() as s:
        insert_rows(s, PointsRule.__table__, [
            dict(code="T01", text="测试细则一", points=2, limit_period=LimitPeriod.WEEK,
                 valid_from=date(2026, 3, 1)),
            dict(code="T02", text="测试细则二", points=-3, limit_period=None, valid_from=None)])
    with db.read() as s:
        one, two = s.scalars(select(PointsRule).where(PointsRule.code.in_(["T01", "T02"]))
                             .order_by(PointsRule.code))
    assert (one.text, one.points, one.limit_period, one.valid_from) == \
        ("测试细则一", 2, LimitPeriod.WEEK, date(2026, 3, 1))
    assert (two.points, two.limit_period, two.valid_from) == (-3, None, None)
    assert (one.category, one.evidence_required, one.sort_order) == ("", False, 0)
    assert one.created_at is not None and two.created_at is not None


def _triggers(db: Database) -> list[tuple[str, str]]:
    with db.read() as s:
        return sorted(tuple(r) for r in s.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")))


def test_ledger_insert_trigger_is_back_after_the_demo(demo_db, tmp_path):  # type: ignore[no-untyped-def]
    if not demo_db.is_sqlite:
        pytest.skip("PostgreSQL: the demo leaves its triggers alone")
    fresh = Database(tmp_path / "fresh.db")
    migrate(fresh)
    assert _triggers(demo_db) == _triggers(fresh)
    assert any("BEFORE INSERT ON ledger_entry" in sql for _, sql in _triggers(demo_db))
    fresh.dispose()


def test_suspended_triggers_come_back_when_the_block_fails(db):  # type: ignore[no-untyped-def]
    if not db.is_sqlite:
        pytest.skip("PostgreSQL: nothing is suspended")
    before = _triggers(db)
    with pytest.raises(RuntimeError), db.write() as s:
        with insert_checks_suspended(s, LedgerEntry.__table__):
            assert not any("BEFORE INSERT ON ledger_entry" in sql for _, sql in s.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")))
            raise RuntimeError("失败")
    assert _triggers(db) == before


def test_the_demo_refuses_a_database_that_has_villages(templates, tmp_path, capsys):  # type: ignore[no-untyped-def]
    """A second `demo` on the same file says why in one line and leaves the file as it was."""
    from main import main as cli

    db = templates.fresh("sqlite", "demo", tmp_path)
    db.dispose()
    before = hashlib.sha256(db.path.read_bytes()).hexdigest()
    assert cli(["demo", "--db", str(db.path)]) == 1
    assert "已经有行政村的数据" in capsys.readouterr().err
    assert hashlib.sha256(db.path.read_bytes()).hexdigest() == before
