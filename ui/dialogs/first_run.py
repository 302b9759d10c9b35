"""首次使用: the township, the village and the secretary's own account, before anything else."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models.accounts.service import MIN_PASSWORD_LENGTH, first_run, first_run_offer
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
        hint = QLabel("第一次使用，请填写本村所属的镇（街道）和行政村（镇里发来的名称会自动提示），"
                      "核对户数上限，并为村党支部书记设置登录账号。"
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
        offer = first_run_offer(db)
        for field, names, example in ((self.township, offer.townships, "例如：韩集镇"),
                                      (self.village, offer.villages, "例如：韩家村")):
            field.setCompleter(QCompleter(names, field))  # the township's own spelling
            field.setPlaceholderText(f"已有：{'、'.join(names[:4])}" if names else example)
            if len(names) == 1:
                field.setText(names[0])
        form.addRow("镇（街道）名称：", self.township)
        form.addRow("行政村名称：", self.village)
        self.zone_cap, self.alley_cap = QSpinBox(), QSpinBox()
        for box, value, top in ((self.zone_cap, offer.zone_cap, 1000),
                                (self.alley_cap, offer.alley_cap, 200)):
            box.setRange(1, top)
            box.setValue(value)
            box.setSuffix(" 户")
        caps = QHBoxLayout()
        caps.addWidget(QLabel("每个片区最多"))
        caps.addWidget(self.zone_cap)
        caps.addWidget(QLabel("每个胡同最多"))
        caps.addWidget(self.alley_cap)
        caps.addStretch(1)
        form.addRow("户数上限：", caps)
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
                                   self.username.text(), self.name.text(), self.password.text(),
                                   caps=(self.zone_cap.value(), self.alley_cap.value()))
        except DomainError as error:
            self.error.setText(f"{error}\n没有保存任何内容。")
            return
        self.accept()
