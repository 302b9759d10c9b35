"""The machine-wide data folder, and the one-time move of a database from the older per-user
folder into it: with its backups, evidence and log, the WAL's last writes included, once, never
over another database, and cleanly again after an interrupted move."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from models.backup import files as backup
from models.check import run_checks
from models.core import data_folder
from models.core.data_folder import DATABASE_NAME, MOVED_NOTE, move_legacy_data, settle
from models.core.db import Database
from models.core.schema import migrate
from tests.backup.test_backup import households

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def folders(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    """An older per-user folder and the machine's folder, the way settle() finds them."""
    old, new = tmp_path / "home" / ".local" / "share" / "cunzhi", tmp_path / "var-lib-cunzhi"
    monkeypatch.delenv("CUNZHI_DATA", raising=False)
    monkeypatch.setattr(data_folder, "legacy_folder", lambda: old)
    monkeypatch.setattr(data_folder, "machine_folder", lambda: new)
    return old, new


@pytest.fixture
def old_data(folders, templates, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """The demo town in the old folder as the program left it: database, two backups, a piece
    of evidence, the log."""
    old, _new = folders
    old.mkdir(parents=True)
    db = templates.fresh("sqlite", "demo", tmp_path)
    db.dispose()
    shutil.move(db.path, old / DATABASE_NAME)
    backup.make_backup(old / DATABASE_NAME, "手动")
    backup.make_backup(old / DATABASE_NAME, "退出")
    (old / "证据" / "ab").mkdir(parents=True)
    (old / "证据" / "ab" / "abcdef.jpg").write_bytes(b"\xff\xd8 a photo")
    (old / "cunzhi.log").write_text("2026-11-30 启动\n", encoding="utf-8")
    return old


def test_linux_uses_the_shared_folder_when_this_user_may_write_there(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    shared = tmp_path / "var" / "lib" / "cunzhi"
    monkeypatch.setattr(data_folder, "LINUX_SHARED_FOLDER", shared)
    assert data_folder.machine_folder() == tmp_path / "xdg" / "cunzhi"  # not there: the user's own
    shared.mkdir(parents=True)
    assert data_folder.machine_folder() == shared
    if os.geteuid() != 0:  # root may write anywhere
        shared.chmod(0o555)
        assert data_folder.machine_folder() == tmp_path / "xdg" / "cunzhi"


def test_windows_uses_program_data_for_every_account(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(data_folder, "_registry_data_folder", lambda: None)
    monkeypatch.setenv("ProgramData", str(tmp_path / "ProgramData"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "Users" / "wenshu" / "AppData" / "Roaming"))
    assert data_folder.machine_folder() == tmp_path / "ProgramData" / "村治通"
    assert data_folder.legacy_folder() == tmp_path / "Users" / "wenshu" / "AppData" / "Roaming" / "cunzhi"
    monkeypatch.setattr(data_folder, "_registry_data_folder", lambda: r"D:\村治通数据")
    assert data_folder.machine_folder() == Path(r"D:\村治通数据")


def test_cunzhi_data_overrides_and_moves_nothing(old_data, tmp_path, monkeypatch):
    monkeypatch.setenv("CUNZHI_DATA", str(tmp_path / "portable"))
    folder, move = settle()
    assert folder == tmp_path / "portable" and move.moved == [] and (old_data / DATABASE_NAME).exists()
    assert folder.is_dir()  # made, so that a first database can go in


def test_the_old_database_moves_once_with_its_backups_evidence_and_log(folders, old_data):
    old, new = folders
    before = households(old / DATABASE_NAME)
    folder, move = settle()
    assert folder == new and move.left == ""
    assert sorted(move.moved) == sorted(["cunzhi.db", "cunzhi.log", "备份", "证据"])
    assert households(new / DATABASE_NAME) == before == 3070
    assert run_checks(Database(new / DATABASE_NAME, read_only=True)) == []
    moved_backups = backup.list_backups(backup.backup_folder(new / DATABASE_NAME), "cunzhi")
    assert sorted(b.reason for b in moved_backups) == ["手动", "退出"]
    assert all(backup.file_problems(b.path) == [] for b in moved_backups)
    assert (new / "证据" / "ab" / "abcdef.jpg").read_bytes() == b"\xff\xd8 a photo"
    assert [p.name for p in old.iterdir()] == [MOVED_NOTE]
    assert str(new) in (old / MOVED_NOTE).read_text(encoding="utf-8")
    # Once: the next start finds nothing to move and the database where it was put.
    assert settle() == (new, data_folder.Move())
    assert households(new / DATABASE_NAME) == 3070


def test_writes_still_in_the_write_ahead_log_move_with_the_database(folders):
    """A program that ended without closing leaves its last writes in cunzhi.db-wal."""
    old, new = folders
    old.mkdir(parents=True)
    live = old.parent / "live.db"
    connection = sqlite3.connect(live)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE points (amount INTEGER)")
    connection.execute("INSERT INTO points VALUES (30)")
    connection.commit()
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("INSERT INTO points VALUES (5)")  # only in the WAL
    connection.commit()
    shutil.copyfile(live, old / DATABASE_NAME)  # the files as a crash leaves them
    shutil.copyfile(live.with_name("live.db-wal"), old / f"{DATABASE_NAME}-wal")
    connection.close()
    assert (old / f"{DATABASE_NAME}-wal").stat().st_size > 0
    settle()
    moved = sqlite3.connect(new / DATABASE_NAME)
    assert moved.execute("SELECT sum(amount) FROM points").fetchone() == (35,)
    moved.close()
    assert not (old / DATABASE_NAME).exists() and not (old / f"{DATABASE_NAME}-wal").exists()


def test_a_database_already_in_the_machine_folder_is_never_overwritten(folders, old_data):
    old, new = folders
    new.mkdir(parents=True)
    (new / DATABASE_NAME).write_bytes(b"the office's database")
    folder, move = settle()
    assert folder == new and move.moved == [] and str(old) in move.left
    assert (new / DATABASE_NAME).read_bytes() == b"the office's database"
    assert households(old / DATABASE_NAME) == 3070 and not (old / MOVED_NOTE).exists()


def test_an_interrupted_move_keeps_using_the_old_folder_and_finishes_next_time(folders, old_data,
                                                                                  monkeypatch):
    old, new = folders
    real_copy = shutil.copyfile

    def disk_full_at_the_database(source, target, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(source).name == DATABASE_NAME:
            raise OSError(28, "No space left on device")
        return real_copy(source, target, *args, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", disk_full_at_the_database)
    folder, move = settle()
    assert folder == old and "No space left on device" in move.left
    assert not (new / DATABASE_NAME).exists() and households(old / DATABASE_NAME) == 3070
    monkeypatch.setattr(shutil, "copyfile", real_copy)
    folder, move = settle()
    assert folder == new and move.moved == ["cunzhi.db"]
    assert households(new / DATABASE_NAME) == 3070
    assert len(backup.list_backups(new / "备份", "cunzhi")) == 2
    assert not list(new.rglob("*.移动中"))


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_moved_files_take_the_new_folders_permissions(folders, old_data):
    """Copies, not renames: a file private to its old owner becomes the office's."""
    old, new = folders
    (old / DATABASE_NAME).chmod(0o600)
    previous = os.umask(0o002)  # what a shared folder's users run with
    try:
        move_legacy_data(old, new)
    finally:
        os.umask(previous)
    assert (new / DATABASE_NAME).stat().st_mode & 0o777 == 0o664


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux shared folder")
def test_the_command_line_uses_the_moved_database(tmp_path):
    """`main.py stats` without --db: the machine folder, after the move (said on stderr)."""
    old = tmp_path / "xdg" / "cunzhi"
    old.mkdir(parents=True)
    demo = subprocess.run([sys.executable, str(ROOT / "main.py"), "demo", "--db", str(old / DATABASE_NAME)],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    assert demo.returncode == 0
    code = ("import sys; from models.core import data_folder as f; from pathlib import Path;"
            f"f.LINUX_SHARED_FOLDER = Path({str(tmp_path / 'shared')!r});"
            "sys.argv = ['main.py', 'stats']; import main; sys.exit(main.main())")
    (tmp_path / "shared").mkdir()
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "xdg")}
    env.pop("CUNZHI_DATA", None)
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env,
                         check=False)
    assert run.returncode == 0, run.stderr
    assert '"households": 3070' in run.stdout and "移到" in run.stderr
    assert (tmp_path / "shared" / DATABASE_NAME).exists() and not (old / DATABASE_NAME).exists()


def test_a_different_file_already_in_the_machine_folder_keeps_both(folders, old_data):
    _old, new = folders
    new.mkdir(parents=True)
    (new / "cunzhi.log").write_text("新位置的日志\n", encoding="utf-8")
    settle()
    assert (new / "cunzhi.log").read_text(encoding="utf-8") == "新位置的日志\n"
    assert (new / "cunzhi.log.旧").read_text(encoding="utf-8") == "2026-11-30 启动\n"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_in_the_linux_shared_folder_a_new_database_is_the_groups(tmp_path, monkeypatch):
    """/var/lib/cunzhi is shared by the group cunzhi: the database one account creates, and
    the backup folder, the others may write (SQLite alone would make the file 0644)."""
    shared = tmp_path / "var-lib-cunzhi"
    shared.mkdir()
    monkeypatch.delenv("CUNZHI_DATA", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(data_folder, "LINUX_SHARED_FOLDER", shared)
    monkeypatch.setattr(data_folder, "legacy_folder", lambda: tmp_path / "nothing-here")
    previous = os.umask(0o022)
    try:
        folder, _move = settle()
        db = Database(folder / DATABASE_NAME)
        migrate(db)
        db.dispose()
        made = backup.make_backup(folder / DATABASE_NAME, "手动")
    finally:
        os.umask(previous)
    assert folder == shared
    assert (shared / DATABASE_NAME).stat().st_mode & 0o060 == 0o060
    assert made.parent.stat().st_mode & 0o070 == 0o070


def test_a_database_from_another_pc_comes_in_through_restore(templates, tmp_path, monkeypatch):
    """The README's way to bring a database into the machine's folder, even one not made yet:
    `restore FILE` checks it, copies it in and keeps what it replaces."""
    brought = templates.fresh("sqlite", "demo", tmp_path)
    brought.dispose()
    env = {**os.environ, "CUNZHI_DATA": str(tmp_path / "data")}
    run = subprocess.run([sys.executable, str(ROOT / "main.py"), "restore", str(brought.path)], cwd=ROOT,
                         env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert households(tmp_path / "data" / DATABASE_NAME) == 3070
