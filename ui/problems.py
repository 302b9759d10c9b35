"""Database and network problems at run time, in plain Chinese with a retry — never the crash
dialog. A page's slot that meets an unreachable server, a refused login or another PC's save
raises the program's DomainError (models/core/db_errors.py); the crash hook hands it here.

重试 first checks that the server answers again (asking once more if not), then reloads every
page, as after any change. 连接设置… (a refused login) opens the connection dialog; the new
connection is used from the next start."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from models.core.errors import DomainError, LoginRefused, SavedElsewhere, ServerProblem

log = logging.getLogger("cunzhi")
RETRY, SETTINGS, CLOSE = "retry", "settings", "close"


def ask(error: DomainError, parent: QWidget | None, *, may_retry: bool = True,
        may_change_connection: bool = False, close_text: str = "关闭") -> str:
    """The problem's message with its buttons; returns RETRY, SETTINGS or CLOSE."""
    if isinstance(error, SavedElsewhere):
        title, retry_text = "别人已经先保存了", "刷新"
    elif isinstance(error, ServerProblem):
        title, retry_text = "数据库服务器连接有问题", "重试"
    else:
        title, retry_text, may_retry = "操作未完成", "", False
    box = QMessageBox(QMessageBox.Icon.Warning, f"村治通 — {title}", str(error),
                      QMessageBox.StandardButton.NoButton, parent)
    retry = box.addButton(retry_text, QMessageBox.ButtonRole.AcceptRole) if may_retry else None
    settings = None
    if may_change_connection or isinstance(error, LoginRefused):
        settings = box.addButton("连接设置…", QMessageBox.ButtonRole.ActionRole)
    box.addButton(close_text, QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if retry is not None and clicked is retry:
        return RETRY
    return SETTINGS if settings is not None and clicked is settings else CLOSE


class ProblemReporter:
    """Set up by the window: `check` pings the database, `reload` reloads every page, and
    `change_connection` opens the connection dialog."""

    def __init__(self) -> None:
        self.check: Callable[[], None] | None = None
        self.reload: Callable[[], None] | None = None
        self.change_connection: Callable[[], None] | None = None
        self._showing = False

    def report(self, error: DomainError) -> None:
        log.warning("操作未完成：%s", error)
        if self._showing:  # one question at a time; pages reloading at once all fail alike
            return
        self._showing = True
        try:
            self._ask_until_settled(error)
        finally:
            self._showing = False

    def _ask_until_settled(self, error: DomainError) -> None:
        while True:
            choice = ask(error, QApplication.activeWindow(), may_retry=self.reload is not None)
            if choice == SETTINGS and self.change_connection is not None:
                self.change_connection()
                return
            if choice != RETRY:
                return
            try:
                if self.check is not None:
                    self.check()
            except DomainError as again:
                error = again
                continue
            self.reload()
            return


REPORTER = ProblemReporter()
