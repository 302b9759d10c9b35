"""组织架构: the five levels as a tree, the selected unit's details, an alley's households."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from models.core.access import Permission
from models.core.errors import DomainError
from models.org.directory import DirectoryService, HouseholdRow, Level, UnitRow
from models.org.search import PeopleSearch, PersonHit
from models.org.service import HouseholdInput, OrganisationService, units_in_village
from ui.context import AppContext
from ui.dialogs.head_photo import HeadPhotoDialog
from ui.dialogs.heads import AppointDialog, HeadsRosterDialog, IssueDialog
from ui.dialogs.household import HouseholdDialog
from ui.dialogs.members import MembersDialog
from ui.dialogs.roster import RosterActions
from ui.widgets import Column, RowTableModel, page_title, section_title, show_refusal
from ui.widgets_search import PersonPicker

TITLE = "组织架构"
# The empty organisation's first day, in steps (shown until the first household is entered).
FIRST_STEPS = ("还没有任何农户。建立组织架构：① 在下面选中行政村，点“新建自然村”；② 选中自然村，点"
               "“新建片区”；③ 选中片区，点“新建胡同”；④ 选中胡同，点右边的“新增农户”。"
               "也可以点右上角“下载导入模板”，在 Excel 里填好农户名单后“从 Excel 导入”，"
               "自然村、片区、胡同会一起建好。")
UNIT_ROLE = Qt.ItemDataRole.UserRole + 1
LOADED_ROLE = Qt.ItemDataRole.UserRole + 2

HOUSEHOLD_COLUMNS = (
    Column("户主", lambda r: r.householder),
    Column("门牌地址", lambda r: r.address),
    Column("电话", lambda r: r.phone),
    Column("人口", lambda r: r.residents, Qt.AlignmentFlag.AlignRight),
    Column("身份证号", lambda r: r.id_number_masked),
)
COLUMN_TEXTS = {0: "欧阳明月", 1: "南一胡同幸福路12号", 2: "13800000000", 3: "人口",
                4: "371" + "*" * 14 + "X"}  # column: its usual widest text
FIXED_COLUMNS = (0, 2, 3)  # the address can be widened by hand; the ID number takes what is left


class OrganisationPage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.setObjectName("page")
        self.context = context
        self.directory = context.service(DirectoryService)
        self.current: UnitRow | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        self.org = context.service(OrganisationService)
        self.roster = RosterActions(context, self)
        top = QHBoxLayout()
        top.addWidget(page_title("组织架构"))
        top.addStretch(1)
        for text, slot in (("下载导入模板…", self.roster.save_template),
                           ("从 Excel 导入…", self.roster.import_file),
                           ("导出到 Excel…", self._export),
                           ("公示名单", self._heads_roster)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            top.addWidget(button)
        layout.addLayout(top)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        self.finder = PersonPicker(context, compact=True)
        self.finder.box.setPlaceholderText("查找居民：姓名、拼音首字母或电话后四位")
        self.finder.chosen.connect(self.go_to_person)
        left_column.addWidget(self.finder)
        left_column.addLayout(self._build_create_bar())
        self.first_steps = QLabel(FIRST_STEPS)
        self.first_steps.setObjectName("hint")
        self.first_steps.setWordWrap(True)
        left_column.addWidget(self.first_steps)
        left_column.addWidget(self._build_tree(), 1)
        splitter.addWidget(left)
        splitter.addWidget(self._build_details())
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([320, 700])
        layout.addWidget(splitter, 1)
        context.changed.connect(self._on_changed)
        self.reload()

    # ---- building ---------------------------------------------------------------------------
    def _build_create_bar(self) -> QHBoxLayout:
        """新建自然村 / 片区 / 胡同 in sight: under the selected unit's village, natural village
        or zone (the first day's work, before any right-click is known)."""
        bar = QHBoxLayout()
        self.create_buttons = {}
        for level in (Level.NATURAL_VILLAGE, Level.ZONE, Level.ALLEY):
            button = QPushButton(f"新建{level.label}…")
            button.clicked.connect(lambda _checked=False, child=level: self._create_level(child))
            bar.addWidget(button)
            self.create_buttons[level] = button
        bar.addStretch(1)
        return bar

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
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
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
        self.head_label.setWordWrap(True)
        form.addRow("位置：", self.path_label)
        form.addRow("级别：", self.level_label)
        form.addRow("户数：", self.count_label)
        form.addRow("负责人：", self.head_label)
        head_bar = QHBoxLayout()
        self.appoint_button = QPushButton("推选负责人…")
        self.appoint_button.setToolTip("推选或更换这个片区、胡同的负责人")
        self.appoint_button.clicked.connect(self._appoint)
        self.issue_button = QPushButton("红马甲、工作证…")
        self.issue_button.setToolTip("登记发放的红马甲、工作证和工作证编号")
        self.issue_button.clicked.connect(self._issue)
        self.photo_button = QPushButton("照片…")
        self.photo_button.setToolTip("负责人的一寸照片：柜台、工作证、职责牌和积分存折上用")
        self.photo_button.clicked.connect(self._photo)
        head_bar.addWidget(self.appoint_button)
        head_bar.addWidget(self.issue_button)
        head_bar.addWidget(self.photo_button)
        head_bar.addStretch(1)
        form.addRow(head_bar)  # the whole card's width, not only the values' column
        column.addWidget(card)

        bar = QHBoxLayout()
        self.households_title = section_title("农户")
        self.households_title.setWordWrap(True)
        bar.addWidget(self.households_title)
        bar.addStretch(1)
        self.add_button = QPushButton("新增农户…")
        self.households_editable = False  # an alley is chosen and the user may edit it
        self.add_button.clicked.connect(self._add_household)
        bar.addWidget(self.add_button)
        column.addLayout(bar)

        self.households = RowTableModel(HOUSEHOLD_COLUMNS, self)
        self.table = QTableView()
        self.table.setModel(self.households)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for fixed in FIXED_COLUMNS:
            header.setSectionResizeMode(fixed, QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(True)  # a wide window's room goes to the ID number
        self._size_columns()
        self.table.installEventFilter(self)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._household_menu)
        column.addWidget(self.table, 1)
        return panel

    def _size_columns(self) -> None:
        """Each column as wide as its usual text in the font of the moment (大字 too), so a phone
        number is never cut and the address keeps its room on a small screen, where the ID
        number is scrolled to. ResizeToContents would leave out the style's cell padding and
        clip the last character."""
        metrics, header = self.table.fontMetrics(), self.table.horizontalHeader()
        for column, usual in COLUMN_TEXTS.items():
            header.resizeSection(column, metrics.horizontalAdvance(usual) + 32)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.FontChange:
            self._size_columns()  # the table's own font is the new one by now, not yet the page's
        return super().eventFilter(watched, event)

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
        if not unit.has_children:
            return
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
        may_edit = self.context.actor.may(Permission.EDIT_ORGANISATION, village)
        full = is_alley and bool(details.cap) and details.counts["households"] >= details.cap
        # A full alley's households still have their menu: 调到其他胡同 is how it stops being full.
        self.households_editable = is_alley and may_edit
        self.add_button.setEnabled(self.households_editable and not full)
        self.add_button.setToolTip(f"这个胡同已有 {details.cap} 户，满了：请新建胡同，或把农户调到其他胡同。"
                                   if full else "")
        has_head = unit is not None and unit.level in (Level.ZONE, Level.ALLEY)
        self.appoint_button.setVisible(has_head)
        self.issue_button.setVisible(has_head)
        self.photo_button.setVisible(has_head)
        self.photo_button.setEnabled(has_head and may_edit and details.head is not None)
        self.appoint_button.setEnabled(has_head and may_edit)
        self.issue_button.setEnabled(has_head and may_edit and details.head is not None)
        self.current_head = details.head if has_head else None
        for button in self.create_buttons.values():
            button.setEnabled(self.context.actor.may(Permission.EDIT_ORGANISATION, village)
                              or village is None)
        self.first_steps.setVisible(self.directory.stats()["households"] == 0)

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
        if topic == "org":
            PeopleSearch.invalidate(self.context.db)
            if self.current is not None:
                self._show(self.current)
                self._refresh_counts()

    # ---- editing ----------------------------------------------------------------------------
    def _run(self, operation, *args) -> bool:  # type: ignore[no-untyped-def]
        """Run one service operation; a refusal is shown, a success announced to every page."""
        try:
            operation(*args)
        except DomainError as error:
            show_refusal(self, error)
            return False
        self.context.changed.emit("org")
        return True

    def _tree_menu(self, point: QPoint) -> None:
        index = self.tree.indexAt(point)
        if not index.isValid():
            return
        self.tree.setCurrentIndex(index)
        unit: UnitRow = self.tree_model.itemFromIndex(index.siblingAtColumn(0)).data(UNIT_ROLE)
        menu = QMenu(self)
        if unit.level < Level.ALLEY:
            menu.addAction(f"新建{Level(unit.level + 1).label}…", lambda: self._create(unit))
        menu.addAction("重命名…", lambda: self._rename(unit))
        if unit.level >= Level.NATURAL_VILLAGE:
            menu.addAction("移动到…", lambda: self._move(unit))
        menu.addAction("删除", lambda: self._remove(unit))
        menu.addSeparator()
        menu.addAction("导出本单位名单…", lambda: self.roster.export(unit.level, unit.id, unit.name))
        menu.exec(self.tree.viewport().mapToGlobal(point))

    def _create_level(self, child: Level) -> None:
        """新建 a unit of level `child` under the selected unit or its ancestor of the level above."""
        index = self.tree.currentIndex()
        while index.isValid():
            unit: UnitRow = self.tree_model.itemFromIndex(index.siblingAtColumn(0)).data(UNIT_ROLE)
            if unit.level == child - 1:
                self.tree.setCurrentIndex(index)
                self._create(unit)
                return
            index = index.parent()
        parent = Level(child - 1).label
        QMessageBox.information(self, f"新建{child.label}",
                                f"请先在左边选中一个{parent}（或它下面的单位），再点“新建{child.label}”。")

    def _create(self, parent: UnitRow) -> None:
        child = Level(parent.level + 1)
        name, ok = QInputDialog.getText(self, f"新建{child.label}", f"{child.label}名称：")
        if not ok:
            return
        create = {Level.ADMIN_VILLAGE: self.org.create_admin_village,
                  Level.NATURAL_VILLAGE: self.org.create_natural_village,
                  Level.ZONE: self.org.create_zone, Level.ALLEY: self.org.create_alley}[child]
        if self._run(create, parent.id, name):
            self._reload_branch(self.tree.currentIndex())

    def _rename(self, unit: UnitRow) -> None:
        name, ok = QInputDialog.getText(self, f"重命名{unit.level.label}", "新名称：", text=unit.name)
        if ok and self._run(self.org.rename_unit, unit.level, unit.id, name):
            self._reload_branch(self.tree.currentIndex().parent())

    def _move(self, unit: UnitRow) -> None:
        village = self._village_of_selection()
        choices = units_in_village(self.org, Level(unit.level - 1), village) \
            if unit.level > Level.NATURAL_VILLAGE else []
        if unit.level == Level.NATURAL_VILLAGE:
            choices = [(u.id, u.name) for t in self.directory.children(Level.TOWNSHIP, None)
                       for u in self.directory.children(Level.TOWNSHIP, t.id)]
        labels = [label for _, label in choices]
        label, ok = QInputDialog.getItem(self, f"移动{unit.level.label}“{unit.name}”",
                                         f"移到哪个{Level(unit.level - 1).label}：", labels, 0, False)
        if ok and label and self._run(self.org.move_unit, unit.level, unit.id,
                                      choices[labels.index(label)][0]):
            self.reload()

    def _remove(self, unit: UnitRow) -> None:
        answer = QMessageBox.question(self, "删除", f"确定删除{unit.level.label}“{unit.name}”吗？")
        if answer == QMessageBox.StandardButton.Yes and self._run(
                self.org.remove_unit, unit.level, unit.id):
            self._reload_branch(self.tree.currentIndex().parent())

    def _reload_branch(self, index: QModelIndex) -> None:
        if not index.isValid():
            self.reload()
            return
        item = self.tree_model.itemFromIndex(index.siblingAtColumn(0))
        item.setData(False, LOADED_ROLE)
        self._load_children(index)
        self.tree.expand(index)

    def _household_menu(self, point: QPoint) -> None:
        index = self.table.indexAt(point)
        if not index.isValid() or not self.households_editable:
            return
        row: HouseholdRow = self.households.row(index)
        menu = QMenu(self)
        menu.addAction("家庭成员…", lambda: self._members(row))
        menu.addAction("修改户主信息…", lambda: self._edit_household(row))
        menu.addAction("调到其他胡同…", lambda: self._move_household(row))
        menu.addAction("注销（迁出）…", lambda: self._remove_household(row))
        menu.exec(self.table.viewport().mapToGlobal(point))

    def _members(self, row: HouseholdRow) -> None:
        MembersDialog(self.context, row.id, row.householder, self).exec()

    def _edit_household(self, row: HouseholdRow) -> None:
        address, ok = QInputDialog.getText(self, f"修改 {row.householder} 户", "门牌地址：",
                                           text=row.address)
        if not ok:
            return
        phone, ok = QInputDialog.getText(self, f"修改 {row.householder} 户", "联系电话：",
                                         text=row.phone)
        if ok:
            self._run(self.org.update_household, row.id,
                      HouseholdInput(row.householder, address=address, phone=phone))

    def _move_household(self, row: HouseholdRow) -> None:
        choices = units_in_village(self.org, Level.ALLEY, self._village_of_selection())
        labels = [label for _, label in choices]
        label, ok = QInputDialog.getItem(self, f"调整 {row.householder} 户", "调到哪个胡同：",
                                         labels, 0, False)
        if ok and label:
            self._run(self.org.move_household, row.id, choices[labels.index(label)][0])

    def _remove_household(self, row: HouseholdRow) -> None:
        reason, ok = QInputDialog.getText(self, f"注销 {row.householder} 户",
                                          "注销原因（如：整户迁出）：")
        if ok:
            self._run(self.org.remove_household, row.id, reason)

    def _appoint(self) -> None:
        unit = self.current
        if unit is None or unit.level not in (Level.ZONE, Level.ALLEY):
            return
        dialog = AppointDialog(self.context, unit.level, unit.id, unit.name,
                               self._village_of_selection(), self)
        if dialog.exec():
            self.context.changed.emit("org")

    def _issue(self) -> None:
        head = self.current_head
        if head is not None and IssueDialog(self.context, head.head_id, head.name, self).exec():
            self.context.changed.emit("org")

    def _photo(self) -> None:
        head = self.current_head
        if head is None:
            return
        HeadPhotoDialog(self.context, head.head_id, head.name, self._village_of_selection(),
                        self).exec()

    def _export(self) -> None:
        unit = self.current
        if unit is None:
            self.roster.export(None, None, "全部")
        else:
            self.roster.export(unit.level, unit.id, unit.name)

    def _heads_roster(self) -> None:
        village = self._village_of_selection()
        if village is None:
            QMessageBox.information(self, "公示名单", "请先在左侧选择一个行政村（或其下的单位）。")
            return
        name = self.directory.details(Level.ADMIN_VILLAGE, village).name
        HeadsRosterDialog(self.context, village, name, self).exec()

    def _refresh_counts(self) -> None:
        """Household counts along the selected branch, after a household was added."""
        index = self.tree.currentIndex()
        while index.isValid():
            unit: UnitRow = self.tree_model.itemFromIndex(index.siblingAtColumn(0)).data(UNIT_ROLE)
            count = self.directory.details(unit.level, unit.id).counts["households"]
            self.tree_model.itemFromIndex(index.siblingAtColumn(1)).setText(str(count))
            index = index.parent()

    def go_to_person(self, hit: PersonHit) -> None:
        """Open the tree down to the person's alley and select the household."""
        index = QModelIndex()
        for unit_id in self.org.unit_path(hit.alley_id):
            for row in range(self.tree_model.rowCount(index)):
                child = self.tree_model.index(row, 0, index)
                unit = self.tree_model.itemFromIndex(child).data(UNIT_ROLE)
                if unit is not None and unit.id == unit_id:
                    self.tree.expand(child)
                    index = child
                    break
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        for row, household in enumerate(self.households.rows):
            if household.id == hit.household_id:
                self.table.selectRow(row)

    def household_rows(self) -> list[HouseholdRow]:
        return list(self.households.rows)
