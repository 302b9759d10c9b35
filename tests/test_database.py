"""The database layer: migrations, a newer database refused, SQLite locking, `check`."""

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from models.check import run_checks
from models.core.db import Database
from models.core.errors import DatabaseProblem
from models.core.schema import (
    current_revision,
    head_revision,
    is_current,
    migrate,
    shipped_head,
    stored_revision,
)

ROOT = Path(__file__).resolve().parent.parent


def run_main(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], check=False, capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def test_migrated_database_is_at_head(db):
    assert current_revision(db) == head_revision(db)


def test_the_cheap_revision_check_agrees_with_alembic(db):
    """The start skips alembic when the stored revision is the head: both read without alembic
    must be what alembic itself reads."""
    assert shipped_head() == head_revision(db)
    assert stored_revision(db) == current_revision(db) and is_current(db)
    with db.write() as s:
        s.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    assert stored_revision(db) == "0001" and not is_current(db)


def test_an_empty_database_is_not_current(tmp_path):
    empty = Database(tmp_path / "empty.db")
    assert stored_revision(empty) is None and not is_current(empty)


def test_a_database_from_a_newer_program_is_refused(db):
    with db.write() as s:
        s.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(DatabaseProblem, match="更新版本的村治通"):
        migrate(db)


def test_sqlite_file_is_backed_up_before_a_migration(tmp_path):
    from alembic import command

    from models.core.schema import _config

    db = Database(tmp_path / "village.db")
    command.upgrade(_config(db), "0001")
    with db.write() as s:
        s.execute(text("INSERT INTO township (name, county, created_at) "
                       "VALUES ('备份镇', '', '2024-01-01')"))
    if head_revision(db) == "0001":
        pytest.skip("只有一个数据库版本，还没有可升级的旧版本。")
    backup = migrate(db)
    assert backup is not None and backup.parent == tmp_path / "备份"
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT name FROM township").fetchall() == [("备份镇",)]
        assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
    assert current_revision(db) == head_revision(db)


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path):
    db = Database(tmp_path / "a.db")
    migrate(db)
    with db.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_an_open_reader_does_not_block_a_writer(tmp_path):
    db = Database(tmp_path / "a.db")
    migrate(db)
    with db.read() as reader:
        reader.execute(text("SELECT count(*) FROM township")).scalar()
        with db.write() as writer:
            writer.execute(text("INSERT INTO township (name, county, created_at) "
                                "VALUES ('甲镇', '', '2024-01-01')"))
        assert reader.execute(text("SELECT count(*) FROM township")).scalar() == 0


def test_check_passes_on_the_demo(demo_db):
    assert run_checks(demo_db) == []


def test_check_reports_a_cap_broken_behind_the_programs_back(demo_db):
    with demo_db.write() as s:
        alley = s.execute(text("SELECT id FROM alley ORDER BY id LIMIT 1")).scalar()
        s.execute(text("UPDATE household SET alley_id = :a WHERE id IN "
                       "(SELECT id FROM household ORDER BY id LIMIT 20)"), {"a": alley})
    problems = run_checks(demo_db)
    assert any("超过上限 10 户" in p for p in problems)


@pytest.fixture
def demo_file(tmp_path, templates):
    source = templates.template("sqlite", "demo")
    target = tmp_path / "demo.db"
    shutil.copyfile(source, target)
    return target


def test_cli_demo_then_stats_prints_the_report_totals(tmp_path):
    target = tmp_path / "x.db"
    assert run_main("demo", "--db", str(target)).returncode == 0
    result = run_main("stats", "--db", str(target))
    assert result.returncode == 0
    import json

    assert json.loads(result.stdout) == {
        "admin_villages": 6, "natural_villages": 32, "zones": 193, "alleys": 385,
        "zone_heads": 193, "alley_heads": 385, "households": 3070, "residents": 7397}
    assert run_main("check", "--db", str(target)).returncode == 0


def test_check_refuses_a_file_that_is_not_a_database_and_leaves_it_alone(tmp_path):
    target = tmp_path / "notes.db"
    target.write_text("这是一份会议记录，不是数据库。" * 50, encoding="utf-8")
    before = target.read_bytes()
    result = run_main("check", "--db", str(target))
    assert result.returncode == 1
    assert "不是村治通的数据库" in result.stderr
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_check_never_creates_a_missing_database(tmp_path):
    result = run_main("check", "--db", str(tmp_path / "missing.db"))
    assert result.returncode == 1
    assert "找不到数据库文件" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("damage", ["header", "page"])
def test_check_finds_a_damaged_file_and_does_not_change_it(demo_file, damage):
    with demo_file.open("r+b") as handle:
        if damage == "header":
            handle.write(b"\0" * 100)
        else:
            handle.seek(4096 * 30)
            handle.write(b"\xde\xad\xbe\xef" * 1024)
    before = demo_file.read_bytes()
    result = run_main("check", "--db", str(demo_file))
    assert result.returncode == 1
    assert "损坏" in result.stderr
    assert demo_file.read_bytes() == before
