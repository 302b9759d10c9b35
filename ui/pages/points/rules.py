"""积分细则: the rules catalogue on the points page. The secretary adds and edits rules here
(PointsService.save_rule); entries already posted keep the text and points they had."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.core import clock
from models.core.errors import DomainError
from models.points.service import PointsService, RuleInput, RuleRow
from models.points.tables import LimitPeriod
from ui.widgets import Column, RowTableModel, error_label, save_cancel_buttons

RIGHT = Qt.AlignmentFlag.AlignRight


def _day(value: date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def _state(rule: RuleRow) -> str:
    today = clock.today()
    if rule.in_force(today):
        return "在用"
    return "尚未启用" if rule.valid_from and today < rule.valid_from else "已停用"


RULE_COLUMNS = (
    Column("编号", lambda r: r.code),
    Column("内容", lambda r: r.text, tooltip=True),
    Column("分值", lambda r: f"+{r.points}" if r.points > 0 else str(r.points), RIGHT),
    Column("类别", lambda r: r.category),
    Column("需证据", lambda r: "需要" if r.evidence_required else ""),
    Column("次数上限", lambda r: r.limit_label),
    Column("启用日期", lambda r: _day(r.valid_from)),
    Column("停用日期", lambda r: _day(r.valid_to)),
    Column("状态", _state),
)


class RulesTab(QWidget):
    """The catalogue as a table; 新增 / 修改 open RuleDialog. Double-click edits too."""

    def __init__(self, service: Callable[[], PointsService], parent: QWidget | None = None):
        super().__init__(parent)
        self.service = service
        may_edit = service().may_edit_rules()
        layout = QVBoxLayout(self)
        hint = QLabel("修改细则只影响以后的登记；已登记的积分保留当时的内容和分值。"
                      "不再使用的细则请填写停用日期，不要删除。")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.table = QTableView()
        self.model = RowTableModel(RULE_COLUMNS, self.table)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.edit_rule())
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("新增细则…")
        self.add_button.clicked.connect(self.add_rule)
        self.edit_button = QPushButton("修改所选细则…")
        self.edit_button.clicked.connect(self.edit_rule)
        for button in (self.add_button, self.edit_button):
            button.setEnabled(may_edit)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(self.service().rules())

    def _categories(self) -> list[str]:
        return list(dict.fromkeys(r.category for r in self.model.rows if r.category))

    def add_rule(self) -> RuleDialog:
        return self._open(RuleDialog(self, self.service, self._categories()))

    def edit_rule(self) -> RuleDialog | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.add_button.isEnabled():
            return None
        return self._open(RuleDialog(self, self.service, self._categories(), self.model.row(index)))

    def _open(self, dialog: RuleDialog) -> RuleDialog:
        dialog.accepted.connect(self.reload)
        dialog.open()
        return dialog


class RuleDialog(QDialog):
    """One rule: saved through PointsService.save_rule; a refusal is shown in the dialog."""

    def __init__(self, parent: QWidget, service: Callable[[], PointsService], categories: list[str],
                 rule: RuleRow | None = None):
        super().__init__(parent)
        self.service, self.rule = service, rule
        self.saved_id: int | None = None
        self.setWindowTitle(f"修改积分细则 {rule.code}" if rule else "新增积分细则")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.code = QLineEdit(rule.code if rule else "")
        self.code.setPlaceholderText("例如 A10（加分）或 D10（扣分）")
        self.text = QLineEdit(rule.text if rule else "")
        self.points = QSpinBox()
        self.points.setRange(-100, 100)
        self.points.setValue(rule.points if rule else 1)
        self.points.setToolTip("加分填正数，扣分填负数")
        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.addItems(categories)
        self.category.setCurrentText(rule.category if rule else "")
        self.evidence = QCheckBox("登记时必须附照片等证据")
        self.evidence.setChecked(bool(rule and rule.evidence_required))
        self.period = QComboBox()
        self.period.addItem("不限次数", None)
        for period in LimitPeriod:
            self.period.addItem(period.label, period)
        self.count = QSpinBox()
        self.count.setRange(1, 1000)
        self.count.setSuffix(" 次")
        if rule and rule.limit_period:
            self.period.setCurrentIndex(self.period.findData(rule.limit_period))
            self.count.setValue(rule.limit_count or 1)
        self.period.currentIndexChanged.connect(
            lambda _i: self.count.setEnabled(self.period.currentData() is not None))
        self.count.setEnabled(self.period.currentData() is not None)
        limit = QHBoxLayout()
        limit.addWidget(self.period)
        limit.addWidget(self.count)
        limit.addStretch(1)
        self.valid_from = OptionalDate("从此日起启用", rule.valid_from if rule else None)
        self.valid_to = OptionalDate("到此日后停用", rule.valid_to if rule else None)
        form.addRow("编号：", self.code)
        form.addRow("内容：", self.text)
        form.addRow("分值：", self.points)
        form.addRow("类别：", self.category)
        form.addRow("证据：", self.evidence)
        form.addRow("次数上限：", limit)
        form.addRow("启用日期：", self.valid_from)
        form.addRow("停用日期：", self.valid_to)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addWidget(save_cancel_buttons(self.save, self.reject))

    def value(self) -> RuleInput:
        period = self.period.currentData()
        return RuleInput(
            code=self.code.text(), text=self.text.text(), points=self.points.value(),
            category=self.category.currentText(), evidence_required=self.evidence.isChecked(),
            limit_count=self.count.value() if period else None, limit_period=period,
            valid_from=self.valid_from.value(), valid_to=self.valid_to.value())

    def save(self) -> None:
        try:
            self.saved_id = self.service().save_rule(self.rule.id if self.rule else None, self.value())
        except DomainError as error:
            self.error.setText(str(error))
            return
        self.accept()


class OptionalDate(QWidget):
    """A check box and a date: unchecked means no date."""

    def __init__(self, label: str, value: date | None):
        super().__init__()
        self.box = QCheckBox(label)
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        day = value or clock.today()
        self.edit.setDate(QDate(day.year, day.month, day.day))
        self.box.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.box.toggled.connect(self.edit.setEnabled)
        line = QHBoxLayout(self)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.box)
        line.addWidget(self.edit)
        line.addStretch(1)

    def value(self) -> date | None:
        return self.edit.date().toPython() if self.box.isChecked() else None
