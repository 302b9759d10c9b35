"""year-close: the points bank's year end."""

from __future__ import annotations

import argparse

from pathlib import Path

from commands.common import add_command, add_db_argument, data_folder, open_database, year
from models.core.access import SYSTEM
from models.points.service import PointsService


def register(sub: argparse._SubParsersAction) -> None:
    close = add_command(sub, "year-close")
    add_db_argument(close)
    close.add_argument("--year", type=year, required=True, help="要结转的年度，例如 2025")
    close.set_defaults(action=cmd_year_close)

    files = add_command(sub, "import-evidence")
    add_db_argument(files)
    files.add_argument("--folder", type=Path, metavar="文件夹",
                       help="从前保存证据的数据文件夹（默认：本机的数据文件夹）")
    files.set_defaults(action=cmd_import_evidence)


def cmd_import_evidence(args: argparse.Namespace) -> int:
    folder = args.folder or data_folder()
    done = PointsService(open_database(args), SYSTEM).import_evidence(folder)
    print(f"已把 {done.imported} 个证据文件存入数据库（来自“{folder}”）。")
    if done.missing:
        print(f"还有 {len(done.missing)} 个证据文件不在这个文件夹里（可能在别的电脑上）：")
        for recorded in done.missing[:20]:
            print(f"  {recorded}")
    return 0


def cmd_year_close(args: argparse.Namespace) -> int:
    db = open_database(args)
    result = PointsService(db, SYSTEM).close_year(args.year)
    if result.already_closed:
        print(f"{args.year}年度已经结转过，本次没有做任何修改。")
    else:
        print(f"{args.year}年度结转完成：关闭存折 {result.closed} 本，"
              f"{args.year + 1}年度开户 {result.opened} 本。")
    return 0
