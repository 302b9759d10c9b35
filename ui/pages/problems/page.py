"""问题整改: the rectification ledger of the villages this account works in — the list with its
filters and each problem's card, fast entry (登记问题), today's overdue problems, the street
office's 督办 list, the statistics per village and month, and the 门前三包 pledges that came back.
The 台账 prints and exports exactly the rows the list shows."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models.core import clock
from models.core.access import ASSIGNED_SCOPED, Permission
from models.core.errors import DomainError
from models.printing.service import PrintService
from models.problems.service import ProblemFilter, ProblemRow, ProblemsService
from models.problems.tables import Status
from ui.context import AppContext
from ui.flow import FlowLayout, PageTabs
from ui.pages.problems.card import ProblemCardView
from ui.pages.problems.pledges import PledgesTab
from ui.pages.problems.stats import StatisticsTab
from ui.tasks import run_task
from ui.widgets import Column, RowTableModel, page_title, row_table_view, show_refusal
from ui.empty_hint import EmptyHint

TITLE = "问题整改"
TOPIC = "problems"
RIGHT = Qt.AlignmentFlag.AlignRight

LEDGER_COLUMNS = (
    Column("编号", lambda r: r.number), Column("村", lambda r: r.village),
    Column("发现日期", lambda r: f"{r.found_on:%m-%d}"),
    Column("状态", lambda r: r.status_text + ("·督办" if r.escalated and r.status is not Status.CLOSED
                                                 and r.status is not Status.ESCALATED else "")),
    Column("地点", lambda r: r.place, tooltip=True),
    Column("问题描述", lambda r: r.description, tooltip=True),
    Column("责任人", lambda r: r.responsible),
    Column("整改时限", lambda r: f"{r.deadline:%m-%d}" if r.deadline else ""),
    Column("来源", lambda r: r.source),
)
OVERDUE_COLUMNS = (
    Column("逾期", lambda r: f"{r.overdue_days}天", RIGHT), Column("编号", lambda r: r.number),
    Column("村", lambda r: r.village), Column("地点", lambda r: r.place, tooltip=True),
    Column("问题描述", lambda r: r.description, tooltip=True),
    Column("责任人", lambda r: r.responsible),
    Column("整改时限", lambda r: f"{r.deadline:%Y-%m-%d}" if r.deadline else ""),
    Column("状态", lambda r: r.status.label),
)
STATUS_CHOICES = (("全部状态", None, False), ("未销号", None, True),
                  *((s.label, s, False) for s in Status))


class ProblemList(QWidget):
    """A list of problems beside the card of the one selected."""

    def __init__(self, context: AppContext, columns, criteria: Callable[[], ProblemFilter],  # type: ignore[no-untyped-def]
                 order: Callable[[list[ProblemRow]], list[ProblemRow]] = list):
        super().__init__()
        self.context, self.criteria, self.order = context, criteria, order
        self.service = context.service(ProblemsService)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.count = QLabel()
        self.count.setWordWrap(True)
        self.count.setObjectName("hint")
        layout.addWidget(self.count)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.model = RowTableModel(columns, self)
        self.view = row_table_view(self.model)
        EmptyHint(self.view, "没有符合条件的问题。发现环境问题时点“登记问题…”，"
                             "写明地点和问题，可以附上照片。")
        header = self.view.horizontalHeader()
        for index, column in enumerate(columns):  # long text gets room, the rest their width
            header.setSectionResizeMode(index, QHeaderView.ResizeMode.Interactive if column.tooltip
                                        else QHeaderView.ResizeMode.ResizeToContents)
            if column.tooltip:
                self.view.setColumnWidth(index, 160)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._selected())
        splitter.addWidget(self.view)
        self.card = ProblemCardView(context)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.card)
        splitter.addWidget(scroll)
        splitter.setSizes([640, 560])
        layout.addWidget(splitter, 1)
        self.card.changed.connect(lambda: context.changed.emit(TOPIC))

    def reload(self) -> None:
        keep = self.card.card.row.id if self.card.card else None
        try:
            rows = self.order(self.service.problems(self.criteria()))
        except DomainError as error:
            self.count.setText(str(error))
            rows = []
        self.model.set_rows(rows)
        self.count.setText(self.summary(rows))
        ids = [r.id for r in rows]
        if keep in ids:
            self.view.selectRow(ids.index(keep))
            self.card.load(keep)
        elif rows:
            self.view.selectRow(len(rows) - 1 if self.order is list else 0)
        else:
            self.card.show_card(None)

    @staticmethod
    def summary(rows: list[ProblemRow]) -> str:
        open_rows = [r for r in rows if r.status is not Status.CLOSED]
        overdue = sum(1 for r in rows if r.overdue_days)
        return f"共 {len(rows)} 件，未销号 {len(open_rows)} 件，其中逾期 {overdue} 件。"

    def _selected(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            try:
                self.card.load(self.model.row(index).id)
            except DomainError as error:
                show_refusal(self, error, "无法显示")


def _row(widgets: tuple[QWidget, ...]) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    return row


class ProblemsPage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.setObjectName("page")
        self.context = context
        self.service = context.service(ProblemsService)
        self.villages = self.service.villages()
        self.folder = tempfile.TemporaryDirectory(prefix="cunzhi-problems-")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(page_title(TITLE))
        hint = QLabel(self._hint())
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.tabs = PageTabs()
        self.ledger = ProblemList(context, LEDGER_COLUMNS, self.criteria)
        self.overdue = ProblemList(context, OVERDUE_COLUMNS, lambda: ProblemFilter(overdue_only=True),
                                   lambda rows: sorted(rows, key=lambda r: -r.overdue_days))
        self.supervised = ProblemList(context, LEDGER_COLUMNS,
                                      lambda: ProblemFilter(escalated_only=True, open_only=True))
        self.tabs.addTab(self._ledger_tab(), "问题台账")
        self.tabs.addTab(self.overdue, "今日逾期")
        self.tabs.addTab(self.supervised, "街道督办")
        self.statistics = StatisticsTab(context, self.villages)
        self.tabs.addTab(self.statistics, "统计")
        self.pledges = PledgesTab(context, self.villages)
        self.tabs.addTab(self.pledges, "门前三包责任书")
        layout.addWidget(self.tabs, 1)
        for listing in (self.ledger, self.overdue, self.supervised):
            listing.card.print_requested.connect(self.print_problem)
            village_column = [c.header for c in listing.model.columns].index("村")
            listing.view.setColumnHidden(village_column, len(self.villages) <= 1)
        context.changed.connect(self._changed)
        self.reload()

    def _hint(self) -> str:
        actor = self.context.actor
        names = "、".join(name for _, name in self.villages)
        if actor.role in ASSIGNED_SCOPED:
            return (f"{actor.name}（包村干部）：记录拍客群和巡查发现的问题并督促整改，只能处理所包的村"
                    f"（{names}）。报街道督办的问题由街道巡查办复核、销号或退回。")
        if actor.may(Permission.SUPERVISE_PROBLEMS, None):
            return "全镇的问题整改台账。报街道督办的问题在“街道督办”中复核、销号或退回村里。"
        return (f"{names}的问题整改台账：登记 → 交办 → 整改 → 复核（由整改登记人以外的人）→ 销号。"
                "按期整改、逾期整改和拒不整改按积分细则记入责任胡同长（片区长）的积分。")

    # ---- the ledger tab ------------------------------------------------------------------
    def _ledger_tab(self) -> QWidget:
        tab = QWidget()
        column = QVBoxLayout(tab)
        filters = FlowLayout()  # wraps onto a second line with 大字 on a small screen
        self.village = QComboBox()
        if len(self.villages) > 1:
            self.village.addItem("全部村", None)
        for village_id, name in self.villages:
            self.village.addItem(name, village_id)
        self.status = QComboBox()
        for label, status, open_only in STATUS_CHOICES:
            self.status.addItem(label, (status, open_only))
        self.source, self.category = QComboBox(), QComboBox()
        self.source.addItem("全部来源", None)
        for row in self.service.sources():
            self.source.addItem(row.name, row.id)
        self.category.addItem("全部类别", None)
        for row in self.service.categories():
            self.category.addItem(row.name, row.id)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(clock.today().year)
        self.year.setSuffix(" 年")
        self.month = QComboBox()
        self.month.addItem("全年", None)
        for month in range(1, 13):
            self.month.addItem(f"{month}月", month)
        self.overdue_only = QCheckBox("只看逾期")
        self.escalated_only = QCheckBox("只看督办")
        # Two groups, what and when, each kept on one line when the row wraps.
        for group in ((self.village, self.status, self.source, self.category),
                      (self.year, self.month, self.overdue_only, self.escalated_only)):
            filters.addWidget(_row(group))
            for widget in group:
                signal = getattr(widget, "currentIndexChanged", None) or \
                    getattr(widget, "valueChanged", None) or widget.toggled
                signal.connect(lambda *_: self.ledger.reload())
        column.addLayout(filters)
        buttons = FlowLayout()
        actor = self.context.actor
        actions = [("登记问题…", self.register,
                    any(actor.may(Permission.REGISTER_PROBLEMS, v) for v, _ in self.villages)),
                   ("打印台账…", self.print_ledger, True), ("导出 Excel…", self.export, True),
                   ("类别和来源…", self.catalogues, self.service.may_edit_catalogues())]
        self.action_buttons = {}
        for text, slot, shown in actions:
            button = QPushButton(text)
            button.clicked.connect(slot)
            button.setVisible(shown)
            buttons.addWidget(button)
            self.action_buttons[text] = button
        column.addLayout(buttons)
        column.addWidget(self.ledger, 1)
        return tab

    def criteria(self) -> ProblemFilter:
        status, open_only = self.status.currentData()
        return ProblemFilter(
            village_id=self.village.currentData(), status=status, open_only=open_only,
            source_id=self.source.currentData(), category_id=self.category.currentData(),
            overdue_only=self.overdue_only.isChecked(),
            escalated_only=self.escalated_only.isChecked(), year=self.year.value(),
            month=self.month.currentData())

    # ---- actions -------------------------------------------------------------------------
    def register(self) -> None:
        from ui.pages.problems.entry import RegisterDialog

        writable = [(v, n) for v, n in self.villages
                    if self.context.actor.may(Permission.REGISTER_PROBLEMS, v)]
        dialog = RegisterDialog(self.context, writable, self.village.currentData(), self)
        if dialog.exec() and dialog.registered is not None:
            self.context.changed.emit(TOPIC)

    def catalogues(self) -> None:
        from ui.pages.problems.catalogue import CatalogueDialog

        CatalogueDialog(self.service, self).exec()
        self.context.changed.emit(TOPIC)

    def print_ledger(self) -> None:
        self._print("problem-ledger", "问题整改台账", criteria=self.criteria())

    def print_problem(self, kind: str, problem_id: int) -> None:
        self._print(kind, "整改通知书" if kind == "problem-notice" else "督办单",
                    number=str(problem_id))

    def _print(self, kind: str, title: str, *, number: str = "",
               criteria: ProblemFilter | None = None) -> None:
        from reports.printing import print_document

        target = Path(self.folder.name) / f"{kind}-{os.urandom(4).hex()}.pdf"
        service = PrintService(self.context.db, self.context.actor)

        def work(_progress):  # type: ignore[no-untyped-def]
            return print_document(service, kind, None, target, number=number,
                                  problem_filter=criteria)

        run_task(work, lambda result: self._preview(result, title), self._failed, parent=self,
                 title=f"正在生成{title}……")

    def _preview(self, result, title: str) -> None:  # type: ignore[no-untyped-def]
        from ui.pages.problems.preview import PreviewDialog

        PreviewDialog(result.path, f"{title}（{result.scope}）", result.pages, self).exec()

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, DomainError):
            raise error
        show_refusal(self, error, "无法生成")

    def export(self) -> None:
        from reports.problems.ledger_xlsx import write_problem_ledger

        try:
            ledger = self.service.ledger(self.criteria())
        except DomainError as error:
            show_refusal(self, error, "无法导出")
            return
        name, _ = QFileDialog.getSaveFileName(self, "导出问题整改台账", f"{ledger.title}.xlsx",
                                              "Excel 文件 (*.xlsx)")
        if name:
            write_problem_ledger(ledger, Path(name))
            QMessageBox.information(self, "导出", f"已导出 {len(ledger.rows)} 件问题：\n{name}")

    # ---- keeping up ----------------------------------------------------------------------
    def reload(self) -> None:
        for listing in (self.ledger, self.overdue, self.supervised):
            listing.reload()
        self.tabs.setTabText(1, f"今日逾期（{self.overdue.model.rowCount()}）")
        self.tabs.setTabText(2, f"街道督办（{self.supervised.model.rowCount()}）")

    def _changed(self, topic: str) -> None:
        if topic in (TOPIC, "org"):
            self.reload()
            self.statistics.reload()
            self.pledges.reload()
