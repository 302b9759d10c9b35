"""操作记录: who changed what and when, with the values before and after; export to Excel."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.accounts.audit_log import ROW_LIMIT, AuditService
from models.core import clock
from models.core.access import Permission
from reports.audit_xlsx import export
from ui.context import AppContext
from ui.widgets import Column, RowTableModel, page_title

TITLE = "操作记录"
COLUMNS = (
    Column("时间", lambda r: r.local_time),
    Column("账号", lambda r: r.user_name),
    Column("角色", lambda r: r.role_label),
    Column("操作", lambda r: r.action),
    Column("对象", lambda r: r.entity),
    Column("修改前", lambda r: r.before_text),
    Column("修改后", lambda r: r.after_text),
)


def _date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy年MM月dd日")
    return edit


class AuditPage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.setObjectName("page")
        self.context = context
        self.service = context.service(AuditService)
        self.allowed = context.actor.may(Permission.VIEW_AUDIT, context.actor.village_id)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(page_title("操作记录"))
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        if not self.allowed:
            self.hint.setText("操作记录只有村党支部书记、镇级管理员和纪工委监督员可以查看。")
            layout.addStretch(1)
            return
        layout.addLayout(self._filters())
        self.model = RowTableModel(COLUMNS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        context.changed.connect(lambda _topic: self.reload())
        self.reload()

    def _filters(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        today = clock.today()
        self.since = _date_edit(date(today.year, 1, 1))
        self.until = _date_edit(today)
        self.words = QLineEdit()
        self.words.setPlaceholderText("按操作、账号或内容查找")
        search = QPushButton("查询")
        search.clicked.connect(self.reload)
        self.words.returnPressed.connect(self.reload)
        save = QPushButton("导出 Excel…")
        save.clicked.connect(self._export)
        for widget in (QLabel("从"), self.since, QLabel("到"), self.until, self.words, search):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(save)
        return bar

    def reload(self) -> None:
        rows = self.service.entries(since=self.since.date().toPython(),
                                    until=self.until.date().toPython(), text=self.words.text())
        self.model.set_rows(rows)
        scope = "本村" if self.context.actor.village_id else "全部"
        more = f"（只显示最新的 {ROW_LIMIT} 条）" if len(rows) >= ROW_LIMIT else ""
        self.hint.setText(f"{scope}的操作记录 {len(rows)} 条{more}。记录只能追加，任何人都不能修改或删除。")

    def _export(self) -> None:
        suggested = str(Path.home() / f"操作记录-{clock.today():%Y%m%d}.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "导出操作记录", suggested, "Excel 文件 (*.xlsx)")
        if path:
            export(self.model.rows, Path(path))
            QMessageBox.information(self, TITLE, f"已导出 {len(self.model.rows)} 条记录：\n{path}")
