"""连接服务器: point this PC (this Windows user) at the township's server. The choice is kept in
the user's settings folder; the password only in libpq's own password file (see
models/server/connection.py). 测试连接 tries it first; 保存 keeps a choice that worked."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models.core.errors import DomainError
from models.core.privileges import everyday_role
from models.server import connection
from models.server.connection import ServerConnection, ServerState
from ui.tasks import run_task
from ui.widgets import error_label


class ConnectionDialog(QDialog):
    def __init__(self, config_folder: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.config_folder = config_folder
        self.saved: ServerConnection | None = None
        self.setWindowTitle("村治通 — 连接镇（街道）服务器")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        hint = QLabel("填写镇（街道）管理员给您的服务器地址、数据库名称、数据库账号和密码。"
                      "保存后，这台电脑的当前 Windows 用户打开程序时会自动连接，不用再输入数据库密码"
                      "（密码由 PostgreSQL 的密码文件保管，不写进程序的文件和快捷方式）。")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        form = QFormLayout()
        self.host, self.database, self.user = QLineEdit(), QLineEdit(), QLineEdit()
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("已经保存过的可以不填")
        self.tls = QCheckBox("加密连接（TLS，建议打开）")
        self.host.setPlaceholderText("例如 192.168.1.10")
        form.addRow("服务器地址：", self.host)
        form.addRow("端口：", self.port)
        form.addRow("数据库名称：", self.database)
        form.addRow("数据库账号：", self.user)
        form.addRow("数据库密码：", self.password)
        form.addRow("", self.tls)
        layout.addLayout(form)
        self.result = QLabel()
        self.result.setWordWrap(True)
        layout.addWidget(self.result)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.test_button = QPushButton("测试连接")
        buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.test_button.clicked.connect(lambda: self.try_connection(save=False))
        buttons.accepted.connect(lambda: self.try_connection(save=True))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.database.textEdited.connect(self._suggest_user)
        self._fill(connection.load(config_folder))

    def _fill(self, known: ServerConnection | None) -> None:
        known = known or ServerConnection("")
        self.host.setText(known.host)
        self.port.setValue(known.port)
        self.database.setText(known.database)
        self.user.setText(known.user)
        self.tls.setChecked(known.tls)

    def _suggest_user(self, database: str) -> None:
        if not self.user.isModified():
            self.user.setText(everyday_role(database.strip()))

    def chosen(self) -> ServerConnection:
        return ServerConnection(self.host.text(), self.port.value(), self.database.text(),
                                self.user.text(), self.tls.isChecked()).validated()

    def try_connection(self, save: bool) -> None:
        """Connect once in the background; with `save`, keep the choice if it worked."""
        self.error.setText("")
        self.result.setText("正在连接……")
        try:
            server = self.chosen()
        except DomainError as error:
            self.result.setText("")
            self.error.setText(str(error))
            return
        password = self.password.text()
        url = server.url().set(password=password) if password else server.url()
        for button in (self.test_button, self.save_button):
            button.setEnabled(False)
        run_task(lambda _progress: connection.probe(url),
                 lambda state: self._tried(server, password, state, save), self._failed)

    def _tried(self, server: ServerConnection, password: str, state: ServerState,
               save: bool) -> None:
        self._enable()
        self.result.setText(state.describe())
        if not save:
            return
        if state.schema_revision is None:
            self.error.setText("这个数据库还没有设置好，不能保存。请先请镇里的管理员完成服务器设置。")
            return
        try:
            connection.save(self.config_folder, server, password or None)
        except (DomainError, OSError) as error:
            self.error.setText(f"没能保存连接：{error}")
            return
        self.saved = server
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._enable()
        self.result.setText("")
        if not isinstance(error, DomainError):
            raise error
        self.error.setText(str(error))

    def _enable(self) -> None:
        for button in (self.test_button, self.save_button):
            button.setEnabled(True)
