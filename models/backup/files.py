"""Backups of the SQLite file and checks of damaged files. No Qt: used by the program's start and
exit, the backup page and `main.py backup` / `restore`.

A backup is taken through SQLite's online backup API (consistent while the program runs), turned
into a self-contained single file, checked with quick_check and only then given its final name.
Rotation keeps the newest few and the newest of every month."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, insert, select

from models.core import clock
from models.core.db import SQLITE_MAGIC, Database
from models.core.errors import DatabaseProblem

FOLDER_NAME = "备份"
KEEP_RECENT = 10
MARKER_NAME = "cunzhi.running"
_STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<ms>\d{3})-(?P<reason>[^-]+)\.db$")
_COMPANIONS = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime
    reason: str

    @property
    def size_kb(self) -> int:
        return max(1, self.path.stat().st_size // 1024)


def backup_folder(db_path: Path) -> Path:
    return db_path.parent / FOLDER_NAME


# ---- checking a file without changing it -------------------------------------------------
def file_problems(path: Path, *, full: bool = False) -> list[str]:
    """What is wrong with a SQLite file, in plain Chinese; empty when it is sound. Opens the
    file read-only: the database file itself is never written."""
    if not path.exists():
        return [f"找不到数据库文件“{path}”。"]
    with path.open("rb") as handle:
        header = handle.read(16)
    if header != SQLITE_MAGIC:
        return ["数据库文件的开头被破坏了（文件头不对），程序无法读取它。"]
    try:
        connection = sqlite3.connect(_read_only_uri(path), uri=True)
        try:
            pragma = "integrity_check" if full else "quick_check"
            lines = [row[0] for row in connection.execute(f"PRAGMA {pragma}")]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return [f"数据库文件已损坏，无法读取（{_plain(error)}）。"]
    if lines == ["ok"]:
        return []
    return [f"数据库文件中有损坏的部分（共发现 {len(lines)} 处问题）。"]


def _read_only_uri(path: Path) -> str:
    """Without a WAL file there is nothing but the file itself to read: `immutable` then keeps
    SQLite from creating even empty -wal/-shm companions beside a file under suspicion."""
    wal = path.with_name(path.name + "-wal")
    has_wal = wal.exists() and wal.stat().st_size > 0
    return f"file:{path}?mode=ro" + ("" if has_wal else "&immutable=1")


def _plain(error: sqlite3.DatabaseError) -> str:
    text = str(error)
    return {"file is not a database": "不是数据库文件",
            "database disk image is malformed": "文件内容损坏"}.get(text, text)


# ---- taking and rotating backups ---------------------------------------------------------
def make_backup(db_path: Path, reason: str, folder: Path | None = None,
                *, keep: int = KEEP_RECENT, live: bool = False) -> Path:
    """Copy the database into the backup folder, check the copy, then rotate. Refuses to
    back up a damaged file, so a bad copy never pushes a good one out of the rotation.
    `live`: the program may write to the file meanwhile (the start backup runs beside the
    window), so the copy reads it as a changing file in one read transaction."""
    folder = folder or backup_folder(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    now = clock.now()
    final = folder / f"{db_path.stem}-{now.strftime(_STAMP)}-{now.microsecond // 1000:03d}-{reason}.db"
    partial = final.with_suffix(".part")
    partial.unlink(missing_ok=True)
    try:
        _copy(db_path, partial, live=live)
        problems = file_problems(partial)
        if problems:
            raise DatabaseProblem("备份副本检查未通过：" + problems[0] + "没有保存这份备份。")
        write_codes(partial, codes_file(final), f"{db_path.name} 的备份 {final.name}")
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    rotate(folder, db_path.stem, keep=keep)
    return final


def codes_file(backup: Path) -> Path:
    """Where a backup's verification codes are written: beside it, as text."""
    return backup.with_name(backup.stem + ".codes.txt")


def write_codes(copy: Path, target: Path, heading: str) -> Path | None:
    """The code of every chain head in a backup copy (models.core.anchors), for `check --codes`:
    kept away from the database (printed, or on another disk), it finds a chain re-computed or
    cut short later. A copy from an older program version has no chains to write."""
    import models.areas  # noqa: F401  (every ledger's anchors registered)
    from models.core import anchors
    from models.core.schema import is_current

    db = Database(copy, read_only=True)
    try:
        if not is_current(db):
            return None
        with db.read() as session:
            return anchors.write(target, anchors.current(session), heading)
    finally:
        db.dispose()


