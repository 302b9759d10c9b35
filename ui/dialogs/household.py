"""新增农户: one household with its householder, through OrganisationService.add_household."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from models.core.errors import DomainError
from models.org.service import HouseholdInput, OrganisationService, ResidentInput
from ui.context import AppContext
from ui.widgets import error_label, refusal_text, save_cancel_buttons
from ui.retry import AttemptKeys


class HouseholdDialog(QDialog):
    def __init__(self, context: AppContext, alley_id: int, alley_name: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.context, self.alley_id = context, alley_id
        self.attempts = AttemptKeys("household")
        self.setWindowTitle(f"新增农户 — {alley_name}")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit()
        self.address = QLineEdit()
        self.phone = QLineEdit()
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText("可不填；填写时校验")
        self.members = QPlainTextEdit()
        self.members.setPlaceholderText("每行一人：姓名 与户主关系，例如“王秀英 配偶”")
        self.members.setFixedHeight(90)
        form.addRow("户主姓名：", self.name)
        form.addRow("门牌地址：", self.address)
        form.addRow("联系电话：", self.phone)
        form.addRow("户主身份证号：", self.id_number)
        form.addRow("其他家庭成员：", self.members)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addWidget(save_cancel_buttons(self.save, self.reject))

    def household(self) -> HouseholdInput:
        name = self.name.text()
        others = []
        for line in self.members.toPlainText().splitlines():
            parts = line.split()
            if parts:
                others.append(ResidentInput(name=parts[0], relation=" ".join(parts[1:])))
        return HouseholdInput(
            householder_name=name, address=self.address.text(), phone=self.phone.text(),
            id_number=self.id_number.text(),
            residents=[ResidentInput(name=name, relation="户主", phone=self.phone.text(),
                                     id_number=self.id_number.text()), *others])

    def save(self) -> None:
        try:
            household = self.household()
            self.context.service(OrganisationService).add_household(
                self.alley_id, household, idempotency_key=self.attempts.key(self.alley_id, household))
        except DomainError as error:
            self.error.setText(refusal_text(error))
            return
        self.accept()
