"""No English on screen: every page of the main window (each tab shown), every dialog, message
box and menu its buttons and context menus open, Qt's own standard buttons and the text fields'
context menu. A visible text with Latin words and no Chinese character fails the test."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QTabBar,
    QTableView,
    QTabWidget,
    QTreeView,
    QWidget,
)

from models.accounts.demo import DEMO_SECRETARY
from models.accounts.service import actor_for
from ui import style
from ui.context import AppContext
from ui.main_window import TITLES, MainWindow

# The offscreen platform's chatter when menus and dialogs open and close this fast.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise",
                                       "grabbing the keyboard")

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Names the office uses as they are (file kinds, paper sizes, databases, keys) and codes.
ALLOWED = re.compile(r"\b(PDF|Excel|xlsx|SQLite|PostgreSQL|A4|A5|Esc|Delete|Enter|Tab|Ctrl|Shift|"
                     r"[A-Z]{1,4}\d[\d-]*|\d+[A-Za-z]{1,3})\b")
# Buttons that end the session rather than open anything.
NOT_CLICKED = ("退出登录", "退出程序")


def english(text: str) -> bool:
    """Latin words and no Chinese; a folder path or a file pattern (*.pdf) is not words."""
    plain = re.sub(r"<[^>]+>|&(?=\w)", "", text)
    if re.search(r"[/\\]|\*\.", plain):
        return False
    return not CJK.search(plain) and bool(LATIN_WORD.search(ALLOWED.sub("", plain)))


def shown_texts(top: QWidget) -> Iterator[tuple[str, str]]:
    """(what, text) of everything a user reads in `top` and its visible children."""
    if top.isWindow():
        yield "窗口标题", top.windowTitle()
    widgets = [top, *top.findChildren(QWidget)]
    for widget in widgets:
        if widget is not top and not widget.isVisibleTo(top):
            continue
        name = type(widget).__name__
        if isinstance(widget, QLabel):
            yield name, widget.text()
        elif isinstance(widget, QAbstractButton):
            yield name, widget.text()
        elif isinstance(widget, QGroupBox):
            yield name, widget.title()
        elif isinstance(widget, QTabBar):
            yield from ((name, widget.tabText(i)) for i in range(widget.count()))
        elif isinstance(widget, QLineEdit):
            yield name, widget.placeholderText()
        elif isinstance(widget, QComboBox):
            yield from ((name, widget.itemText(i)) for i in range(widget.count()))
        elif isinstance(widget, QMenu):
            yield from ((name, action.text()) for action in widget.actions())
        elif isinstance(widget, QTableView | QTreeView) and widget.model() is not None:
            header = widget.horizontalHeader() if isinstance(widget, QTableView) else widget.header()
            yield from ((f"{name} 表头",
                         str(widget.model().headerData(i, Qt.Orientation.Horizontal) or ""))
                        for i in range(header.count()) if not header.isSectionHidden(i))


class Watcher:
    """Reads and closes whatever a click opens: menus, message boxes, dialogs (file dialogs
    too), one after the other, however deeply nested in event loops."""

    def __init__(self, window: QWidget):
        self.window = window
        self.found: list[str] = []
        self.opened: list[str] = []
        self.timer = QTimer(interval=25)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def read(self, where: str, widget: QWidget) -> None:
        self.opened.append(f"{where}: {type(widget).__name__} {widget.windowTitle()}")
        self.found += [f"{where} › {type(widget).__name__}“{widget.windowTitle()}” › {what}: {text!r}"
                       for what, text in shown_texts(widget) if english(text)]

    def tick(self, where: str = "") -> None:
        popup = QApplication.activePopupWidget()
        if popup is not None:
            self.read(where or "菜单", popup)
            popup.close()
            return
        modal = QApplication.activeModalWidget()
        if modal is not None and modal is not self.window:
            self.read(where or "对话框", modal)
            if isinstance(modal, QDialog):
                modal.reject()
            else:
                modal.close()

    def stop(self) -> None:
        self.timer.stop()


def _select_something(page: QWidget) -> None:
    """The first row of every list and table, the first leaf of every tree (an alley, with
    its head and households): buttons that need a selection become clickable."""
    for view in page.findChildren(QAbstractItemView):
        model = view.model()
        if model is None or not view.isVisibleTo(page) or isinstance(view, QHeaderView):
            continue
        index = model.index(0, 0)
        for _level in range(6 if isinstance(view, QTreeView) else 0):
            view.expand(index)
            QApplication.processEvents()
            if not model.index(0, 0, index).isValid():
                break
            index = model.index(0, 0, index)
        if index.isValid():
            view.setCurrentIndex(index)
            QApplication.processEvents()


def _click_everything(page: QWidget, title: str, watcher: Watcher) -> None:
    _select_something(page)
    for button in page.findChildren(QAbstractButton):
        if not (button.isVisibleTo(page) and button.isEnabled()) or button.text() in NOT_CLICKED:
            continue
        if isinstance(button.parent(), QTabBar):
            continue
        button.click()
        QApplication.processEvents()
        watcher.tick(f"{title} › {button.text()}")
    for view in page.findChildren(QAbstractItemView):
        if view.isVisibleTo(page) and \
                view.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu:
            first = view.model().index(0, 0) if view.model() is not None else QModelIndex()
            if first.isValid():
                view.setCurrentIndex(first)
            view.customContextMenuRequested.emit(QPoint(5, 5))
            QApplication.processEvents()


def _every_tab(page: QWidget) -> Iterator[None]:
    yield
    for tabs in page.findChildren(QTabWidget):
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            QApplication.processEvents()
            yield


@pytest.fixture
def window(qtbot, templates, tmp_path: Path):  # type: ignore[no-untyped-def]
    style.install_qt_translation(QApplication.instance())
    db = templates.fresh("sqlite", "demo", tmp_path)
    main = MainWindow(AppContext(db, actor_for(db, DEMO_SECRETARY), tmp_path))
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()
    db.dispose()


def test_qts_own_words_are_chinese(qtbot):
    style.install_qt_translation(QApplication.instance())
    everything = QDialogButtonBox.StandardButton(0)
    for button in QDialogButtonBox.StandardButton:
        if button not in (QDialogButtonBox.StandardButton.NoButton,):
            everything |= button
    box = QDialogButtonBox(everything)
    assert [b.text() for b in box.buttons() if english(b.text())] == []
    message = QMessageBox(QMessageBox.Icon.Question, "标题", "内容",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                          | QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    assert [b.text() for b in message.buttons() if english(b.text())] == []
    field = QLineEdit()
    qtbot.addWidget(field)
    menu = field.createStandardContextMenu()
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts and [t for t in texts if english(t)] == []
    menu.deleteLater()


def test_no_page_dialog_or_menu_shows_english(window, qtbot):
    watcher = Watcher(window)
    found: list[str] = []
    try:
        for title in TITLES:
            page = window.show_page(title)
            QApplication.processEvents()
            for _tab in _every_tab(page):
                found += [f"{title} › {what}: {text!r}" for what, text in shown_texts(page)
                          if english(text)]
                _click_everything(page, title, watcher)
                found += [f"{title}（点击后） › {what}: {text!r}"
                          for what, text in shown_texts(page) if english(text)]
    finally:
        watcher.stop()
    assert len(watcher.opened) > 40, watcher.opened  # the crawl reached the dialogs
    assert found + watcher.found == [], "\n".join(sorted(set(found + watcher.found)))


def test_the_start_ups_windows_are_chinese(qtbot, db, tmp_path):
    """What the start shows before any page: the start window, the set-up wizard, the login,
    the connection settings, the database problems and the crash report."""
    from models.backup.start import start_problem
    from ui.dialogs.connection import ConnectionDialog
    from ui.dialogs.crash import CrashDialog
    from ui.dialogs.damaged import DamagedDialog
    from ui.dialogs.first_run import FirstRunDialog
    from ui.dialogs.login import LoginDialog
    from ui.dialogs.start_problem import StartProblemDialog
    from ui.splash import Splash

    style.install_qt_translation(QApplication.instance())
    foreign = tmp_path / "说明.db"
    foreign.write_text("不是数据库", encoding="utf-8")
    windows = [Splash(), FirstRunDialog(db), LoginDialog(db), ConnectionDialog(tmp_path),
               StartProblemDialog(start_problem(foreign, may_be_new=False)),
               StartProblemDialog(start_problem(tmp_path / "没有.db", may_be_new=False)),
               DamagedDialog(foreign, ["数据库文件已损坏。"], None),
               CrashDialog("Traceback (most recent call last): …", str(tmp_path / "cunzhi.log"))]
    found = []
    for window in windows:
        qtbot.addWidget(window)
        window.show()
        found += [f"{type(window).__name__} › {what}: {text!r}"
                  for what, text in shown_texts(window) if english(text)]
    # The crash report's own text is the program's traceback, for the helper: not shown words.
    assert [f for f in found if "QPlainTextEdit" not in f] == []
