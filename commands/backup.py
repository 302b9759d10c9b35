"""backup and restore of the SQLite database file (PostgreSQL: the server's pg_dump, or an export)."""

from __future__ import annotations

import argparse
from pathlib import Path

from commands.common import (
    add_command,
    add_db_argument,
    database_target,
    fail,
    input_file,
    output_file,
)
from models.backup import files as backup
from models.core.db import Database, is_url, to_url
from models.core.errors import ValidationError
from models.core.schema import require_ours


def register(sub: argparse._SubParsersAction) -> None:
    make = add_command(sub, "backup")
    add_db_argument(make)
    make.add_argument("--list", action="store_true", help="列出已有的备份")
    make.add_argument("--export", metavar="文件", help="PostgreSQL：导出一份 SQLite 副本到该文件（.db）")
    make.set_defaults(action=cmd_backup)

    back = add_command(sub, "restore")
    add_db_argument(back)
    back.add_argument("file", nargs="?", help="要恢复的备份文件（默认：最新的完好备份）")
    back.set_defaults(action=cmd_restore)


def _target(args: argparse.Namespace) -> Database:
    """This program's database, opened read-only and not migrated: a backup must work on a
    file as it is."""
    db = Database(database_target(args), read_only=True)
    try:
        require_ours(db)
    except BaseException:
        db.dispose()
        raise
    return db


def cmd_backup(args: argparse.Namespace) -> int:
    export = _export_file(args.export) if args.export else None
    db = _target(args)
    try:
        if db.path is None:
            print(backup.POSTGRES_ADVICE)
            if export:
                print(f"已导出：{backup.export_to_sqlite(db, export)}")
            return 0
        if export:
            return fail("--export 只用于 PostgreSQL 数据库；SQLite 数据库请直接备份。")
        folder = backup.backup_folder(db.path)
        if args.list:
            found = backup.list_backups(folder, db.path.stem)
            for item in found:
                print(f"{item.taken_at:%Y-%m-%d %H:%M:%S}  {item.reason:4}  {item.size_kb:>8} KB  "
                      f"{item.path}")
            print(f"共 {len(found)} 份备份，在“{folder}”。")
            return 0
        made = backup.make_backup(db.path, "手动")
    finally:
        db.dispose()
    print(f"已备份并检查通过：{made}")
    return 0


def _export_file(text: str) -> Path:
    path = output_file(text, ".db")
    if path.exists():
        raise ValidationError(f"文件“{path.name}”已经存在，请换一个文件名。")
    return path


def cmd_restore(args: argparse.Namespace) -> int:
    target = database_target(args)
    if is_url(target):
        to_url(target)  # an address that cannot be used is said so first
        return fail("PostgreSQL 数据库请用服务器的 pg_restore 恢复。")
    target = Path(target).expanduser().resolve()
    if target.is_dir():
        return fail(f"“{target}”是一个文件夹，不是数据库文件。")
    if not target.parent.is_dir():
        return fail(f"文件夹“{target.parent}”不存在。")
    if args.file:
        chosen = input_file(args.file)
    else:
        newest = backup.newest_good_backup(backup.backup_folder(target), target.stem)
        if newest is None:
            return fail(f"在“{backup.backup_folder(target)}”中没有找到完好的备份。")
        chosen = newest.path
    kept = backup.restore(chosen, target)
    print(f"已用备份“{chosen.name}”恢复数据库：{target}")
    if kept:
        print(f"原来的文件没有删除，保存在：{kept}")
    return 0
