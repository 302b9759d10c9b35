"""backup and restore of the SQLite database file (PostgreSQL: the server's pg_dump, or an export)."""

from __future__ import annotations

import argparse
from pathlib import Path

from commands.common import add_command, add_db_argument, default_database, fail
from models.backup import files as backup
from models.core.db import Database


def register(sub: argparse._SubParsersAction) -> None:
    make = add_command(sub, "backup")
    add_db_argument(make)
    make.add_argument("--list", action="store_true", help="列出已有的备份")
    make.add_argument("--export", metavar="文件", help="PostgreSQL：导出一份 SQLite 副本到该文件")
    make.set_defaults(action=cmd_backup)

    back = add_command(sub, "restore")
    add_db_argument(back)
    back.add_argument("file", nargs="?", help="要恢复的备份文件（默认：最新的完好备份）")
    back.set_defaults(action=cmd_restore)


def _target(args: argparse.Namespace) -> Database:
    # Not opened for writing and not migrated: a backup must work on a file as it is.
    return Database(args.db or default_database(), read_only=True)


def cmd_backup(args: argparse.Namespace) -> int:
    db = _target(args)
    if db.path is None:
        print(backup.POSTGRES_ADVICE)
        if args.export:
            print(f"已导出：{backup.export_to_sqlite(db, Path(args.export))}")
        return 0
    folder = backup.backup_folder(db.path)
    if args.list:
        found = backup.list_backups(folder, db.path.stem)
        for item in found:
            print(f"{item.taken_at:%Y-%m-%d %H:%M:%S}  {item.reason:4}  {item.size_kb:>8} KB  {item.path}")
        print(f"共 {len(found)} 份备份，在“{folder}”。")
        return 0
    made = backup.make_backup(db.path, "手动")
    print(f"已备份并检查通过：{made}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    target = Path(args.db or default_database())
    if "://" in str(target):
        return fail("PostgreSQL 数据库请用服务器的 pg_restore 恢复。")
    target = target.expanduser().resolve()
    if args.file:
        chosen = Path(args.file)
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
