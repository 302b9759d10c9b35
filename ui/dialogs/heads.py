"""推选负责人 (appoint or replace a zone/alley head, with the history of the unit), 红马甲/工作证
(record what was issued), and the heads' public roster of a village."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.core.errors import DomainError
from models.org.directory import Level
from models.org.search import PersonHit
from models.org.service import OrganisationService
from models.org.tables import HeadRole
from ui.context import AppContext
from ui.widgets import Column, RowTableModel, refusal_text, section_title, today_qdate
from ui.widgets_search import PersonPicker, describe

METHODS = ("党员群众共同推选", "村民代表会议推选", "党员大会推选", "户代表推选")

HISTORY_COLUMNS = (
    Column("姓名", lambda r: r.name),
    Column("推选日期", lambda r: r.chosen_on),
    Column("推选方式", lambda r: r.chosen_method),
    Column("推荐人", lambda r: r.proposer),
    Column("任职", lambda r: f"{r.started_on} 至 {r.ended_on or '今'}"),
    Column("红马甲", lambda r: r.vest_issued_on or "未发"),
    Column("工作证", lambda r: r.work_id_issued_on or "未发"),
)
ROSTER_COLUMNS = (
    Column("自然村", lambda r: r.natural_village),
    Column("片区", lambda r: r.zone),
    Column("胡同", lambda r: r.alley),
    Column("职务", lambda r: r.role),
    Column("姓名", lambda r: r.name),
    Column("电话", lambda r: r.phone),
    Column("党员", lambda r: "是" if r.is_party_member else ""),
)


def date_edit(value: QDate | None = None) -> QDateEdit:
    edit = QDateEdit(value or today_qdate())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def table(model: RowTableModel, stretch: int) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                           | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class AppointDialog(QDialog):
    """Choose a resident of the village as head of the zone/alley; shows the unit's history."""

    def __init__(self, context: AppContext, level: Level, unit_id: int, unit_name: str,
                 village_id: int, parent: QWidget | None = None, *,
                 replace: Callable[[int, date, str, str], object] | None = None,
                 reason: str = ""):
        """`replace` (resident, day, method, proposer) appoints instead of the plain 推选 when
        the previous head is removed for a `reason` (e.g. his assessment)."""
        super().__init__(parent)
        self.context, self.level, self.unit_id = context, level, unit_id
        self.replace = replace
        self.role = HeadRole.ZONE if level == Level.ZONE else HeadRole.ALLEY
        self.person: PersonHit | None = None
        self.setWindowTitle(f"推选{self.role.label} — {unit_name}")
        self.resize(720, 620)
        layout = QVBoxLayout(self)
        layout.addWidget(section_title("1. 选择人选（本村居民）"))
        self.picker = PersonPicker(context, village_id)
        self.picker.everywhere.setVisible(False)  # a head must live in the village
        self.picker.chosen.connect(self._chosen)
        layout.addWidget(self.picker, 1)
        self.chosen_label = QLabel("尚未选择")
        layout.addWidget(self.chosen_label)
        layout.addWidget(section_title("2. 推选记录"))
        form = QFormLayout()
        self.day = date_edit()
        self.method = QComboBox()
        self.method.setEditable(True)
        self.method.addItems(METHODS)
        self.proposer = QLineEdit()
        self.proposer.setPlaceholderText("如：村党支部、5名党员联名")
        form.addRow("推选日期：", self.day)
        form.addRow("推选方式：", self.method)
        form.addRow("推荐人：", self.proposer)
        layout.addLayout(form)
        if reason:
            why = QLabel(f"原负责人离任原因（撤换）：{reason}")
            why.setWordWrap(True)
            layout.addWidget(why)
        layout.addWidget(section_title("历任记录（被替换的负责人记录仍归其本人）"))
        self.history = RowTableModel(HISTORY_COLUMNS, self)
        self.history.set_rows(context.service(OrganisationService).head_history(level, unit_id))
        history_view = table(self.history, 2)
        history_view.setMaximumHeight(140)
        layout.addWidget(history_view)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        layout.addWidget(buttons(self, "确定推选"))

    def _chosen(self, hit: PersonHit) -> None:
        self.person = hit
        self.chosen_label.setText(f"人选：{describe(hit)}")

    def accept(self) -> None:
        if self.person is None:
            self.error.setText("请先在上面的列表中选择一位居民（双击或按回车）。")
            return
        try:
            if self.replace is not None:
                self.replace(self.person.resident_id, self.day.date().toPython(),
                             self.method.currentText(), self.proposer.text())
            else:
                self.context.service(OrganisationService).appoint_head(
                    self.role, self.unit_id, self.person.resident_id,
                    chosen_on=self.day.date().toPython(), chosen_method=self.method.currentText(),
                    proposer=self.proposer.text())
        except DomainError as error:
            self.error.setText(refusal_text(error))
            return
        super().accept()


class IssueDialog(QDialog):
    """登记红马甲、工作证 for the serving head."""

    def __init__(self, context: AppContext, head_id: int, name: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.context, self.head_id = context, head_id
        self.setWindowTitle(f"登记红马甲、工作证 — {name}")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.vest, self.work_id = date_edit(), date_edit()
        self.number = QLineEdit()
        self.number.setPlaceholderText("可不填")
        form.addRow("红马甲发放日期：", self.vest)
        form.addRow("工作证发放日期：", self.work_id)
        form.addRow("工作证编号：", self.number)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        layout.addWidget(buttons(self, "保存"))

    def accept(self) -> None:
        try:
            self.context.service(OrganisationService).record_issue(
                self.head_id, vest_issued_on=self.vest.date().toPython(),
                work_id_issued_on=self.work_id.date().toPython(),
                work_id_number=self.number.text())
        except DomainError as error:
            self.error.setText(refusal_text(error))
            return
        super().accept()


class HeadsRosterDialog(QDialog):
    """片区长、胡同长公示名单 of one village (printed to PDF by the print module)."""

    def __init__(self, context: AppContext, village_id: int, village_name: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"{village_name} 片区长、胡同长公示名单")
        self.resize(760, 600)
        layout = QVBoxLayout(self)
        self.rows = context.service(OrganisationService).heads_roster(village_id)
        vacant = sum(1 for r in self.rows if not r.phone)
        title = section_title(f"{village_name}　片区长、胡同长公示名单　共 {len(self.rows)} 人"
                              + (f"，空缺 {vacant} 个" if vacant else ""))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        self.model = RowTableModel(ROSTER_COLUMNS, self)
        self.model.set_rows(self.rows)
        layout.addWidget(table(self.model, 0), 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        layout.addWidget(close)
