"""The grid's dialogs: a week's summary, the month's visits (the alley's households with tick
boxes), a day's findings, and a seven-officers matter. Each saves through its service in one
operation and shows a refusal in red, having saved nothing."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.core.access import Permission
from models.core.errors import DomainError
from models.problems.service import ProblemsService
from models.worklog.calendar import Month
from models.worklog.log import SummaryInput, VisitInput, WorkLogService
from models.worklog.matters import MatterInput, MatterService
from models.worklog.month_data import HeadLog
from models.worklog.tables import OFFICER_LABELS, MatterStatus, OfficerRole
from ui.context import AppContext
from ui.widgets import error_label, save_cancel_buttons

STATUS_CHOICES = [(s, s.label) for s in MatterStatus]


def _refused(label: QLabel, error: DomainError) -> None:
    label.setText(f"{error}\n本次没有保存任何内容。")


class SummaryDialog(QDialog):
    """A head's summary of one week: a short text and the problems found and fixed."""

    def __init__(self, context: AppContext, head: HeadLog, monday: date,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.service = context.service(WorkLogService)
        self.head, self.monday = head, monday
        current = self.service.summary(head.head_id, monday)
        self.setWindowTitle(f"周汇总 — {head.name}（{head.unit}）")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(current.label))
        form = QFormLayout()
        self.text = QLineEdit(current.text)
        self.text.setPlaceholderText("本周巡查、整改情况（可简写，也可不填）")
        self.found = QSpinBox()
        self.fixed = QSpinBox()
        for box, value in ((self.found, current.found), (self.fixed, current.fixed)):
            box.setRange(0, 999)
            box.setValue(value)
        form.addRow("汇总情况：", self.text)
        form.addRow("发现问题（处）：", self.found)
        form.addRow("已整改（处）：", self.fixed)
        layout.addLayout(form)
        if current.recorded_at is not None:
            when = current.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M")
            layout.addWidget(QLabel(f"已由{current.recorded_by}于 {when} 登记。"))
            self.withdraw_button = QPushButton("撤销这条汇总…")
            self.withdraw_button.clicked.connect(self.withdraw)
            layout.addWidget(self.withdraw_button)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addWidget(save_cancel_buttons(self.save, self.reject))
        self.present = current.recorded_at is not None

    def save(self) -> None:
        try:
            self.service.save_summary(self.head.head_id, self.monday, SummaryInput(
                self.text.text(), self.found.value(), self.fixed.value()))
        except DomainError as error:
            _refused(self.error, error)
            return
        self.present = True
        self.accept()

    def withdraw(self) -> None:
        reason, ok = QInputDialog.getText(self, "撤销周汇总", "撤销原因（必填）：")
        if not ok:
            return
        try:
            self.service.withdraw_summary(self.head.head_id, self.monday, reason)
        except DomainError as error:
            _refused(self.error, error)
            return
        self.present = False
        self.accept()


class VisitDialog(QDialog):
    """The month's visits: the alley's households, Space ticks a household, the opinion beside."""

    def __init__(self, context: AppContext, head: HeadLog, month: Month,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.service = context.service(WorkLogService)
        self.head, self.month = head, month
        sheet = self.service.visit_sheet(head.head_id, month)
        self.rows = sheet.rows
        self.setWindowTitle(f"{month.label}入户走访 — {head.name}（{head.unit}）")
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("勾选已走访的农户（空格键打勾），意见建议可直接填写。"))
        self.table = QTableWidget(len(self.rows), 4)
        self.table.setHorizontalHeaderLabels(["已走访", "户主", "门牌地址", "意见建议"])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        for row, household in enumerate(self.rows):
            tick = QTableWidgetItem()
            tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                          | Qt.ItemFlag.ItemIsSelectable)
            tick.setCheckState(Qt.CheckState.Checked if household.visited else Qt.CheckState.Unchecked)
            self.table.setItem(row, 0, tick)
            for column, text in ((1, household.householder), (2, household.address)):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, column, item)
            self.table.setItem(row, 3, QTableWidgetItem(household.opinion))
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 60)
        self.table.setColumnWidth(2, 180)
        if self.rows:
            self.table.setCurrentCell(0, 0)
        layout.addWidget(self.table, 1)
        self.all_button = QPushButton("全部已走访")
        self.all_button.clicked.connect(self.tick_all)
        layout.addWidget(self.all_button)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addWidget(save_cancel_buttons(self.save, self.reject))
        self.visited = sum(1 for r in self.rows if r.visited)

    def tick_all(self) -> None:
        for row in range(self.table.rowCount()):
            self.table.item(row, 0).setCheckState(Qt.CheckState.Checked)

    def inputs(self) -> list[VisitInput]:
        return [VisitInput(household.household_id,
                           self.table.item(row, 0).checkState() == Qt.CheckState.Checked,
                           household.visited_on,
                           self.table.item(row, 3).text() if self.table.item(row, 3) else "")
                for row, household in enumerate(self.rows)]

    def save(self) -> None:
        try:
            self.visited = self.service.save_visits(self.head.head_id, self.month, self.inputs())
        except DomainError as error:
            _refused(self.error, error)
            return
        self.accept()


