"""红黑榜: entering the monthly evaluations, computing and publishing the lists, the history of
every published list (with notices as PDF/xlsx), and each zone's rank through the year."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.core import clock
from models.core.access import ROLE_PERMISSIONS, VILLAGE_SCOPED, Actor, Permission
from models.core.errors import DomainError
from models.ranking.rules import score_text
from models.ranking.service import ExclusionsNotConfirmed, RankingService
from models.ranking.tables import Colour
from reports.ranking_notices import write_notice
from ui.context import AppContext
from ui.flow import PageTabs
from ui.pages.ranking.widgets import RankChart, ScoreGridModel, ScoreGridView
from ui.widgets import Column, RowTableModel, page_title, row_table_view, show_refusal
from ui.retry import AttemptKeys
from ui.empty_hint import EmptyHint

TITLE = "红黑榜"
RIGHT = Qt.AlignmentFlag.AlignRight

GROUP_COLUMNS = (
    Column("评选范围", lambda g: g.group_name),
    Column("红榜", lambda g: "、".join(f"{m.name}（{score_text(m.total)}）" for m in g.red) or "—"),
    Column("黑榜", lambda g: "、".join(f"{m.name}（{score_text(m.total)}）" for m in g.black) or "—"),
    Column("说明", lambda g: "；".join([g.problem] if g.problem else [f"共{len(g.ranked)}个单位参评"])
           + "".join(f"；{line}" for line in ([f"{'、'.join(g.excluded)}评分不全，不参评"]
                                               if g.excluded else []) + g.passed_over),
           tooltip=True),
)
LIST_COLUMNS = (
    Column("期间", lambda r: r.period_label),
    Column("类别", lambda r: r.kind.label),
    Column("文号", lambda r: r.doc_number),
    Column("版本", lambda r: f"第{r.version}版", RIGHT),
    Column("公示日期", lambda r: f"{r.published_on:%Y-%m-%d}"),
    Column("发布人", lambda r: r.publisher),
    Column("红榜", lambda r: r.red, RIGHT),
    Column("黑榜", lambda r: r.black, RIGHT),
    Column("状态", lambda r: "现行" if r.current else "已被更正"),
    Column("更正说明", lambda r: r.change_note),
)
ENTRY_COLUMNS = (
    Column("类别", lambda e: e.colour.label),
    Column("评选范围", lambda e: e.group_name),
    Column("上榜单位", lambda e: e.unit_name),
    Column("得分", lambda e: score_text(e.score), RIGHT),
    Column("名次", lambda e: f"{e.rank}/{e.group_size}", RIGHT),
    Column("负责人", lambda e: e.head_name),
    Column("黑榜原因", lambda e: e.reason),
)


def _table(model) -> QTableView:  # type: ignore[no-untyped-def]
    view = row_table_view(model)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def township_only(button: QPushButton, actor: Actor, why: str) -> None:
    """A township-level operation: shown to village accounts, but disabled, saying why."""
    if actor.role in VILLAGE_SCOPED:
        button.setEnabled(False)
        button.setToolTip(why)


def _hint(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


class RankingPage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.setObjectName("page")
        self.context = context
        self.attempts = AttemptKeys("ranking")
        self.service: RankingService = context.service(RankingService)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        heading = QHBoxLayout()
        heading.addWidget(page_title("红黑榜：评议、评选与公示"))
        heading.addStretch(1)
        self.township = QComboBox()
        self.township.setMinimumWidth(160)
        for town_id, name in self.service.townships():
            self.township.addItem(name, town_id)
        # A village account sees its own township's lists only; the office picks the township.
        self.township.setEnabled(self.township.count() > 1)
        self.township.currentIndexChanged.connect(lambda _i: self.reload(reset_period=True))
        heading.addWidget(QLabel("镇（街道）"))
        heading.addWidget(self.township)
        layout.addLayout(heading)
        self.tabs = PageTabs()
        self.tabs.addTab(self._entry_tab(), "评议录入")
        self.tabs.addTab(self._selection_tab(), "评选与公示")
        self.tabs.addTab(self._history_tab(), "公示历史")
        self.tabs.addTab(self._chart_tab(), "名次走势")
        layout.addWidget(self.tabs, 1)
        context.changed.connect(self._on_changed)
        self.reload()

    # ---- evaluation entry -------------------------------------------------------------------
    def _entry_tab(self) -> QWidget:
        tab = QWidget()
        column = QVBoxLayout(tab)
        bar = QHBoxLayout()
        self.entry_village = QComboBox()
        self.entry_village.setMinimumWidth(200)
        self.entry_month = QLineEdit()
        self.entry_month.setPlaceholderText("例如 2024-03")
        self.entry_month.setMaximumWidth(110)
        load = QPushButton("打开")
        load.clicked.connect(self.load_grid)
        self.entry_village.currentIndexChanged.connect(lambda _i: self.load_grid())
        save = QPushButton("保存本村本月评分")
        save.clicked.connect(self.save_grid)
        importer = QPushButton("从 Excel 导入…")
        importer.clicked.connect(self.import_xlsx)
        if Permission.EVALUATE not in ROLE_PERMISSIONS[self.context.actor.role]:
            for button in (save, importer):
                button.setEnabled(False)
                button.setToolTip("评议分由村党支部书记录入。")
        for widget in (QLabel("自然村"), self.entry_village, QLabel("月份"), self.entry_month, load):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(importer)
        bar.addWidget(save)
        column.addLayout(bar)
        self.grid_model = ScoreGridModel(self)
        self.grid = ScoreGridView()
        self.grid.setModel(self.grid_model)
        EmptyHint(self.grid, "这里列出所选自然村的片区。还没有片区时，请先在“组织架构”里新建自然村和片区；"
                  "有了片区，每月在这里录入群众评议、片区长观摩评议和书记评议的分数。")
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.verticalHeader().setVisible(False)
        # entry_status is created below, so the lambda must look it up late.
        self.grid_model.rejected.connect(lambda message: self.entry_status.setText(message))  # noqa: PLW0108
        # A score accepted clears a refusal still on screen.
        self.grid_model.dataChanged.connect(lambda *_changed: self.entry_status.setText(""))
        column.addWidget(self.grid, 1)
        self.entry_status = _hint()
        self.entry_status.setObjectName("error")
        column.addWidget(self.entry_status)
        self.formula = _hint()
        column.addWidget(self.formula)
        column.addWidget(_hint("输入分数后按回车或 Tab 跳到下一格；每项 0–100 分，可保留一位小数。"
                               "导入的表格列为：行政村（可省略）、自然村、片区、群众评议、片区长观摩评议、书记评议。"))
        return tab

    def load_grid(self) -> None:
        village = self.entry_village.currentData()
        if village is None:
            return
        try:
            rows = self.service.grid(village, self.entry_month.text())
        except DomainError as error:
            show_refusal(self, error, "无法打开")
            return
        self.grid_model.load(rows, self.weights)
        self.entry_status.setText("")

    def _correcting_published(self) -> bool:
        """False when the month went into published lists and the user keeps them as they are
        by not saving."""
        try:
            warning = self.service.correction_warning(self.entry_month.text(), self.town())
        except DomainError:
            return True  # a bad month: saving says what is wrong
        return not warning or QMessageBox.question(
            self, "更正已公示月份的评分", f"{warning}\n仍要保存吗？") == QMessageBox.StandardButton.Yes

    def save_grid(self) -> None:
        if not self._correcting_published():
            return
        village, month, values = (self.entry_village.currentData(), self.entry_month.text(),
                                  self.grid_model.values())
        try:
            changed = self.service.enter_scores(
                village, month, values, idempotency_key=self.attempts.key("scores", village, month, values))
        except DomainError as error:
            show_refusal(self, error)
            return
        self.attempts.done()
        self.context.changed.emit("ranking")  # reloads the grid, so the message comes after
        self.entry_status.setText(f"已保存，{changed}个片区的评分有变动。")

    def import_xlsx(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择评分表", "", "Excel 表格 (*.xlsx)")
        if not path or not self._correcting_published():
            return
        try:
            changed = self.service.import_scores_xlsx(Path(path), self.entry_month.text(), self.town())
        except DomainError as error:
            show_refusal(self, error, "导入未完成")
            return
        QMessageBox.information(self, "导入完成", f"已导入，{changed}个片区的评分有变动。")
        self.context.changed.emit("ranking")

    # ---- selection and publishing -----------------------------------------------------------
    def _selection_tab(self) -> QWidget:
        tab = QWidget()
        column = QVBoxLayout(tab)
        bar = QHBoxLayout()
        self.period = QLineEdit()
        self.period.setPlaceholderText("2024-03 / 2024Q1 / 2024")
        self.period.setMaximumWidth(160)
        compute = QPushButton("计算评选结果")
        compute.clicked.connect(self.compute)
        publish = self.publish_button = QPushButton("公示（冻结名单）")
        publish.clicked.connect(self.publish)
        township_only(publish, self.context.actor, "公示红黑榜由镇人居环境整治办公室负责，村级账号只能查看。")
        for widget in (QLabel("评选期间"), self.period, compute):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(publish)
        column.addLayout(bar)
        self.groups = RowTableModel(GROUP_COLUMNS, self)
        groups_view = _table(self.groups)
        groups_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        column.addWidget(groups_view, 2)
        column.addWidget(QLabel("黑榜原因（每个黑榜单位必须写一句，公示时印在通报上）："))
        self.reasons = QTableWidget(0, 3)
        self.reasons.setHorizontalHeaderLabels(["评选范围", "黑榜单位", "上榜原因"])
        self.reasons.verticalHeader().setVisible(False)
        self.reasons.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.reasons.setColumnWidth(0, 200)
        column.addWidget(self.reasons, 1)
        self.rule_text = _hint()
        column.addWidget(self.rule_text)
        return tab

    def compute(self) -> None:
        try:
            self.selection = self.service.selection(self.period.text(), self.town())
        except DomainError as error:
            show_refusal(self, error, "无法计算")
            return
        self.groups.set_rows(self.selection.groups)
        black = [(g, m) for g in self.selection.groups for m in g.black]
        self.reasons.setRowCount(len(black))
        for row, (group, member) in enumerate(black):
            for col, text in enumerate((group.group_name, member.name)):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if col == 1:
                    item.setData(Qt.ItemDataRole.UserRole, member.unit_id)
                self.reasons.setItem(row, col, item)
            self.reasons.setItem(row, 2, QTableWidgetItem(""))
        self.rule_text.setText(f"{self.selection.ref.label}计分办法：{self.selection.formula}\n"
                               f"同分处理：{self.selection.tie_break}")

    def publish(self) -> None:
        period = self.period.text().strip().upper()
        if not getattr(self, "selection", None) or self.selection.ref.code != period:
            self.selection = None
            self.compute()
            if self.selection is None:
                return
        reasons = {self.reasons.item(r, 1).data(Qt.ItemDataRole.UserRole): self.reasons.item(r, 2).text()
                   for r in range(self.reasons.rowCount())}
        note = ""
        code = self.selection.ref.code
        if any(s.period == code for s in self.service.published_lists(self.town())):
            note, ok = QInputDialog.getText(self, "更正已公示的红黑榜",
                                            f"{self.selection.ref.label}已经公示过。原通报保留不变，"
                                            "将发布新版本。请写明更正原因：")
            if not ok:
                return
        # The note is not part of the key: a retry after a lost reply asks for one (the list now
        # looks published) and must still find the first try instead of publishing version 2.
        key = self.attempts.key("publish", code, self.town(), sorted(reasons.items()))
        try:
            self._publish(code, reasons, note, key)
        except DomainError as error:
            show_refusal(self, error, "未能公示")
            return
        if self.published_id is None:
            return
        self.attempts.done()
        QMessageBox.information(self, "已公示",
                                f"{self.selection.ref.label}红黑榜已公示，可在“公示历史”中打印通报。")
        self.context.changed.emit("ranking")

    def _publish(self, code: str, reasons: dict[int, str], note: str, key: str) -> None:
        """Publish; when units would be left out for incomplete scores, ask first (DOMAIN §7)."""
        self.published_id = None
        try:
            self.published_id = self.service.publish(code, reasons, township_id=self.town(),
                                                     change_note=note, idempotency_key=key)
        except ExclusionsNotConfirmed as exclusions:
            answer = QMessageBox.question(self, "部分单位评分不全", f"{exclusions}\n仍要公示吗？")
            if answer == QMessageBox.StandardButton.Yes:
                self.published_id = self.service.publish(
                    code, reasons, township_id=self.town(), change_note=note,
                    idempotency_key=key, confirm_exclusions=True)

    # ---- history ----------------------------------------------------------------------------
    def _history_tab(self) -> QWidget:
        tab = QWidget()
        column = QVBoxLayout(tab)
        self.lists = RowTableModel(LIST_COLUMNS, self)
        self.lists_view = _table(self.lists)
        self.lists_view.selectionModel().currentRowChanged.connect(
            lambda current, _p: self.show_list(current))
        self.entries = RowTableModel(ENTRY_COLUMNS, self)
        self.entries_view = _table(self.entries)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.lists_view)
        splitter.addWidget(self.entries_view)
        column.addWidget(splitter, 1)
        bar = QHBoxLayout()
        for text, handler in (("导出通报 PDF…", lambda: self.export("pdf")),
                              ("导出通报 xlsx…", lambda: self.export("xlsx")),
                              ("登记扣发绩效补贴…", self.record_deduction)):
            button = QPushButton(text)
            button.clicked.connect(handler)
            bar.addWidget(button)
        self.deduction_button = button
        township_only(button, self.context.actor, "扣发绩效补贴由镇里决定和登记，村级账号只能查看。")
        bar.addStretch(1)
        column.addLayout(bar)
        self.deductions = _hint()
        column.addWidget(self.deductions)
        return tab

    def show_list(self, index) -> None:  # type: ignore[no-untyped-def]
        if not index.isValid():
            self.entries.set_rows([])
            return
        self.current_list = self.service.published_list(self.lists.row(index).id)
        self.entries.set_rows(self.current_list.entries)
        self.entries_view.resizeColumnsToContents()

    def export(self, suffix: str) -> None:
        listing = getattr(self, "current_list", None)
        if listing is None:
            QMessageBox.information(self, "请先选择", "请先在上面的列表中选择一份红黑榜。")
            return
        name = f"红黑榜通报-{listing.period}-第{listing.version}版.{suffix}"
        default = str(self.context.data_folder / name)
        path, _ = QFileDialog.getSaveFileName(self, "导出通报", default, f"*.{suffix}")
        if path:
            write_notice(listing, Path(path), self.service.replaced_list(listing))
            QMessageBox.information(self, "已导出", f"通报已保存到：{path}")

    def record_deduction(self) -> None:
        index = self.entries_view.currentIndex()
        if not index.isValid() or self.entries.row(index).colour is not Colour.BLACK:
            QMessageBox.information(self, "请先选择", "请先在下面的名单中选择一个季度或年度黑榜村。")
            return
        entry = self.entries.row(index)
        amount, ok = QInputDialog.getText(self, "扣发绩效补贴",
                                          f"{entry.unit_name}党支部书记扣发金额（元）：")
        if not ok:
            return
        month, ok = QInputDialog.getText(self, "扣发绩效补贴", "扣发月份（例如 2024-04）：")
        if not ok:
            return
        try:
            self.service.record_pay_deduction(entry.id, month, amount)
        except DomainError as error:
            show_refusal(self, error)
            return
        self.context.changed.emit("ranking")

    # ---- rank chart -------------------------------------------------------------------------
    def _chart_tab(self) -> QWidget:
        tab = QWidget()
        column = QVBoxLayout(tab)
        bar = QHBoxLayout()
        self.chart_village = QComboBox()
        self.chart_village.setMinimumWidth(200)
        self.chart_year = QSpinBox()
        self.chart_year.setRange(2000, 2100)
        self.chart_year.setSuffix(" 年")
        for widget in (QLabel("自然村"), self.chart_village, QLabel("年份"), self.chart_year):
            bar.addWidget(widget)
        bar.addStretch(1)
        column.addLayout(bar)
        self.chart = RankChart()
        column.addWidget(self.chart, 1)
        column.addWidget(_hint("各片区每月在本自然村中的名次（第1名在最上方）；某月评分不全时该月不排名，线条断开。"))
        self.chart_village.currentIndexChanged.connect(lambda _i: self.load_chart())
        self.chart_year.valueChanged.connect(lambda _v: self.load_chart())
        return tab

    def load_chart(self) -> None:
        village = self.chart_village.currentData()
        if village is not None:
            self.chart.set_series(self.service.rank_history(village, self.chart_year.value()))

    # ---- reloading --------------------------------------------------------------------------
    def _on_changed(self, topic: str) -> None:
        if topic in ("ranking", "org"):
            self.reload()

    def town(self) -> int | None:
        return self.township.currentData()

    def reload(self, reset_period: bool = False) -> None:
        self.weights, formula, tie_break = self.service.rules()
        self.formula.setText(f"计分办法：{formula}\n同分处理：{tie_break}")
        if reset_period or not self.entry_month.text():
            month = self.service.latest_month(self.town())
            self.entry_month.setText(month or f"{clock.today():%Y-%m}")
            self.period.setText(self.entry_month.text())
            self.chart_year.blockSignals(True)
            self.chart_year.setValue(int(self.entry_month.text()[:4]))
            self.chart_year.blockSignals(False)
            self.selection = self.current_list = None
            self.groups.set_rows([])
            self.reasons.setRowCount(0)
        villages = self.service.natural_villages(self.town())
        for combo in (self.entry_village, self.chart_village):
            keep = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for village_id, name in villages:
                combo.addItem(name, village_id)
            combo.setCurrentIndex(max(combo.findData(keep), 0))
            combo.blockSignals(False)
        self.load_grid()
        self.load_chart()
        self.lists.set_rows(self.service.published_lists(self.town()))
        self.lists_view.resizeColumnsToContents()
        deductions = self.service.pay_deductions(self.town())
        pending = [i for i in self.service.points_intents(self.town()) if not i.posted_ref]
        self.deductions.setText(
            (f"已登记扣发绩效补贴 {len(deductions)} 笔，合计 {sum(d.amount for d in deductions):,.2f} 元。"
             if deductions else "尚未登记扣发绩效补贴。")
            + (f"  有 {len(pending)} 条片区长积分奖惩等待记入积分账。" if pending else ""))
