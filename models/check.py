"""`check`: the database's own integrity, then the program's invariants. Opens SQLite read-only,
so checking never creates or changes a file."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from models import settings
from models.db import Database
from models.errors import DatabaseProblem
from models.org import Alley, Household, Zone
from models.schema import current_revision, ensure_not_newer, head_revision

Check = Callable[[Session], list[str]]
CHECKS: list[Check] = []


def invariant(check: Check) -> Check:
    """Register an invariant; each returns plain Chinese descriptions of what is wrong."""
    CHECKS.append(check)
    return check


@invariant
def alley_caps(session: Session) -> list[str]:
    cap = settings.get(session, settings.ALLEY_HOUSEHOLD_CAP)
    rows = session.execute(
        select(Alley.name, func.count(Household.id)).join(Household, Household.alley_id == Alley.id)
        .where(Household.removed_on.is_(None)).group_by(Alley.id, Alley.name)
        .having(func.count(Household.id) > cap)).all()
    return [f"胡同“{name}”有 {n} 户，超过上限 {cap} 户。" for name, n in rows]


@invariant
def zone_caps(session: Session) -> list[str]:
    cap = settings.get(session, settings.ZONE_HOUSEHOLD_CAP)
    rows = session.execute(
        select(Zone.name, func.count(Household.id)).join(Alley, Alley.zone_id == Zone.id)
        .join(Household, Household.alley_id == Alley.id).where(Household.removed_on.is_(None))
        .group_by(Zone.id, Zone.name).having(func.count(Household.id) > cap)).all()
    return [f"片区“{name}”有 {n} 户，超过上限 {cap} 户。" for name, n in rows]


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

# Each feature's invariants register themselves on import; they need `invariant` defined above.
import models.goods_checks  # noqa: E402
import models.points_check  # noqa: E402
import models.ranking_check  # noqa: E402,F401