class FindingDialog(QDialog):
    """The problems found on a day's patrol; adding one ticks the patrol of that day, and one
    found can be raised as a problem of the rectification ledger (整改台账) in one step."""

    def __init__(self, context: AppContext, head: HeadLog, day: date,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.service = context.service(WorkLogService)
        self.head, self.day = head, day
        self.setWindowTitle(f"巡查发现的问题 — {head.name} {day.month}月{day.day}日")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("已登记："))
        self.existing = QListWidget()
        layout.addWidget(self.existing)
        self.raise_button = QPushButton("转为整改问题…")
        self.raise_button.clicked.connect(self.raise_selected)
        self.raise_button.setEnabled(context.actor.may(Permission.REGISTER_PROBLEMS,
                                                       head.village_id))
        layout.addWidget(self.raise_button)
        self.text = QLineEdit()
        self.text.setPlaceholderText("新发现的问题，例如：门前堆放柴草未清理")
        form = QFormLayout()
        form.addRow("新增问题：", self.text)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addWidget(save_cancel_buttons(self.save, self.reject))
        self._fill()

    def _fill(self) -> None:
        self.existing.clear()
        for finding_id, text, raised in self.service.findings(self.head.head_id, self.day):
            item = QListWidgetItem(text + (f"（已转为整改问题 {raised}）" if raised else ""))
            item.setData(Qt.ItemDataRole.UserRole, None if raised else finding_id)
            self.existing.addItem(item)
        if self.existing.count():
            self.existing.setCurrentRow(0)

    def raise_selected(self) -> None:
        item = self.existing.currentItem()
        finding_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        if finding_id is None:
            self.error.setText("请选中一条还没有转为整改问题的记录。")
            return
        categories = self.context.service(ProblemsService).categories(active_only=True)
        name, ok = QInputDialog.getItem(self, "转为整改问题", "问题类别：",
                                        [c.name for c in categories], 0, False)
        if not ok:
            return
        category = next(c.id for c in categories if c.name == name)
        try:
            number = self.service.raise_finding(finding_id, category)
        except DomainError as error:
            _refused(self.error, error)
            return
        self.error.setText(f"已登记为整改问题 {number}，请在问题整改中交办。")
        self._fill()

    def save(self) -> None:
        try:
            self.service.add_finding(self.head.head_id, self.day, self.text.text())
        except DomainError as error:
            _refused(self.error, error)
            return
        self.accept()


class MatterDialog(QDialog):
    """登记七个管理员事项: a head of the village, the day, the officer role, what, the status."""

    def __init__(self, context: AppContext, heads: list[tuple[int, str]], today: date,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.service = context.service(MatterService)
        self.setWindowTitle("登记七个管理员事项")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.head = QComboBox()
        for head_id, label in heads:
            self.head.addItem(label, head_id)
        self.day = QDateEdit(QDate(today.year, today.month, today.day))
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setCalendarPopup(True)
        self.role = QComboBox()
        for role, label in OFFICER_LABELS.items():
            self.role.addItem(label, role.value)
        self.text = QLineEdit()
        self.text.setPlaceholderText("例如：调解两户因排水引起的矛盾")
        self.status = QComboBox()
        for status, label in STATUS_CHOICES:
            self.status.addItem(label, status.value)
        self.role.currentIndexChanged.connect(self._role_changed)
        form.addRow("负责人：", self.head)
        form.addRow("日期：", self.day)
        form.addRow("管理员身份：", self.role)
        form.addRow("事项：", self.text)
        form.addRow("办理状态：", self.status)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addWidget(save_cancel_buttons(self.save, self.reject))
        self._role_changed()

    def _role_changed(self) -> None:
        self.status.setEnabled(OfficerRole(self.role.currentData()).has_status)

    def save(self) -> None:
        role = OfficerRole(self.role.currentData())
        day = self.day.date()
        try:
            self.service.record(MatterInput(
                self.head.currentData(), date(day.year(), day.month(), day.day()), role,
                self.text.text(), MatterStatus(self.status.currentData()) if role.has_status else None))
        except DomainError as error:
            _refused(self.error, error)
            return
        self.accept()