def _copy(source: Path, destination: Path, *, live: bool = False) -> None:
    uri = f"file:{source}?mode=ro" if live else _read_only_uri(source)
    try:
        src = sqlite3.connect(uri, uri=True)
        dst = sqlite3.connect(destination)
        try:
            src.backup(dst)
            # A backup is one self-contained file, not a WAL database needing companions.
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
            src.close()
    except sqlite3.DatabaseError as error:
        raise DatabaseProblem(f"无法备份数据库：{_plain(error)}。") from None


def list_backups(folder: Path, stem: str) -> list[BackupFile]:
    """The rotated backups of one database, newest first."""
    found = []
    for path in folder.glob(f"{stem}-*.db") if folder.is_dir() else ():
        match = _NAME.match(path.name)
        if match and match["stem"] == stem:
            taken = datetime.strptime(match["stamp"], _STAMP).replace(
                microsecond=int(match["ms"]) * 1000)
            found.append(BackupFile(path, taken, match["reason"]))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def rotate(folder: Path, stem: str, *, keep: int = KEEP_RECENT) -> list[Path]:
    """Keep the newest `keep` backups of each kind (manual ones never push out those taken at
    start and exit) and the newest one of every month; delete the rest."""
    backups = list_backups(folder, stem)
    by_reason: dict[str, list[Path]] = {}
    for backup in backups:  # newest first
        by_reason.setdefault(backup.reason, []).append(backup.path)
    kept = {path for paths in by_reason.values() for path in paths[:keep]}
    months: set[str] = set()
    for backup in backups:
        month = backup.taken_at.strftime("%Y%m")
        if month not in months:
            months.add(month)
            kept.add(backup.path)
    removed = [b.path for b in backups if b.path not in kept]
    for path in removed:
        path.unlink(missing_ok=True)
        codes_file(path).unlink(missing_ok=True)
    return removed


def newest_good_backup(folder: Path, stem: str) -> BackupFile | None:
    for backup in list_backups(folder, stem):
        if not file_problems(backup.path):
            return backup
    return None


# ---- restoring ---------------------------------------------------------------------------
def restore(backup: Path, db_path: Path, *, label: str = "恢复前") -> Path | None:
    """Put a checked backup in the database's place. The file it replaces is kept as it is
    (moved, with its WAL companions, into the backup folder); returns where it was kept.
    The database must not be open while this runs."""
    problems = file_problems(backup)
    if problems:
        raise DatabaseProblem(f"备份“{backup.name}”本身有问题，不能用来恢复：{problems[0]}")
    kept = None
    if db_path.exists():
        folder = backup_folder(db_path)
        folder.mkdir(parents=True, exist_ok=True)
        kept = folder / f"{db_path.stem}-{label}-{clock.now().strftime(_STAMP)}.db"
        os.replace(db_path, kept)
        for suffix in _COMPANIONS:
            companion = db_path.with_name(db_path.name + suffix)
            if companion.exists():
                os.replace(companion, kept.with_name(kept.name + suffix))
    partial = db_path.with_name(db_path.name + ".restoring")
    db_path.parent.mkdir(parents=True, exist_ok=True)  # a data folder not made yet
    shutil.copyfile(backup, partial)
    os.replace(partial, db_path)
    return kept


# ---- was the last run ended cleanly? -----------------------------------------------------
def mark_running(data_folder: Path, db_path: Path) -> None:
    data_folder.mkdir(parents=True, exist_ok=True)
    (data_folder / MARKER_NAME).write_text(str(db_path), encoding="utf-8")


def ended_uncleanly(data_folder: Path) -> bool:
    return (data_folder / MARKER_NAME).exists()


def mark_clean_exit(data_folder: Path) -> None:
    (data_folder / MARKER_NAME).unlink(missing_ok=True)


# ---- PostgreSQL: the server backs itself up; we offer a portable copy ------------------
POSTGRES_ADVICE = ("数据保存在 PostgreSQL 服务器上，请由服务器管理员用 pg_dump 定期备份"
                   "（例如：pg_dump -Fc 数据库名 > 备份文件）。本程序可以另外导出一份 SQLite 副本。")


def export_to_sqlite(db: Database, destination: Path) -> Path:
    """Copy every table of any database into a new SQLite file that this program can open."""
    from models.areas import metadata
    from models.core.schema import migrate

    if destination.exists():
        raise DatabaseProblem(f"文件“{destination.name}”已经存在，请换一个文件名。")
    copy = Database(destination)
    try:
        migrate(copy)
        with db.read() as source, copy.write() as target:
            # The fresh copy's migrations seed defaults (e.g. the rules catalogue): the source's
            # own rows replace them.
            for table in reversed(metadata.sorted_tables):
                target.execute(delete(table))
            for table in metadata.sorted_tables:
                rows = [dict(row) for row in source.execute(select(table)).mappings()]
                if rows:
                    target.execute(insert(table), rows)
    finally:
        copy.dispose()
    return destination
