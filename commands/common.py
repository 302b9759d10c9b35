"""What every command shares: finding and opening the database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from models.db import Database
from models.errors import DomainError
from models.schema import migrate

APP_NAME = "cunzhi"


def data_folder() -> Path:
    """Qt's AppDataLocation for this program (e.g. %APPDATA%\\cunzhi on Windows)."""
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName("")
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))


def default_database() -> Path:
    return data_folder() / "cunzhi.db"


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="数据库文件路径或 SQLAlchemy URL（默认：用户数据文件夹中的 cunzhi.db）")


def open_database(args: argparse.Namespace, *, must_exist: bool = True) -> Database:
    """Open and migrate the database named by --db (or the default one)."""
    db = Database(args.db or default_database(), must_exist=must_exist)
    migrate(db)
    return db


def fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def run_guarded(action, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    """Run a command; a refused operation prints its Chinese message and exits with 1."""
    try:
        return action(args) or 0
    except DomainError as error:
        return fail(str(error))
