"""`check`: the database's own integrity, then every area's invariants (registered in
models.core.checks). Opens SQLite read-only, so checking never creates or changes a file."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

import models.areas  # noqa: F401  (every area's invariants registered)
from models.core.checks import CHECKS
from models.core.db import Database
from models.core.errors import DatabaseProblem
from models.core.schema import current_revision, ensure_not_newer, head_revision


def _sqlite_integrity(session: Session) -> list[str]:
    result = [row[0] for row in session.execute(text("PRAGMA integrity_check")).all()]
    problems = [] if result == ["ok"] else [f"数据库文件损坏：{line}" for line in result[:5]]
    broken_links = session.execute(text("PRAGMA foreign_key_check")).all()
    if broken_links:
        problems.append(f"有 {len(broken_links)} 条记录指向不存在的数据（外键不一致）。")
    return problems


def run_checks(db: Database) -> list[str]:
    """Everything wrong with the database, in plain Chinese; an empty list means all is well."""
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
                problems += _sqlite_integrity(session)
                if problems:
                    return problems
            for check in CHECKS:
                problems += check(session)
        return problems
    except DatabaseProblem as problem:
        return [str(problem)]
    except DBAPIError as error:
        return [f"无法读取数据库：{_plain(error)}。文件可能已损坏。程序没有修改它。"]


def _plain(error: DBAPIError) -> str:
    message = str(error.orig) if error.orig else str(error)
    return {
        "file is not a database": "文件不是数据库或已损坏",
        "database disk image is malformed": "数据库文件已损坏",
    }.get(message, message)
