"""Starting the program: the application object, the database, the main window."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from commands.common import APP_NAME, data_folder, default_database
from models.access import Actor, Role
from models.db import Database
from models.demo.town import generate
from models.errors import DomainError
from models.schema import migrate
from ui import style
from ui.context import AppContext
from ui.main_window import MainWindow


def demo_database(folder: Path) -> Database:
    """A fresh copy of the demo town in the data folder, made anew at every --demo start."""
    path = folder / "demo.db"
    for leftover in (path, path.with_name("demo.db-wal"), path.with_name("demo.db-shm")):
        leftover.unlink(missing_ok=True)
    db = Database(path)
    migrate(db)
    generate(db, 1)
    return db


def open_context(args: argparse.Namespace) -> AppContext:
    folder = data_folder()
    if args.demo:
        db = demo_database(folder)
    else:
        db = Database(args.db or default_database())
        migrate(db)
    actor = Actor(name="演示书记" if args.demo else "管理员", role=Role.TOWNSHIP_ADMIN)
    return AppContext(db, actor, folder)


def run(args: argparse.Namespace) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("村治通")
    style.apply(app)
    try:
        context = open_context(args)
    except DomainError as error:
        QMessageBox.critical(None, "无法打开数据库", str(error))
        return 1
    window = MainWindow(context)
    window.show()
    return app.exec()
