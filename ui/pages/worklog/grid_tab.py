"""月度登记: the village's month grid, its import from Excel and a head's patrol history."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models.core.errors import DomainError
from models.worklog.importing import LogImportService
from models.worklog.log import SOURCE_LABELS, WorkLogService
from ui.context import AppContext
from ui.dialogs.roster import ProblemsDialog
from ui.pages.worklog.dialogs import FindingDialog, SummaryDialog, VisitDialog
from ui.pages.worklog.grid import LogGridView
from ui.tasks import Cancelled, run_task
from ui.widgets import Column, RowTableModel, row_table_view, show_refusal
from ui.empty_hint import EmptyHint

if TYPE_CHECKING:
    from ui.pages.worklog.page import WorkLogPage

XLSX = "Excel 工作簿 (*.xlsx)"
HINT = ("方向键移动；空格或回车：打勾（巡查）或打开（周汇总、走访）；Delete：取消打勾；"
        "F2：登记巡查发现的问题。每格随打随存。")
HISTORY_COLUMNS = (
    Column("时间", lambda r: r.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")),
    Column("登记人", lambda r: r.user_name),
    Column("方式", lambda r: SOURCE_LABELS[r.source]),
    Column("内容", lambda r: r.text, tooltip=True),
)


class GridTab(QWidget):
    def __init__(self, context: AppContext, page: WorkLogPage):
        super().__init__()
        self.context, self.page = context, page
        self.service: WorkLogService = context.service(WorkLogService)
        layout = QVBoxLayout(self)
        self.hint = QLabel(HINT)
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.view = LogGridView()
        EmptyHint(self.view, "这个村还没有胡同长。请先在“组织架构”里建好胡同、推选胡同长，"
                  "再在这里登记每天的巡查、每周的总结和走访。")
        self.view.tick = self._tick
        self.view.open_week = self._open_week
        self.view.open_visits = self._open_visits
        self.view.open_finding = self._open_finding
        self.view.refused.connect(self._refused)
        layout.addWidget(self.view, 1)
        self.status = QLabel()
        self.status.setObjectName("error")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        for text, slot in (("修改记录…", self.show_history), ("下载导入模板…", self.save_template),
                           ("从 Excel 导入…", self.import_file)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def reload(self) -> None:
        grid = self.service.grid(self.page.village_id(), self.page.chosen_month())
        self.view.load(grid)
        self.status.clear()

    # ---- the cells ---------------------------------------------------------------------------
    def _tick(self, row: int, day: int, done: bool) -> int:
        model = self.view.grid_model
        mask = self.service.set_patrol(model.head(row).head_id, model.grid.month.day(day), done)
        self.status.clear()
        return mask

    def _refused(self, message: str) -> None:
        self.status.setText(message)

    def _open_week(self, row: int, week: int) -> None:
        model = self.view.grid_model
        dialog = SummaryDialog(self.context, model.head(row), model.grid.weeks[week], self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            model.set_summary(row, week, dialog.present)

    def _open_visits(self, row: int) -> None:
        model = self.view.grid_model
        dialog = VisitDialog(self.context, model.head(row), model.grid.month, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            model.set_visited(row, dialog.visited)

    def _open_finding(self, row: int, day: int) -> None:
        model = self.view.grid_model
        dialog = FindingDialog(self.context, model.head(row), model.grid.month.day(day), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload()

    # ---- history and Excel ------------------------------------------------------------------
    def show_history(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid():
            QMessageBox.information(self, "修改记录", "请先在表格中选中一位胡同长。")
            return
        head = self.view.grid_model.head(index.row())
        rows = self.service.patrol_history(head.head_id, self.page.chosen_month())
        dialog = QDialog(self)
        dialog.setWindowTitle(f"巡查记录的修改历史 — {head.name}（{self.page.chosen_month().label}）")
        dialog.resize(720, 380)
        layout = QVBoxLayout(dialog)
        model = RowTableModel(HISTORY_COLUMNS, dialog)
        model.set_rows(rows)
        view = row_table_view(model)
        view.horizontalHeader().setStretchLastSection(True)
        view.setColumnWidth(0, 150)
        layout.addWidget(QLabel("本月每一次登记和取消，谁在何时操作，都记录在这里（只能追加，不能修改）。"
                                if rows else "本月还没有登记巡查。"))
        layout.addWidget(view, 1)
        close = QPushButton("关闭")
        close.clicked.connect(dialog.accept)
        layout.addWidget(close)
        dialog.exec()

    def save_template(self) -> None:
        month = self.page.chosen_month()
        path, _ = QFileDialog.getSaveFileName(self, "保存导入模板",
                                              f"三个一巡查登记模板-{month.text}.xlsx", XLSX)
        if not path:
            return
        from reports.worklog.log_xlsx import write_template

        service = self.context.service(LogImportService)
        write_template(Path(path), service.template(self.page.village_id(), month))
        QMessageBox.information(self, "导入模板", f"模板已保存到：\n{path}")

    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择要导入的巡查登记表", "", XLSX)
        if not path:
            return
        service = self.context.service(LogImportService)
        run_task(lambda progress: service.import_file(Path(path), progress=progress),
                 lambda result: self._imported(Path(path).name, result), self._failed,
                 parent=self, title="正在检查并导入巡查登记表…")

    def _imported(self, file_name: str, result) -> None:  # type: ignore[no-untyped-def]
        if not result.ok:
            ProblemsDialog(file_name, result.problems, self).exec()
            return
        self.context.changed.emit("worklog")
        QMessageBox.information(self, "导入完成", result.message)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, Cancelled):
            QMessageBox.information(self, "已取消", "已取消，没有保存任何内容。")
        elif isinstance(error, DomainError):
            show_refusal(self, error, "无法导入")
        else:
            raise error
