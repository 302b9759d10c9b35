"""镇（街道）服务器设置: the township's IT person, once, on a new PostgreSQL database — the server
and its owner login, the township and its administrator, the villages with one secretary's
account each. The last page sets everything up in one go (models/server/setup.py) and shows the
everyday database login's password and the first passwords, to write down and hand out."""

from __future__ import annotations

import secrets
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from models.core.errors import DomainError
from models.core.privileges import everyday_role
from models.server import connection
from models.server.connection import ServerConnection
from models.server.setup import SetupDone, TownshipPlan, VillageAccount, check_plan
from ui.tasks import run_task
from ui.widgets import error_label

READABLE = "abcdefghjkmnpqrstuvwxyz23456789"
VILLAGE_COLUMNS = ("行政村", "书记姓名", "登录名", "初始密码")


def made_password(length: int) -> str:
    return "".join(secrets.choice(READABLE) for _ in range(length))


def _page(title: str, text: str) -> tuple[QWizardPage, QVBoxLayout]:
    page = QWizardPage()
    page.setTitle(title)
    layout = QVBoxLayout(page)
    layout.addWidget(_hint(text))
    return page, layout


def _hint(text: str) -> QLabel:
    """The page's explanation, wrapped in full (a wizard's subtitle would be cut off)."""
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class ServerSetupWizard(QWizard):
    def __init__(self, config_folder: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.config_folder = config_folder
        self.done_setup: SetupDone | None = None
        self.everyday: ServerConnection | None = None
        self.setWindowTitle("村治通 — 镇（街道）服务器设置")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage)
        self.setMinimumSize(640, 520)
        for button, text in ((QWizard.WizardButton.NextButton, "下一步"),
                             (QWizard.WizardButton.BackButton, "上一步"),
                             (QWizard.WizardButton.FinishButton, "完成"),
                             (QWizard.WizardButton.CancelButton, "取消"),
                             (QWizard.WizardButton.CommitButton, "开始设置")):
            self.setButtonText(button, text)
        self.addPage(self._server_page())
        self.addPage(self._township_page())
        self.addPage(self._villages_page())
        self.run_page = SetupRunPage(self)
        self.addPage(self.run_page)
        self.done_page = SetupDonePage(self)
        self.addPage(self.done_page)

    # ---- page 1: the server ---------------------------------------------------------------
    def _server_page(self) -> QWizardPage:
        page, layout = _page("第一步：服务器",
                             "填写 PostgreSQL 服务器的地址，以及建立数据库时创建的所有者账号"
                             "（只在这次设置时使用，程序不会保存它的密码）。")
        form = QFormLayout()
        self.host, self.database = QLineEdit("127.0.0.1"), QLineEdit("cunzhi")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(connection.DEFAULT_PORT)
        self.owner, self.owner_password = QLineEdit("cunzhi_owner"), _password_field()
        self.tls = QCheckBox("加密连接（TLS）")
        self.tls.setChecked(True)
        form.addRow("服务器地址：", self.host)
        form.addRow("端口：", self.port)
        form.addRow("数据库名称：", self.database)
        form.addRow("所有者账号：", self.owner)
        form.addRow("所有者密码：", self.owner_password)
        form.addRow("", self.tls)
        layout.addLayout(form)
        return page

    def owner_connection(self) -> ServerConnection:
        return ServerConnection(self.host.text(), self.port.value(), self.database.text(),
                                self.owner.text(), self.tls.isChecked()).validated()

    # ---- page 2: the township -------------------------------------------------------------
    def _township_page(self) -> QWizardPage:
        page, layout = _page("第二步：镇（街道）和管理员", "镇级管理员可以管理全镇的行政村、账号、设置，"
                             "并评选和公示红黑榜。")
        form = QFormLayout()
        self.township, self.admin_name = QLineEdit(), QLineEdit()
        self.admin_login, self.admin_password = QLineEdit("zhen-admin"), QLineEdit(made_password(8))
        form.addRow("镇（街道）名称：", self.township)
        form.addRow("管理员姓名：", self.admin_name)
        form.addRow("管理员登录名：", self.admin_login)
        form.addRow("管理员初始密码：", self.admin_password)
        layout.addLayout(form)
        return page

    # ---- page 3: the villages -------------------------------------------------------------
    def _villages_page(self) -> QWizardPage:
        page, layout = _page("第三步：行政村和书记账号",
                             "每个行政村一行：村名、书记姓名、书记的登录名和初始密码。"
                             "以后还可以在“组织架构”和“账号管理”中添加。")
        self.villages = QTableWidget(0, len(VILLAGE_COLUMNS))
        self.villages.setHorizontalHeaderLabels(VILLAGE_COLUMNS)
        self.villages.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.villages.verticalHeader().setVisible(False)
        layout.addWidget(self.villages, 1)
        row = QHBoxLayout()
        add, remove = QPushButton("添加一个村"), QPushButton("删除选中的村")
        add.clicked.connect(self._add_blank_village)
        remove.clicked.connect(self._remove_village)
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout.addLayout(row)
        self.add_village()
        return page

    def add_village(self, name: str = "", secretary: str = "", login: str = "") -> None:
        row = self.villages.rowCount()
        self.villages.insertRow(row)
        for column, value in enumerate((name, secretary, login, made_password(8))):
            self.villages.setItem(row, column, QTableWidgetItem(value))

    def _add_blank_village(self) -> None:
        self.add_village()

    def _remove_village(self) -> None:
        if self.villages.currentRow() >= 0:
            self.villages.removeRow(self.villages.currentRow())

    def plan(self) -> TownshipPlan:
        rows = []
        for row in range(self.villages.rowCount()):
            cells = [(self.villages.item(row, c).text() if self.villages.item(row, c) else "").strip()
                     for c in range(len(VILLAGE_COLUMNS))]
            if any(cells[:3]):
                rows.append(VillageAccount(*cells))
        plan = TownshipPlan(self.township.text(), self.admin_name.text(), self.admin_login.text(),
                            self.admin_password.text(), tuple(rows), self.run_page.everyday_password)
        check_plan(plan)
        return plan


