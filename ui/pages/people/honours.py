"""评先树优: who may not be honoured this year and why, the year's top scorer(s) with the stated
tie-break, the nominations (the village nominates, the township approves with the reward) and
the published lists. The decision and the certificates print in the print centre."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models.points.wording import TALK_HOLDER
from models.core.access import Permission
from models.core.errors import DomainError
from models.people.eligibility import EligibilityService
from models.people.honours import HonoursService, NominationRow
from models.people.tables import HonourScope, NominationStatus
from models.people.top_scorer import TopScorers
from models.points.service import PointsService
from ui.context import AppContext
from ui.flow import FlowLayout, PageTabs
from ui.pages.people.common import RIGHT, FormDialog, Header, hint, table
from ui.widgets import Column, RowTableModel, show_refusal
from ui.widgets_search import PersonPicker, describe

TITLE = "评先树优"

BARRED_COLUMNS = (
    Column("姓名", lambda r: r.name),
    Column("职务", lambda r: r.role),
    Column("自何时起", lambda r: r.since),
    Column("不能评先树优的原因", lambda r: r.reason, tooltip=True),
)
NOMINATION_COLUMNS = (
    Column("荣誉", lambda r: r.kind),
    Column("村", lambda r: r.village),
    Column("姓名", lambda r: r.name),
    Column("职务（区域）", lambda r: f"{r.role}（{r.unit}）" if r.role else "—"),
    Column("提名来源", lambda r: r.source.label),
    Column("状态", lambda r: r.status.label if r.eligible_now or r.status is not
           NominationStatus.NOMINATED else "待审批（现已不具备资格）"),
    Column("奖励", lambda r: r.reward),
    Column("提名理由", lambda r: r.deeds, tooltip=True),
)
LIST_COLUMNS = (
    Column("年度", lambda r: r.year, RIGHT),
    Column("文号", lambda r: r.doc_number),
    Column("版本", lambda r: f"第{r.version}版", RIGHT),
    Column("公布日期", lambda r: f"{r.published_on:%Y-%m-%d}"),
    Column("人数", lambda r: r.count, RIGHT),
    Column("状态", lambda r: "现行" if r.current else "已被更正"),
    Column("更正说明", lambda r: r.change_note),
)
ENTRY_COLUMNS = (
    Column("证书编号", lambda e: e.certificate_number),
    Column("荣誉", lambda e: e.kind_name),
    Column("村", lambda e: e.village_name),
    Column("姓名", lambda e: e.name),
    Column("职务（区域）", lambda e: f"{e.role}（{e.unit}）" if e.role else "—"),
    Column("年度积分", lambda e: "" if e.score is None else e.score, RIGHT),
    Column("奖励", lambda e: f"{e.reward_what}（{e.reward_value}元）" if e.reward_value
           else e.reward_what),
)


def top_text(found: TopScorers) -> str:
    lines = [found.summary, *found.steps]
    lines += [f"不参评：{p.contender.name}（{p.contender.score}分）— {p.reason}"
              for p in found.passed_over]
    return "\n".join(lines)


def leader_columns(found: TopScorers) -> tuple[Column, ...]:
    winners = {w.head_id for w in found.winners}
    return (
        Column("名次", lambda c: found.leaders.index(c) + 1, RIGHT),
        Column("姓名", lambda c: c.name),
        Column("村", lambda c: c.village),
        Column("职务（区域）", lambda c: f"{c.role}（{c.unit}）"),
        Column("年度积分", lambda c: c.score, RIGHT),
        Column("达到最终得分", lambda c: c.shown("reached_first")),
        Column("扣分次数", lambda c: c.deductions, RIGHT),
        Column("加分次数", lambda c: c.awards, RIGHT),
        Column("结果", lambda c: ("并列获奖" if found.shared else "获奖") if c.head_id in winners
               else ""),
    )


class HonoursPage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.setObjectName("page")
        self.context = context
        self.service: HonoursService = context.service(HonoursService)
        self.township = context.actor.may(Permission.PEOPLE, None)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        self.header = Header(context, "评先树优：资格、积分最高奖、提名审批与公布", self.reload, "全镇")
        layout.addWidget(self.header)
        self.tabs = PageTabs()
        self.tabs.addTab(self._nominations_tab(), "提名与审批")
        self.tabs.addTab(self._top_tab(), "积分最高奖")
        self.tabs.addTab(self._barred_tab(), "评先资格")
        self.tabs.addTab(self._lists_tab(), "公布名单")
        layout.addWidget(self.tabs, 1)
        context.changed.connect(lambda topic: self.reload() if topic in
                                ("people", "points", "org") else None)
        self.reload()

    # ---- tabs -----------------------------------------------------------------------------------
    def _barred_tab(self) -> QWidget:
        tab = QWidget()
        column = QVBoxLayout(tab)
        column.addWidget(hint(f"积分扣至初始积分以下或零分、列入约谈名单（由{TALK_HOLDER}约谈）的，取消当年"
                              "评先树优资格；当年被撤换的、综合测评不称职的，按设置同样取消。他们不能被提名、"
                              "不能纳入后备人才库，所在片区当年不评红榜。"))
        self.barred = RowTableModel(BARRED_COLUMNS, self)
        column.addWidget(table(self.barred), 1)
        self.barred_note = hint()
        column.addWidget(self.barred_note)
        return tab

    def _top_tab(self) -> QWidget:
        tab = QWidget()
        column = QVBoxLayout(tab)
        self.rule = hint()
        column.addWidget(self.rule)
        self.village_top, self.town_top = QLabel(), QLabel()
        self.village_leaders, self.town_leaders = RowTableModel((), self), RowTableModel((), self)
        for label, model in ((self.village_top, self.village_leaders),
                             (self.town_top, self.town_leaders)):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            column.addWidget(label)
            column.addWidget(table(model), 1)
        bar = FlowLayout()  # wraps with 大字 on a small screen
        self.nominate_village_top = QPushButton("提名本村积分最高者")
        self.nominate_village_top.clicked.connect(lambda: self.nominate_top(village=True))
        self.nominate_town_top = QPushButton("提名全镇积分最高者")
        self.nominate_town_top.clicked.connect(lambda: self.nominate_top(village=False))
        self.nominate_town_top.setEnabled(self.township)
        if not self.township:
            self.nominate_town_top.setToolTip("全镇积分最高奖由镇里提名。")
        bar.addWidget(self.nominate_village_top)
        bar.addWidget(self.nominate_town_top)
        column.addLayout(bar)
        return tab

    @staticmethod
    def _show_top(label: QLabel, model: RowTableModel, found: TopScorers | None, empty: str) -> None:
        label.setText(top_text(found) if found else empty)
        model.beginResetModel()
        model.columns = list(leader_columns(found)) if found else []
        model.rows = list(found.leaders) if found else []
        model.endResetModel()

    def _nominations_tab(self) -> QWidget:
        tab = QWidget()
        column = QVBoxLayout(tab)
        column.addWidget(hint("村党支部提名，镇里审批并登记奖励；审批完毕后由镇里公布（公布后名单固定不变，"
                              "更正时发布新版本）。综合测评为优秀的负责人在确认测评时已自动提名。"))
        self.nominations = RowTableModel(NOMINATION_COLUMNS, self)
        self.nominations_view = table(self.nominations)
        column.addWidget(self.nominations_view, 1)
        bar = FlowLayout()  # wraps with 大字 on a small screen
        self.nominate_button = QPushButton("提名…")
        self.nominate_button.clicked.connect(self.nominate)
        bar.addWidget(self.nominate_button)
        self.township_buttons = []
        for text, handler in (("批准并登记奖励…", self.approve), ("不批准…", self.reject),
                              ("公布名单…", self.publish)):
            button = QPushButton(text)
            button.clicked.connect(handler)
            button.setEnabled(self.township)
            if not self.township:
                button.setToolTip("由镇里审批和公布，村级账号只能查看。")
            self.township_buttons.append(button)
            bar.addWidget(button)
        column.addLayout(bar)
        return tab

    def _lists_tab(self) -> QWidget:
        tab = QWidget()
        column = QVBoxLayout(tab)
        self.lists = RowTableModel(LIST_COLUMNS, self)
        self.lists_view = table(self.lists)
        self.lists_view.selectionModel().currentRowChanged.connect(
            lambda current, _p: self.show_list(current))
        self.entries = RowTableModel(ENTRY_COLUMNS, self)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.lists_view)
        splitter.addWidget(table(self.entries))
        column.addWidget(splitter, 1)
        column.addWidget(hint("表彰决定和荣誉证书在“打印中心”打印（选择“评先树优表彰决定”或“荣誉证书”）。"))
        return tab

    # ---- loading --------------------------------------------------------------------------------
    def reload(self) -> None:
        if self.header.village.count() == 0:  # no village yet: nothing to show
            return
        year, village = self.header.year.value(), self.header.village_id
        may_nominate = self.context.actor.may(Permission.PEOPLE, village) and village is not None
        self.nominate_button.setEnabled(may_nominate or self.township)
        self.nominate_village_top.setEnabled(may_nominate)
        try:
            self._load_barred(year, village)
            self.rule.setText("同分规则（设置）：" + self.service.tie_break_rule())
            self._show_top(self.village_top, self.village_leaders,
                           self.service.top_scorers(year, village) if village else None,
                           "选择一个行政村，查看本村积分最高者。")
            self._show_top(self.town_top, self.town_leaders, self.service.top_scorers(year), "")
            self.nominations.set_rows(self.service.nominations(year, village))
            self.lists.set_rows(self.service.published_lists())
        except DomainError as error:
            show_refusal(self, error, "无法显示")

    def _load_barred(self, year: int, village: int | None) -> None:
        eligibility = self.context.service(EligibilityService)
        villages = [village] if village else [v for v, _ in
                                             self.context.service(PointsService).villages()]
        rows = [row for v in villages for row in eligibility.barred(v, year)]
        self.barred.set_rows(rows)
        self.barred_note.setText(f"{year}年度共{len(rows)}人不能评先树优。" if rows else
                                 f"{year}年度没有不能评先树优的人。")

    def show_list(self, index) -> None:  # type: ignore[no-untyped-def]
        if not index.isValid():
            self.entries.set_rows([])
            return
        self.entries.set_rows(self.service.published_list(self.lists.row(index).id).entries)

    def _selected(self) -> NominationRow | None:
        index = self.nominations_view.currentIndex()
        if not index.isValid():
            QMessageBox.information(self, "请先选择", "请先在列表中选择一条提名。")
            return None
        return self.nominations.row(index)

    # ---- actions ----------------------------------------------------------------------------------
    def _done(self, message: str) -> None:
        self.context.changed.emit("people")
        QMessageBox.information(self, TITLE, message)

    def nominate(self) -> None:
        dialog = NominateDialog(self.context, self.service, self.header.year.value(),
                                self.header.village_id, self.township, self)
        if dialog.exec():
            self._done("已提名，等待镇里审批。")

    def nominate_top(self, village: bool) -> None:
        year = self.header.year.value()
        try:
            made = self.service.nominate_top_scorers(
                year, self.header.village_id if village else None)
        except DomainError as error:
            show_refusal(self, error, "未能提名")
            return
        self._done(f"已提名{len(made)}人。" if made else "积分最高者已经提名过，没有新的提名。")

    def approve(self) -> None:
        row = self._selected()
        if row is None:
            return
        what, value = QLineEdit("荣誉证书"), QLineEdit()
        value.setPlaceholderText("可不填，单位：元")
        dialog = FormDialog(f"批准：{row.name}（{row.kind}）", "批准", lambda: self.service.decide(
            row.id, True, reward_what=what.text(), reward_value=value.text()), self)
        dialog.form.addRow("奖励内容：", what)
        dialog.form.addRow("奖励价值（元）：", value)
        if dialog.exec():
            self._done(f"已批准“{row.name}”的“{row.kind}”。")

    def reject(self) -> None:
        row = self._selected()
        if row is None:
            return
        note = QLineEdit()
        dialog = FormDialog(f"不批准：{row.name}（{row.kind}）", "不批准",
                            lambda: self.service.decide(row.id, False, note=note.text()), self)
        dialog.form.addRow("理由：", note)
        if dialog.exec():
            self._done(f"“{row.name}”的“{row.kind}”未批准。")

    def publish(self) -> None:
        year = self.header.year.value()
        note = ""
        if any(s.year == year for s in self.service.published_lists()):
            note, ok = QInputDialog.getText(self, "更正已公布的名单",
                                            f"{year}年度名单已经公布过，原名单保留不变，将发布新版本。"
                                            "请写明更正原因：")
            if not ok:
                return
        try:
            self.service.publish(year, change_note=note)
        except DomainError as error:
            show_refusal(self, error, "未能公布")
            return
        self._done(f"{year}年度评先树优名单已公布，可在打印中心打印表彰决定和荣誉证书。")


class NominateDialog(FormDialog):
    """Choose the honour and the person; the person's eligibility shows as soon as he is picked."""

    def __init__(self, context: AppContext, service: HonoursService, year: int,
                 village_id: int | None, township: bool, parent: QWidget | None = None):
        super().__init__(f"{year}年度评先树优提名", "提名", self._save, parent)
        self.context, self.service, self.year = context, service, year
        self.person = None
        self.kind = QComboBox()
        for kind in service.kinds():
            if kind.top_scorer or (kind.scope is HonourScope.TOWNSHIP and not township):
                continue
            self.kind.addItem(f"{kind.name}（{kind.nominee.label}）", kind.id)
        self.picker = PersonPicker(context, village_id)
        self.picker.chosen.connect(self._chosen)
        self.chosen = QLabel("尚未选择")
        self.chosen.setWordWrap(True)
        self.deeds = QPlainTextEdit()
        self.deeds.setPlaceholderText("主要事迹：如 巡查认真、胡同整洁、带动邻里……")
        self.deeds.setMaximumHeight(90)
        self.form.addRow("荣誉：", self.kind)
        self.form.addRow("人选：", self.picker)
        self.form.addRow("", self.chosen)
        self.form.addRow("提名理由：", self.deeds)
        self.resize(620, 560)

    def _chosen(self, hit) -> None:  # type: ignore[no-untyped-def]
        self.person = hit
        found = self.context.service(EligibilityService).of(hit.resident_id, self.year)
        text = describe(hit)
        self.chosen.setText(text if found.eligible else f"{text}\n不能提名：{found.reason}")
        self.chosen.setObjectName("" if found.eligible else "error")
        self.chosen.setStyleSheet("" if found.eligible else "color: #C8161D;")

    def _save(self) -> None:
        if self.person is None:
            raise DomainError("请先在上面的列表中选择一位人选（双击或按回车）。")
        self.service.nominate(self.year, self.kind.currentData(), self.person.resident_id,
                              self.deeds.toPlainText())
