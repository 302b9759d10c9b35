"""The main window: a navigation list on the left, one page at a time on the right.

A page (and its module, with what only it needs: reportlab, openpyxl, QtPdf…) is built the first
time it is shown, so the start pays for the overview alone. A page built later reads fresh data
in its constructor and listens to `changed` from then on, as one built at the start would."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from models.accounts.service import place_of
from models.core.access import Role
from ui.context import AppContext

# (title, module, class): the title is the module's TITLE (tests/test_ui_main_window.py checks
# they agree); the class takes the AppContext.
PAGES = (
    ("概览", "ui.pages.overview", "OverviewPage"),
    ("组织架构", "ui.pages.organisation", "OrganisationPage"),
    ("三个一日志", "ui.pages.worklog.page", "WorkLogPage"),
    ("积分银行", "ui.pages.points.page", "PointsPage"),
    ("兑换柜台", "ui.pages.store.counter", "CounterPage"),
    ("物品库存", "ui.pages.store.goods", "GoodsPage"),
    ("红黑榜", "ui.pages.ranking.page", "RankingPage"),
    ("问题整改", "ui.pages.problems.page", "ProblemsPage"),
    ("打印中心", "ui.pages.print_centre", "PrintCentrePage"),
    ("系统设置", "ui.pages.settings", "SettingsPage"),
    ("账号管理", "ui.pages.accounts.page", "AccountsPage"),
    ("操作记录", "ui.pages.accounts.audit", "AuditPage"),
    ("数据备份", "ui.pages.backup", "BackupPage"),
)
TITLES = [title for title, _module, _class in PAGES]
# The pages a role sees, where not every page serves it: a 包村干部 works across the villages
# assigned to him, which only the problem pages (and his own password) are made for.
ROLE_PAGES = {Role.CADRE: ("问题整改", "账号管理")}


class Pages(Mapping[str, QWidget]):
    """Every page by title; looking one up builds it if it has not been shown yet."""

    def __init__(self, window: MainWindow):
        self._window = window

    def __getitem__(self, title: str) -> QWidget:
        return self._window.page(title)

    def __iter__(self) -> Iterator[str]:
        return iter(TITLES)

    def __len__(self) -> int:
        return len(TITLES)


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        place = place_of(context.db, context.actor)
        self.setWindowTitle(f"村治通 — {place} — {context.db.label()}")
        self.resize(QSize(1200, 760))
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(170)
        self.nav.addItems(TITLES)
        self.stack = QStackedWidget()
        # Until a page is built its slot holds an empty placeholder, so row i is always page i.
        for _title in TITLES:
            self.stack.addWidget(QWidget())
        self.built: dict[str, QWidget] = {}
        self.pages = Pages(self)
        self.nav.currentRowChanged.connect(self._show_row)
        shown = ROLE_PAGES.get(context.actor.role, TITLES)
        for row, title in enumerate(TITLES):
            self.nav.item(row).setHidden(title not in shown)
        self.nav.setCurrentRow(TITLES.index(shown[0]))
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.statusBar().showMessage(
            f"{context.actor.name}（{context.actor.role.label}）已登录    {place}    "
            f"数据库：{context.db.label()}{context.db.transport()}")

    def page(self, title: str) -> QWidget:
        """The page with this title, built now if it has not been before."""
        if title not in self.built:
            _title, module, class_name = PAGES[TITLES.index(title)]
            page_class = getattr(importlib.import_module(module), class_name)
            page = page_class(self.context)
            row = TITLES.index(title)
            placeholder = self.stack.widget(row)
            self.stack.insertWidget(row, page)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.built[title] = page
        return self.built[title]

    def _show_row(self, row: int) -> None:
        if row >= 0:
            self.stack.setCurrentWidget(self.page(TITLES[row]))

    def show_page(self, title: str) -> QWidget:
        self.nav.setCurrentRow(TITLES.index(title))
        return self.page(title)
