"""Rosters through Excel from the organisation page: the template, export of the selected unit,
import with a progress dialog, and the problem report (row, column, reason) that can be saved."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models.core.errors import DomainError
from models.org.directory import Level
from models.org.roster import ImportResult, RosterService, template_choices
from models.org.roster_sheet import Problem
from reports.org.roster_xlsx import write_problems, write_roster, write_template
from ui.context import AppContext
from ui.dialogs.heads import table
from ui.tasks import Cancelled, run_task
from ui.widgets import Column, RowTableModel, show_refusal

PROBLEM_COLUMNS = (
    Column("行号", lambda p: p.row),
    Column("列", lambda p: p.column),
    Column("原因", lambda p: p.reason),
)
XLSX = "Excel 工作簿 (*.xlsx)"


class ProblemsDialog(QDialog):
    """The import was refused: every problem with its row and column; 另存为 xlsx."""

    def __init__(self, file_name: str, problems: list[Problem], parent: QWidget | None = None):
        super().__init__(parent)
        self.problems = problems
        self.setWindowTitle("导入未完成")
        self.resize(820, 480)
        layout = QVBoxLayout(self)
        summary = QLabel(f"文件“{file_name}”中有 {len(problems)} 处问题，整份文件都没有导入"
                         "（数据库没有任何改动）。请按下表修改后重新导入。")
        summary.setObjectName("error")
        summary.setWordWrap(True)
        layout.addWidget(summary)
        self.model = RowTableModel(PROBLEM_COLUMNS, self)
        self.model.set_rows(problems)
        view = table(self.model, 2)
        view.setColumnWidth(0, 60)
        view.setColumnWidth(1, 110)
        view.setWordWrap(True)
        # Long reasons wrap instead of being cut off, at whatever width the dialog gets.
        view.horizontalHeader().sectionResized.connect(lambda *_: view.resizeRowsToContents())
        layout.addWidget(view, 1)
        box = QDialogButtonBox()
        save = QPushButton("问题清单另存为 Excel…")
        save.clicked.connect(self.save)
        box.addButton(save, QDialogButtonBox.ButtonRole.ActionRole)
        close = box.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        layout.addWidget(box)

    def save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "保存问题清单", "导入问题清单.xlsx", XLSX)
        if path:
            write_problems(Path(path), self.problems)


class RosterActions:
    """The page's Excel buttons; `unit()` gives the selected (level, id, name) or None."""

    def __init__(self, context: AppContext, parent: QWidget):
        self.context, self.parent = context, parent

    def save_template(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.parent, "保存导入模板", "农户名单导入模板.xlsx", XLSX)
        if path:
            write_template(Path(path), template_choices(self.context.service(RosterService)))
            QMessageBox.information(self.parent, "导入模板", f"模板已保存到：\n{path}")

    def export(self, level: Level | None, unit_id: int | None, name: str) -> None:
        path, _ = QFileDialog.getSaveFileName(self.parent, "导出农户名单", f"{name}农户名单.xlsx", XLSX)
        if not path:
            return
        service = self.context.service(RosterService)

        def work(progress):  # type: ignore[no-untyped-def]
            rows = service.export_rows(level, unit_id)
            return write_roster(Path(path), rows, progress.report)

        run_task(work, lambda n: QMessageBox.information(
                     self.parent, "导出完成", f"已导出 {n} 位居民到：\n{path}"),
                 self._failed, parent=self.parent, title="正在导出农户名单…")

    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.parent, "选择要导入的农户名单", "", XLSX)
        if not path:
            return
        service = self.context.service(RosterService)
        run_task(lambda progress: service.import_file(Path(path), progress=progress),
                 lambda result: self._imported(Path(path).name, result), self._failed,
                 parent=self.parent, title="正在检查并导入名单…")

    def _imported(self, file_name: str, result: ImportResult) -> None:
        if not result.ok:
            ProblemsDialog(file_name, result.problems, self.parent).exec()
            return
        self.context.changed.emit("org")
        QMessageBox.information(self.parent, "导入完成",
                                f"已导入 {result.households} 户、{result.residents} 人、"
                                f"{result.heads} 位负责人。"
                                + "".join(f"\n\n注意：{w}" for w in result.warnings))

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, Cancelled):
            QMessageBox.information(self.parent, "已取消", "已取消，没有保存任何内容。")
        elif isinstance(error, DomainError):
            show_refusal(self.parent, error, "无法导入或导出")
        else:
            raise error
