"""The main window: a navigation list on the left, one page at a time on the right."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from ui.context import AppContext
from ui.pages import (
    accounts,
    audit,
    counter,
    goods,
    organisation,
    overview,
    points,
    print_centre,
    ranking,
    settings,
)
from ui.pages import backup as backup_page

# Each page module has TITLE and one page class taking the AppContext.
PAGES = (
    (overview.TITLE, overview.OverviewPage),
    (organisation.TITLE, organisation.OrganisationPage),
    (points.TITLE, points.PointsPage),
    (counter.TITLE, counter.CounterPage),
    (goods.TITLE, goods.GoodsPage),
    (ranking.TITLE, ranking.RankingPage),
    (print_centre.TITLE, print_centre.PrintCentrePage),
    (settings.TITLE, settings.SettingsPage),
    (accounts.TITLE, accounts.AccountsPage),
    (audit.TITLE, audit.AuditPage),
    (backup_page.TITLE, backup_page.BackupPage),
)


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.setWindowTitle(f"村治通 — {context.db.describe()}")
        self.resize(QSize(1200, 760))
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(170)
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        for title, page_class in PAGES:
            page = page_class(context)
            self.pages[title] = page
            self.nav.addItem(title)
            self.stack.addWidget(page)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.statusBar().showMessage(
            f"{context.actor.name}（{context.actor.role.label}）已登录    数据库：{context.db.describe()}")

    def show_page(self, title: str) -> QWidget:
        self.nav.setCurrentRow(list(self.pages).index(title))
        return self.pages[title]
