"""打印中心: choose a document and a scope, preview it inside the program, print it or save it.

The PDF is made in the background (ui/tasks.py, with progress and 取消) by PrintService into a
temporary folder; 打印 draws the previewed pages onto the printer, 另存为 copies the same file
(both in ui/pdf_output.py)."""

from __future__ import annotations

import os
import tempfile
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from models.core import clock
from models.core.access import VILLAGE_SCOPED
from models.core.errors import DomainError
from models.org.directory import DirectoryService, Level
from models.points.service import PointsService
from models.printing.scope import ScopeKind
from models.printing.service import KINDS, PROBLEM_KINDS, YEARLY, PrintResult, PrintService
from models.problems.service import ProblemFilter, ProblemsService
from models.worklog.calendar import Month
from reports.printing import missing_text, print_document
from ui.context import AppContext
from ui.pdf_output import ask_and_print, save_copy
from ui.tasks import Cancelled, run_task
from ui.widgets import page_title, section_title, show_refusal

TITLE = "打印中心"
LEVELS = ((ScopeKind.VILLAGE, Level.ADMIN_VILLAGE), (ScopeKind.NATURAL, Level.NATURAL_VILLAGE),
          (ScopeKind.ZONE, Level.ZONE), (ScopeKind.ALLEY, Level.ALLEY))
LEVEL_KINDS = [kind for kind, _ in LEVELS]
PAPER_LABELS = {"A4": "A4", "A5": "A5", "roll80": "80 毫米小票"}


