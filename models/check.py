"""`check`: the database's own integrity, then every area's invariants (registered in
models.core.checks), then any verification codes given (models.core.anchors). Opens SQLite
read-only, so checking never creates or changes a file."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

import models.areas  # noqa: F401  (every area's invariants registered)
from models.core import anchors
from models.core.checks import CHECKS
from models.core.db import Database
from models.core.db_errors import explain
from models.core.errors import DatabaseProblem
from models.core.schema import current_revision, ensure_not_newer, head_revision


def _sqlite_damage(session: Session) -> list[str]:
    result = [row[0] for row in session.execute(text("PRAGMA integrity_check")).all()]
    return [] if result == ["ok"] else [f"数据库文件损坏：{line}" for line in result[:5]]


def _sqlite_broken_links(session: Session) -> list[str]:
    """Rows pointing at rows that are gone (SQLite does not enforce foreign keys for whoever
    edits the file with another tool)."""
    broken: dict[tuple[str, str], int] = {}
    for table, _rowid, parent, _key in session.execute(text("PRAGMA foreign_key_check")):
        broken[(table, parent)] = broken.get((table, parent), 0) + 1
    return [f"表 {table} 中有 {n} 条记录指向表 {parent} 中已不存在的数据（外键不一致）："
            "数据在程序之外被删除过。" for (table, parent), n in sorted(broken.items())]


def run_checks(db: Database, codes: dict[str, str] | None = None) -> list[str]:
    """Everything wrong with the database, in plain Chinese; an empty list means all is well.
    `codes` (reference → verification code, from paper or a backup's codes file) are checked
    against the chains too: what the file alone cannot show (a chain re-computed after an
    edit, rows cut off its end) shows against them."""
    try:
        revision = current_revision(db)
        if revision is None:
            return ["这不是村治通的数据库（没有版本信息），或者数据库是空的。"]
        ensure_not_newer(db, revision)
        problems = []
        if revision != head_revision(db):
            problems.append(f"数据库版本 {revision} 较旧，请用本程序打开一次以完成升级。")
        with db.read() as session:
            if db.is_sqlite:
                damage = _sqlite_damage(session)
                if damage:
                    return problems + damage  # a damaged file: nothing else can be trusted
                problems += _sqlite_broken_links(session)
            for check in CHECKS:
                problems += check(session)
            problems += anchors.verify(session, codes or {})
        return problems
    except DatabaseProblem as problem:
        return [str(problem)]
    except DBAPIError as error:
        return [f"无法读取数据库：{explain(error)}程序没有修改它。"]
