"""积分银行: find a head, read the year's passbook with running score and spendable balance,
register awards and deductions by rule (one head or a whole village), reverse an entry, the
约谈 list / lapsing points of the year, and the rules catalogue (ui/pages/points_rules.py)."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.core import clock
from models.core.access import Permission
from models.core.errors import DomainError
from models.points.service import EntryRow, HeadHit, PointsService, RuleRow
from models.points.tables import LIST_RULE_CATEGORY
from models.points.wording import TALK_HOLDER
from ui.context import AppContext
from ui.flow import FlowLayout, PageTabs, ReflowSplitter
from ui.pages.points.chart import ScoreChart
from ui.pages.points.rules import RulesTab
from ui.widgets import (
    Column,
    RowTableModel,
    page_title,
    qdate,
    refusal_text,
    save_cancel_buttons,
    section_title,
    show_refusal,
)

TITLE = "积分银行"
RIGHT = Qt.AlignmentFlag.AlignRight


def _signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value) if value else ""


def _reasons(reasons: list[str], shown: int = 4) -> str:
    """Say how many deductions there were when only the latest fit the cell."""
    if len(reasons) <= shown:
        return f"共{len(reasons)}次：" + "；".join(reasons)
    return f"共{len(reasons)}次，最近：" + "；".join(reasons[-shown:])


ENTRY_COLUMNS = (
    Column("笔", lambda e: e.seq, RIGHT),
    Column("日期", lambda e: f"{e.occurred_on:%Y-%m-%d}"),
    Column("类别", lambda e: e.kind.label),
    Column("内容", lambda e: e.text + (f"（已被第 {e.reversed_by_seq} 笔冲正）" if e.reversed_by_seq else ""),
           tooltip=True),
    Column("积分", lambda e: _signed(e.score_delta), RIGHT),
    Column("兑换", lambda e: _signed(-e.spend_delta), RIGHT),
    Column("累计积分", lambda e: e.score_after, RIGHT),
    Column("可兑换", lambda e: max(e.balance_after, 0), RIGHT),
    Column("经办人", lambda e: e.operator),
    Column("证据", lambda e: "有" if e.evidence_path else ""),
)
# Characters across for the finder beside the passbook (its ten columns, 内容 readable);
# narrower (大字 on a 1024-px screen), the finder goes above it.
PASSBOOK_BESIDE_FINDER = 64
FINDER_WIDTH = 16  # characters
PASSBOOK_ROWS = 4
HIT_COLUMNS = (
    Column("姓名", lambda h: h.name), Column("职务", lambda h: h.role),
    Column("负责区域", lambda h: h.unit), Column("村", lambda h: h.village),
    Column("电话", lambda h: h.phone),
)
TALK_COLUMNS = (
    Column("村", lambda w: w.head.village), Column("姓名", lambda w: w.head.name),
    Column("职务", lambda w: w.head.role), Column("负责区域", lambda w: w.head.unit),
    Column("当前积分", lambda w: w.score, RIGHT),
    Column("情形", lambda w: "积分为 0" if w.at_zero else "低于初始积分"),
    Column("自何日起", lambda w: f"{w.since:%Y-%m-%d}"),
    Column("扣分记录", lambda w: _reasons(w.reasons), tooltip=True),
)
LAPSE_COLUMNS = (
    Column("村", lambda r: r.head.village), Column("姓名", lambda r: r.head.name),
    Column("负责区域", lambda r: r.head.unit), Column("当前积分", lambda r: r.score, RIGHT),
    Column("将作废的可兑换积分", lambda r: r.spendable, RIGHT),
)


class PassbookView(QTableView):
    """The passbook's entries: at least PASSBOOK_ROWS of them in view at any text size (the
    chart above gives up its height first)."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        rows = (self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth()
                + PASSBOOK_ROWS * self.verticalHeader().defaultSectionSize())
        return QSize(hint.width(), max(hint.height(), rows))


def _table(columns, view: QTableView | None = None) -> tuple[QTableView, RowTableModel]:  # type: ignore[no-untyped-def]
    view = view or QTableView()
    model = RowTableModel(columns, view)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    view.horizontalHeader().setStretchLastSection(True)
    return view, model


