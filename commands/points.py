"""year-close: the points bank's year end."""

from __future__ import annotations

import argparse

from commands.common import add_command, add_db_argument, open_database, year
from models.core.access import SYSTEM
from models.points.service import PointsService


def register(sub: argparse._SubParsersAction) -> None:
    close = add_command(sub, "year-close")
    add_db_argument(close)
    close.add_argument("--year", type=year, required=True, help="要结转的年度，例如 2025")
    close.set_defaults(action=cmd_year_close)


def cmd_year_close(args: argparse.Namespace) -> int:
    db = open_database(args)
    result = PointsService(db, SYSTEM).close_year(args.year)
    if result.already_closed:
        print(f"{args.year}年度已经结转过，本次没有做任何修改。")
    else:
        print(f"{args.year}年度结转完成：关闭存折 {result.closed} 本，"
              f"{args.year + 1}年度开户 {result.opened} 本。")
    return 0
