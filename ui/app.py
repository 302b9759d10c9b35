"""Starting the program: logging and the crash hook, the database (checked, backed up), the
account (first run, login, or the demo secretary), the main window; a backup again on exit."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import traceback
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from commands.common import config_folder
from models.accounts.demo import DEMO_SECRETARY
from models.accounts.service import actor_for, needs_first_run
from models.backup import files as backup
from models.core import data_folder, logs
from models.core.access import Actor
from models.core.data_folder import APP_NAME
from models.core.db import Database
from models.core.errors import DomainError, ServerProblem
from ui import style
from ui.context import AppContext
from ui.dialogs.crash import CrashDialog
from ui.dialogs.first_run import FirstRunDialog
from ui.dialogs.login import RECONNECT, LoginDialog
from ui.main_window import MainWindow
from ui.preferences import Preferences
from ui.splash import Splash
from ui.problems import CLOSE, REPORTER, SETTINGS, ask
from ui.start_database import open_database
from ui.tasks import Progress, run_task

log = logging.getLogger("cunzhi")


# ---- crashes -----------------------------------------------------------------------------
def install_crash_hook(log_path: Path) -> None:
    """Every unhandled error goes to the log file and to a dialog with a copyable report — but a
    refusal or a database problem (the server unreachable, another PC's save first) is no crash:
    it gets its plain message and a retry (ui/problems.py)."""

    def on_error(kind, value, trace) -> None:  # type: ignore[no-untyped-def]
        if isinstance(value, DomainError) and QApplication.instance() is not None:
            REPORTER.report(value)
            return
        log.error("未处理的错误", exc_info=(kind, value, trace))
        report = logs.scrub("".join(traceback.format_exception(kind, value, trace)))
        if QApplication.instance() is not None:
            CrashDialog(report, str(log_path)).exec()

    sys.excepthook = on_error


# ---- the database ------------------------------------------------------------------------
class StartBackup:
    """The backup taken at every start, made beside the login and the window instead of before
    them (≈0.15 s on the demo town's 11 MB file); the exit waits for it before its own backup."""

    def __init__(self, db: Database):
        self.done = threading.Event()
        if db.path is None:  # PostgreSQL: the server keeps its own files
            self.done.set()
            return
        path = db.path

        def work(_progress: Progress) -> Path:
            try:
                return backup.make_backup(path, "启动", live=True)
            finally:
                self.done.set()

        run_task(work, lambda _made: None, self._failed)

    @staticmethod
    def _failed(error: BaseException) -> None:
        if not isinstance(error, DomainError):
            raise error
        log.error("启动时备份失败：%s", error)
        QMessageBox.warning(QApplication.activeWindow(), "启动时备份失败", str(error))

    def wait(self) -> None:
        self.done.wait()


def open_database_asking(args: argparse.Namespace, folder: Path,
                         splash: Splash | None = None) -> Database | None:
    """Open the database; an unreachable server asks 重试 / 连接设置… / 退出 until settled."""
    while True:
        try:
            return open_database(args, folder, splash)
        except ServerProblem as problem:
            log.error("无法连接数据库服务器：%s", problem)
            choice = ask(problem, None, may_change_connection=True, close_text="退出")
            if choice == CLOSE:
                return None
            if choice == SETTINGS:
                from ui.dialogs.connection import ConnectionDialog

                ConnectionDialog(config_folder()).exec()


# ---- the account -------------------------------------------------------------------------
def sign_in(args: argparse.Namespace, db: Database) -> Actor | int | None:
    """The signed-in actor, None to quit, or RECONNECT when the user chose another server."""
    if args.demo:
        return actor_for(db, DEMO_SECRETARY)
    config = None if args.db else config_folder()  # --db decides alone
    dialog = (FirstRunDialog(db, config_folder=config) if needs_first_run(db)
              else LoginDialog(db, config_folder=config))
    result = dialog.exec()
    if result == RECONNECT:
        return RECONNECT
    return dialog.actor if result == dialog.DialogCode.Accepted else None


# ---- leaving -----------------------------------------------------------------------------
def close_database(db: Database, folder: Path, demo: bool,
                   started: StartBackup | None = None) -> None:
    if started is not None:
        started.wait()
    db.dispose()
    if db.path is not None and not demo:
        try:
            backup.make_backup(db.path, "退出")
        except DomainError as error:
            log.error("退出时备份失败：%s", error)
            QMessageBox.warning(None, "退出时备份失败", str(error))
    backup.mark_clean_exit(folder)


def run(args: argparse.Namespace, splash: Splash | None = None) -> int:
    """The program's window; `splash`, already on screen (main.py), says what is happening until
    the login or the window replaces it."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("村治通")
    style.apply(app)
    folder, move = data_folder.settle()
    install_crash_hook(logs.configure(folder))
    if move.moved:
        log.warning("已把旧数据文件夹中的 %s 移到 %s", "、".join(move.moved), folder)
    if move.left:
        log.warning(move.left)
    while True:
        try:
            db = open_database_asking(args, folder, splash)
        except DomainError as error:
            log.error("无法打开数据库：%s", error)
            QMessageBox.critical(None, "无法打开数据库", str(error))
            return 1
        if db is None:
            return 1
        started = None if args.demo else StartBackup(db)
        if splash is not None:
            splash.close()
        actor = sign_in(args, db)
        if actor is None or actor == RECONNECT:
            close_database(db, folder, args.demo, started)
            if actor is None:
                return 0
            continue  # the server just chosen or set up
        break
    context = AppContext(db, actor, folder)
    preferences = Preferences(config_folder())
    if preferences.font_size != style.DEFAULT_FONT_SIZE:
        style.set_font_size(app, preferences.font_size)
    window = MainWindow(context, preferences)
    watch_problems(context)
    live = None
    if not db.is_sqlite:  # psycopg's listener only for a server
        from ui.live import start_live_updates

        live = start_live_updates(context)
    window.show()
    code = app.exec()
    if live is not None:
        live.stop()
    close_database(db, folder, args.demo, started)
    return code


def watch_problems(context: AppContext) -> None:
    """How a database problem met at run time is retried: ping, then reload every page."""
    from ui.dialogs.connection import ConnectionDialog

    def change_connection() -> None:
        if ConnectionDialog(config_folder(), QApplication.activeWindow()).exec():
            QMessageBox.information(QApplication.activeWindow(), "连接已保存",
                                    "新的连接在重新打开程序后生效。")

    REPORTER.check = context.db.ping
    REPORTER.reload = context.reload_all
    REPORTER.change_connection = change_connection
