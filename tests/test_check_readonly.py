"""`check` never creates or changes a file: a database at rest is read `immutable`, one in use
through its own -wal/-shm, a crash's leftover -wal from a private copy."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from main import main
from models.core.db import Database


def listing(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def demo_file(templates, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "cunzhi.db"
    shutil.copyfile(templates.template("sqlite", "demo"), path)
    with sqlite3.connect(path) as connection:  # the copy is a WAL database at rest
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    connection.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cunzhi.db"]
    return path


def test_check_leaves_a_wal_database_at_rest_byte_identical(demo_file: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    before = listing(demo_file.parent)
    assert main(["check", "--db", str(demo_file)]) == 0
    assert "检查通过" in capsys.readouterr().out
    assert listing(demo_file.parent) == before


def test_check_beside_the_running_program_adds_nothing(demo_file: Path) -> None:
    running = Database(demo_file)  # the program has it open: -wal and -shm exist
    try:
        with running.read() as s:
            s.connection()
        names = sorted(p.name for p in demo_file.parent.iterdir())
        assert names == ["cunzhi.db", "cunzhi.db-shm", "cunzhi.db-wal"]
        stored = demo_file.read_bytes()
        assert main(["check", "--db", str(demo_file)]) == 0
        assert sorted(p.name for p in demo_file.parent.iterdir()) == names
        assert demo_file.read_bytes() == stored
    finally:
        running.dispose()


def test_check_reads_a_crashs_leftover_wal_from_a_copy(demo_file: Path, tmp_path: Path) -> None:
    """A -wal without its -shm (a crash): its committed rows count, and nothing is written."""
    writer = sqlite3.connect(demo_file)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE setting SET value = value WHERE 0")  # opens the log
    writer.execute("CREATE TABLE scratch_after_crash (x)")
    writer.commit()
    saved = {p.name: p.read_bytes() for p in demo_file.parent.iterdir()}
    writer.close()  # removes -wal and -shm: put back the -wal alone, as a crash leaves it
    (tmp_path / "cunzhi.db").write_bytes(saved["cunzhi.db"])
    (tmp_path / "cunzhi.db-wal").write_bytes(saved["cunzhi.db-wal"])
    before = listing(tmp_path)
    db = Database(demo_file, read_only=True)
    try:
        with db.read() as s:
            tables = s.connection().exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE name = 'scratch_after_crash'").all()
    finally:
        db.dispose()
    assert tables, "the -wal's committed table was not read"
    assert listing(tmp_path) == before
