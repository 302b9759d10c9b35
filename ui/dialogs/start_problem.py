"""The database could not be opened at the start: what happened, what to do, and a way on
(choose another database file) or out. Never a traceback."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QLabel, QVBoxLayout, QWidget

from models.backup.start import StartProblem
from ui.dialogs.damaged import wrapped_label

FILE_FILTER = "村治通数据库 (*.db);;所有文件 (*)"


class StartProblemDialog(QDialog):
    """Accepted means: try `chosen`, the file the user picked instead."""

    def __init__(self, problem: StartProblem, parent: QWidget | None = None):
        super().__init__(parent)
        self.problem = problem
        self.chosen: Path | None = None
        self.setWindowTitle(f"村治通 — {problem.title}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        title = QLabel(problem.title)
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        self.what = wrapped_label(f"发生了什么：{problem.what}")
        self.todo = wrapped_label(f"怎么办：{problem.todo}")
        layout.addWidget(self.what)
        layout.addWidget(self.todo)
        buttons = QDialogButtonBox()
        self.choose_button = buttons.addButton("选择其他数据库文件…",
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.choose_button.setDefault(True)
        self.choose_button.clicked.connect(self.choose)
        self.quit_button = buttons.addButton("退出程序", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)

    def choose(self) -> None:
        start = str(self.problem.path.parent if self.problem.path else Path.home())
        name = self.ask_for_file(start)
        if name:
            self.chosen = Path(name)
            self.accept()

    def ask_for_file(self, start: str) -> str:
        name, _filter = QFileDialog.getOpenFileName(self, "选择村治通的数据库文件", start, FILE_FILTER)
        return name
