"""数据库文件损坏: what happened in plain words, that nothing was changed, and the way back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from models.backup.files import BackupFile

TEXT_WIDTH = 520


class DamagedDialog(QDialog):
    """Accepted means: restore `newest`. The damaged file itself is kept unchanged either way."""

    def __init__(self, path: Path, problems: list[str], newest: BackupFile | None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("村治通 — 数据库文件损坏")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        title = QLabel("数据库文件损坏了")
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        layout.addWidget(wrapped_label(
            f"程序在打开数据文件时发现它已经损坏：{problems[0]}\n\n"
            "这通常是因为电脑突然断电、硬盘出错或文件被其他程序改动过。"
            "为了不让情况变得更糟，程序没有往这个文件里写入任何内容，文件保持原样：\n"
            f"{path}"))
        layout.addWidget(wrapped_label(self._offer(newest)))
        buttons = QDialogButtonBox()
        if newest is not None:
            restore = buttons.addButton("用这份备份恢复", QDialogButtonBox.ButtonRole.AcceptRole)
            restore.setDefault(True)
        buttons.addButton("退出程序", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)

    @staticmethod
    def _offer(newest: BackupFile | None) -> str:
        if newest is None:
            return ("没有找到可用的备份。请不要删除这个文件，联系镇里的技术人员帮助修复，"
                    "或把文件拷贝出来送去检查。")
        return (f"找到一份完好的备份：{newest.taken_at:%Y年%m月%d日 %H:%M}（{newest.reason}时自动备份）。"
                "恢复后，这份备份之后录入的内容需要重新录入。损坏的文件不会删除，"
                "会原样保存在备份文件夹中，以便日后查找。")



def wrapped_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    # A fixed width lets the wrapped text claim its full height in the layout.
    label.setFixedWidth(TEXT_WIDTH)
    label.setMinimumHeight(label.heightForWidth(TEXT_WIDTH))
    return label
