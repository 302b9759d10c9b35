"""The schema as alembic migrations: upgrade on open, refuse a database from a newer program,
and back up a SQLite file before any migration touches it.

alembic (≈0.1 s and 12 MiB to import) is loaded only when the database is not already at this
program's head revision: the everyday start reads the stored revision with one query and the
head from the revision files' own `revision` / `down_revision` lines."""

from __future__ import annotations

import ast
import functools
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from models.core import clock, privileges
from models.core.db import VERSION_TABLE, Database
from models.core.db_errors import translated
from models.core.errors import DatabaseProblem

if TYPE_CHECKING:
    from alembic.config import Config

# One linear history for every area, in models/migrations (env.py loads models.areas' metadata).
MIGRATIONS = Path(__file__).parent.parent / "migrations"



def _config(db: Database) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database"] = db
    return config


def head_revision(db: Database) -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config(db)).get_current_head() or ""


def current_revision(db: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with db.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_known_revision(db: Database, revision: str) -> bool:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config(db))
    return any(rev.revision == revision for rev in script.walk_revisions())


def ensure_not_newer(db: Database, revision: str | None) -> None:
    if revision is not None and not is_known_revision(db, revision):
        raise DatabaseProblem(
            f"数据库“{db.describe()}”由更新版本的村治通创建（数据库版本 {revision}），"
            "本程序无法打开。请先升级程序。数据库没有被修改。"
        )


def backup_sqlite(source: Path, destination: Path) -> Path:
    """A consistent copy through SQLite's online backup API, safe while others read."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, \
            sqlite3.connect(destination) as dst:
        src.backup(dst)
    dst.close()
    src.close()
    return destination


def _assigned(tree: ast.Module, name: str) -> object:
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets) and node.value:
                return ast.literal_eval(node.value)
    return None


def _header(path: Path) -> ast.Module:
    """A revision file's statements before its first function, where alembic's identifiers
    are (parsing only these keeps the start quick); the whole file if that part is not whole."""
    source = path.read_text(encoding="utf-8")
    try:
        return ast.parse(source.split("\ndef ", 1)[0])
    except SyntaxError:
        return ast.parse(source)


@functools.cache  # the files do not change while the program runs; asked at each open
def shipped_head() -> str | None:
    """The one head of the revision files, read without alembic; None if they do not form a
    single head (then alembic itself decides)."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        tree = _header(path)
        revisions.add(_assigned(tree, "revision"))
        down = _assigned(tree, "down_revision")
        parents.update(down if isinstance(down, tuple | list) else [down])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def stored_revision(db: Database) -> str | None:
    """The revision in the database's version table with one plain query (None: no table)."""
    with db.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    return rows[0] if len(rows) == 1 else None


def require_ours(db: Database, *, may_be_new: bool = False) -> None:
    """Refuse, before anything is written to it, a database that is not this program's: a
    SQLite file or PostgreSQL database holding another program's tables, and (unless
    `may_be_new`: the demo, the first set-up) one without any tables yet."""
    with db.connect() as connection:
        tables = inspect(connection).get_table_names()
    if VERSION_TABLE in tables:
        return
    if tables:
        raise DatabaseProblem(f"“{db.describe()}”是其他程序的数据库，不是村治通的数据库。"
                              "程序没有修改它。")
    if not may_be_new:
        raise DatabaseProblem(f"“{db.describe()}”里还没有村治通的数据（是一个空数据库）。"
                              "程序没有修改它。")


def is_current(db: Database) -> bool:
    head = shipped_head()
    return head is not None and stored_revision(db) == head


def migrate(db: Database, backup_dir: Path | None = None, *,
            force_refresh: bool = False) -> Path | None:
    """Bring the schema to this program's version. Returns the pre-migration backup, if any.
    On a server, the owner's upgrade also re-derives the everyday login's rights and the change
    notifications (models.core.privileges); `force_refresh` does that even when nothing else
    was to do."""
    upgraded, backup = (False, None) if is_current(db) else _upgrade(db, backup_dir)
    if not db.is_sqlite and (upgraded or force_refresh):
        with translated(db.url, writing=True), db.engine.begin() as connection:
            privileges.refresh(connection)
    return backup


def _upgrade(db: Database, backup_dir: Path | None) -> tuple[bool, Path | None]:
    """Run the migrations still to do: (whether any ran, the SQLite file's copy from before)."""
    from alembic import command

    revision = current_revision(db)
    ensure_not_newer(db, revision)
    if revision == head_revision(db):
        return False, None
    backup = None
    if revision is not None and db.path is not None:
        folder = backup_dir or db.path.parent / "备份"
        stamp = clock.now().strftime("%Y%m%d-%H%M%S")
        backup = backup_sqlite(db.path, folder / f"{db.path.stem}-升级前-{revision}-{stamp}.db")
    with translated(db.url, writing=True):
        command.upgrade(_config(db), "head")
    return True, backup
