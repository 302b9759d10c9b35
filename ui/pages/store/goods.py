"""物品库存: the village's goods with their stock, the stock operations, and the store's reports
(each exportable to Excel)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models.core.access import Permission
from models.core.errors import DomainError
from models.store.counter import CounterService
from models.store.goods import GoodsRow, GoodsService
from models.store.report_tables import StoreReportService, Table
from reports.store.store_xlsx import write_table
from ui.context import AppContext
from ui.dialogs.goods import count_dialog, goods_dialog, stock_in_dialog, write_off_dialog
from ui.empty_hint import EmptyHint
from ui.widgets import (
    Column,
    RowTableModel,
    page_title,
    row_table_view,
    section_title,
    show_refusal,
    today_qdate,
)

TITLE = "物品库存"
RIGHT = Qt.AlignmentFlag.AlignRight
GOODS_COLUMNS = (
    Column("物品", lambda g: g.name),
    Column("单位", lambda g: g.unit),
    Column("兑换积分", lambda g: g.price_points, RIGHT),
    Column("库存", lambda g: g.stock, RIGHT),
    Column("状态", lambda g: "可兑换" if g.active else "停止兑换"),
)
NUMBERS = ("数量", "库存", "兑换积分", "兑换笔数", "物品件数", "金额（元）", "折合金额（元）")
REPORTS = ("出入库明细", "捐赠登记簿", "兑换日报", "兑换月报", "各村兑换汇总", "库存表")


class GoodsPage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.setObjectName("page")
        self.context = context
        self.goods_service = context.service(GoodsService)
        self.reports = context.service(StoreReportService)
        self.table_data: Table | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        top = QHBoxLayout()
        top.addWidget(page_title("物品库存"))
        top.addStretch(1)
        self.village = QComboBox()
        for village_id, name in context.service(CounterService).villages():
            self.village.addItem(name, village_id)
        self.village.currentIndexChanged.connect(lambda _i: self.reload())
        top.addWidget(QLabel("行政村："))
        top.addWidget(self.village)
        layout.addLayout(top)

        bar = QHBoxLayout()
        bar.addWidget(section_title("物品与库存"))
        bar.addStretch(1)
        self.buttons = {}
        for text, action in (("新增物品…", self._add), ("修改…", self._edit),
                             ("入库…", self._stock_in), ("报损…", self._write_off),
                             ("盘点…", self._count)):
            button = QPushButton(text)
            button.clicked.connect(action)
            bar.addWidget(button)
            self.buttons[text] = button
        layout.addLayout(bar)
        self.goods = RowTableModel(GOODS_COLUMNS, self)
        self.goods_view = row_table_view(self.goods)
        EmptyHint(self.goods_view, "还没有物品。点右上角“新增物品…”登记大米、面粉、香皂等，"
                  "再点“入库…”登记数量，兑换柜台就能用了。")
        # Five short columns share the width evenly: 物品 alone would take most of it.
        self.goods_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.goods_view, 2)

        report_bar = QHBoxLayout()
        report_bar.addWidget(section_title("报表"))
        self.kind = QComboBox()
        self.kind.addItems(REPORTS)
        today = today_qdate()
        self.start = QDateEdit(QDate(today.year(), 1, 1))
        self.end = QDateEdit(today)
        for field in (self.start, self.end):
            field.setCalendarPopup(True)
            field.setDisplayFormat("yyyy-MM-dd")
            field.dateChanged.connect(lambda _d: self.show_report())
        self.kind.currentIndexChanged.connect(lambda _i: self.show_report())
        export = QPushButton("导出 Excel…")
        export.clicked.connect(self._export)
        for widget in (self.kind, QLabel("从"), self.start, QLabel("到"), self.end):
            report_bar.addWidget(widget)
        report_bar.addStretch(1)
        report_bar.addWidget(export)
        layout.addLayout(report_bar)
        self.report = RowTableModel([], self)
        self.report_view = row_table_view(self.report)
        self.report_view.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.report_view, 3)
        context.changed.connect(lambda topic: self.reload() if topic in ("goods", "org") else None)
        self.reload()

    @property
    def village_id(self) -> int | None:
        return self.village.currentData()

    def reload(self) -> None:
        village = self.village_id
        self.goods.set_rows([] if village is None else
                            self.goods_service.catalogue(village, active_only=False))
        allowed = village is not None and self.context.actor.may(Permission.MANAGE_GOODS, village)
        for button in self.buttons.values():
            button.setEnabled(allowed)
        self.show_report()

    def selected(self) -> GoodsRow | None:
        index = self.goods_view.currentIndex()
        return self.goods.row(index) if index.isValid() else None

    def current_report(self) -> Table | None:
        village = self.village_id
        if village is None:
            return None
        start, end = self.start.date().toPython(), self.end.date().toPython()
        kind = self.kind.currentText()
        if kind == "出入库明细":
            return self.reports.movements(village, start, end)
        if kind == "捐赠登记簿":
            return self.reports.donations(village, start, end)
        if kind == "兑换日报":
            return self.reports.redemptions_by_day(village, start, end)
        if kind == "兑换月报":
            return self.reports.redemptions_by_month(village, start, end)
        if kind == "各村兑换汇总":
            return self.reports.redemptions_by_village(start, end)
        return self.reports.stock_on_hand(village)

    def show_report(self) -> None:
        self.table_data = self.current_report()
        headers = self.table_data.headers if self.table_data else ()
        self.report.columns = [Column(h, lambda row, i=i: row[i],
                                      RIGHT if h in NUMBERS else Qt.AlignmentFlag.AlignLeft)
                               for i, h in enumerate(headers)]
        self.report.set_rows(self.table_data.rows if self.table_data else [])
        self.report_view.resizeColumnsToContents()

    def _export(self) -> None:
        table = self.table_data
        if table is None:
            return
        suggested = self.context.data_folder / "报表" / f"{table.title}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "导出 Excel", str(suggested), "Excel 文件 (*.xlsx)")
        if path:
            write_table(table, Path(path))

    def _run(self, dialog) -> None:  # type: ignore[no-untyped-def]
        if dialog.exec():
            self.context.changed.emit("goods")

    def _add(self) -> None:
        if self.village_id is not None:
            self._run(goods_dialog(self.goods_service, self.village_id, None, self))

    def _with_selected(self, make) -> None:  # type: ignore[no-untyped-def]
        goods = self.selected()
        if goods is None:
            show_refusal(self, DomainError("请先在表格中选中一种物品。"), "未选择物品")
            return
        self._run(make(self.goods_service, goods, self))

    def _edit(self) -> None:
        self._with_selected(lambda service, goods, parent: goods_dialog(
            service, goods.admin_village_id, goods, parent))

    def _stock_in(self) -> None:
        self._with_selected(stock_in_dialog)

    def _write_off(self) -> None:
        self._with_selected(write_off_dialog)

    def _count(self) -> None:
        self._with_selected(count_dialog)

