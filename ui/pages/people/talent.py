"""后备人才库: the counts of the three registers per village and for the township, the register
(人才库名册) with each entry's status history, entering a person (refused, with the reason,
for someone on the year's 约谈 list or outside the register's membership rule), changing his
status, the register as xlsx and the recommendation form (推荐表) as PDF."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models.core import clock
from models.core.access import Permission
from models.core.errors import DomainError
from models.people.eligibility import EligibilityService
from models.people.tables import EvidenceKind, TalentCategory, TalentStatus
from models.people.talent import TalentRow, TalentService
from models.printing.people import talent_register
from models.printing.scope import Scope, ScopeKind
from models.printing.service import PrintService
from ui.context import AppContext
from ui.flow import FlowLayout
from ui.pages.people.common import RIGHT, FormDialog, Header, hint, table
from ui.widgets import Column, RowTableModel, show_refusal
from ui.widgets_search import PersonPicker, describe

TITLE = "后备人才库"

COUNT_COLUMNS = (
    Column("行政村", lambda c: c.village),
    Column("人才库（优秀典型）", lambda c: c.pool, RIGHT),
    Column("后备干部（党员）", lambda c: c.cadres, RIGHT),
    Column("推荐入党（群众）", lambda c: c.candidates, RIGHT),
    Column("合计人数", lambda c: c.people, RIGHT),
)
REGISTER_COLUMNS = (
    Column("姓名", lambda r: r.name),
    Column("政治面貌", lambda r: "中共党员" if r.party_member else "群众"),
    Column("村", lambda r: r.village),
    Column("片区·胡同", lambda r: r.place),
    Column("现任职务", lambda r: r.role or "—"),
    Column("名册", lambda r: r.category.label),
    Column("入库日期", lambda r: f"{r.entered_on}"),
    Column("状态", lambda r: r.status.label),
    Column("入库依据", lambda r: r.evidence, tooltip=True),
)
HISTORY_COLUMNS = (
    Column("日期", lambda e: f"{e.happened_on}"),
    Column("状态", lambda e: e.status.label),
    Column("说明", lambda e: e.note),
    Column("登记人", lambda e: e.recorded_by),
)


def date_edit() -> QDateEdit:
    today = clock.today()
    edit = QDateEdit(QDate(today.year, today.month, today.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class TalentPage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.setObjectName("page")
        self.context = context
        self.service: TalentService = context.service(TalentService)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        self.header = Header(context, "后备人才库：人才库、后备干部、推荐入党", self.reload, "全镇")
        layout.addWidget(self.header)
        layout.addWidget(hint("表现突出的片区长、胡同长和党员群众纳入人才库（优秀典型推荐人选）；党员可储备为后备干部，"
                              "群众可推荐入党；一人可同时在人才库和另一名册中。列入当年约谈名单的不能入库。"))
        self.counts = RowTableModel(COUNT_COLUMNS, self)
        self.counts_view = table(self.counts)
        layout.addWidget(self.counts_view)
        filters = FlowLayout()  # wraps with 大字 on a small screen
        self.category = QComboBox()
        self.category.addItem("全部名册", None)
        for category in TalentCategory:
            self.category.addItem(category.label, category)
        self.category.currentIndexChanged.connect(lambda _i: self.reload())
        self.with_left = QCheckBox("含已出库")
        self.with_left.toggled.connect(lambda _on: self.reload())
        filters.addWidget(QLabel("名册"))
        filters.addWidget(self.category)
        filters.addWidget(self.with_left)
        layout.addLayout(filters)
        self.register = RowTableModel(REGISTER_COLUMNS, self)
        self.register_view = table(self.register)
        self.register_view.selectionModel().currentRowChanged.connect(
            lambda _c, _p: self._show_history())
        self.history = RowTableModel(HISTORY_COLUMNS, self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.register_view)
        splitter.addWidget(table(self.history))
        splitter.setSizes([760, 360])
        layout.addWidget(splitter, 1)
        bar = FlowLayout()  # wraps with 大字 on a small screen
        self.enter_button = QPushButton("入库…")
        self.enter_button.clicked.connect(self.enter)
        self.status_button = QPushButton("变更状态…")
        self.status_button.clicked.connect(self.change_status)
        export = QPushButton("导出名册 Excel…")
        export.clicked.connect(self.export)
        self.form_button = QPushButton("推荐表另存为 PDF…")
        self.form_button.clicked.connect(self.save_form)
        for button in (self.enter_button, self.status_button, export, self.form_button):
            bar.addWidget(button)
        layout.addLayout(bar)
        context.changed.connect(lambda topic: self.reload() if topic in ("people", "org") else None)
        self.reload()

    def reload(self) -> None:
        village = self.header.village_id
        may = village is not None and self.context.actor.may(Permission.PEOPLE, village)
        self.enter_button.setEnabled(may)
        self.status_button.setEnabled(may)
        self.form_button.setEnabled(village is not None)
        try:
            self.counts.set_rows([c for c in self.service.counts()
                                  if village is None or c.village_id in (village, None)])
            rows = self.counts_view.verticalHeader().defaultSectionSize()
            self.counts_view.setFixedHeight(self.counts_view.horizontalHeader().sizeHint().height()
                                            + rows * self.counts.rowCount() + 4)
            self.register.set_rows(self.service.register(village, self.category.currentData(),
                                                         with_left=self.with_left.isChecked()))
        except DomainError as error:
            show_refusal(self, error, "无法显示")
        self.history.set_rows([])

    def _selected(self) -> TalentRow | None:
        index = self.register_view.currentIndex()
        return self.register.row(index) if index.isValid() else None

    def _show_history(self) -> None:
        row = self._selected()
        self.history.set_rows(self.service.history(row.entry_id) if row else [])

    def _done(self, message: str) -> None:
        self.context.changed.emit("people")
        QMessageBox.information(self, TITLE, message)

    def enter(self) -> None:
        dialog = EntryDialog(self.context, self.service, self.header.village_id, self)
        if dialog.exec():
            self._done("已入库。")

    def change_status(self) -> None:
        row = self._selected()
        if row is None:
            QMessageBox.information(self, "请先选择", "请先在名册中选择一人。")
            return
        status, day, note = QComboBox(), date_edit(), QLineEdit()
        for step in TalentStatus:
            if step is not TalentStatus.ENTERED:
                status.addItem(step.label, step)
        note.setPlaceholderText("出库必须写明原因")
        dialog = FormDialog(f"变更状态：{row.name}（{row.category.label}，现为{row.status.label}）", "保存",
                            lambda: self.service.change_status(row.entry_id, status.currentData(),
                                                               on=day.date().toPython(),
                                                               note=note.text()), self)
        dialog.form.addRow("改为：", status)
        dialog.form.addRow("日期：", day)
        dialog.form.addRow("说明：", note)
        if dialog.exec():
            self._done(f"“{row.name}”已改为“{status.currentText()}”。")

    def export(self) -> None:
        from reports.people.register import write_register_xlsx

        scope = self._scope()
        name, _ = QFileDialog.getSaveFileName(
            self, "导出名册", f"{self.header.village_name}后备人才库名册.xlsx", "Excel 文件 (*.xlsx)")
        if not name:
            return
        try:
            write_register_xlsx(talent_register(PrintService(self.context.db, self.context.actor),
                                                scope, clock.today()), Path(name))
        except DomainError as error:
            show_refusal(self, error, "未能导出")
            return
        QMessageBox.information(self, TITLE, f"名册已保存到：{name}")

    def save_form(self) -> None:
        from reports.printing import print_document

        row = self._selected()
        if row is None:
            QMessageBox.information(self, "请先选择", "请先在名册中选择一人。")
            return
        name, _ = QFileDialog.getSaveFileName(self, "推荐表另存为", f"{row.name}推荐表.pdf",
                                              "PDF 文件 (*.pdf)")
        if not name:
            return
        service = PrintService(self.context.db, self.context.actor)
        try:
            print_document(service, "talent-forms",
                           service.unit_scope(ScopeKind.VILLAGE, row.village_id), Path(name),
                           number=str(row.entry_id))
        except DomainError as error:
            show_refusal(self, error, "未能生成")
            return
        QMessageBox.information(self, TITLE, f"推荐表已保存到：{name}")

    def _scope(self) -> Scope:
        service = PrintService(self.context.db, self.context.actor)
        village = self.header.village_id
        return service.unit_scope(ScopeKind.VILLAGE if village else ScopeKind.ALL, village)


class EntryDialog(FormDialog):
    """入库: the person (his eligibility and membership shown when picked), the register, the date
    and the evidence, with what speaks for him this year offered as a starting point."""

    def __init__(self, context: AppContext, service: TalentService, village_id: int | None,
                 parent: QWidget | None = None):
        super().__init__("纳入后备人才库", "入库", self._save, parent)
        self.context, self.service = context, service
        self.person = None
        self.picker = PersonPicker(context, village_id)
        self.picker.chosen.connect(self._chosen)
        self.chosen = QLabel("尚未选择")
        self.chosen.setWordWrap(True)
        self.category = QComboBox()
        for category in TalentCategory:
            self.category.addItem(category.label, category)
        self.day = date_edit()
        self.kind = QComboBox()
        for kind in EvidenceKind:
            self.kind.addItem(kind.label, kind)
        self.evidence = QPlainTextEdit()
        self.evidence.setPlaceholderText("入库依据：积分排名、红黑榜、荣誉、测评结果或其他突出表现")
        self.evidence.setMaximumHeight(80)
        self.form.addRow("人选：", self.picker)
        self.form.addRow("", self.chosen)
        self.form.addRow("名册：", self.category)
        self.form.addRow("入库日期：", self.day)
        self.form.addRow("依据类别：", self.kind)
        self.form.addRow("入库依据：", self.evidence)
        self.resize(640, 600)

    def _chosen(self, hit) -> None:  # type: ignore[no-untyped-def]
        self.person = hit
        year = self.day.date().year()
        found = self.context.service(EligibilityService).of(hit.resident_id, year)
        text = describe(hit)
        if not found.eligible:
            self.chosen.setText(f"{text}\n不能入库：{found.reason}")
            self.chosen.setStyleSheet("color: #C8161D;")
            return
        self.chosen.setStyleSheet("")
        self.chosen.setText(text)
        suggestions = self.service.suggestions(hit.resident_id, year)
        if suggestions and not self.evidence.toPlainText().strip():
            self.kind.setCurrentIndex(self.kind.findData(suggestions[0].kind))
            self.evidence.setPlainText("；".join(s.text for s in suggestions))

    def _save(self) -> None:
        if self.person is None:
            raise DomainError("请先在上面的列表中选择一位人选（双击或按回车）。")
        self.service.enter(self.person.resident_id, self.category.currentData(),
                           entered_on=self.day.date().toPython(),
                           evidence_kind=self.kind.currentData(),
                           evidence=self.evidence.toPlainText())
