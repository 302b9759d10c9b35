"""登录: name and password; a wrong password says how many tries are left, a lock says how long."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from models.accounts.service import login
from models.core.access import Actor
from models.core.db import Database
from models.core.errors import DomainError


def dialog_buttons(ok_text: str, cancel_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text)
    return buttons


def error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("error")
    label.setWordWrap(True)
    return label


# A sign-in dialog's result when the user chose another server: the program opens it instead.
RECONNECT = 2


def server_buttons(dialog: QDialog, config_folder: Path | None, buttons: QDialogButtonBox, *,
                   set_up: bool) -> None:
    """连接服务器… (and, on a first start, 镇（街道）服务器设置…): a choice that worked ends the
    dialog with RECONNECT."""
    if config_folder is None:
        return

    def connect() -> None:
        from ui.dialogs.connection import ConnectionDialog

        if ConnectionDialog(config_folder, dialog).exec() == QDialog.DialogCode.Accepted:
            dialog.done(RECONNECT)

    def set_up_server() -> None:
        from ui.dialogs.server_setup import ServerSetupWizard

        wizard = ServerSetupWizard(config_folder, dialog)
        if wizard.exec() == QDialog.DialogCode.Accepted and wizard.everyday is not None:
            dialog.done(RECONNECT)

    button = buttons.addButton("连接服务器…", QDialogButtonBox.ButtonRole.ResetRole)
    button.clicked.connect(connect)
    if set_up:
        button = buttons.addButton("镇（街道）服务器设置…", QDialogButtonBox.ButtonRole.ResetRole)
        button.clicked.connect(set_up_server)


class LoginDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None,
                 config_folder: Path | None = None):
        super().__init__(parent)
        self.db = db
        self.actor: Actor | None = None
        self.setWindowTitle("村治通 — 登录")
        self.setMinimumWidth(400)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        title = QLabel("村治通")
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        hint = QLabel("请输入您的登录名和密码。")
        hint.setObjectName("hint")
        layout.addWidget(hint)
        form = QFormLayout()
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("登录名：", self.username)
        form.addRow("密码：", self.password)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = dialog_buttons("登录", "退出")
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        server_buttons(self, config_folder, buttons, set_up=False)
        layout.addWidget(buttons)

    def try_login(self) -> None:
        try:
            self.actor = login(self.db, self.username.text(), self.password.text())
        except DomainError as error:
            self.error.setText(str(error))
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()
