"""A published red/black list never changes: the database refuses UPDATE/DELETE of a list or
its entries, and `check` finds a list altered behind the program's back (hash from publishing)."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from models.check import run_checks
from models.core.schema import _config
from models.ranking.tables import RankingList


def _first_entry(db):  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.execute(text("SELECT id, list_id FROM ranking_entry ORDER BY id LIMIT 1")).one()


@pytest.mark.parametrize("statement", [
    "UPDATE ranking_entry SET unit_name = '改过的片区' WHERE id = :id",
    "DELETE FROM ranking_entry WHERE id = :id",
    "UPDATE ranking_list SET publisher = '别人' WHERE id = :list_id",
    "DELETE FROM ranking_list WHERE id = :list_id",
])
def test_database_refuses_changing_a_published_list(demo_db, statement):  # type: ignore[no-untyped-def]
    entry = _first_entry(demo_db)
    with pytest.raises(DBAPIError, match="已公示的红黑榜不能修改或删除"):
        with demo_db.write() as s:
            s.execute(text(statement), {"id": entry.id, "list_id": entry.list_id})
    assert run_checks(demo_db) == []


def _without_triggers(db, session) -> None:  # type: ignore[no-untyped-def]
    """What a tool outside the program could do: take the guard away first."""
    if db.is_sqlite:
        for table in ("ranking_list", "ranking_entry"):
            for verb in ("update", "delete"):
                session.execute(text(f"DROP TRIGGER {table}_no_{verb}"))
    else:
        session.execute(text("DROP TRIGGER ranking_entry_frozen ON ranking_entry"))


def test_check_reports_a_list_altered_behind_the_programs_back(demo_db):  # type: ignore[no-untyped-def]
    entry = _first_entry(demo_db)
    with demo_db.read() as s:
        listing = s.get(RankingList, entry.list_id)
        doc_number, version = listing.doc_number, listing.version
    with demo_db.write() as s:
        _without_triggers(demo_db, s)
        s.execute(text("UPDATE ranking_entry SET score = score + 1 WHERE id = :id"), {"id": entry.id})
    problems = run_checks(demo_db)
    assert len(problems) == 1
    assert doc_number in problems[0] and f"第{version}版" in problems[0]
    assert "已被程序以外的方式改动" in problems[0]


def test_migration_fills_the_hash_of_existing_lists(demo_db):  # type: ignore[no-untyped-def]
    with demo_db.read() as s:
        before = dict(s.execute(select(RankingList.id, RankingList.snapshot_hash)).all())
    assert len(before) == 14 and all(before.values())
    config = _config(demo_db)
    command.downgrade(config, "0005")
    command.upgrade(config, "head")
    with demo_db.read() as s:
        assert dict(s.execute(select(RankingList.id, RankingList.snapshot_hash)).all()) == before
    assert run_checks(demo_db) == []
