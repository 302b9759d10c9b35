"""三个一工作日志: the clerk's month grid of a village, the completeness of the log and the
reminder lists, the seven officers' matters, and the month-end settlement into the passbooks."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from models.core import clock
from models.core.errors import DomainError
from models.worklog.calendar import Month
from models.worklog.log import WorkLogService
from ui.context import AppContext
from ui.flow import PageTabs
from ui.pages.worklog.grid_tab import GridTab
from ui.pages.worklog.overview_tabs import CompletenessTab, MattersTab
from ui.pages.worklog.settle_tab import SettlementTab
from ui.widgets import page_title, show_refusal

TITLE = "三个一日志"
MONTHS_SHOWN = 24


def month_choices(today: date, count: int = MONTHS_SHOWN) -> list[Month]:
    month, months = Month.of(today), []
    for _ in range(count):
        months.append(month)
        month = month.previous()
    return months


class WorkLogPage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.setObjectName("page")
        self.context = context
        self.service: WorkLogService = context.service(WorkLogService)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        heading = QHBoxLayout()
        heading.addWidget(page_title("三个一工作日志与七个管理员"))
        heading.addStretch(1)
        self.village = QComboBox()
        self.village.setMinimumWidth(140)
        for village_id, name in self.service.villages():
            self.village.addItem(name, village_id)
        self.village.setEnabled(self.village.count() > 1)
        self.month = QComboBox()
        for month in month_choices(clock.today()):
            self.month.addItem(month.label, month.key)
        heading.addWidget(QLabel("行政村"))
        heading.addWidget(self.village)
        heading.addWidget(QLabel("月份"))
        heading.addWidget(self.month)
        layout.addLayout(heading)
        self.tabs = PageTabs()
        self.grid_tab = GridTab(context, self)
        self.completeness_tab = CompletenessTab(context, self)
        self.matters_tab = MattersTab(context, self)
        self.settlement_tab = SettlementTab(context, self)
        for tab, label in ((self.grid_tab, "月度登记"), (self.completeness_tab, "完成情况"),
                           (self.matters_tab, "七个管理员"), (self.settlement_tab, "月末积分结算")):
            self.tabs.addTab(tab, label)
        layout.addWidget(self.tabs, 1)
        self.village.currentIndexChanged.connect(lambda _i: self.reload())
        self.month.currentIndexChanged.connect(lambda _i: self.reload())
        self.tabs.currentChanged.connect(lambda _i: self.reload())
        context.changed.connect(self._on_changed)
        self.reload()

    # ---- what is chosen ------------------------------------------------------------------
    def village_id(self) -> int | None:
        return self.village.currentData()

    def chosen_month(self) -> Month:
        return Month.from_key(self.month.currentData())

    def choose(self, village_id: int, month: Month) -> None:
        self.village.setCurrentIndex(max(self.village.findData(village_id), 0))
        self.month.setCurrentIndex(max(self.month.findData(month.key), 0))

    def reload(self) -> None:
        if self.village_id() is None:
            return
        try:
            self.tabs.currentWidget().reload()
        except DomainError as error:
            show_refusal(self, error, "无法读取")

    def _on_changed(self, topic: str) -> None:
        if topic in ("worklog", "points", "org"):
            self.reload()
