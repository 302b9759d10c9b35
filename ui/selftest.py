"""The installation self-test behind `cunzhi-cli selftest`: the main window, off screen, on a
database opened read-only, showing every page of its own page table in turn. A page whose module
(or a library it loads: reportlab, openpyxl, QtPdf…) is missing from an installation fails here,
named, instead of in front of a village secretary. Nothing is written and nobody signs in."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QEventLoop, QTimer, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from models.core.access import SYSTEM
from models.core.db import Database
from models.core.images import READABLE_FORMATS
from ui import style
from ui.context import AppContext
from ui.main_window import TITLES, MainWindow

SETTLE_MS = 200  # events (deferred loads, layout) a page gets after it is shown
# Said by the off-screen platform for every window shown; not the program's.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


@dataclass
class SelfTestResult:
    opened: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _settle(milliseconds: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()


def _quiet_offscreen(_kind, _context, message: str) -> None:  # type: ignore[no-untyped-def]
    if OFFSCREEN_NOISE not in message:
        print(message, file=sys.stderr)


def unreadable_photo_formats() -> list[str]:
    """The photo formats the program takes (models.core.images) that Pillow cannot open here."""
    Image.init()
    return [name for name in READABLE_FORMATS if name not in Image.OPEN]


def open_every_page(db: Database, data_folder: Path) -> SelfTestResult:
    """Show each page of the main window's page table; collect what went wrong, page by page."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    result = SelfTestResult()
    style.apply(app)
    if not style.has_qt_translation(app):
        result.problems.append("缺少 Qt 的中文翻译文件（qtbase_zh_CN.qm）。")
    if app.windowIcon().isNull():
        result.problems.append("缺少程序图标（resources/icons）。")
    unreadable = unreadable_photo_formats()
    if unreadable:
        result.problems.append(f"无法读取这些格式的照片：{'、'.join(unreadable)}。")
    current = ["启动"]

    def on_error(kind, value, _trace) -> None:  # type: ignore[no-untyped-def]
        result.problems.append(f"页面“{current[0]}”出错：{kind.__name__}: {value}")

    previous_hook, sys.excepthook = sys.excepthook, on_error
    previous_handler = qInstallMessageHandler(_quiet_offscreen)
    try:
        window = MainWindow(AppContext(db, SYSTEM, data_folder))
        window.show()
        for title in TITLES:
            current[0] = title
            try:
                window.page(title)  # built here, so an error surfaces here, once
            except Exception as error:  # a missing module, a broken page: name it and go on
                result.problems.append(f"页面“{title}”打不开：{type(error).__name__}: {error}")
                continue
            window.show_page(title)
            _settle(SETTLE_MS)
            result.opened.append(title)
        window.close()
        window.deleteLater()
        _settle(0)
    finally:
        sys.excepthook = previous_hook
        qInstallMessageHandler(previous_handler)
    return result
