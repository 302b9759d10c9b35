"""程序出错: an unexpected error, with a report the user can copy and send to whoever helps."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class CrashDialog(QDialog):
    def __init__(self, report: str, log_path: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("村治通 — 程序出错")
        self.setMinimumSize(560, 380)
        layout = QVBoxLayout(self)
        intro = QLabel("程序遇到了一个意外的错误。已经保存的数据不受影响，刚才这一步操作可能没有完成。\n"
                       f"请点“复制报告”，把报告发给帮助您的技术人员。报告也已写入日志文件：{log_path}")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.report = QPlainTextEdit(report)
        self.report.setReadOnly(True)
        layout.addWidget(self.report, 1)
        buttons = QDialogButtonBox()
        copy = buttons.addButton("复制报告", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy)
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.report.toPlainText())
