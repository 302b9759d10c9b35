"""selftest: is this installation complete? Every page of the window, off screen, on a database."""

from __future__ import annotations

import argparse
import os
import sys

from commands.common import add_command, add_db_argument, data_folder, default_database
from models.core.db import Database


def register(sub: argparse._SubParsersAction) -> None:
    test = add_command(sub, "selftest")
    add_db_argument(test)
    test.set_defaults(action=cmd_selftest)


def cmd_selftest(args: argparse.Namespace) -> int:
    # Off screen unless told otherwise, so the check runs the same at a desk, over SSH and in CI.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.selftest import open_every_page

    db = Database(args.db or default_database(), read_only=True)
    result = open_every_page(db, data_folder())
    db.dispose()
    print(f"已打开 {len(result.opened)} 个页面：{'、'.join(result.opened)}")
    for problem in result.problems:
        print(f"  - {problem}", file=sys.stderr)
    if result.problems:
        print(f"安装自检未通过：{len(result.problems)} 个问题。", file=sys.stderr)
        return 1
    print(f"安装自检通过：{db.describe()}")
    return 0
