"""村治通 — start the program, or run an admin command: `python main.py COMMAND --db …`."""

from __future__ import annotations

import argparse
import sys

from commands import backup, org, points, printing, roster, store
from commands.common import ChineseArgumentParser, add_db_argument, run_guarded

COMMAND_GROUPS = (org, roster, points, store, printing, backup)


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="main.py", description="村治通：农村人居环境“五级架构”管理")
    add_db_argument(parser)
    parser.add_argument("--demo", action="store_true", help="在一份新的演示数据上打开程序")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for group in COMMAND_GROUPS:
        group.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        from ui.app import run

        return run(args)
    return run_guarded(args.action, args)


if __name__ == "__main__":
    sys.exit(main())
