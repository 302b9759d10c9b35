"""数据备份: the automatic and manual copies, a backup now, and restoring one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.backup import files as backup
from models.backup.service import BackupService
from models.core.errors import DomainError
from ui.context import AppContext
from ui.widgets import Column, RowTableModel, page_title, show_refusal

TITLE = "数据备份"
COLUMNS = (
    Column("备份时间", lambda b: f"{b.taken_at:%Y-%m-%d %H:%M:%S}"),
    Column("方式", lambda b: "手动备份" if b.reason == "手动" else f"{b.reason}时自动备份"),
    Column("大小", lambda b: f"{b.size_kb:,} KB", Qt.AlignmentFlag.AlignRight),
    Column("文件", lambda b: b.path.name),
)


class BackupPage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.setObjectName("page")
        self.context = context
        self.service = context.service(BackupService)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(page_title("数据备份"))
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        bar = QHBoxLayout()
        if not self.service.may_back_up:
            self.hint.setText("数据备份由村党支部书记或镇级管理员负责，本账号不能备份或恢复。")
        elif self.service.on_server:
            self.hint.setText(backup.POSTGRES_ADVICE)
            bar.addWidget(self._button("导出 SQLite 副本…", self._export))
        else:
            self.hint.setText(
                f"每次打开和退出程序时自动备份，保留最近 {backup.KEEP_RECENT} 份和每月一份，"
                f"每份都经过检查。备份文件夹：{backup.backup_folder(context.db.path)}")
            bar.addWidget(self._button("立即备份", self._backup_now))
            bar.addWidget(self._button("用所选备份恢复…", self._restore))
        bar.addStretch(1)
        layout.addLayout(bar)
        self.model = RowTableModel(COLUMNS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setVisible(self.service.may_back_up and not self.service.on_server)
        layout.addWidget(self.table, 1)
        self.reload()

    def _button(self, text: str, slot) -> QPushButton:  # type: ignore[no-untyped-def]
        button = QPushButton(text)
        button.clicked.connect(slot)
        return button

    def reload(self) -> None:
        self.model.set_rows(self.service.backups() if self.service.may_back_up else [])

    def _backup_now(self) -> None:
        try:
            made = self.service.backup_now()
        except DomainError as error:
            show_refusal(self, error, "备份没有完成")
            return
        self.reload()
        QMessageBox.information(self, TITLE, f"已备份并检查通过：\n{made.name}")

    def _restore(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, TITLE, "请先在表格中选中要恢复的备份。")
            return
        chosen = self.model.row(rows[0])
        answer = QMessageBox.question(
            self, "恢复备份",
            f"确定用 {chosen.taken_at:%Y年%m月%d日 %H:%M} 的备份替换现在的数据吗？\n"
            "这之后录入的内容需要重新录入。现在的数据文件不会删除，会保存在备份文件夹中。\n"
            "恢复后程序将关闭，请重新打开。")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            kept = self.service.restore(chosen.path)
        except DomainError as error:
            show_refusal(self, error, "没有恢复")
            return
        QMessageBox.information(
            self, TITLE, f"已恢复。原来的数据文件保存为：\n{kept}\n\n程序现在关闭，请重新打开。")
        QApplication.quit()

    def _export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出 SQLite 副本", "村治通导出.db", "数据库 (*.db)")
        if not path:
            return
        try:
            made = self.service.export_copy(Path(path))
        except DomainError as error:
            show_refusal(self, error, "没有导出")
            return
        QMessageBox.information(self, TITLE, f"已导出：\n{made}")