class PrintCentrePage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.setObjectName("page")
        self.context = context
        # A village secretary or clerk prints only his own village: no 全镇, no other villages.
        actor = context.actor
        self.own_village = actor.village_id if actor.role in VILLAGE_SCOPED else None
        self.wanted_scope = ScopeKind.VILLAGE if self.own_village is not None else None
        self.folder = tempfile.TemporaryDirectory(prefix="cunzhi-print-")
        self.preview_file: Path | None = None
        self.result: PrintResult | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addLayout(self._controls(), 2)
        self.document = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.pane = QStackedWidget()
        empty = QLabel("预览显示在这里。\n\n先在左侧选择要打印的文档和范围，再点“生成预览”。")
        empty.setObjectName("hint")
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty.setWordWrap(True)
        self.pane.addWidget(empty)
        self.pane.addWidget(self.view)
        layout.addWidget(self.pane, 5)
        self._kind_changed()

    def service(self) -> PrintService:
        return PrintService(self.context.db, self.context.actor)

    # ---- controls ----------------------------------------------------------------------------
    def _controls(self) -> QVBoxLayout:
        column = QVBoxLayout()
        column.addWidget(page_title(TITLE))
        form = QFormLayout()
        self.kind = QComboBox()
        for kind in KINDS.values():
            self.kind.addItem(kind.label, kind.key)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        form.addRow("打印文档", self.kind)
        self.scope_kind = QComboBox()
        self.scope_kind.currentIndexChanged.connect(self._scope_picked)
        form.addRow("打印范围", self.scope_kind)
        self.units: list[QComboBox] = []
        for index, (kind, _) in enumerate(LEVELS):
            box = QComboBox()
            box.currentIndexChanged.connect(lambda _=0, i=index: self._fill_level(i + 1))
            if index == 0:
                box.currentIndexChanged.connect(lambda _=0: self._village_changed())
            self.units.append(box)
            form.addRow(kind.label, box)
        self.head_search = QLineEdit()
        self.head_search.setPlaceholderText("姓名、拼音首字母或电话号码")
        self.head_search.textChanged.connect(self._find_heads)
        self.heads = QComboBox()
        form.addRow("查找负责人", self.head_search)
        form.addRow("负责人", self.heads)
        self.receipts = QComboBox()
        form.addRow("兑换凭证", self.receipts)
        self.problems = QComboBox()
        form.addRow("整改问题", self.problems)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setSuffix(" 年度")
        self.year.valueChanged.connect(lambda _year: self._fill_problems())
        form.addRow("年度", self.year)
        self.month = QComboBox()
        for month in _months(clock.today()):
            self.month.addItem(month.label, month.key)
        self.month.setCurrentIndex(1)  # this month
        form.addRow("月份", self.month)
        self.ledger_month = QComboBox()
        self.ledger_month.addItem("全年", None)
        for month in range(1, 13):
            self.ledger_month.addItem(f"{month}月", month)
        form.addRow("台账月份", self.ledger_month)
        self.paper = QComboBox()
        form.addRow("纸张", self.paper)
        column.addLayout(form)
        self.status = QLabel("选择文档和范围后，点“生成预览”。")
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        self.missing = QLabel()  # characters no font can draw, listed before printing
        self.missing.setObjectName("error")
        self.missing.setWordWrap(True)
        self.missing.setVisible(False)
        column.addWidget(section_title("预览"))
        column.addWidget(self.status)
        column.addWidget(self.missing)
        buttons = QHBoxLayout()
        self.make_button = QPushButton("生成预览")
        self.make_button.clicked.connect(self.make_preview)
        self.print_button = QPushButton("打印…")
        self.print_button.clicked.connect(self.print_preview)
        self.save_button = QPushButton("另存为 PDF…")
        self.save_button.clicked.connect(self.save_preview)
        for button in (self.make_button, self.print_button, self.save_button):
            buttons.addWidget(button)
        column.addLayout(buttons)
        column.addStretch(1)
        self._fill_level(0)
        return column

    def _kind_changed(self) -> None:
        spec = KINDS[self.kind.currentData()]
        self.scope_kind.blockSignals(True)
        self.scope_kind.clear()
        for kind in spec.scopes:
            if kind is ScopeKind.HOUSEHOLD:  # a single household is printed by the CLI
                continue
            if kind is ScopeKind.ALL and self.own_village is not None:
                continue
            self.scope_kind.addItem(kind.label, kind)
        # Keep the scope the user chose when only the document changes.
        keep = self.scope_kind.findData(self.wanted_scope) if self.wanted_scope else -1
        self.scope_kind.setCurrentIndex(max(keep, 0))
        self.scope_kind.blockSignals(False)
        self.paper.clear()
        for paper in spec.papers:
            self.paper.addItem(PAPER_LABELS[paper], paper)
        self.year.setEnabled(spec.key in YEARLY or spec.key in PROBLEM_KINDS)
        self.year.setValue(self.service().default_year(spec.key))
        self.month.setEnabled(spec.key == "worklog-sheets")
        self.ledger_month.setEnabled(spec.key == "problem-ledger")
        self.receipts.setEnabled(spec.key == "receipt")
        self.problems.setEnabled(spec.key in PROBLEM_KINDS)
        if spec.key == "receipt":
            self._fill_receipts()
        self._fill_problems()
        self._scope_kind_changed()
        self._clear_preview()

    def _scope_kind(self) -> ScopeKind | None:
        data = self.scope_kind.currentData()  # Qt hands a StrEnum back as a plain str
        return None if data is None else ScopeKind(data)

    def _scope_picked(self) -> None:
        self.wanted_scope = self._scope_kind()
        self._scope_kind_changed()

    def _scope_kind_changed(self) -> None:
        kind = self._scope_kind()
        receipt = KINDS[self.kind.currentData()].key in ("receipt", *PROBLEM_KINDS)
        depth = LEVEL_KINDS.index(kind) if kind in LEVEL_KINDS else (0 if receipt else -1)
        for index, box in enumerate(self.units):
            box.setEnabled(index <= depth)
        self.head_search.setEnabled(kind is ScopeKind.HEAD)
        self.heads.setEnabled(kind is ScopeKind.HEAD)

    def _fill_level(self, index: int) -> None:
        """Fill picker `index` with the children of the unit picked above it."""
        if index >= len(self.units):
            return
        parent = self.units[index - 1].currentData() if index else self._township()
        box = self.units[index]
        box.blockSignals(True)
        box.clear()
        if parent is not None:
            for unit in self.context.service(DirectoryService).children(LEVELS[index][1] - 1,
                                                                        parent):
                if index == 0 and self.own_village not in (None, unit.id):
                    continue
                box.addItem(unit.name, unit.id)
        box.blockSignals(False)
        if index == 0:
            self._village_changed()
        self._fill_level(index + 1)

    def _village_changed(self) -> None:
        """A receipt's or a problem's list follows the village picked."""
        if KINDS[self.kind.currentData()].key == "receipt":
            self._fill_receipts()
        self._fill_problems()

    def _township(self) -> int | None:
        townships = self.context.service(DirectoryService).children(Level.TOWNSHIP, None)
        return townships[0].id if townships else None

    def _find_heads(self, text: str) -> None:
        self.heads.clear()
        if text.strip():
            for hit in self.context.service(PointsService).find_heads(text):
                self.heads.addItem(f"{hit.name}（{hit.village}{hit.unit}{hit.role}）", hit.head_id)

    def _fill_receipts(self) -> None:
        self.receipts.clear()
        village = self.units[0].currentData()
        if village is None:
            return
        end = clock.today()
        for row in self.service().redemptions(village, end - timedelta(days=365), end):
            state = "（已撤销）" if row.cancelled else ""
            self.receipts.addItem(f"{row.number} {row.head_name}{state}", row.number)

    def _fill_problems(self) -> None:
        """The village's problems of the year that the chosen document can be printed for."""
        self.problems.clear()
        key = KINDS[self.kind.currentData()].key
        village = self.units[0].currentData()
        if key not in PROBLEM_KINDS or village is None:
            return
        criteria = ProblemFilter(village_id=village, year=self.year.value(),
                                 escalated_only=key == "supervision-slip")
        for row in self.context.service(ProblemsService).problems(criteria):
            if row.deadline is not None:
                self.problems.addItem(f"{row.number} {row.description[:14]}（{row.responsible}）",
                                      row.id)

    # ---- the job -------------------------------------------------------------------------------
    def _scope(self):  # type: ignore[no-untyped-def]
        kind = self._scope_kind()
        service = self.service()
        if kind is None or kind is ScopeKind.ALL:
            return service.unit_scope(ScopeKind.ALL, None)
        if kind is ScopeKind.HEAD:
            if self.heads.currentData() is None:
                raise _Missing("请先查找并选择一位负责人。")
            return service.unit_scope(kind, self.heads.currentData())
        box = self.units[LEVEL_KINDS.index(kind)]
        if box.currentData() is None:
            raise _Missing(f"请先选择{kind.label}。")
        return service.unit_scope(kind, box.currentData())

    def make_preview(self) -> None:
        key = self.kind.currentData()
        try:
            # A receipt's number is unique within its village: the village goes with it.
            scope = self.service().unit_scope(ScopeKind.VILLAGE, self.units[0].currentData()) \
                if key in ("receipt", *PROBLEM_KINDS) else self._scope()
            number = self.receipts.currentData() or "" if key == "receipt" else ""
            if key == "receipt" and not number:
                raise _Missing("请先选择一张兑换凭证。")
            if key in PROBLEM_KINDS:
                if self.problems.currentData() is None:
                    raise _Missing("请先选择一个整改问题。")
                number = str(self.problems.currentData())
            criteria = ProblemFilter(village_id=scope.village_id, year=self.year.value(),
                                     month=self.ledger_month.currentData()) \
                if key == "problem-ledger" else None
        except _Missing as missing:
            QMessageBox.information(self, TITLE, str(missing))
            return
        except DomainError as error:
            show_refusal(self, error, "无法打印")
            return
        target = Path(self.folder.name) / f"{key}-{os.urandom(4).hex()}.pdf"
        service, year, paper = self.service(), self.year.value(), self.paper.currentData()
        month = Month.from_key(self.month.currentData())

        def work(progress):  # type: ignore[no-untyped-def]
            def report(done, total):
                return progress.report(done, total, f"正在生成第 {done} / {total} 页…")
            # The preview is made even when a character is in no font: it is listed below.
            return print_document(service, key, scope, target, year=year, paper=paper,
                                  number=number, progress=report, month=month,
                                  allow_missing=True, problem_filter=criteria)

        self.make_button.setEnabled(False)
        self.status.setText("正在生成……")
        run_task(work, self._show, self._failed, parent=self, title=f"正在生成{KINDS[key].label}……")

    def _show(self, result: PrintResult) -> None:
        self.make_button.setEnabled(True)
        self.result, self.preview_file = result, result.path
        self.document.load(str(result.path))
        self.pane.setCurrentWidget(self.view)
        self.status.setText(f"{result.kind}：{result.scope}，共 {result.pages} 页。")
        self.missing.setText(missing_warning(result))
        self.missing.setVisible(bool(result.missing))
        self.print_button.setEnabled(True)
        self.save_button.setEnabled(True)

    def _failed(self, error: BaseException) -> None:
        self.make_button.setEnabled(True)
        if isinstance(error, Cancelled):
            self.status.setText("已取消，没有生成文件。")
        elif isinstance(error, DomainError):
            self.status.setText(str(error))
            show_refusal(self, error, "无法打印")
        else:
            raise error

    def _clear_preview(self) -> None:
        self.document.close()
        self.pane.setCurrentIndex(0)
        self.preview_file = self.result = None
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)
        self.missing.setVisible(False)
        self.status.setText("选择文档和范围后，点“生成预览”。")

    def save_preview(self) -> None:
        if self.preview_file is None or self.result is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, "另存为 PDF",
                                              f"{self.result.kind}-{self.result.scope}.pdf".replace("/", "-"),
                                              "PDF 文件 (*.pdf)")
        if name:
            save_copy(self.preview_file, Path(name))
            self.status.setText(f"已保存：{name}")

    def print_preview(self) -> None:
        if self.preview_file is None:
            return
        if self.result is not None and self.result.missing and QMessageBox.question(
                self, TITLE, f"{missing_warning(self.result)}\n\n仍要打印吗？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return
        printer = ask_and_print(self.document, self)
        if printer is not None:
            self.status.setText(f"已发送到打印机：{printer}")


def _months(today: date) -> list[Month]:
    """Next month first (blank sheets are printed ahead), then this month and the last year."""
    month, months = Month.of(today).next(), []
    for _ in range(14):
        months.append(month)
        month = month.previous()
    return months


def missing_warning(result: PrintResult) -> str:
    """The preview's list of characters no font can draw, where they are, what to install."""
    return f"注意：{missing_text(result.missing, result.missing_in)}" if result.missing else ""


class _Missing(Exception):
    """A picker left empty: a hint, not a refusal."""
