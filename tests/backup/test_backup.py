"""Backups and damaged files: checked copies, rotation, a damaged file never written to, and a
restore that brings back the last backup's data while keeping the damaged file as it was."""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import func, select

from models.backup import files as backup
from models.core.access import SYSTEM
from models.core.audit import AuditLog
from models.core.db import Database
from models.core.errors import DatabaseProblem
from models.org.service import HouseholdInput, OrganisationService
from models.org.tables import Household
from ui import app as startup


@pytest.fixture
def demo_file(templates, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    """The demo town as a closed SQLite file (its WAL folded in)."""
    db = templates.fresh("sqlite", "demo", tmp_path)
    db.dispose()
    return db.path


def households(path: Path) -> int:
    db = Database(path, read_only=True)
    try:
        with db.read() as s:
            return s.scalar(select(func.count(Household.id)))
    finally:
        db.dispose()


def add_household_after_backup(path: Path) -> None:
    db = Database(path)
    with db.read() as s:
        alley = s.scalar(select(Household.alley_id).order_by(Household.alley_id.desc()))
    OrganisationService(db, SYSTEM).add_household(alley, HouseholdInput("备份后新户"))
    db.dispose()


def zero_header(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.write(b"\x00" * 100)


def garbage_page(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        size, count = (connection.execute(f"PRAGMA {p}").fetchone()[0]
                       for p in ("page_size", "page_count"))
    connection.close()
    with path.open("r+b") as handle:
        handle.seek(size * (count // 2))
        handle.write(random.Random(7).randbytes(size))


DAMAGE = {"header zeroed": zero_header, "a page of garbage": garbage_page}


def test_backup_is_a_checked_standalone_copy(demo_file):
    made = backup.make_backup(demo_file, "手动")
    assert made.parent == demo_file.parent / "备份"
    assert backup.file_problems(made, full=True) == []
    assert households(made) == households(demo_file) == 3070
    assert not Path(f"{made}-wal").exists()
    assert [b.path for b in backup.list_backups(made.parent, demo_file.stem)] == [made]


def test_rotation_keeps_the_newest_and_one_per_month(demo_file):
    folder = backup.backup_folder(demo_file)
    source = backup.make_backup(demo_file, "手动")
    old_months = [f"2026{m:02d}15-090000" for m in range(1, 5)] + ["20260420-090000"]
    for stamp in old_months:
        shutil.copyfile(source, folder / f"{demo_file.stem}-{stamp}-000-启动.db")
    for _ in range(4):
        backup.make_backup(demo_file, "启动", keep=3)
    kept = backup.list_backups(folder, demo_file.stem)
    names = [b.path.name for b in kept]
    # the three newest start backups and the manual one (each kind keeps its own newest), and
    # the newest of Jan, Feb, Mar, Apr
    assert len(kept) == 3 + 1 + 4
    assert any("20260420" in n for n in names) and not any("20260415" in n for n in names)


def test_manual_backups_never_push_out_the_automatic_ones(demo_file):
    started = backup.make_backup(demo_file, "启动", keep=3)
    for _ in range(5):
        backup.make_backup(demo_file, "手动", keep=3)
    kept = backup.list_backups(backup.backup_folder(demo_file), demo_file.stem)
    assert started in [b.path for b in kept]
    assert [b.reason for b in kept].count("手动") == 3
    assert all(backup.codes_file(b.path).is_file() for b in kept)


def test_damaged_file_is_not_backed_up_over_good_ones(demo_file):
    good = backup.make_backup(demo_file, "启动")
    garbage_page(demo_file)
    with pytest.raises(DatabaseProblem, match="检查未通过"):
        backup.make_backup(demo_file, "退出")
    assert backup.newest_good_backup(good.parent, demo_file.stem).path == good


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damage_is_found_without_writing_to_the_file(demo_file, damage):
    damage(demo_file)
    before = demo_file.read_bytes()
    assert backup.file_problems(demo_file) and backup.file_problems(demo_file, full=True)
    assert demo_file.read_bytes() == before


def _answer_damaged_dialog(accept: bool) -> None:
    """Press a button of the damaged-database dialog once it is showing."""
    def press() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(20, press)
            return
        dialog.accept() if accept else dialog.reject()
    QTimer.singleShot(20, press)


# The offscreen platform warns about size hints whenever a dialog is shown.
@pytest.mark.qt_log_ignore("propagateSizeHints")
@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_start_up_refuses_damaged_file_and_leaves_it_unchanged(qtbot, demo_file, tmp_path, damage):
    backup.make_backup(demo_file, "启动")
    damage(demo_file)
    before = demo_file.read_bytes()
    _answer_damaged_dialog(accept=False)
    args = argparse.Namespace(demo=False, db=str(demo_file))
    assert startup.open_database(args, tmp_path / "data") is None
    assert demo_file.read_bytes() == before
    wal = Path(f"{demo_file}-wal")
    assert not wal.exists() or wal.stat().st_size == 0


@pytest.mark.qt_log_ignore("propagateSizeHints")
@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_restore_brings_back_the_last_backup_and_keeps_the_damaged_file(
        qtbot, demo_file, tmp_path, damage):
    backup.make_backup(demo_file, "退出")
    add_household_after_backup(demo_file)
    assert households(demo_file) == 3071
    damage(demo_file)
    damaged_bytes = demo_file.read_bytes()
    _answer_damaged_dialog(accept=True)
    args = argparse.Namespace(demo=False, db=str(demo_file))
    db = startup.open_database(args, tmp_path / "data")
    assert db is not None
    with db.read() as s:
        assert s.scalar(select(func.count(Household.id))) == 3070
        assert s.scalars(select(AuditLog.action).order_by(AuditLog.id.desc())).first() \
            == "从备份恢复（原文件损坏）"
    db.dispose()
    kept = list(backup.backup_folder(demo_file).glob("*-损坏-*.db"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged_bytes


def test_unclean_exit_marker(tmp_path):
    folder = tmp_path / "data"
    backup.mark_running(folder, tmp_path / "x.db")
    assert backup.ended_uncleanly(folder)
    backup.mark_clean_exit(folder)
    assert not backup.ended_uncleanly(folder)


def test_restore_command_uses_newest_good_backup(demo_file, capsys):
    from main import main

    assert main(["backup", "--db", str(demo_file)]) == 0
    add_household_after_backup(demo_file)
    zero_header(demo_file)
    assert main(["restore", "--db", str(demo_file)]) == 0
    assert households(demo_file) == 3070
    assert "原来的文件没有删除" in capsys.readouterr().out


def test_postgres_export_is_a_sqlite_copy(demo_db, tmp_path):
    if demo_db.is_sqlite:
        pytest.skip("导出是为 PostgreSQL 准备的")
    copy = backup.export_to_sqlite(demo_db, tmp_path / "导出.db")
    assert households(copy) == 3070
    assert os.path.getsize(copy) > 0


def test_restore_from_the_program_needs_the_whole_file(templates, tmp_path):
    from models.accounts.service import actor_for
    from models.backup.service import BackupService
    from models.core.errors import PermissionDenied

    db = templates.fresh("sqlite", "demo", tmp_path)
    chosen = BackupService(db, actor_for(db, "hanjia")).backup_now()
    add_household_after_backup(db.path)
    with pytest.raises(PermissionDenied):  # the file holds five other villages
        BackupService(db, actor_for(db, "hanjia")).restore(chosen)
    kept = BackupService(db, actor_for(db, "zhen-admin")).restore(chosen)
    assert households(db.path) == 3070 and households(kept) == 3071
    with db.read() as s:
        assert s.scalars(select(AuditLog.action).order_by(AuditLog.id.desc())).first() == "从备份恢复"
    db.dispose()


def test_start_backup_runs_beside_a_write_and_the_exit_waits_for_it(qtbot, demo_file, tmp_path):
    """The start backup is taken in the background while the program may already write; its
    copy is sound and holds the town as it was or with the write, and the exit backup follows."""
    folder = tmp_path / "data"
    db = startup.open_database(argparse.Namespace(demo=False, db=str(demo_file)), folder)
    assert db is not None and backup.list_backups(backup.backup_folder(demo_file), demo_file.stem) == []
    started = startup.StartBackup(db)
    with db.read() as s:
        alley = s.scalar(select(Household.alley_id).order_by(Household.alley_id.desc()))
    OrganisationService(db, SYSTEM).add_household(alley, HouseholdInput("启动时新户"))
    startup.close_database(db, folder, False, started)
    made = backup.list_backups(backup.backup_folder(demo_file), demo_file.stem)
    assert [b.reason for b in made] == ["退出", "启动"]
    assert all(backup.file_problems(b.path, full=True) == [] for b in made)
    assert households(made[1].path) in (3070, 3071) and households(made[0].path) == 3071
    assert not backup.ended_uncleanly(folder)
