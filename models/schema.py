"""The schema as alembic migrations: upgrade on open, refuse a database from a newer program,
and back up a SQLite file before any migration touches it."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

import models.accounts
import models.audit
import models.goods
import models.org
import models.points
import models.ranking
import models.ranking_rules  # noqa: F401  (registers the red/black list settings)
from models.base import Base
from models.db import Database
from models.errors import DatabaseProblem

MIGRATIONS = Path(__file__).with_name("migrations")
metadata = Base.metadata


def _config(db: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database"] = db
    return config


def head_revision(db: Database) -> str:
    return ScriptDirectory.from_config(_config(db)).get_current_head() or ""


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_known_revision(db: Database, revision: str) -> bool:
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


def migrate(db: Database, backup_dir: Path | None = None) -> Path | None:
    """Bring the schema to this program's version. Returns the pre-migration backup, if any."""
    revision = current_revision(db)
    ensure_not_newer(db, revision)
    if revision == head_revision(db):
        return None
    backup = None
    if revision is not None and db.path is not None:
        folder = backup_dir or db.path.parent / "备份"
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = backup_sqlite(db.path, folder / f"{db.path.stem}-升级前-{revision}-{stamp}.db")
    command.upgrade(_config(db), "head")
    return backup