class SetupRunPage(QWizardPage):
    """The summary, then the set-up itself; its result (with the passwords) stays on screen."""

    def __init__(self, wizard: ServerSetupWizard):
        super().__init__()
        self.wizard_ = wizard
        self.everyday_password = made_password(20)
        self.finished_ok = False
        self.setTitle("第四步：开始设置")
        self.setCommitPage(True)
        layout = QVBoxLayout(self)
        layout.addWidget(_hint("按“开始设置”后，程序在服务器上建立数据表、日常数据库账号、镇、管理员、"
                               "各村和书记账号：全部成功，或者全部不做。"))
        self.summary = QPlainTextEdit()
        self.summary.setReadOnly(True)
        layout.addWidget(self.summary, 1)
        self.save_here = QCheckBox("本机也用日常数据库账号连接这台服务器（镇政府的办公电脑勾选）")
        self.save_here.setChecked(True)
        layout.addWidget(self.save_here)
        self.error = error_label()
        layout.addWidget(self.error)

    def initializePage(self) -> None:
        self.error.setText("")
        self.finished_ok = False
        try:
            server, plan = self.wizard_.owner_connection(), self.wizard_.plan()
        except DomainError as error:
            self.summary.setPlainText("")
            self.error.setText(str(error))
            return
        tls = "加密" if server.tls else "不加密"
        lines = [f"服务器：{server.label()}（{tls}），所有者账号 {server.user}",
                 f"日常数据库账号：{everyday_role(server.database)}    密码：{plan.everyday_password}",
                 f"镇（街道）：{plan.township}",
                 f"镇级管理员：{plan.admin_name}    登录名 {plan.admin_username}"
                 f"    初始密码 {plan.admin_password}"]
        lines += [f"{v.village}：书记 {v.secretary}    登录名 {v.username}    初始密码 {v.password}"
                  for v in plan.villages]
        self.summary.setPlainText("\n".join(lines))

    def isComplete(self) -> bool:
        return bool(self.summary.toPlainText())

    def validatePage(self) -> bool:
        if self.finished_ok:
            return True
        self.run()
        return False  # the wizard moves on when the set-up reports back

    def run(self) -> None:
        from models.core.db import Database
        from models.server.setup import set_up_township

        self.error.setText("")
        try:
            server, plan = self.wizard_.owner_connection(), self.wizard_.plan()
        except DomainError as error:
            self.error.setText(str(error))
            return
        password = self.wizard_.owner_password.text()
        url = server.url().set(password=password) if password else server.url()

        def work(_progress):  # type: ignore[no-untyped-def]
            owner = Database(url)
            try:
                return set_up_township(owner, plan)
            finally:
                owner.dispose()

        run_task(work, lambda done: self._done(server, done), self._failed, parent=self,
                 title="正在设置服务器……")

    def _done(self, server: ServerConnection, done: SetupDone) -> None:
        self.wizard_.done_setup = done
        everyday = ServerConnection(server.host, server.port, server.database, done.everyday_login,
                                    server.tls)
        if self.save_here.isChecked():
            connection.save(self.wizard_.config_folder, everyday, self.everyday_password)
            self.wizard_.everyday = everyday
        self.finished_ok = True
        self.wizard_.done_page.show_result(self.summary.toPlainText(), self.wizard_.everyday)
        self.wizard_.next()

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, DomainError):
            raise error
        self.error.setText(f"{error}\n服务器上没有留下这次设置的任何账号和数据。")


class SetupDonePage(QWizardPage):
    def __init__(self, wizard: ServerSetupWizard):
        super().__init__()
        self.setTitle("设置完成")
        layout = QVBoxLayout(self)
        layout.addWidget(_hint("请把日常数据库账号和密码告诉各村（在“连接服务器”中填写），把登录名和初始密码"
                               "交给本人，登录后在“账号管理”中修改密码。这些密码只显示这一次。"))
        self.result = QPlainTextEdit()
        self.result.setReadOnly(True)
        layout.addWidget(self.result, 1)
        copy = QPushButton("复制到剪贴板")
        copy.clicked.connect(self._copy)
        layout.addWidget(copy)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout.addWidget(self.note)

    def show_result(self, text: str, saved: ServerConnection | None) -> None:
        self.result.setPlainText(text)
        self.note.setText(f"本机已保存连接：{saved.label()}。按“完成”后用镇级管理员账号登录。" if saved
                          else "本机没有保存连接。")

    def _copy(self) -> None:
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.clipboard().setText(self.result.toPlainText())
