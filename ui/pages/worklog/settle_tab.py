"""月末积分结算: the month's proposal for every alley head of the village — what the log is worth
under the rules catalogue, what is already in the passbooks, the difference — with a box to
leave a head out (with a reason), and the secretary's 确认入账."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.core.access import Permission
from models.core.errors import DomainError
from models.worklog.proposal import RULE_CODES
from models.worklog.settlement import HeadSettlement, SettlementPreview, SettlementService
from ui.context import AppContext
from ui.widgets import section_title, show_refusal

if TYPE_CHECKING:
    from ui.pages.worklog.page import WorkLogPage

HEADERS = ("胡同", "胡同长", "巡查", "未巡查", "汇总", "未汇总", "走访", "本月应计", "已入账",
           "差额", "状态", "本次不结算", "不结算原因")
EXCLUDE, REASON = 11, 12
STATE_COLOURS = {"待结算": "#1f6fb2", "有更正": "#b3261e", "已结算": "#2e7d32", "无需结算": "#616e7c"}


def _signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)


def _cells(head: HeadSettlement) -> list[str]:
    award, deduction = (head.times(code) for code in RULE_CODES[4:6])
    summaries, missed = (head.times(code) for code in RULE_CODES[2:4])
    visit = "完成" if head.times(RULE_CODES[0]) else "未完成" if head.times(RULE_CODES[1]) else "—"
    return [f"{head.head.natural_village}·{head.head.unit}", head.head.name, f"{award}天",
            f"{deduction}天", f"{summaries}周", f"{missed}周", visit,
            _signed(head.proposed_total), _signed(head.posted_total),
            _signed(head.difference) if head.changed else "", head.state]


class SettlementTab(QWidget):
    def __init__(self, context: AppContext, page: WorkLogPage):
        super().__init__()
        self.context, self.page = context, page
        self.service: SettlementService = context.service(SettlementService)
        self.preview: SettlementPreview | None = None
        layout = QVBoxLayout(self)
        self.title = section_title("")
        layout.addWidget(self.title)
        self.explain = QLabel()
        self.explain.setObjectName("hint")
        self.explain.setWordWrap(True)
        layout.addWidget(self.explain)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(REASON, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        line = QHBoxLayout()
        self.totals = QLabel()
        line.addWidget(self.totals)
        line.addStretch(1)
        self.confirm_button = QPushButton("确认入账")
        self.confirm_button.clicked.connect(self.confirm)
        line.addWidget(self.confirm_button)
        layout.addLayout(line)

    def reload(self) -> None:
        village, month = self.page.village_id(), self.page.chosen_month()
        self.preview = preview = self.service.preview(month, village_id=village)
        self.title.setText(f"{preview.scope}{month.label}“三个一”积分结算")
        self.explain.setText(
            (preview.reason + " " if not preview.settleable else "")
            + "按工作日志和积分细则（含每日、每周、每月次数上限）计算：巡查每天、汇总每周、走访每月，"
              "做到的按加分细则、没做到的按扣分细则。已入账的不会重复入账；日志更正后，差额以冲正"
              "原记录、再记新记录的方式入账。勾选“本次不结算”的须写明原因。")
        self.table.setRowCount(len(preview.heads))
        for row, head in enumerate(preview.heads):
            for column, text in enumerate(_cells(head)):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                if column >= 2 and column != 10:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                notes = "\n".join(head.notes)
                if notes:
                    item.setToolTip(notes)
                self.table.setItem(row, column, item)
            self.table.item(row, 10).setForeground(QColor(STATE_COLOURS[head.state]))
            exclude = QTableWidgetItem()
            exclude.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            exclude.setCheckState(Qt.CheckState.Unchecked)
            self.table.setItem(row, EXCLUDE, exclude)
            reason = QTableWidgetItem(head.excluded_before)
            if head.excluded_before:
                reason.setToolTip(f"上次结算时未结算，原因：{head.excluded_before}")
            self.table.setItem(row, REASON, reason)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(REASON, QHeaderView.ResizeMode.Stretch)
        pending = preview.pending
        self.totals.setText(f"共 {len(preview.heads)} 位胡同长；待入账 {len(pending)} 位，"
                            f"合计 {_signed(sum(h.difference for h in pending))} 分。")
        may = self.context.actor.may(Permission.EDIT_POINTS, village)
        self.confirm_button.setEnabled(may and preview.settleable and bool(pending))
        self.confirm_button.setToolTip("" if may else "只有村党支部书记（或镇管理员）可以确认入账。")

    def exclusions(self) -> dict[int, str]:
        chosen = {}
        for row, head in enumerate(self.preview.heads if self.preview else []):
            if self.table.item(row, EXCLUDE).checkState() == Qt.CheckState.Checked:
                chosen[head.head.head_id] = self.table.item(row, REASON).text()
        return chosen

    def confirm(self) -> None:
        if self.preview is None:
            return
        month = self.page.chosen_month()
        pending = [h for h in self.preview.pending if h.head.head_id not in self.exclusions()]
        answer = QMessageBox.question(
            self, "确认入账", f"将为 {len(pending)} 位胡同长入账{month.label}的“三个一”积分，"
            f"合计 {_signed(sum(h.difference for h in pending))} 分。入账后只能以冲正更正。确认吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            result = self.service.confirm(self.page.village_id(), month, self.exclusions())
        except DomainError as error:
            show_refusal(self, error, "未能入账")
            return
        self.context.changed.emit("points")
        QMessageBox.information(self, "确认入账", result.message)
