"""概览: the report's table at a glance — the same counts as `main.py stats`."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from models.services.directory import STAT_KEYS, STAT_LABELS, DirectoryService
from ui.context import AppContext
from ui.widgets import number_card, page_title

TITLE = "概览"


class OverviewPage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.setObjectName("page")
        self.context = context
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(page_title("“五级架构”概览"))
        self.where = QLabel()
        self.where.setObjectName("hint")
        layout.addWidget(self.where)
        self.grid = QGridLayout()
        self.grid.setSpacing(14)
        layout.addLayout(self.grid)
        layout.addStretch(1)
        context.changed.connect(lambda _topic: self.reload())
        self.reload()

    def reload(self) -> None:
        stats = self.context.service(DirectoryService).stats()
        while self.grid.count():
            self.grid.takeAt(0).widget().deleteLater()
        for index, key in enumerate(STAT_KEYS):
            self.grid.addWidget(number_card(f"{stats[key]:,}", STAT_LABELS[key]),
                                index // 4, index % 4)
        self.where.setText(f"数据库：{self.context.db.describe()}    当前账号：{self.context.actor.name}"
                           f"（{self.context.actor.role.label}）")
        self.stats = stats
