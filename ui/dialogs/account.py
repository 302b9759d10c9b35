"""新建账号 and 设置密码: small forms over AccountService."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.accounts.service import ASSIGNABLE_ROLES, MIN_PASSWORD_LENGTH, AccountService
from models.core.access import ASSIGNED_SCOPED, VILLAGE_SCOPED
from models.core.errors import DomainError, ValidationError
from ui.dialogs.login import dialog_buttons, error_label
from ui.widgets import refusal_text


def password_field(placeholder: str = "") -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    return field


class _Form(QDialog):
    """A form whose subclass defines `apply()`, the one service call behind 保存."""

    def __init__(self, title: str, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.error = error_label()
        self.layout_.addWidget(self.error)
        buttons = dialog_buttons("保存", "取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.layout_.addWidget(buttons)

    def new_password(self) -> str:
        if self.password.text() != self.again.text():
            raise ValidationError("两次输入的密码不一样，请重新输入。")
        return self.password.text()

    def _password_rows(self, label: str = "密码：") -> None:
        self.password = password_field(f"至少 {MIN_PASSWORD_LENGTH} 个字，可以用汉字")
        self.again = password_field()
        self.form.addRow(label, self.password)
        self.form.addRow("再输一次：", self.again)

    def save(self) -> None:
        try:
            self.apply()
        except DomainError as error:
            self.error.setText(refusal_text(error))
            return
        self.accept()


class NewAccountDialog(_Form):
    def __init__(self, service: AccountService, parent: QWidget | None = None):
        super().__init__("新建账号", parent)
        self.service = service
        self.username, self.name = QLineEdit(), QLineEdit()
        self.role, self.village = QComboBox(), QComboBox()
        self.assigned = QListWidget()
        self.assigned.setMaximumHeight(120)
        for role in ASSIGNABLE_ROLES:
            self.role.addItem(role.label, role)
        for village_id, name in service.villages():
            self.village.addItem(name, village_id)
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, village_id)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.assigned.addItem(item)
        self.role.currentIndexChanged.connect(self._role_changed)
        self.form.addRow("姓名：", self.name)
        self.form.addRow("登录名：", self.username)
        self.form.addRow("角色：", self.role)
        self.form.addRow("所属行政村：", self.village)
        self.form.addRow("所包的村：", self.assigned)
        self._password_rows()
        self.role.setCurrentIndex(1)  # a clerk is what a secretary adds most often
        self._role_changed()

    def _role_changed(self) -> None:
        self.village.setEnabled(self.role.currentData() in VILLAGE_SCOPED)
        self.assigned.setEnabled(self.role.currentData() in ASSIGNED_SCOPED)

    def apply(self) -> None:
        role = self.role.currentData()
        village = self.village.currentData() if role in VILLAGE_SCOPED else None
        chosen = [self.assigned.item(i).data(Qt.ItemDataRole.UserRole)
                  for i in range(self.assigned.count())
                  if self.assigned.item(i).checkState() == Qt.CheckState.Checked]
        self.service.create_account(self.username.text(), self.name.text(), role, village,
                                    self.new_password(),
                                    villages=chosen if role in ASSIGNED_SCOPED else ())


class ResetPasswordDialog(_Form):
    def __init__(self, service: AccountService, account_id: int, who: str,
                 parent: QWidget | None = None):
        super().__init__(f"重设密码 — {who}", parent)
        self.service, self.account_id = service, account_id
        self._password_rows("新密码：")

    def apply(self) -> None:
        self.service.reset_password(self.account_id, self.new_password())


class OwnPasswordDialog(_Form):
    def __init__(self, service: AccountService, parent: QWidget | None = None):
        super().__init__("修改我的密码", parent)
        self.service = service
        self.old = password_field()
        self.form.addRow("原密码：", self.old)
        self._password_rows("新密码：")

    def apply(self) -> None:
        self.service.change_own_password(self.old.text(), self.new_password())
