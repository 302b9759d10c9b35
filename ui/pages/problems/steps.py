"""The small forms behind the problem card's buttons: 交办 (who answers, by when), 整改 (what was
done, when, after-photos) and the steps that need a reason (退回, 拒不整改, 督办退回, 重新打开).
Each calls one service method; a refusal stays in the form in red, and nothing is saved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from models.core import clock
from models.core.errors import DomainError
from models.problems.tables import Responsible
from ui.pages.problems.photos import PhotoStrip
from ui.widgets import error_label, save_cancel_buttons


def date_edit(value: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate(value or clock.today()))
    return edit


def picked(edit: QDateEdit) -> date:
    return edit.date().toPython()


def responsible_box() -> QComboBox:
    box = QComboBox()
    box.addItem("农户（门前三包责任户）", Responsible.HOUSEHOLD)
    box.addItem("所在胡同长（没有则片区长）", Responsible.HEAD)
    box.addItem("村集体（公共设施等）", Responsible.VILLAGE)
    return box


class StepDialog(QDialog):
    """A form whose `save` hands its values to `action`; refusals shown in red."""

    def __init__(self, title: str, action: Callable[[StepDialog], object], parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.action = action
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.error = error_label()
        self.buttons = save_cancel_buttons(self.save, self.reject)

    def finish(self) -> None:
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(self.buttons)

    def save(self) -> None:
        try:
            self.action(self)
        except DomainError as error:
            self.error.setText(f"{error}\n本次没有保存任何内容。")
            return
        self.accept()


class AssignDialog(StepDialog):
    def __init__(self, action, proposed: Callable[[date], date], parent=None):  # type: ignore[no-untyped-def]
        super().__init__("交办问题", action, parent)
        self.proposed = proposed
        self.responsible = responsible_box()
        self.on = date_edit()
        self.deadline = date_edit(proposed(clock.today()))
        self.on.dateChanged.connect(lambda _d: self.deadline.setDate(QDate(proposed(picked(self.on)))))
        self.form.addRow("责任人：", self.responsible)
        self.form.addRow("交办日期：", self.on)
        self.form.addRow("整改时限：", self.deadline)
        self.finish()


class RectifyDialog(StepDialog):
    def __init__(self, action, parent=None):  # type: ignore[no-untyped-def]
        super().__init__("记录整改", action, parent)
        self.what = QPlainTextEdit()
        self.what.setPlaceholderText("整改了什么，例如：垃圾已清运，地面已清扫")
        self.what.setFixedHeight(70)
        self.on = date_edit()
        self.photos = PhotoStrip()
        self.form.addRow("整改情况：", self.what)
        self.form.addRow("整改日期：", self.on)
        self.form.addRow("整改后照片：", self.photos)
        self.finish()


class ReasonDialog(StepDialog):
    """A reason, the day, and (for 督办退回 and 重新打开) a new deadline."""

    def __init__(self, title: str, label: str, action, parent=None, *,  # type: ignore[no-untyped-def]
                 deadline: date | None = None, hint: str = ""):
        super().__init__(title, action, parent)
        if hint:
            note = QLabel(hint)
            note.setObjectName("hint")
            note.setWordWrap(True)
            self.form.addRow(note)
        self.reason = QPlainTextEdit()
        self.reason.setFixedHeight(70)
        self.on = date_edit()
        self.form.addRow(f"{label}：", self.reason)
        self.form.addRow("日期：", self.on)
        self.deadline = date_edit(deadline) if deadline else None
        if self.deadline is not None:
            self.form.addRow("新的整改时限：", self.deadline)
        self.finish()

    def text(self) -> str:
        return self.reason.toPlainText()
