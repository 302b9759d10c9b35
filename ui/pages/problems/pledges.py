"""门前三包责任书回收: which households' signed pledges came back this year, the missing ones per
alley for the heads to chase, and recording a return (the day and the copies)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models.core import clock
from models.core.access import Permission
from models.core.errors import DomainError
from models.org.pledges import MissingAlley, PledgeRow, PledgeService
from models.org.search import PersonHit
from ui.context import AppContext
from ui.flow import FlowLayout
from ui.pages.problems.steps import date_edit, picked
from ui.widgets import Column, RowTableModel, row_table_view, section_title, show_refusal
from ui.widgets_search import PersonPicker

MISSING = (
    Column("胡同", lambda a: a.alley), Column("胡同长", lambda a: a.alley_head),
    Column("未签回", lambda a: f"{len(a.households)}户"),
    Column("未签回农户", lambda a: "、".join(h.householder for h in a.households), tooltip=True),
)
HOUSEHOLDS = (
    Column("户主", lambda h: h.householder), Column("门牌", lambda h: h.address),
    Column("签回日期", lambda h: f"{h.returned_on:%Y-%m-%d}" if h.returned_on else "未签回"),
    Column("已签回的联", lambda h: h.copies),
)


class PledgesTab(QWidget):
    def __init__(self, context: AppContext, villages: list[tuple[int, str]]):
        super().__init__()
        self.context = context
        self.service = context.service(PledgeService)
        self.alley_id: int | None = None
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.village = QComboBox()
        for village_id, name in villages:
            self.village.addItem(name, village_id)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(clock.today().year)
        self.year.setSuffix(" 年")
        self.rate = QLabel()
        self.rate.setObjectName("hint")
        self.rate.setWordWrap(True)
        for label, widget in (("村：", self.village), ("年度：", self.year)):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addWidget(self.rate, 1)
        layout.addLayout(bar)
        splitter = QSplitter()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(section_title("未签回名单（按胡同，请胡同长督促）"))
        self.missing = RowTableModel(MISSING, self)
        self.missing_view = row_table_view(self.missing)
        self.missing_view.horizontalHeader().setStretchLastSection(True)
        self.missing_view.clicked.connect(lambda index: self.show_alley(self.missing.row(index).alley_id))
        left_layout.addWidget(self.missing_view)
        splitter.addWidget(left)
        splitter.addWidget(self._alley_side())
        splitter.setSizes([520, 480])
        layout.addWidget(splitter, 1)
        self.village.currentIndexChanged.connect(self.reload)
        self.year.valueChanged.connect(self.reload)
        self.reload()

    def _alley_side(self) -> QWidget:
        side = QWidget()
        column = QVBoxLayout(side)
        self.alley_title = section_title("胡同的责任书")
        column.addWidget(self.alley_title)
        finder = PersonPicker(self.context, self.village.currentData(), compact=True)
        finder.everywhere.hide()
        finder.chosen.connect(self._found)
        self.finder = finder
        column.addWidget(finder)
        self.households = RowTableModel(HOUSEHOLDS, self)
        self.households_view = row_table_view(self.households)
        self.households_view.horizontalHeader().setStretchLastSection(True)
        column.addWidget(self.households_view, 1)
        record = FlowLayout()  # wraps with 大字 on a small screen
        self.returned_on = date_edit()
        self.copies = [QCheckBox(label) for label in ("镇联", "村联", "户联")]
        record.addWidget(QLabel("签回日期"))
        record.addWidget(self.returned_on)
        for box in self.copies:
            box.setChecked(True)
            record.addWidget(box)
        self.record_button = QPushButton("登记签回")
        self.record_button.clicked.connect(self.record)
        record.addWidget(self.record_button)
        column.addLayout(record)
        return side

    def reload(self) -> None:
        village = self.village.currentData()
        if village is None:
            return
        year = self.year.value()
        self.finder.set_village(village)
        self.finder.everywhere.hide()
        rate = self.service.return_rate(village, year)
        self.rate.setText(f"　{year}年：{rate.households}户中已签回{rate.returned}户"
                          f"（{rate.rate:.0%}），未签回{rate.households - rate.returned}户。")
        missing: list[MissingAlley] = self.service.missing(village, year)
        self.missing.set_rows(missing)
        may = self.context.actor.may(Permission.PLEDGE_RETURNS, village)
        self.record_button.setVisible(may)
        self.show_alley(self.alley_id if self.alley_id else (missing[0].alley_id if missing else None))

    def show_alley(self, alley_id: int | None) -> None:
        self.alley_id = alley_id
        rows: list[PledgeRow] = self.service.alley_pledges(alley_id, self.year.value()) \
            if alley_id else []
        self.households.set_rows(rows)
        self.alley_title.setText("胡同的责任书" if not rows else
                                 f"胡同的责任书：共{len(rows)}户，"
                                 f"未签回{sum(1 for r in rows if r.returned_on is None)}户")

    def _found(self, hit: PersonHit) -> None:
        self.show_alley(hit.alley_id)
        for index, row in enumerate(self.households.rows):
            if row.household_id == hit.household_id:
                self.households_view.selectRow(index)

    def record(self) -> None:
        selected = self.households_view.selectionModel().selectedRows()
        if not selected:
            self.rate.setText("　请先在右侧选择一户。")
            return
        row = self.households.row(selected[0])
        township, village, household = (box.isChecked() for box in self.copies)
        try:
            self.service.record_return(row.household_id, self.year.value(), picked(self.returned_on),
                                       township=township, village=village, household=household)
        except DomainError as error:
            show_refusal(self, error)
            return
        self.reload()
