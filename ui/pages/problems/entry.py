"""登记问题: the fast entry. The place is found by the same search as everywhere (a householder or
anyone of the household, by name, pinyin initials or phone) or chosen as a natural village,
zone or alley; photos are dropped onto the form and the time they were taken proposes when the
problem was found; the catalogue proposes the deadline; 保存 registers and hands it on at once."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from models.core import clock
from models.core.errors import DomainError
from models.org.directory import DirectoryService, Level
from models.org.search import PersonHit
from models.problems.service import Assignment, ProblemInput, ProblemsService, Registered
from ui.context import AppContext
from ui.pages.problems.photos import PhotoStrip
from ui.pages.problems.steps import date_edit, picked, responsible_box
from ui.widgets import error_label, save_cancel_buttons
from ui.widgets_search import PersonPicker

UNIT_LEVELS = ((Level.NATURAL_VILLAGE, "自然村"), (Level.ZONE, "片区"), (Level.ALLEY, "胡同"))


class RegisterDialog(QDialog):
    def __init__(self, context: AppContext, villages: list[tuple[int, str]],
                 village_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("登记问题")
        self.setMinimumWidth(720)
        self.context = context
        self.service = context.service(ProblemsService)
        self.directory = context.service(DirectoryService)
        self.household: PersonHit | None = None
        self.registered: Registered | None = None
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.village = QComboBox()
        for vid, name in villages:
            self.village.addItem(name, vid)
        if village_id is not None:
            self.village.setCurrentIndex(max(self.village.findData(village_id), 0))
        self.village.currentIndexChanged.connect(self._village_changed)
        form.addRow("村：", self.village)
        self.picker = PersonPicker(context, self.village.currentData(), compact=True)
        self.picker.everywhere.hide()
        self.picker.chosen.connect(self._chose_household)
        self.chosen = QLabel("未选农户（可只选到胡同、片区或自然村）")
        self.chosen.setObjectName("hint")
        form.addRow("责任农户：", self.picker)
        form.addRow("", self.chosen)
        units = QHBoxLayout()
        self.units: list[QComboBox] = []
        for index, (_level, label) in enumerate(UNIT_LEVELS):
            box = QComboBox()
            box.setMinimumWidth(120)
            box.currentIndexChanged.connect(lambda _i=0, n=index: self._fill(n + 1))
            self.units.append(box)
            units.addWidget(QLabel(label))
            units.addWidget(box)
        form.addRow("或选区域：", units)
        self.place = QLineEdit()
        self.place.setPlaceholderText("具体位置，如：门前、胡同口、村委会西侧")
        form.addRow("具体位置：", self.place)
        self.found = date_edit()
        self.found.dateChanged.connect(self._propose_deadline)
        form.addRow("发现日期：", self.found)
        self.source, self.category = QComboBox(), QComboBox()
        for row in self.service.sources(active_only=True):
            self.source.addItem(row.name, row.id)
        for row in self.service.categories(active_only=True):
            self.category.addItem(f"{row.name}（{row.default_days}天）", row.id)
        for box in (self.source, self.category):
            box.currentIndexChanged.connect(self._propose_deadline)
        form.addRow("问题来源：", self.source)
        form.addRow("问题类别：", self.category)
        self.description = QLineEdit()
        self.description.setPlaceholderText("问题描述，如：门前堆放建筑垃圾")
        self.reporter = QLineEdit()
        self.reporter.setPlaceholderText("如：拍客群村民、街道巡查办、胡同长")
        form.addRow("问题描述：", self.description)
        form.addRow("发现人：", self.reporter)
        hand_on = QHBoxLayout()
        self.assign = QCheckBox("登记后直接交办给")
        self.assign.setChecked(True)
        self.responsible = responsible_box()
        self.deadline = date_edit()
        hand_on.addWidget(self.assign)
        hand_on.addWidget(self.responsible)
        hand_on.addWidget(QLabel("整改时限"))
        hand_on.addWidget(self.deadline)
        hand_on.addStretch(1)
        form.addRow("交办：", hand_on)
        self.photos = PhotoStrip()
        self.photos.taken.connect(self._taken)
        form.addRow("现场照片：", self.photos)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addWidget(save_cancel_buttons(self.save, self.reject))
        self._village_changed()
        self._propose_deadline()

    # ---- the place -----------------------------------------------------------------------
    def _village_changed(self) -> None:
        self.picker.set_village(self.village.currentData())
        self.picker.everywhere.hide()
        self._chose_household(None)
        self._fill(0)

    def _fill(self, index: int) -> None:
        """Fill unit box `index` with the children of the unit chosen above it."""
        if index >= len(self.units):
            return
        parent = self.units[index - 1].currentData() if index else self.village.currentData()
        level = UNIT_LEVELS[index - 1][0] if index else Level.ADMIN_VILLAGE
        box = self.units[index]
        box.blockSignals(True)
        box.clear()
        box.addItem("（不选）", None)
        if parent is not None:
            for unit in self.directory.children(level, parent):
                box.addItem(unit.name, unit.id)
        box.blockSignals(False)
        self._fill(index + 1)

    def _chose_household(self, hit: PersonHit | None) -> None:
        self.household = hit
        if hit is None:
            self.chosen.setText("未选农户（可只选到胡同、片区或自然村）")
        else:
            self.chosen.setText(f"已选：{hit.name}户（{hit.village} {hit.place} {hit.address}）")

    # ---- proposals -----------------------------------------------------------------------
    def _taken(self, when: datetime) -> None:
        day = min(when.date(), clock.today())
        self.found.setDate(QDate(day))
        self.error.setText(f"已按照片的拍摄时间把发现日期定为 {day:%Y-%m-%d}，如不对请修改。")

    def _propose_deadline(self) -> None:
        if self.category.currentData() is None or self.source.currentData() is None:
            return
        on = max(picked(self.found), clock.today())
        self.deadline.setDate(QDate(self.service.proposed_deadline(
            self.category.currentData(), self.source.currentData(), on)))

    # ---- saving --------------------------------------------------------------------------
    def data(self) -> ProblemInput:
        chosen = [box.currentData() for box in self.units]
        return ProblemInput(
            picked(self.found), self.source.currentData(), self.category.currentData(),
            self.description.text(), village_id=self.village.currentData(),
            natural_village_id=chosen[0] if not self.household else None,
            zone_id=chosen[1] if not self.household else None,
            alley_id=chosen[2] if not self.household else None,
            household_id=self.household.household_id if self.household else None,
            place=self.place.text(), reporter=self.reporter.text())

    def save(self) -> None:
        assignment = Assignment(self.responsible.currentData(), deadline=picked(self.deadline)) \
            if self.assign.isChecked() else None
        try:
            self.registered = self.service.register(self.data(), self.photos.photos,
                                                    assign=assignment)
        except DomainError as error:
            self.error.setText(f"{error}\n本次没有保存任何内容。")
            return
        self.accept()
