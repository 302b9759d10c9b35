"""selftest: is this installation complete? Every page of the window, off screen, on a database."""

from __future__ import annotations

import argparse
import os
import sys

from commands.common import add_command, add_db_argument, data_folder, database_target
from models.core.db import Database
from models.core.errors import DatabaseProblem
from models.core.schema import current_revision, ensure_not_newer, head_revision, require_ours


def register(sub: argparse._SubParsersAction) -> None:
    test = add_command(sub, "selftest")
    add_db_argument(test)
    test.set_defaults(action=cmd_selftest)


def require_current(db: Database) -> None:
    """The pages read the current schema; the self-test migrates nothing (it writes nothing)."""
    require_ours(db)
    revision = current_revision(db)
    ensure_not_newer(db, revision)
    if revision != head_revision(db):
        raise DatabaseProblem(f"数据库“{db.describe()}”还是旧版本的格式：用村治通打开一次就会升级"
                              "（升级前自动备份），然后再自检。自检没有修改它。")


def cmd_selftest(args: argparse.Namespace) -> int:
    # Off screen unless told otherwise, so the check runs the same at a desk, over SSH and in CI.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    db = Database(database_target(args), read_only=True)
    try:
        require_current(db)
        from ui.selftest import open_every_page

        result = open_every_page(db, db.path.parent if db.path else data_folder())
    finally:
        db.dispose()
    print(f"已打开 {len(result.opened)} 个页面：{'、'.join(result.opened)}")
    for problem in result.problems:
        print(f"  - {problem}", file=sys.stderr)
    if result.problems:
        print(f"安装自检未通过：{len(result.problems)} 个问题。", file=sys.stderr)
        return 1
    print(f"安装自检通过：{db.describe()}")
    return 0
