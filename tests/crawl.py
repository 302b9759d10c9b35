"""A crawler for the "no English on screen" test: it reads every visible text of a page, clicks
its buttons, opens its combo boxes' and date fields' pop-ups, its context menus (and chooses each
of their actions) and its text fields' own menus, and crawls whatever opens the same way, dialog
inside dialog, down to MAX_DEPTH: message boxes, input and file dialogs included.

A dialog waited on with exec() is caught by a timer inside its own event loop; one shown with
show() or open() is caught when the click returns. Qt's stock dialogs (message, input, file,
print) are read and cancelled, never answered: answering "是" to a question would delete."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QHoverEvent
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QTabBar,
    QTableView,
    QTabWidget,
    QTextEdit,
    QTreeView,
    QWidget,
    QWizard,
)

from ui import tasks

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Names the office uses as they are (file kinds, paper sizes, databases, keys) and codes.
ALLOWED = re.compile(r"\b(PDF|Excel|xlsx|SQLite|PostgreSQL|A4|A5|Esc|Delete|Enter|Tab|Ctrl|Shift|"
                     r"[A-Z]{1,4}\d[\d-]*|\d+[A-Za-z]{1,3})\b")
# Buttons and menu items that end the session rather than open anything.
NOT_CLICKED = ("退出登录", "退出程序")
# Page → dialog → dialog inside it → one more: deeper than anything the program opens.
MAX_DEPTH = 4
# Qt's own dialogs: read and cancelled, not crawled inside (their buttons would answer them).
STOCK = (QMessageBox, QInputDialog, QFileDialog, QPrintDialog, QProgressDialog)
# Closing buttons of a dialog: clicking them only closes it, which the crawler does anyway.
CLOSING_ROLES = (QDialogButtonBox.ButtonRole.RejectRole, QDialogButtonBox.ButtonRole.NoRole)
# Accepting buttons: clicked last, since they may save and close the dialog.
ACCEPTING_ROLES = (QDialogButtonBox.ButtonRole.AcceptRole, QDialogButtonBox.ButtonRole.YesRole,
                   QDialogButtonBox.ButtonRole.ApplyRole)


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
        elif isinstance(widget, QCalendarWidget):
            # The weekdays are the first row of the calendar's table, not its header.
            days = widget.findChild(QTableView).model()
            yield from ((f"{name} 星期", str(days.index(0, column).data() or ""))
                        for column in range(days.columnCount()))
        elif isinstance(widget, QTableView | QTreeView) and widget.model() is not None:
            header = widget.horizontalHeader() if isinstance(widget, QTableView) else widget.header()
            yield from ((f"{name} 表头",
                         str(widget.model().headerData(i, Qt.Orientation.Horizontal) or ""))
                        for i in range(header.count()) if not header.isSectionHidden(i))


def every_tab(container: QWidget) -> Iterator[None]:
    """Yields once as it is, then once with each tab of each of its tab widgets current."""
    yield
    for tabs in container.findChildren(QTabWidget):
        for index in range(tabs.count()):
            if tabs.isTabEnabled(index):
                tabs.setCurrentIndex(index)
                QApplication.processEvents()
                yield


def select_something(container: QWidget) -> None:
    """The first row of every list and table, the first leaf of every tree (an alley, with
    its head and households): buttons that need a selection become clickable."""
    for view in container.findChildren(QAbstractItemView):
        model = view.model()
        if model is None or not view.isVisibleTo(container) or isinstance(view, QHeaderView):
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


def finish_tasks() -> None:
    """Waits (a minute at most) until the background work a click started has delivered: the
    dialog it then opens belongs to that click."""
    deadline = time.monotonic() + 60
    while tasks.running() and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)


def open_calendar(edit: QDateTimeEdit) -> None:
    """A click on the date field's arrow, where the mouse already hovers (as a user's would)."""
    arrow = QPointF(edit.width() - 6, edit.height() / 2)
    QApplication.postEvent(edit, QHoverEvent(QEvent.Type.HoverMove, arrow,
                                             edit.mapToGlobal(arrow), QPointF(0, 0)))
    QApplication.processEvents()
    QTest.mouseClick(edit, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     arrow.toPoint())


@dataclass
class Crawler:
    """Crawls from `window` (the main window, or a start window) down; what it read, where."""

    window: QWidget
    found: list[str] = field(default_factory=list)
    opened: list[tuple[int, str]] = field(default_factory=list)  # (depth, where: what)
    classes: set[type] = field(default_factory=set)
    crawled: set[tuple[type, str]] = field(default_factory=set)
    on_dialog: Callable[[QWidget], None] | None = None

    def __post_init__(self) -> None:
        self.open: list[QWidget] = [self.window]  # the windows being crawled, outermost first
        self.menu_items: list[str] | None = None  # a context menu's items, while collected
        self.progress: set[QWidget] = set()
        # What opens while no click is watched (late background work) is crawled too, rather
        # than waiting for an answer forever.
        self.watching = 0
        self.stray = QTimer(interval=500)
        self.stray.timeout.connect(self._stray)
        self.stray.start()

    def stop(self) -> None:
        """Ends the crawl and lets go of every Qt object: only what was read is kept."""
        self.stray.stop()
        self.stray.deleteLater()
        self.progress.clear()
        self.open.clear()
        self.window = None  # type: ignore[assignment]

    def _stray(self) -> None:
        if not self.watching and (QApplication.activeModalWidget() is not None
                                  or QApplication.activePopupWidget() is not None):
            self.watch(lambda: None, "（未在点击中打开）", 1)

    # ---- reading ------------------------------------------------------------------------
    def read(self, where: str, widget: QWidget) -> None:
        self.found += [f"{where} › {type(widget).__name__}“{widget.windowTitle()}” › {what}: {text!r}"
                       for what, text in shown_texts(widget) if english(text)]

    def counts(self) -> Counter[int]:
        return Counter(depth for depth, _what in self.opened)

    # ---- what a click opens ---------------------------------------------------------------
    def watch(self, act: Callable[[], None], where: str, depth: int, choose: str = "") -> None:
        """Does `act` and crawls whatever it opens at `depth` (1: opened from a page); with
        `choose`, the first menu it opens is answered with that item."""
        pending = {"choose": choose, "busy": False}
        before = set(QApplication.topLevelWidgets())

        def tick() -> None:
            if not pending["busy"]:
                pending["busy"] = True
                try:
                    self.catch(where, depth, pending, before)
                finally:
                    pending["busy"] = False

        timer = QTimer(interval=20)
        timer.timeout.connect(tick)
        timer.start()
        self.watching += 1
        try:
            act()
            QApplication.processEvents()
            finish_tasks()
            tick()
        finally:
            self.watching -= 1
            timer.stop()
            timer.deleteLater()

    def catch(self, where: str, depth: int, pending: dict, before: set[QWidget]) -> None:
        popup = QApplication.activePopupWidget()
        if popup is not None:
            self.menu(popup, where, depth, pending)
            return
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QProgressDialog):  # closing it would cancel the work it follows
            if modal not in self.progress:
                self.progress.add(modal)
                self.classes.add(type(modal))
                self.opened.append((depth, f"{where}: {type(modal).__name__}"))
                self.read(where, modal)
            return
        if modal is not None and modal not in self.open:
            self.dialog(modal, where, depth)
            return
        for widget in QApplication.topLevelWidgets():
            if widget not in before and widget not in self.open and widget.isVisible() \
                    and isinstance(widget, QDialog) and not isinstance(widget, QProgressDialog):
                self.dialog(widget, where, depth)

    def menu(self, popup: QWidget, where: str, depth: int, pending: dict) -> None:
        self.opened.append((depth, f"{where}: {type(popup).__name__}"))
        self.read(where, popup)
        if self.menu_items is not None and isinstance(popup, QMenu):
            self.menu_items += [a.text() for a in popup.actions()
                                if a.isEnabled() and a.text() and a.menu() is None]
            self.menu_items = None
        action = next((a for a in popup.actions() if a.text() == pending["choose"]), None) \
            if isinstance(popup, QMenu) and pending["choose"] else None
        pending["choose"] = ""
        if action is None:
            popup.close()
            return
        popup.setActiveAction(action)
        # Chosen once this tick has returned: what the item opens is caught by the next one.
        QTimer.singleShot(0, lambda: QTest.keyClick(popup, Qt.Key.Key_Return))

    def dialog(self, dialog: QWidget, where: str, depth: int) -> None:
        where = f"{where} › {dialog.windowTitle() or type(dialog).__name__}"
        self.classes.add(type(dialog))
        self.opened.append((depth, f"{where}: {type(dialog).__name__}"))
        if self.on_dialog is not None:
            self.on_dialog(dialog)
        self.read(where, dialog)
        key = (type(dialog), dialog.windowTitle())
        if depth < MAX_DEPTH and not isinstance(dialog, STOCK) and key not in self.crawled:
            self.crawled.add(key)
            self.open.append(dialog)
            try:
                if isinstance(dialog, QWizard):
                    self.wizard(dialog, where, depth)
                else:
                    self.inside(dialog, where, depth)
            finally:
                self.open.remove(dialog)
        if dialog.isVisible():
            if isinstance(dialog, QDialog):
                dialog.reject()
            else:
                dialog.close()
        QApplication.processEvents()

    # ---- crawling a page or a dialog ------------------------------------------------------
    def inside(self, container: QWidget, where: str, depth: int) -> None:
        """Every tab of `container`: its texts, its pop-ups, its buttons, its context menus."""
        for _tab in every_tab(container):
            if not container.isVisible():
                return
            self.read(where, container)
            select_something(container)
            self.popups(container, where, depth)
            self.field_menus(container, where, depth)
            self.buttons(container, where, depth)
            if container.isVisible():
                self.context_menus(container, where, depth)
                self.read(f"{where}（点击后）", container)

    def wizard(self, wizard: QWizard, where: str, depth: int) -> None:
        """Each page up to the one that would act (its button is 开始设置, not 下一步)."""
        for _page in wizard.pageIds():
            page = wizard.currentPage()
            self.read(where, wizard)
            self.inside(page, f"{where} › {page.title()}", depth)
            following = wizard.button(QWizard.WizardButton.NextButton)
            if not (following.isVisible() and following.isEnabled()) or not wizard.isVisible():
                return
            self.watch(following.click, f"{where} › {following.text()}", depth + 1)
            if wizard.currentPage() is page:
                return

    def buttons(self, container: QWidget, where: str, depth: int) -> None:
        def order(button: QAbstractButton) -> int:
            box = button.parent()
            role = box.buttonRole(button) if isinstance(box, QDialogButtonBox) else None
            return 1 if role in ACCEPTING_ROLES else 0

        clickable = []
        for button in container.findChildren(QAbstractButton):
            box = button.parent()
            if isinstance(box, QTabBar) or \
                    button.text() in NOT_CLICKED or (button.isCheckable() and depth > 0):
                continue
            if isinstance(box, QDialogButtonBox) and box.buttonRole(button) in CLOSING_ROLES:
                continue
            clickable.append(button)
        for button in sorted(clickable, key=order):
            if not container.isVisible():
                return
            if button.isVisibleTo(container) and button.isEnabled():
                self.watch(button.click, f"{where} › {button.text() or button.toolTip()}",
                           depth + 1)

    def popups(self, container: QWidget, where: str, depth: int) -> None:
        """The list of every combo box and the calendar of every date field."""
        for box in container.findChildren(QComboBox):
            if box.isVisibleTo(container) and box.isEnabled() and box.count():
                self.watch(box.showPopup, f"{where} › 下拉列表", depth + 1)
                box.hidePopup()
        for edit in container.findChildren(QDateTimeEdit):
            if edit.isVisibleTo(container) and edit.isEnabled() and edit.calendarPopup():
                self.watch(lambda edit=edit: open_calendar(edit), f"{where} › 日历", depth + 1)

    def field_menus(self, container: QWidget, where: str, depth: int) -> None:
        """The right-click menu of the first text field, text area and number field."""
        for kind in (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox):
            field_ = next((w for w in container.findChildren(kind)
                           if w.isVisibleTo(container) and w.isEnabled()
                           and not isinstance(w.parent(), QAbstractSpinBox | QComboBox)), None)
            if field_ is None:
                continue
            target = field_.viewport() if isinstance(field_, QPlainTextEdit | QTextEdit) else field_

            def request(target: QWidget = target) -> None:
                centre = QPoint(2, 2)
                QApplication.postEvent(target, QContextMenuEvent(
                    QContextMenuEvent.Reason.Mouse, centre, target.mapToGlobal(centre)))
            self.watch(request, f"{where} › {type(field_).__name__} 右键菜单", depth + 1)

    def context_menus(self, container: QWidget, where: str, depth: int) -> None:
        """Each list's own right-click menu: read, then opened again for each of its items."""
        for view in container.findChildren(QAbstractItemView):
            if not view.isVisibleTo(container) or \
                    view.contextMenuPolicy() != Qt.ContextMenuPolicy.CustomContextMenu:
                continue

            def request(view: QAbstractItemView = view) -> None:
                """At the selected row (the alley, its first household), else the first."""
                index = view.currentIndex()
                if not index.isValid() and view.model() is not None:
                    index = view.model().index(0, 0)
                    view.setCurrentIndex(index)
                rect = view.visualRect(index) if index.isValid() else None
                view.customContextMenuRequested.emit(rect.center() if rect else QPoint(5, 5))

            select_something(container)  # what the clicks before may have changed
            items: list[str] = []
            self.menu_items = items
            self.watch(request, f"{where} › 右键菜单", depth + 1)
            self.menu_items = None
            for text in items:
                if text in NOT_CLICKED or not container.isVisible():
                    continue
                self.watch(request, f"{where} › 右键菜单 › {text}", depth + 1, choose=text)
