"""The main window: a navigation list on the left, one page at a time on the right.

A page (and its module, with what only it needs: reportlab, openpyxl, QtPdf…) is built the first
time it is shown, so the start pays for the overview alone. A page built later reads fresh data
in its constructor and listens to `changed` from then on, as one built at the start would."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCloseEvent, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QWidget,
)

from models.accounts.service import place_of
from models.core.access import Role
from ui import style
from ui.context import AppContext
from ui.flow import least_height
from ui.preferences import Preferences
from ui.style import DEFAULT_FONT_SIZE, FONT_SIZES

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
    ("评先树优", "ui.pages.people.honours", "HonoursPage"),
    ("综合测评", "ui.pages.people.assessment", "AssessmentPage"),
    ("后备人才库", "ui.pages.people.talent", "TalentPage"),
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


def font_size_box() -> QComboBox:
    """字号: 标准 / 大字 / 特大, the points as each item's data."""
    box = QComboBox()
    for points, label in FONT_SIZES.items():
        box.addItem(f"{label}（{points} 磅）", points)
    box.setToolTip("大字：每个页面和表格的字都变大")
    return box


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


class PageStack(QStackedWidget):
    """The pages, one shown at a time, in the window's scroll area."""

    def heightForWidth(self, width: int) -> int:
        """The page shown, at the least height it needs at this width (a page with text that
        wraps would otherwise be given its preferred height, taller than a 768-px screen, and
        would scroll although everything fits)."""
        page = self.currentWidget()
        return least_height(page, width) if page is not None else super().heightForWidth(width)


class MainWindow(QMainWindow):
    """`preferences` (the start passes them; tests mostly not): 大字, the window's size and
    place and the last page, restored now and saved on closing."""

    def __init__(self, context: AppContext, preferences: Preferences | None = None):
        super().__init__()
        self.context = context
        self.preferences = preferences
        place = place_of(context.db, context.actor)
        self.setWindowTitle(f"村治通 — {place} — {context.db.label()}")
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.addItems(TITLES)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = PageStack()
        # Until a page is built its slot holds an empty placeholder, so row i is always page i.
        for _title in TITLES:
            self.stack.addWidget(QWidget())
        # A page wider or taller than the screen (大字 on a 1024 × 768 screen) scrolls inside the
        # window instead of pushing the window off the screen.
        self.scroller = QScrollArea()
        self.scroller.setWidget(self.stack)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.built: dict[str, QWidget] = {}
        self.pages = Pages(self)
        self.nav.currentRowChanged.connect(self._show_row)
        self.shown_titles = ROLE_PAGES.get(context.actor.role, TITLES)
        for row, title in enumerate(TITLES):
            self.nav.item(row).setHidden(title not in self.shown_titles)
        layout.addWidget(self.nav)
        layout.addWidget(self.scroller, 1)
        self.setCentralWidget(central)
        self.statusBar().showMessage(
            f"{context.actor.name}（{context.actor.role.label}）已登录    {place}    "
            f"数据库：{context.db.label()}{context.db.transport()}")
        self.font_size = font_size_box()
        self.statusBar().addPermanentWidget(QLabel("字号："))
        self.statusBar().addPermanentWidget(self.font_size)
        self._restore()
        self.font_size.currentIndexChanged.connect(self._font_size_chosen)

    # ---- what the window remembers --------------------------------------------------------
    def _restore(self) -> None:
        points = self.preferences.font_size if self.preferences else DEFAULT_FONT_SIZE
        self.font_size.setCurrentIndex(max(self.font_size.findData(points), 0))
        self._fit_nav()
        geometry = self.preferences.geometry if self.preferences else None
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(self._default_size())
        last = self.preferences.last_page if self.preferences else ""
        first = last if last in self.shown_titles else self.shown_titles[0]
        self.nav.setCurrentRow(TITLES.index(first))

    def _default_size(self) -> QSize:
        """1200 × 760, or the screen less a margin on a smaller one (1024 × 768)."""
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is None:
            return QSize(1200, 760)
        return QSize(min(1200, screen.width() - 16), min(760, screen.height() - 40))

    def _fit_nav(self) -> None:
        """The menu as wide as its longest title at the current size, and no wider."""
        font = QFont(self.nav.font())
        font.setPixelSize(round(15 * self.font_size.currentData() / DEFAULT_FONT_SIZE))
        widest = max(QFontMetrics(font).horizontalAdvance(title) for title in TITLES)
        self.nav.setFixedWidth(widest + 44)

    def _font_size_chosen(self, _index: int) -> None:
        points = self.font_size.currentData()
        style.set_font_size(QApplication.instance(), points)
        self._fit_nav()
        if self.preferences is not None:
            self.preferences.font_size = points

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.preferences is not None:
            self.preferences.remember_window(self.saveGeometry(),
                                             TITLES[max(self.nav.currentRow(), 0)])
        super().closeEvent(event)

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
        if row < 0:
            return
        shown = self.page(TITLES[row])
        # The stack asks for the room of its largest page; only the page shown should count.
        for page in self.built.values():
            ignored = QSizePolicy.Policy.Ignored
            page.setSizePolicy(*(2 * [QSizePolicy.Policy.Preferred if page is shown else ignored]))
        self.stack.setCurrentWidget(shown)

    def show_page(self, title: str) -> QWidget:
        self.nav.setCurrentRow(TITLES.index(title))
        return self.page(title)
