"""首次使用: the township, the village and the secretary's own account, before anything else."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from models.accounts.service import MIN_PASSWORD_LENGTH, first_run
from models.core.access import Actor
from models.core.db import Database
from models.core.errors import DomainError
from ui.dialogs.login import dialog_buttons, error_label, server_buttons


class FirstRunDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None,
                 config_folder: Path | None = None):
        super().__init__(parent)
        self.db = db
        self.actor: Actor | None = None
        self.setWindowTitle("村治通 — 首次使用")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        title = QLabel("欢迎使用村治通")
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        hint = QLabel("第一次使用，请填写本村所属的镇（街道）和行政村，并为村党支部书记设置登录账号。"
                      "以后可以在“账号管理”中为村文书等人员添加账号。\n"
                      "全镇共用一台服务器的，请点“连接服务器…”；镇里第一次建服务器的，点“镇（街道）服务器设置…”。")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        form = QFormLayout()
        self.township, self.village = QLineEdit(), QLineEdit()
        self.name, self.username = QLineEdit(), QLineEdit()
        self.password, self.again = QLineEdit(), QLineEdit()
        for field in (self.password, self.again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(f"至少 {MIN_PASSWORD_LENGTH} 个字，可以用汉字")
        form.addRow("镇（街道）名称：", self.township)
        form.addRow("行政村名称：", self.village)
        form.addRow("书记姓名：", self.name)
        form.addRow("登录名：", self.username)
        form.addRow("密码：", self.password)
        form.addRow("再输一次密码：", self.again)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = dialog_buttons("完成设置", "退出")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        server_buttons(self, config_folder, buttons, set_up=True)
        layout.addWidget(buttons)

    def save(self) -> None:
        if self.password.text() != self.again.text():
            self.error.setText("两次输入的密码不一样，请重新输入。")
            return
        try:
            self.actor = first_run(self.db, self.township.text(), self.village.text(),
                                   self.username.text(), self.name.text(), self.password.text())
        except DomainError as error:
            self.error.setText(f"{error}\n没有保存任何内容。")
            return
        self.accept()
