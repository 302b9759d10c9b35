"""完成情况 and 七个管理员: how complete each head's month is, who has not yet done a duty today,
this week or this month (village or township, printable), and the seven officers' matters with
their monthly counts per role."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models.core.access import VILLAGE_SCOPED, Permission
from models.core.errors import DomainError
from models.printing.scope import ScopeKind
from models.printing.service import PrintService
from models.worklog.completeness import CompletenessService, ReminderList
from models.core import clock
from models.points.service import PointsService
from models.worklog.matters import MatterService
from models.worklog.tables import OFFICER_LABELS, MatterStatus
from ui.context import AppContext
from ui.pages.worklog.dialogs import MatterDialog
from ui.pdf_output import save_copy
from ui.tasks import run_task
from ui.widgets import Column, RowTableModel, row_table_view, section_title, show_refusal

if TYPE_CHECKING:
    from ui.pages.worklog.page import WorkLogPage

RIGHT = Qt.AlignmentFlag.AlignRight


def _ratio(done: int, due: int) -> str:
    return f"{done}/{due}" if due else "—"


COMPLETENESS_COLUMNS = (
    Column("自然村", lambda c: c.head.natural_village),
    Column("胡同", lambda c: c.head.unit),
    Column("胡同长", lambda c: c.head.name),
    Column("巡查（天）", lambda c: _ratio(c.patrols, c.patrol_days), RIGHT),
    Column("汇总（周）", lambda c: _ratio(c.summaries, c.summary_weeks), RIGHT),
    Column("走访（户）", lambda c: _ratio(c.visited, c.households), RIGHT),
    Column("情况", lambda c: "齐全" if c.complete else "未齐"),
)
REMINDER_COLUMNS = (
    Column("行政村", lambda r: r.head.village),
    Column("胡同", lambda r: f"{r.head.natural_village}·{r.head.unit}"),
    Column("胡同长", lambda r: r.head.name),
    Column("电话", lambda r: r.head.phone),
    Column("尚未完成", lambda r: "；".join(r.missing), tooltip=True),
)
MATTER_COLUMNS = (
    Column("日期", lambda m: f"{m.occurred_on:%m-%d}"),
    Column("负责人", lambda m: m.head_name),
    Column("区域", lambda m: m.unit),
    Column("管理员身份", lambda m: m.role.label),
    Column("事项", lambda m: m.text, tooltip=True),
    Column("办理状态", lambda m: m.status.label if m.status else "—"),
    Column("登记人", lambda m: m.recorded_by),
)
COUNT_COLUMNS = (
    Column("行政村", lambda c: c.village),
    *(Column(label.removesuffix("员"), lambda c, r=role: c.counts[r], RIGHT)
      for role, label in OFFICER_LABELS.items()),
    Column("合计", lambda c: c.total, RIGHT),
    Column("未办结", lambda c: c.open, RIGHT),
)
WHO = (("today", "今日未巡查"), ("week", "本周未汇总"), ("month", "本月未走访完"))


class CompletenessTab(QWidget):
    def __init__(self, context: AppContext, page: WorkLogPage):
        super().__init__()
        self.context, self.page = context, page
        self.service: CompletenessService = context.service(CompletenessService)
        self.reminder_list: ReminderList | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.township = QCheckBox("显示全镇各村")
        self.township.setEnabled(context.actor.role not in VILLAGE_SCOPED)
        self.township.toggled.connect(lambda _on: self.reload())
        top.addWidget(self.township)
        top.addStretch(1)
        layout.addLayout(top)
        splitter = QSplitter(Qt.Orientation.Vertical)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        self.summary = section_title("")
        upper_layout.addWidget(self.summary)
        self.model = RowTableModel(COMPLETENESS_COLUMNS, self)
        self.table = row_table_view(self.model)
        self.table.horizontalHeader().setStretchLastSection(True)
        upper_layout.addWidget(self.table)
        splitter.addWidget(upper)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        line = QHBoxLayout()
        self.reminder_title = section_title("提醒名单")
        line.addWidget(self.reminder_title)
        self.who = QComboBox()
        for key, label in WHO:
            self.who.addItem(label, key)
        self.who.currentIndexChanged.connect(lambda _i: self._show_reminders())
        line.addWidget(self.who)
        line.addStretch(1)
        self.print_button = QPushButton("打印提醒名单…")
        self.print_button.clicked.connect(self.print_reminders)
        line.addWidget(self.print_button)
        lower_layout.addLayout(line)
        self.reminder_model = RowTableModel(REMINDER_COLUMNS, self)
        self.reminders = row_table_view(self.reminder_model)
        self.reminders.horizontalHeader().setStretchLastSection(True)
        lower_layout.addWidget(self.reminders)
        splitter.addWidget(lower)
        layout.addWidget(splitter, 1)

    def _scope(self) -> dict[str, int | None]:
        return {"village_id": None} if self.township.isChecked() else \
            {"village_id": self.page.village_id()}

    def reload(self) -> None:
        month = self.page.chosen_month()
        rows = self.service.month(month, **self._scope())
        self.model.set_rows(rows)
        complete = sum(1 for r in rows if r.complete)
        self.summary.setText(f"{month.label}：{len(rows)} 位胡同长，{complete} 位三个一齐全")
        self.table.resizeColumnsToContents()
        self.reminder_list = self.service.reminders(**self._scope())
        on = self.reminder_list.on
        self.reminder_title.setText(f"提醒名单（{on.month}月{on.day}日）")
        self._show_reminders()

    def _show_reminders(self) -> None:
        if self.reminder_list is not None:
            self.reminder_model.set_rows(self.reminder_list.who_has_not(self.who.currentData()))
            self.reminders.resizeColumnsToContents()

    def print_reminders(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "保存提醒名单", "三个一提醒名单.pdf",
                                              "PDF 文件 (*.pdf)")
        if not path:
            return
        service = PrintService(self.context.db, self.context.actor)
        village = self._scope()["village_id"]
        scope = service.unit_scope(ScopeKind.VILLAGE if village else ScopeKind.ALL, village)
        # Kept until the next print or the window closes, then removed with what it holds.
        self.print_folder = tempfile.TemporaryDirectory(prefix="cunzhi-reminders-")
        folder = Path(self.print_folder.name)

        def work(_progress):  # type: ignore[no-untyped-def]
            from reports.printing import print_document

            return print_document(service, "worklog-reminders", scope, folder / "提醒名单.pdf")

        run_task(work, lambda result: self._printed(result.path, Path(path)), self._failed,
                 parent=self, title="正在生成提醒名单…")

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, DomainError):
            raise error
        show_refusal(self, error, "无法打印")

    def _printed(self, made: Path, target: Path) -> None:
        save_copy(made, target)
        QMessageBox.information(self, "提醒名单", f"已保存到：\n{target}")


class MattersTab(QWidget):
    def __init__(self, context: AppContext, page: WorkLogPage):
        super().__init__()
        self.context, self.page = context, page
        self.service: MatterService = context.service(MatterService)
        layout = QVBoxLayout(self)
        line = QHBoxLayout()
        self.title = section_title("")
        line.addWidget(self.title)
        line.addStretch(1)
        self.add_button = QPushButton("登记事项…")
        self.add_button.clicked.connect(self.add)
        self.status = QComboBox()
        for status in MatterStatus:
            self.status.addItem(status.label, status.value)
        self.status_button = QPushButton("更改办理状态")
        self.status_button.clicked.connect(self.change_status)
        for widget in (self.add_button, QLabel("选中事项改为"), self.status, self.status_button):
            line.addWidget(widget)
        layout.addLayout(line)
        self.model = RowTableModel(MATTER_COLUMNS, self)
        self.table = row_table_view(self.model)
        layout.addWidget(self.table, 2)
        layout.addWidget(section_title("各村本月事项数（按管理员身份）"))
        self.count_model = RowTableModel(COUNT_COLUMNS, self)
        self.counts = row_table_view(self.count_model)
        layout.addWidget(self.counts, 1)

    def reload(self) -> None:
        village, month = self.page.village_id(), self.page.chosen_month()
        may = self.context.actor.may(Permission.EDIT_WORKLOG, village)
        for widget in (self.add_button, self.status_button):
            widget.setEnabled(may)
        rows = self.service.matters(village, month)
        self.model.set_rows(rows)
        self.title.setText(f"{month.label}七个管理员事项（{len(rows)} 件）")
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.count_model.set_rows(self.service.role_counts(month))
        self.counts.resizeColumnsToContents()

    def add(self) -> None:
        heads = [(h.head_id, f"{h.name}（{h.role}，{h.unit}）") for h in
                 self.context.service(PointsService).heads_of_village(self.page.village_id())]
        month = self.page.chosen_month()
        dialog = MatterDialog(self.context, heads, min(clock.today(), month.last), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload()

    def change_status(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            QMessageBox.information(self, "更改办理状态", "请先选中一件矛盾纠纷或安全隐患事项。")
            return
        try:
            self.service.set_status(self.model.row(index).id, MatterStatus(self.status.currentData()))
        except DomainError as error:
            show_refusal(self, error)
            return
        self.reload()