class PointsPage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.setObjectName("page")
        self.context = context
        self.head: HeadHit | None = None
        self.year = self.service().working_year()
        actor = context.actor
        self.may_post = actor.may(Permission.EDIT_POINTS, actor.village_id)
        self.may_close = actor.may(Permission.EDIT_POINTS, None)  # the year end is the township's
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(page_title("积分银行"))
        self.tabs = PageTabs()
        self.tabs.addTab(self._passbook_tab(), "积分存折")
        self.tabs.addTab(self._warnings_tab(), "约谈名单")
        self.tabs.addTab(self._lapse_tab(), "年末作废提醒")
        self.rules_tab = RulesTab(self.service)
        self.tabs.addTab(self.rules_tab, "积分细则")
        layout.addWidget(self.tabs, 1)
        context.changed.connect(self._on_changed)
        self.reload_warnings()

    def service(self) -> PointsService:
        return PointsService(self.context.db, self.context.actor)

    # ---- passbook tab ----------------------------------------------------------------------
    def _passbook_tab(self) -> QWidget:
        # The passbook (its long 内容 column) gets the room the finder does not need; the clerk
        # may drag the divider.
        tab = QWidget()
        split = ReflowSplitter(PASSBOOK_BESIDE_FINDER, FINDER_WIDTH)
        QHBoxLayout(tab).addWidget(split)
        finder = QWidget()
        left = QVBoxLayout(finder)
        left.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setPlaceholderText("姓名、拼音首字母或电话号码")
        self.search.textChanged.connect(self._find)
        left.addWidget(section_title("查找片区长、胡同长"))
        left.addWidget(self.search)
        self.hits, self.hit_model = _table(HIT_COLUMNS)
        self.hits.clicked.connect(lambda index: self.open_head(self.hit_model.row(index)))
        header = self.hits.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)  # 负责区域 takes what is left
        if self.context.actor.village_id is not None:
            self.hits.hideColumn(3)  # 村: always the user's own village
        left.addWidget(self.hits, 1)
        split.addWidget(finder)

        passbook = QWidget()
        right = QVBoxLayout(passbook)
        right.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.who = QLabel("请在左侧查找并选择一位负责人。")
        self.who.setObjectName("sectionTitle")
        self.who.setWordWrap(True)
        top.addWidget(self.who, 1)
        self.year_box = QSpinBox()
        self.year_box.setRange(2000, 2100)
        self.year_box.setValue(self.year)
        self.year_box.setSuffix(" 年度")
        self.year_box.valueChanged.connect(self._year_changed)
        top.addWidget(self.year_box)
        right.addLayout(top)
        self.figures = QLabel()
        self.figures.setObjectName("hint")
        self.figures.setWordWrap(True)
        right.addWidget(self.figures)
        self.book_pane = QStackedWidget()
        empty = QLabel("先在左侧输入片区长或胡同长的姓名、拼音首字母或电话号码，"
                       "再点选一人，这里显示他本年度的积分存折。")
        empty.setObjectName("hint")
        empty.setWordWrap(True)
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.book_pane.addWidget(empty)
        book = QWidget()
        book_layout = QVBoxLayout(book)
        book_layout.setContentsMargins(0, 0, 0, 0)
        self.chart = ScoreChart()
        book_layout.addWidget(self.chart)
        self.entries, self.entry_model = _table(ENTRY_COLUMNS, PassbookView())
        header = self.entries.horizontalHeader()
        header.setStretchLastSection(False)  # 内容 takes the spare width, not 证据
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        book_layout.addWidget(self.entries, 1)
        self.book_pane.addWidget(book)
        right.addWidget(self.book_pane, 1)
        buttons = FlowLayout()  # wraps with 大字 on a small screen
        self.post_buttons = []
        for text, slot in (("加分 / 扣分…", self.add_entry), ("冲正所选记录…", self.reverse_entry),
                           ("批量登记…", self.batch_entry), ("查看证据", self.show_evidence)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            if slot != self.show_evidence:
                button.setEnabled(self.may_post)
                self.post_buttons.append(button)
        if not self.may_post:
            note = QLabel("登记、冲正积分由村党支部书记办理。")
            note.setObjectName("hint")
            buttons.addWidget(note)
        right.addLayout(buttons)
        split.addWidget(passbook)
        return tab

    def _find(self, text: str) -> None:
        self.hit_model.set_rows(self.service().find_heads(text) if text.strip() else [])

    def _year_changed(self, year: int) -> None:
        self.year = year
        self.reload_passbook()
        self.reload_warnings()

    def open_head(self, head: HeadHit) -> None:
        self.head = head
        self.reload_passbook()

    def reload_passbook(self) -> None:
        if self.head is None:
            return
        view = self.service().passbook(self.head.head_id, self.year)
        self.book_pane.setCurrentIndex(1)
        self.who.setText(f"{view.head.name}　{view.head.village}·{view.head.unit}　{view.head.role}")
        if view.passbook_id is None:
            self.figures.setText(
                f"{self.year}年度尚未开户：第一次登记积分时自动存入初始积分 {view.opening} 分。")
        else:
            owed = f"，欠 {view.owed} 分" if view.owed else ""
            if view.below_opening:
                owed += f"，低于初始积分 {view.below_opening} 分"
            closed = f"（{view.closed_on:%Y-%m-%d} 已结转）" if view.closed_on else ""
            self.figures.setText(f"年度积分 {view.score} 分　可兑换 {view.spendable} 分{owed}　"
                                 f"初始积分 {view.opening} 分（不可兑换）{closed}")
        self.entry_model.set_rows(view.entries)
        self.chart.show_scores(self.year, [(e.occurred_on, e.score_after) for e in view.entries],
                               view.opening, view.cap)

    def _selected_entry(self) -> EntryRow | None:
        index = self.entries.currentIndex()
        return self.entry_model.row(index) if index.isValid() else None

    def add_entry(self) -> None:
        if self.head is None:
            QMessageBox.information(self, "登记积分", "请先在左侧选择一位负责人。")
            return
        dialog = EntryDialog(self, self.service().rules(), [self.head], self._entry_days(),
                             save=lambda d: self._post(d, [self.head.head_id]))
        dialog.exec()

    def batch_entry(self) -> None:
        villages = self.service().villages()
        if not villages:
            return
        names = [name for _, name in villages]
        name, ok = QInputDialog.getItem(self, "批量登记", "选择村：", names, 0, False)
        if not ok:
            return
        heads = self.service().heads_of_village(villages[names.index(name)][0])
        dialog = EntryDialog(self, self.service().rules(), heads, self._entry_days(),
                             pick_heads=True, save=lambda d: self._post(d, d.chosen_heads()))
        dialog.exec()

    def _entry_days(self) -> tuple[date, date, date]:
        """(first, last, suggested) day an entry may carry: the open years (the current one, and
        in January the just-ended one); suggested is today, or the last day of the year shown
        when that is the just-ended year."""
        today = clock.today()
        years = self.service().open_years()
        suggested = today if self.year not in years[:-1] else date(self.year, 12, 31)
        return date(years[0], 1, 1), today, suggested

    def _post(self, dialog: EntryDialog, head_ids: list[int]) -> None:
        """Saved, or refused in the dialog's own words: it stays open with what was typed."""
        self.service().post_batch(head_ids, dialog.rule_id(), dialog.day(), dialog.note(),
                                  evidence_file=dialog.evidence, idempotency_key=dialog.key)
        self.context.changed.emit("points")
        self.show_newest_entry()

    def show_newest_entry(self) -> None:
        """The entry just made, selected and in sight (it may be far below the rows shown)."""
        rows = self.entry_model.rows
        if not rows:
            return
        newest = max(range(len(rows)), key=lambda i: rows[i].id)
        index = self.entry_model.index(newest, 0)
        self.entries.setCurrentIndex(index)
        self.entries.scrollTo(index)

    def reverse_entry(self) -> None:
        entry = self._selected_entry()
        if entry is None or not entry.reversible:
            QMessageBox.information(self, "冲正", "请选择一条尚未冲正的加分、扣分或兑换记录。")
            return
        reason, ok = QInputDialog.getText(self, "冲正", f"冲正第 {entry.seq} 笔（{entry.text}），原因：")
        if not ok:
            return
        try:
            self.service().reverse(entry.id, reason)
        except DomainError as error:
            show_refusal(self, error)
            return
        self.context.changed.emit("points")

    def show_evidence(self) -> None:
        entry = self._selected_entry()
        if entry is None or not entry.evidence_path:
            QMessageBox.information(self, "证据", "所选记录没有附证据。")
            return
        try:
            attached = self.service().evidence_of(entry.id)
        except DomainError as error:
            QMessageBox.information(self, "证据", str(error))
            return
        # A copy to look at, in the user's temporary folder: the database keeps the original.
        folder = Path(tempfile.gettempdir()) / "村治通证据"
        folder.mkdir(exist_ok=True)
        path = folder / f"{entry.id}-{Path(attached.name).name}"
        path.write_bytes(attached.content)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            QMessageBox.information(self, "证据", f"证据已取出到：\n{path}")

    # ---- warnings --------------------------------------------------------------------------
    def _warnings_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.talk_hint = QLabel()
        self.talk_hint.setObjectName("hint")
        self.talk_hint.setWordWrap(True)
        layout.addWidget(self.talk_hint)
        self.talk, self.talk_model = _table(TALK_COLUMNS)
        layout.addWidget(self.talk, 1)
        return tab

    def _lapse_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.lapse_hint = QLabel()
        self.lapse_hint.setObjectName("hint")
        self.lapse_hint.setWordWrap(True)
        layout.addWidget(self.lapse_hint)
        self.lapse, self.lapse_model = _table(LAPSE_COLUMNS)
        header = self.lapse.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)  # 负责区域, not the figure
        layout.addWidget(self.lapse, 1)
        row = QHBoxLayout()
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close_year)
        self.close_note = QLabel()
        self.close_note.setObjectName("hint")
        self.close_note.setWordWrap(True)
        row.addWidget(self.close_button)
        row.addWidget(self.close_note, 1)
        self.close_button.setVisible(self.may_close)
        self.close_note.setVisible(self.may_close)
        layout.addLayout(row)
        return tab

    def reload_warnings(self) -> None:
        rows = self.service().talk_list(self.year)
        self.talk_model.set_rows(rows)
        self.talk.resizeColumnsToContents()
        self.talk_hint.setText(
            f"{self.year}年度：积分低于初始积分或为 0 的负责人共 {len(rows)} 人，列入约谈名单，"
            f"由{TALK_HOLDER}约谈，并取消本年度评先树优资格。")
        lapsing = self.service().lapsing(self.year)
        self.lapse_model.set_rows(lapsing)
        # The year-end button is about the same year as the list above it.
        ended = self.year < clock.today().year
        self.close_button.setText(f"{self.year}年度结转…")
        self.close_button.setEnabled(ended)
        self.close_note.setText("" if ended else
                                f"{self.year}年度结束后才能结转；结转往年请在“积分存折”页改选年度。")
        if ended:  # an ended year's points can no longer be spent: the counter books today's year
            self.lapse_hint.setText(f"{self.year}年度已结束，还有 {len(lapsing)} 人的可兑换积分没有用完，"
                                    "年度结转时作废。")
            return
        december = "现在已是12月，" if clock.today().month == 12 and self.year == clock.today().year else ""
        self.lapse_hint.setText(f"{december}{self.year}年度还有 {len(lapsing)} 人有可兑换积分，"
                                "年度结转后未兑换的积分作废，请提醒他们及时兑换。")

    def close_year(self) -> None:
        year = self.year
        question = (f"结转{year}年度：关闭全部存折，{year + 1}年度按初始积分开户。"
                    "结转后该年度不能再登记。继续吗？")
        if QMessageBox.question(self, "年度结转", question) != QMessageBox.StandardButton.Yes:
            return
        try:
            result = self.service().close_year(year)
        except DomainError as error:
            show_refusal(self, error)
            return
        QMessageBox.information(self, "年度结转", f"{year}年度已经结转过。" if result.already_closed else
                                f"关闭存折 {result.closed} 本，{year + 1}年度开户 {result.opened} 本。")
        self.context.changed.emit("points")

    def _on_changed(self, topic: str) -> None:
        if topic in ("points", "org"):
            self.reload_passbook()
            self.reload_warnings()


