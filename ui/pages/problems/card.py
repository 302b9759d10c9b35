"""One problem's card: what, where, who answers and by when, the before and after photos side by
side, the 门前三包 pledge of the household, the points it brought, the timeline of its steps and
the buttons for the next step this account may take."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models.core import clock
from models.core.access import Permission
from models.core.errors import DomainError
from models.problems.service import Assignment, ProblemCard, ProblemsService
from models.problems.tables import Status
from ui.context import AppContext
from ui.pages.problems.photos import BeforeAfter
from ui.pages.problems.steps import AssignDialog, ReasonDialog, RectifyDialog, picked
from ui.widgets import Column, RowTableModel, row_table_view, section_title, show_refusal

TIMELINE = (
    Column("日期", lambda t: f"{t.occurred_on:%Y-%m-%d}"),
    Column("步骤", lambda t: t.label),
    Column("经办人", lambda t: t.operator),
    Column("说明", lambda t: "；".join(filter(None, (t.note, t.detail,
                                                    f"附照片{len(t.photos)}张" if t.photos else ""))),
           tooltip=True),
)


class ProblemCardView(QWidget):
    """Emits `changed` after a step was saved, and `print_requested(kind, problem_id)`. Only
    the steps that may follow now, and that this account may take here, have a button."""

    changed = Signal()
    print_requested = Signal(str, int)

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.service = context.service(ProblemsService)
        self.card: ProblemCard | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        self.title = section_title("选择左侧的问题查看详情")
        self.status = QLabel()
        self.status.setObjectName("hint")
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        self.facts = QFormLayout()
        self.fact_labels: dict[str, QLabel] = {}
        for name in ("地点", "问题", "来源", "责任人", "整改时限", "整改情况", "门前三包", "积分"):
            label = QLabel()
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fact_labels[name] = label
            self.facts.addRow(f"{name}：", label)
        layout.addLayout(self.facts)
        self.photos = BeforeAfter()
        layout.addWidget(self.photos)
        layout.addWidget(section_title("处理记录"))
        self.timeline = RowTableModel(TIMELINE, self)
        view = row_table_view(self.timeline)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setStretchLastSection(True)
        view.setMinimumHeight(150)
        layout.addWidget(view, 1)
        self.actions = QGridLayout()
        layout.addLayout(self.actions)
        self.buttons: dict[str, QPushButton] = {}
        for index, (text, slot) in enumerate(self._steps()):
            button = QPushButton(text)
            button.clicked.connect(slot)
            self.buttons[text] = button
            self.actions.addWidget(button, index // 4, index % 4)
        self.show_card(None)

    def _steps(self) -> list[tuple[str, Callable[[], None]]]:
        return [("交办…", self.assign), ("记录整改…", self.rectify), ("复核通过", self.passed),
                ("退回重改…", self.send_back), ("拒不整改，报督办…", self.escalate),
                ("督办退回…", self.return_escalation), ("销号", self.close),
                ("重新打开…", self.reopen), ("打印整改通知书", lambda: self._print("problem-notice")),
                ("打印督办单", lambda: self._print("supervision-slip"))]

    # ---- showing -------------------------------------------------------------------------
    def load(self, problem_id: int | None) -> None:
        self.show_card(self.service.card(problem_id) if problem_id is not None else None)

    def show_card(self, card: ProblemCard | None) -> None:
        self.card = card
        if card is None:
            self.title.setText("选择左侧的问题查看详情")
            self.status.setText("")
            for label in self.fact_labels.values():
                label.setText("")
            self.photos.show_photos([], [])
            self.timeline.set_rows([])
            self._enable()
            return
        row = card.row
        self.title.setText(f"{row.village} {row.number} · {row.category}")
        escalated = row.escalated and row.status is not Status.ESCALATED
        self.status.setText(f"状态：{row.status_text}" + ("　已报街道督办" if escalated else "")
                            + (f"　第{card.round}轮整改" if card.round > 1 else ""))
        self.status.setStyleSheet("color: #b3261e;" if row.overdue_days or row.escalated else "")
        facts = {
            "地点": row.place, "问题": row.description,
            "来源": f"{row.source}（{row.reporter}）　{row.found_on:%Y-%m-%d}发现" if row.reporter
            else f"{row.source}　{row.found_on:%Y-%m-%d}发现",
            "责任人": row.responsible or "（还没有交办）",
            "整改时限": f"{row.deadline:%Y-%m-%d}" if row.deadline else "—",
            "整改情况": row.progress + (f"；复核人：{row.verifier}" if row.verifier else "")
            + (f"；{row.closed_on:%Y-%m-%d}销号" if row.closed_on else ""),
            "门前三包": card.pledge or "（不涉及农户）",
            "积分": "；".join(f"{p.outcome.label}：{p.head} {p.points:+d}分（{p.entry}）"
                            for p in card.points) or "—",
        }
        for name, text in facts.items():
            self.fact_labels[name].setText(text)
        self.photos.show_photos([self.service.photo(f) for f in card.before],
                                [self.service.photo(f) for f in card.after])
        self.timeline.set_rows(list(card.timeline))
        self._enable()

    def _enable(self) -> None:
        """Only the steps that may follow now, and only those this account may take here."""
        card, actor = self.card, self.context.actor
        status = card.row.status if card else None
        village = card.row.village_id if card else None
        checking = Permission.SUPERVISE_PROBLEMS if card and card.row.escalated \
            else Permission.VERIFY_PROBLEMS
        allowed = {
            "交办…": (status is Status.REGISTERED, Permission.REGISTER_PROBLEMS),
            "记录整改…": (status in (Status.ASSIGNED, Status.ESCALATED), Permission.RECTIFY_PROBLEMS),
            "复核通过": (status is Status.RECTIFIED, checking),
            "退回重改…": (status is Status.RECTIFIED, checking),
            "拒不整改，报督办…": (status is Status.ASSIGNED, Permission.VERIFY_PROBLEMS),
            "督办退回…": (status is Status.ESCALATED, Permission.SUPERVISE_PROBLEMS),
            "销号": (status is Status.VERIFIED, checking),
            "重新打开…": (status is Status.CLOSED, Permission.VERIFY_PROBLEMS),
            "打印整改通知书": (card is not None and card.row.deadline is not None, Permission.PRINT),
            "打印督办单": (card is not None and card.row.escalated, Permission.PRINT),
        }
        for text, (now, permission) in allowed.items():
            self.buttons[text].setVisible(bool(now and actor.may(permission, village)))

    # ---- the steps -----------------------------------------------------------------------
    def _done(self, call: Callable[[], object]) -> bool:
        try:
            call()
        except DomainError as error:
            show_refusal(self, error)
            return False
        self.changed.emit()
        return True

    def _id(self) -> int:
        assert self.card is not None
        return self.card.row.id

    def assign(self) -> None:
        row = self.card.row  # type: ignore[union-attr]

        def proposed(on: date) -> date:
            return self.service.proposed_deadline(row.category_id, row.source_id, on)

        dialog = AssignDialog(lambda d: self.service.assign(
            self._id(), Assignment(d.responsible.currentData(), deadline=picked(d.deadline)),
            on=picked(d.on)), proposed, self)
        if dialog.exec():
            self.changed.emit()

    def rectify(self) -> None:
        dialog = RectifyDialog(lambda d: self.service.rectify(
            self._id(), d.what.toPlainText(), d.photos.photos, on=picked(d.on)), self)
        if dialog.exec():
            self.changed.emit()

    def passed(self) -> None:
        if QMessageBox.question(self, "复核", "现场复核确认已整改到位？") == \
                QMessageBox.StandardButton.Yes:
            self._done(lambda: self.service.verify(self._id(), True))

    def send_back(self) -> None:
        self._reason("退回重改", "退回理由", lambda d: self.service.verify(
            self._id(), False, d.text(), on=picked(d.on)))

    def escalate(self) -> None:
        self._reason("拒不整改，报街道督办", "拒不整改的情况", lambda d: self.service.escalate(
            self._id(), d.text(), on=picked(d.on)),
            hint="报街道督办后，由街道巡查办复核、销号或退回村里；销号时按“拒不整改”扣责任胡同长积分。")

    def return_escalation(self) -> None:
        self._reason("督办退回村里", "退回理由", lambda d: self.service.return_escalation(
            self._id(), d.text(), picked(d.deadline), on=picked(d.on)),
            deadline=self._in_days(7))

    def reopen(self) -> None:
        self._reason("重新打开问题", "重新打开的理由", lambda d: self.service.reopen(
            self._id(), d.text(), picked(d.deadline), on=picked(d.on)), deadline=self._in_days(3))

    def close(self) -> None:
        if QMessageBox.question(self, "销号", "确认销号？销号后按整改结果记入责任胡同长（片区长）积分。") != \
                QMessageBox.StandardButton.Yes:
            return
        try:
            closing = self.service.close(self._id())
        except DomainError as error:
            show_refusal(self, error)
            return
        said = "该问题已经销号。" if closing.already else f"已销号：{closing.outcome.label}。"
        points = "没有记个人积分（村集体负责）。" if closing.ledger_entry_id is None \
            else "积分已记入责任人积分存折。"
        QMessageBox.information(self, "销号", said + points)
        self.changed.emit()

    def _reason(self, title: str, label: str, action, **options) -> None:  # type: ignore[no-untyped-def]
        dialog = ReasonDialog(title, label, action, self, **options)
        if dialog.exec():
            self.changed.emit()

    @staticmethod
    def _in_days(days: int) -> date:
        return clock.today() + timedelta(days=days)

    def _print(self, kind: str) -> None:
        if self.card is not None:
            self.print_requested.emit(kind, self.card.row.id)
