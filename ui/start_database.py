"""Opening the database at the start: checked before anything writes to it, and every way it
can fail (missing, a folder, a foreign or empty file, read-only, damaged, an error while
upgrading) said in a Chinese dialog with what to do: choose another file, restore a backup,
ask the township. Never a silent exit, never a traceback."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from commands.common import database_target
from models.backup import files as backup
from models.backup.start import StartKind, StartProblem, failed, start_problem
from models.core import audit
from models.core.access import SYSTEM
from models.core.db import Database
from models.core.db_errors import explain
from models.core.errors import ServerProblem
from models.core.schema import migrate, require_ours
from models.demo.activity import generate
from ui.dialogs.damaged import DamagedDialog
from ui.dialogs.start_problem import StartProblemDialog
from ui.splash import Splash

log = logging.getLogger("cunzhi")


def demo_database(folder: Path, splash: Splash | None = None) -> Database:
    """A fresh copy of the demo town in the data folder, made anew at every --demo start; the
    splash says how far it is (it takes 10–20 s on an office PC)."""
    path = folder / "demo.db"
    for leftover in (path, path.with_name("demo.db-wal"), path.with_name("demo.db-shm")):
        leftover.unlink(missing_ok=True)
    db = Database(path)
    migrate(db)

    def progress(done: int, total: int) -> None:
        if splash is not None:
            splash.say(f"正在生成演示数据（第 {done} 步，共 {total} 步），约需十几秒…", done, total)

    progress(0, 1)
    generate(db, 1, progress=progress)
    return db


def checked_file(path: Path, folder: Path) -> bool:
    """Check the file before anything writes to it (fully after an unclean exit). A damaged
    file is left untouched; the user may put the newest good backup in its place."""
    if not path.exists():
        return True
    full = backup.ended_uncleanly(folder)
    problems = backup.file_problems(path, full=full)
    if not problems:
        return True
    log.error("数据库文件损坏：%s（%s）", path, "；".join(problems))
    newest = backup.newest_good_backup(backup.backup_folder(path), path.stem)
    if DamagedDialog(path, problems, newest).exec() != DamagedDialog.DialogCode.Accepted:
        return False
    kept = backup.restore(newest.path, path, label="损坏")
    log.warning("已用备份 %s 恢复，损坏的文件保存为 %s", newest.path.name, kept)
    restored = Database(path)
    with restored.write() as s:
        audit.record(s, SYSTEM, "从备份恢复（原文件损坏）", "database", None,
                     after={"file": newest.path.name, "kept": kept.name if kept else ""})
    restored.dispose()
    return True


def _opened(target: str | Path, may_be_new: bool) -> Database:
    db = Database(target)
    try:
        require_ours(db, may_be_new=may_be_new)
        migrate(db)
    except BaseException:
        db.dispose()
        raise
    return db


def _is_server(target: object) -> bool:
    return not isinstance(target, Path) and "://" in str(target)


def _attempt(target: str | Path, may_be_new: bool) -> Database | StartProblem:
    """The database opened and upgraded, or what kept it from opening (already logged)."""
    path = None if _is_server(target) else Path(target).expanduser().resolve()
    try:
        return _opened(target if path is None else path, may_be_new)
    except ServerProblem:
        raise  # the caller asks 重试 / 连接设置… / 退出
    except Exception as error:  # said to the user in the dialog, in full in the log
        log.exception("无法打开数据库 %s", path or "（服务器）")
        return failed(path, explain(error) or str(error) or type(error).__name__)


def open_database(args: argparse.Namespace, folder: Path,
                  splash: Splash | None = None) -> Database | None:
    """The database to work on, or None when the user chose to leave. Each problem is shown
    with what to do; the user may choose another file, which is checked the same way."""
    if args.demo:
        return demo_database(folder, splash)
    if splash is not None:
        splash.say("正在打开数据库…")
    target = database_target(args)
    # Only the machine's own database, or a township server being set up, may start empty.
    may_be_new = args.db is None or _is_server(args.db)
    while True:
        outcome = _checked_and_opened(target, folder, may_be_new)
        if isinstance(outcome, Database):
            if outcome.path is not None:
                backup.mark_running(folder, outcome.path)
            return outcome
        if outcome is None:
            return None
        log.error("启动时数据库有问题：%s %s", outcome.title, outcome.what)
        if splash is not None:
            splash.hide()
        dialog = StartProblemDialog(outcome)
        if dialog.exec() != StartProblemDialog.DialogCode.Accepted or dialog.chosen is None:
            return None
        target, may_be_new = dialog.chosen, False


def _checked_and_opened(target: str | Path, folder: Path,
                        may_be_new: bool) -> Database | StartProblem | None:
    """The database, a problem to show, or None when the damaged-file dialog was left."""
    if _is_server(target):  # PostgreSQL: the server keeps and checks its own files
        return _attempt(target, may_be_new)
    path = Path(target).expanduser().resolve()
    problem = start_problem(path, may_be_new=may_be_new)
    if problem is not None and problem.kind is not StartKind.DAMAGED:
        return problem
    if not checked_file(path, folder):
        return None
    return _attempt(path, may_be_new)
