"""综合测评: per head, the opinion survey's and the questionnaire's 满意/基本满意/不满意 counts and
the villagers' meeting's votes, entered in a grid; the grade previewed from them, the year's
score and the rectification record by the stated weights (shown above the grid); 确认 freezes
the grades, proposes the 优秀 for honours and flags the 不称职, who are replaced through the
organisation's appointment with the assessment as the reason."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.core.access import Permission
from models.core.errors import DomainError
from models.org.directory import Level
from models.org.tables import HeadRole
from models.people.assessment import AssessmentService, GradeRow, Sheet
from models.people.grading import COMPONENTS, half_up
from models.people.tables import Grade
from ui.context import AppContext
from ui.dialogs.heads import AppointDialog
from ui.flow import FlowLayout
from ui.pages.people.common import Header, hint
from ui.widgets import show_refusal

TITLE = "综合测评"
COUNTS = ("调研\n满意", "调研\n基本\n满意", "调研\n不满意", "问卷\n满意", "问卷\n基本\n满意",
          "问卷\n不满意", "大会\n赞成", "大会\n反对", "大会\n弃权")
FIXED = 2  # name, role and unit come before the counts
UNFIT = QColor("#C8161D")


class AssessmentPage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.setObjectName("page")
        self.context = context
        self.service: AssessmentService = context.service(AssessmentService)
        self.sheet: Sheet | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        self.header = Header(context, "综合测评：民意调研、问卷调查、群众大会", self.reload)
        layout.addWidget(self.header)
        self.method = hint()
        layout.addWidget(self.method)
        self.status = hint()
        layout.addWidget(self.status)
        self.grid = QTableWidget()
        self.grid.setAlternatingRowColors(True)
        self.grid.verticalHeader().setVisible(False)
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.grid.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.grid, 1)
        bar = FlowLayout()  # wraps with 大字 on a small screen
        self.save_button = QPushButton("保存测评结果")
        self.save_button.clicked.connect(self.save)
        self.confirm_button = QPushButton("确认测评结果…")
        self.confirm_button.clicked.connect(self.confirm)
        self.replace_button = QPushButton("按测评结果撤换…")
        self.replace_button.clicked.connect(self.replace)
        for button in (self.save_button, self.confirm_button, self.replace_button):
            bar.addWidget(button)
        layout.addLayout(bar)
        context.changed.connect(lambda topic: self.reload() if topic in
                                ("people", "points", "org", "problems") else None)
        self.reload()

    # ---- showing ----------------------------------------------------------------------------------
    def reload(self) -> None:
        village, year = self.header.village_id, self.header.year.value()
        if village is None:
            return
        try:
            self.sheet = self.service.sheet(village, year)
        except DomainError as error:
            show_refusal(self, error, "无法显示")
            return
        sheet = self.sheet
        self.method.setText("测评办法（系统设置，确认后随结果保存）：\n" + "\n".join(sheet.method.lines()))
        may = self.context.actor.may(Permission.PEOPLE, village)
        confirmed = sheet.confirmed is not None
        self.save_button.setEnabled(may and not confirmed)
        self.confirm_button.setEnabled(may and not confirmed and bool(sheet.rows))
        if confirmed:
            c = sheet.confirmed
            counts = "、".join(f"{g.value}{sum(r.grade is g for r in c.grades)}人" for g in Grade)
            self.status.setText(f"{sheet.village}{year}年度综合测评已于{c.confirmed_on:%Y年%m月%d日}"
                                f"由{c.confirmed_by}确认：{counts}。结果不能再修改；不称职的负责人"
                                "可选中后“按测评结果撤换”。")
            self._show_grades(c.grades)
        else:
            done = sum(r.complete for r in sheet.rows)
            self.status.setText(f"尚未确认：{len(sheet.rows)}名负责人中已录全{done}名。录全后“确认测评结果”，"
                                "确认后优秀者自动推荐评先树优，不称职者标记为待撤换。")
            self._show_entry()
        self._selection_changed()

    def _columns(self) -> list[str]:
        used = [k for k in self.sheet.method.counted() if k not in ("survey", "questionnaire", "meeting")]
        return ["姓名", "职务（区域）", *COUNTS, *(COMPONENTS[k] for k in used), "综合得分", "等次"]

    def _prepare(self, rows: int, extra: tuple[str, ...] = ()) -> None:
        headers = [*self._columns(), *extra]
        self.grid.clear()
        self.grid.setColumnCount(len(headers))
        self.grid.setRowCount(rows)
        self.grid.setHorizontalHeaderLabels(headers)
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        for col in range(FIXED):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        for col in range(FIXED, len(headers)):  # numbers: narrow, the headers break in two
            self.grid.setColumnWidth(col, 46 if col < FIXED + len(COUNTS) else 66)
        header.setStretchLastSection(True)

    def _fixed(self, row: int, col: int, text: object, colour: QColor | None = None) -> None:
        item = QTableWidgetItem("" if text is None else str(text))
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        if colour is not None:
            item.setForeground(colour)
        self.grid.setItem(row, col, item)

    def _derived(self, row: int, scores: dict, total: object, grade: Grade | None,
                 year_score: int) -> None:
        col = FIXED + len(COUNTS)
        for key in self.sheet.method.counted():
            if key in ("survey", "questionnaire", "meeting"):
                continue
            value = year_score if key == "score" else \
                (f"{half_up(scores[key]):.2f}" if key in scores else "")
            self._fixed(row, col, value)
            col += 1
        self._fixed(row, col, "" if total is None else f"{total:.2f}")
        self._fixed(row, col + 1, grade.value if grade else "未录全",
                    UNFIT if grade is Grade.UNFIT else None)

    def _show_entry(self) -> None:
        self._prepare(len(self.sheet.rows))
        editable = self.save_button.isEnabled()
        for r, row in enumerate(self.sheet.rows):
            self._fixed(r, 0, row.head.name)
            self._fixed(r, 1, f"{row.head.role_label}（{row.head.unit}）")
            for c, value in enumerate(row.counts):
                item = QTableWidgetItem("" if value is None else str(value))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if not editable:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.grid.setItem(r, FIXED + c, item)
            self._derived(r, row.scores, row.total, row.grade, row.year_score)

    def _show_grades(self, grades: list[GradeRow]) -> None:
        self._prepare(len(grades), ("处理",))
        last = self.grid.columnCount() - 1
        for r, g in enumerate(grades):
            self._fixed(r, 0, g.name)
            self._fixed(r, 1, f"{g.role}（{g.unit}）")
            for c, value in enumerate(g.counts):
                self._fixed(r, FIXED + c, value)
            self._derived(r, g.scores, g.total, g.grade, g.year_score)
            action = g.replaced or ("待撤换" if g.awaiting_replacement else
                                    "已推荐评先" if g.grade is Grade.EXCELLENT else "")
            self._fixed(r, last, action, UNFIT if g.awaiting_replacement else None)

    def _selected_grade(self) -> GradeRow | None:
        if self.sheet is None or self.sheet.confirmed is None:
            return None
        rows = self.grid.selectionModel().selectedRows() if self.grid.selectionModel() else []
        return self.sheet.confirmed.grades[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        grade = self._selected_grade()
        village = self.header.village_id
        self.replace_button.setEnabled(bool(grade and grade.awaiting_replacement) and
                                       self.context.actor.may(Permission.EDIT_ORGANISATION, village))

    # ---- actions ----------------------------------------------------------------------------------
    def save(self) -> None:
        rows = []
        for r, row in enumerate(self.sheet.rows):
            values = [self.grid.item(r, FIXED + c).text() if self.grid.item(r, FIXED + c) else ""
                      for c in range(len(COUNTS))]
            if any(v.strip() for v in values) or any(c is not None for c in row.counts):
                rows.append((row.head.head_id, values))  # a row emptied is saved empty
        try:
            changed = self.service.enter_results(self.header.village_id, self.header.year.value(), rows)
        except DomainError as error:
            show_refusal(self, error, "未能保存")
            return
        self.context.changed.emit("people")
        QMessageBox.information(self, TITLE, f"已保存，{changed}名负责人的测评结果有变动。")

    def confirm(self) -> None:
        year = self.header.year.value()
        question = (f"确认{self.header.village_name}{year}年度综合测评结果？确认后结果不能再修改，"
                    "优秀者将推荐评先树优，不称职者标记为待撤换。")
        if QMessageBox.question(self, TITLE, question) != QMessageBox.StandardButton.Yes:
            return
        try:
            outcome = self.service.confirm(self.header.village_id, year)
        except DomainError as error:
            show_refusal(self, error, "未能确认")
            return
        self.context.changed.emit("people")
        counts = "、".join(f"{g.value}{n}人" for g, n in outcome.by_grade.items())
        lines = [f"已确认：{counts}。", f"推荐评先树优：{'、'.join(outcome.proposed) or '无'}。"]
        lines += [f"未推荐：{why}" for why in outcome.not_proposed]
        if outcome.unfit:
            lines.append(f"待撤换（不称职）：{'、'.join(outcome.unfit)}。")
        QMessageBox.information(self, TITLE, "\n".join(lines))

    def replace(self) -> None:
        grade = self._selected_grade()
        if grade is None or not grade.awaiting_replacement:
            return
        head = grade.serving
        level = Level.ZONE if head.role is HeadRole.ZONE else Level.ALLEY
        reason = (f"{self.sheet.year}年度综合测评不称职（综合得分{grade.total:.2f}），依测评结果撤换")

        def replace(resident_id, day, method, proposer):  # type: ignore[no-untyped-def]
            return self.service.replace_unfit(grade.id, resident_id, chosen_on=day,
                                              chosen_method=method, proposer=proposer)

        dialog = AppointDialog(self.context, level, head.unit_id, head.unit, head.village_id, self,
                               replace=replace, reason=reason)
        if dialog.exec():
            self.context.changed.emit("org")
            self.context.changed.emit("people")
