"""账号管理: who may sign in, in which role and village; reset, lock and unlock; my password."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.accounts.service import AccountRow, AccountService
from models.core.access import Permission
from models.core.errors import DomainError
from ui.context import AppContext
from ui.dialogs.account import NewAccountDialog, OwnPasswordDialog, ResetPasswordDialog
from ui.widgets import Column, RowTableModel, page_title, show_refusal
from ui.empty_hint import EmptyHint

TITLE = "账号管理"
COLUMNS = (
    Column("姓名", lambda r: r.display_name),
    Column("登录名", lambda r: r.username),
    Column("角色", lambda r: r.role.label),
    Column("所属", lambda r: r.village_name),
    Column("状态", lambda r: r.status),
)


class AccountsPage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.setObjectName("page")
        self.context = context
        self.service = context.service(AccountService)
        self.may_manage = context.actor.may(Permission.ACCOUNTS, context.actor.village_id)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(page_title("账号管理"))
        hint = QLabel(self._hint())
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addLayout(self._buttons())
        self.model = RowTableModel(COLUMNS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setVisible(self.may_manage)
        EmptyHint(self.table, "还没有其他账号。点“新建账号…”为文书、监督员等建立自己的账号。")
        layout.addWidget(self.table, 1)
        if not self.may_manage:
            layout.addStretch(1)
        self.reload()

    def _hint(self) -> str:
        actor = self.context.actor
        if not self.may_manage:
            return (f"当前账号：{actor.name}（{actor.role.label}）。"
                    "您可以修改自己的密码；账号由村书记或镇级管理员管理。")
        return (f"当前账号：{actor.name}（{actor.role.label}）。村文书只能办理兑换和打印；"
                "纪工委监督员可以查看一切，但不能修改。连续输错密码会锁定账号。")

    def _buttons(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        actions = [("新建账号…", self._new), ("重设密码…", self._reset),
                   ("停用", lambda: self._set_active(False)), ("启用", lambda: self._set_active(True)),
                   ("解锁", self._unlock)] if self.may_manage else []
        for text, slot in actions:
            button = QPushButton(text)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addStretch(1)
        own = QPushButton("修改我的密码…")
        own.clicked.connect(lambda: OwnPasswordDialog(self.service, self).exec())
        bar.addWidget(own)
        return bar

    def reload(self) -> None:
        if self.may_manage:
            self.model.set_rows(self.service.accounts())

    def selected(self) -> AccountRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, TITLE, "请先在表格中选中一个账号。")
            return None
        return self.model.row(rows[0])

    def _new(self) -> None:
        if NewAccountDialog(self.service, self).exec():
            self.reload()

    def _reset(self) -> None:
        row = self.selected()
        if row and ResetPasswordDialog(self.service, row.id, row.display_name, self).exec():
            self.reload()

    def _set_active(self, active: bool) -> None:
        row = self.selected()
        if row:
            self._run(lambda: self.service.set_active(row.id, active))

    def _unlock(self) -> None:
        row = self.selected()
        if row:
            self._run(lambda: self.service.unlock(row.id))

    def _run(self, operation) -> None:  # type: ignore[no-untyped-def]
        try:
            operation()
        except DomainError as error:
            show_refusal(self, error)
        self.reload()
