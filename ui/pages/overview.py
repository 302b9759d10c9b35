"""概览: the report's table at a glance — the same counts as `main.py stats`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.core.access import VILLAGE_SCOPED
from models.org.directory import STAT_KEYS, STAT_LABELS, DirectoryService, Level
from ui.context import AppContext
from ui.widgets import Column, RowTableModel, number_card, page_title, section_title

RIGHT = Qt.AlignmentFlag.AlignRight
VILLAGE_COLUMNS = (
    Column("镇（街道）", lambda v: v.township),
    Column("行政村", lambda v: v.name),
    Column("党支部书记", lambda v: v.secretary),
    Column("自然村", lambda v: v.natural_villages, RIGHT),
    Column("片区", lambda v: v.zones, RIGHT),
    Column("胡同", lambda v: v.alleys, RIGHT),
    Column("农户", lambda v: v.households, RIGHT),
)
# A village account sees its own village broken down by natural village instead.
NATURAL_COLUMNS = (
    Column("自然村", lambda n: n.name),
    Column("片区", lambda n: n.zones, RIGHT),
    Column("胡同", lambda n: n.alleys, RIGHT),
    Column("农户", lambda n: n.households, RIGHT),
    Column("片区长、胡同长", lambda n: n.heads, RIGHT),
)

TITLE = "概览"


class OverviewPage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.setObjectName("page")
        self.context = context
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        self.title = page_title("“五级架构”概览")
        layout.addWidget(self.title)
        self.where = QLabel()
        self.where.setObjectName("hint")
        self.where.setWordWrap(True)  # a long database path
        layout.addWidget(self.where)
        self.next_step = QLabel("还没有农户：请到“组织架构”点“新建自然村”“新建片区”“新建胡同”，"
                                "或在那里“下载导入模板”，填好农户名单后“从 Excel 导入”。")
        self.next_step.setObjectName("error")
        self.next_step.setWordWrap(True)
        layout.addWidget(self.next_step)
        self.grid = QGridLayout()
        self.grid.setSpacing(14)
        layout.addLayout(self.grid)
        layout.addSpacing(12)
        actor = context.actor
        self.own_village = actor.village_id if actor.role in VILLAGE_SCOPED else None
        if self.own_village is None:
            layout.addWidget(section_title("各行政村情况"))
            self.villages = RowTableModel(VILLAGE_COLUMNS, self)
        else:
            layout.addWidget(section_title("本村各自然村情况"))
            self.villages = RowTableModel(NATURAL_COLUMNS, self)
        table = QTableView()
        table.setModel(self.villages)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(table, 1)
        context.changed.connect(lambda _topic: self.reload())
        self.reload()

    def _place(self, directory: DirectoryService) -> str:
        """The village a village account works for, or the township(s) the account sees."""
        if self.own_village is not None:
            return directory.details(Level.ADMIN_VILLAGE, self.own_village).name
        return "、".join(unit.name for unit in directory.children(Level.TOWNSHIP, None))

    def reload(self) -> None:
        stats = self.context.service(DirectoryService).stats()
        while self.grid.count():
            self.grid.takeAt(0).widget().deleteLater()
        # "1 个行政村" tells a village account nothing.
        keys = [k for k in STAT_KEYS if self.own_village is None or k != "admin_villages"]
        for index, key in enumerate(keys):
            self.grid.addWidget(number_card(f"{stats[key]:,}", STAT_LABELS[key]),
                                index // 4, index % 4)
        self.where.setText(f"数据库：{self.context.db.describe()}    当前账号：{self.context.actor.name}"
                           f"（{self.context.actor.role.label}）")
        self.stats = stats
        self.next_step.setVisible(stats["households"] == 0)
        directory = self.context.service(DirectoryService)
        self.title.setText(f"{self._place(directory)}“五级架构”概览")
        self.villages.set_rows(directory.village_summaries() if self.own_village is None
                               else directory.natural_village_summaries(self.own_village))
