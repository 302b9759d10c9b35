"""组织架构: the five levels as a tree, the selected unit's details, an alley's households."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from models.access import Permission
from models.services.directory import DirectoryService, HouseholdRow, Level, UnitRow
from ui.context import AppContext
from ui.dialogs.household import HouseholdDialog
from ui.widgets import Column, RowTableModel, page_title, section_title

TITLE = "组织架构"
UNIT_ROLE = Qt.ItemDataRole.UserRole + 1
LOADED_ROLE = Qt.ItemDataRole.UserRole + 2

HOUSEHOLD_COLUMNS = (
    Column("户主", lambda r: r.householder),
    Column("门牌地址", lambda r: r.address),
    Column("电话", lambda r: r.phone),
    Column("人口", lambda r: r.residents, Qt.AlignmentFlag.AlignRight),
    Column("身份证号", lambda r: r.id_number_masked),
)


class OrganisationPage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.setObjectName("page")
        self.context = context
        self.directory = context.service(DirectoryService)
        self.current: UnitRow | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(page_title("组织架构：镇 › 行政村 › 自然村 › 片区 › 胡同"))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_tree())
        splitter.addWidget(self._build_details())
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([320, 700])
        layout.addWidget(splitter, 1)
        context.changed.connect(self._on_changed)
        self.reload()

    # ---- building ---------------------------------------------------------------------------
    def _build_tree(self) -> QTreeView:
        self.tree_model = QStandardItemModel(self)
        self.tree_model.setHorizontalHeaderLabels(["单位", "户数"])
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        self.tree.setColumnWidth(1, 60)
        self.tree.expanded.connect(self._load_children)
        self.tree.selectionModel().currentChanged.connect(self._on_selected)
        return self.tree

    def _build_details(self) -> QWidget:
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(12, 0, 0, 0)
        card = QFrame()
        card.setObjectName("card")
        form = QFormLayout(card)
        form.setHorizontalSpacing(18)
        self.path_label, self.level_label = QLabel(), QLabel()
        self.count_label, self.head_label = QLabel(), QLabel()
        self.path_label.setWordWrap(True)
        form.addRow("位置：", self.path_label)
        form.addRow("级别：", self.level_label)
        form.addRow("户数：", self.count_label)
        form.addRow("负责人：", self.head_label)
        column.addWidget(card)

        bar = QHBoxLayout()
        self.households_title = section_title("农户")
        bar.addWidget(self.households_title)
        bar.addStretch(1)
        self.add_button = QPushButton("新增农户…")
        self.add_button.clicked.connect(self._add_household)
        bar.addWidget(self.add_button)
        column.addLayout(bar)

        self.households = RowTableModel(HOUSEHOLD_COLUMNS, self)
        self.table = QTableView()
        self.table.setModel(self.households)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        column.addWidget(self.table, 1)
        return panel

    # ---- data -------------------------------------------------------------------------------
    def reload(self) -> None:
        self.tree_model.removeRows(0, self.tree_model.rowCount())
        for unit in self.directory.children(Level.TOWNSHIP, None):
            self.tree_model.appendRow(self._item(unit))
        if self.tree_model.rowCount():
            first = self.tree_model.index(0, 0)
            self.tree.expand(first)
            self.tree.setCurrentIndex(first)
        self._show(None)

    def _item(self, unit: UnitRow) -> list[QStandardItem]:
        name = QStandardItem(unit.name)
        name.setData(unit, UNIT_ROLE)
        name.setData(False, LOADED_ROLE)
        if unit.has_children:
            name.appendRow([QStandardItem("…"), QStandardItem("")])
        count = QStandardItem(str(unit.households))
        count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return [name, count]

    def _load_children(self, index: QModelIndex) -> None:
        item = self.tree_model.itemFromIndex(index.siblingAtColumn(0))
        if item is None or item.data(LOADED_ROLE):
            return
        unit: UnitRow = item.data(UNIT_ROLE)
        item.removeRows(0, item.rowCount())
        for child in self.directory.children(unit.level, unit.id):
            item.appendRow(self._item(child))
        item.setData(True, LOADED_ROLE)

    def _on_selected(self, index: QModelIndex, _previous: QModelIndex) -> None:
        item = self.tree_model.itemFromIndex(index.siblingAtColumn(0))
        self._show(item.data(UNIT_ROLE) if item is not None else None)

    def _show(self, unit: UnitRow | None) -> None:
        self.current = unit
        is_alley = unit is not None and unit.level == Level.ALLEY
        if unit is None:
            for label in (self.path_label, self.level_label, self.count_label, self.head_label):
                label.setText("")
        else:
            details = self.directory.details(unit.level, unit.id)
            self.path_label.setText(details.path)
            self.level_label.setText(unit.level.label)
            households = details.counts["households"]
            cap = f"（上限 {details.cap} 户）" if details.cap else ""
            self.count_label.setText(f"{households} 户{cap}")
            head = details.head
            self.head_label.setText(
                f"{head.role.label} {head.name}  {head.phone}"
                f"{'  中共党员' if head.is_party_member else ''}  （{head.started_on} 起，"
                f"{head.chosen_method}）" if head else "—")
        self.households_title.setText(
            f"{unit.name} 的农户" if is_alley else "农户（在左侧选择一个胡同）")
        self.households.set_rows(self.directory.households(unit.id) if is_alley else [])
        village = self._village_of_selection()
        self.add_button.setEnabled(is_alley and self.context.actor.may(
            Permission.EDIT_ORGANISATION, village))

    def _village_of_selection(self) -> int | None:
        index = self.tree.currentIndex()
        while index.isValid():
            unit: UnitRow = self.tree_model.itemFromIndex(index.siblingAtColumn(0)).data(UNIT_ROLE)
            if unit.level == Level.ADMIN_VILLAGE:
                return unit.id
            index = index.parent()
        return None

    def _add_household(self) -> None:
        if self.current is None or self.current.level != Level.ALLEY:
            return
        dialog = HouseholdDialog(self.context, self.current.id, self.current.name, self)
        if dialog.exec():
            self.context.changed.emit("org")

    def _on_changed(self, topic: str) -> None:
        if topic == "org" and self.current is not None:
            self._show(self.current)
            self._refresh_counts()

    def _refresh_counts(self) -> None:
        """Household counts along the selected branch, after a household was added."""
        index = self.tree.currentIndex()
        while index.isValid():
            unit: UnitRow = self.tree_model.itemFromIndex(index.siblingAtColumn(0)).data(UNIT_ROLE)
            count = self.directory.details(unit.level, unit.id).counts["households"]
            self.tree_model.itemFromIndex(index.siblingAtColumn(1)).setText(str(count))
            index = index.parent()

    def household_rows(self) -> list[HouseholdRow]:
        return list(self.households.rows)