class EntryDialog(QDialog):
    """An award or deduction by rule: for one head, or for several picked from a village."""

    def __init__(self, parent: QWidget, rules: list[RuleRow], heads: list[HeadHit],
                 days: tuple[date, date, date], pick_heads: bool = False,
                 save: Callable[[EntryDialog], None] | None = None):
        super().__init__(parent)
        self.save = save
        self.setWindowTitle("批量登记积分" if pick_heads else f"为{heads[0].name}登记积分")
        self.key = uuid.uuid4().hex  # one key per dialog: a retried save cannot post twice
        self.evidence = None
        first, last, suggested = days
        # The red/black lists' own rules post themselves when a list is published.
        self.rules = [r for r in rules if r.in_force(suggested) and r.category != LIST_RULE_CATEGORY]
        form = QFormLayout(self)
        self.rule_box = QComboBox()
        for rule in self.rules:
            needs = "，须附证据" if rule.evidence_required else ""
            self.rule_box.addItem(f"{rule.code}　{rule.text}（{_signed(rule.points)}分，"
                                  f"{rule.limit_label}{needs}）")
        form.addRow("积分细则", self.rule_box)
        self.date_box = QDateEdit(qdate(suggested))
        self.date_box.setDateRange(qdate(first), qdate(last))
        self.date_box.setCalendarPopup(True)
        self.date_box.setDisplayFormat("yyyy-MM-dd")
        form.addRow("日期", self.date_box)
        self.note_box = QLineEdit()
        self.note_box.setPlaceholderText("扣分必须写明原因")
        form.addRow("说明", self.note_box)
        evidence = QPushButton("选择照片或文件…")
        evidence.clicked.connect(self._pick_evidence)
        self.evidence_label = QLabel("未附证据")
        row = QHBoxLayout()
        row.addWidget(evidence)
        row.addWidget(self.evidence_label, 1)
        form.addRow("证据", row)
        self.head_list = QListWidget()
        for head in heads:
            item = QListWidgetItem(f"{head.name}　{head.role}　{head.unit}")
            item.setData(Qt.ItemDataRole.UserRole, head.head_id)
            item.setCheckState(Qt.CheckState.Checked)
            self.head_list.addItem(item)
        if pick_heads:
            form.addRow("负责人", self.head_list)
        self.message = QLabel()
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        form.addRow(self.message)
        form.addRow(save_cancel_buttons(self.accept, self.reject))
        self.rule_box.currentIndexChanged.connect(self._rule_chosen)
        self._rule_chosen()

    def _rule_chosen(self, _index: int = 0) -> None:
        """Which rules need evidence is said before saving, not after a refusal."""
        needs = bool(self.rules) and self.rules[self.rule_box.currentIndex()].evidence_required
        self.evidence_label.setText(self.evidence.name if self.evidence else
                                    "这条细则必须附证据（照片或文件）" if needs else "未附证据")

    def accept(self) -> None:
        if self.save is None:
            super().accept()
            return
        try:
            self.save(self)
        except DomainError as error:
            self.message.setText(refusal_text(error))
            return
        super().accept()

    def _pick_evidence(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择证据文件", "",
                                              "图片或文件 (*.jpg *.jpeg *.png *.pdf *.*)")
        if path:
            self.evidence = Path(path)
            self.evidence_label.setText(self.evidence.name)

    def rule_id(self) -> int:
        return self.rules[self.rule_box.currentIndex()].id

    def day(self) -> date:
        return self.date_box.date().toPython()

    def note(self) -> str:
        return self.note_box.text()

    def chosen_heads(self) -> list[int]:
        return [self.head_list.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.head_list.count())
                if self.head_list.item(i).checkState() == Qt.CheckState.Checked]
