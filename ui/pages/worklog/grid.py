"""The month grid of the 三个一 log: a row per alley head; a column per day (patrols), per week
(summaries) and one for the month's visits. Driven by the keyboard: arrows move, Space or Enter
ticks a day (or opens the week's summary, or the alley's households), Delete takes a tick back,
F2 records a finding. Every tick is saved at once, as its own small transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from models.core.errors import DomainError
from models.worklog.calendar import bit, week_label
from models.worklog.log import MonthGrid
from models.worklog.month_data import HeadLog

FIXED = 2  # the alley and head columns
WEEKDAYS = "一二三四五六日"
OFF = QBrush(QColor("#e4e7eb"))
WEEKEND = QBrush(QColor("#f3f5f7"))
FOUND = QBrush(QColor("#fff4c2"))
DONE = QBrush(QColor("#e3f1e4"))
MISSING = QBrush(QColor("#fbe9e7"))


class Cell:
    DAY, WEEK, VISIT, FIXED = "day", "week", "visit", "fixed"


class LogGridModel(QAbstractTableModel):
    """The month's log as cells; `set_mask` takes the saved mask back from the service."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.grid: MonthGrid | None = None
        self.masks: list[int] = []
        self.summaries: list[set[date]] = []
        self.visited: list[int] = []

    def load(self, grid: MonthGrid) -> None:
        self.beginResetModel()
        self.grid = grid
        self.masks = [r.log.patrols for r in grid.rows]
        self.summaries = [set(r.log.summaries) for r in grid.rows]
        self.visited = [r.log.households_visited for r in grid.rows]
        self.endResetModel()

    # ---- shape -----------------------------------------------------------------------------
    @property
    def days(self) -> int:
        return self.grid.month.days if self.grid else 0

    def kind(self, column: int) -> tuple[str, int]:
        """What a column holds: (Cell.DAY, day) / (Cell.WEEK, week index) / (Cell.VISIT, 0)."""
        if column < FIXED:
            return Cell.FIXED, column
        if column < FIXED + self.days:
            return Cell.DAY, column - FIXED + 1
        if column < FIXED + self.days + len(self.grid.weeks):
            return Cell.WEEK, column - FIXED - self.days
        return Cell.VISIT, 0

    def day_column(self, day: int) -> int:
        return FIXED + day - 1

    def head(self, row: int) -> HeadLog:
        return self.grid.rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() or self.grid is None else len(self.grid.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() or self.grid is None else FIXED + self.days + len(self.grid.weeks) + 1

    # ---- cells -----------------------------------------------------------------------------
    def workable(self, row: int, column: int) -> bool:
        """A day in office and not in the future; any week or visit of a head in office."""
        kind, number = self.kind(column)
        log = self.head(row).log
        if kind == Cell.DAY:
            return log.first_day <= number <= log.last_day and \
                self.grid.month.day(number) <= self.grid.today
        return kind != Cell.FIXED

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.grid is None:
            return None
        row, (kind, number) = index.row(), self.kind(index.column())
        head = self.head(row)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, kind, number, head)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(row, kind, number, head)
        if role == Qt.ItemDataRole.TextAlignmentRole and kind != Cell.FIXED:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tip(row, kind, number, head)
        return None

    def _text(self, row: int, kind: str, number: int, head: HeadLog) -> str:
        if kind == Cell.FIXED:
            return f"{head.natural_village}·{head.unit}" if number == 0 else head.name
        if kind == Cell.DAY:
            return "√" if self.masks[row] & bit(number) else ""
        if kind == Cell.WEEK:
            return "√" if self.grid.weeks[number] in self.summaries[row] else ""
        due = head.log.households_due
        return f"{min(self.visited[row], due)}/{due}" if due else "—"

    def _background(self, row: int, kind: str, number: int, head: HeadLog) -> QBrush | None:
        if kind == Cell.DAY:
            if not self.workable(row, FIXED + number - 1):
                return OFF
            if number in head.finding_days:
                return FOUND
            return WEEKEND if self.grid.month.day(number).weekday() >= 5 else None
        if kind == Cell.VISIT and head.log.households_due:
            return DONE if self.visited[row] >= head.log.households_due else MISSING
        return None

    def tip(self, row: int, kind: str, number: int, head: HeadLog) -> str | None:
        if kind == Cell.DAY:
            when = f"{self.grid.month.month}月{number}日"
            if not self.workable(row, FIXED + number - 1):
                return f"{when}：不在任期内或还没有到"
            state = "已巡查" if self.masks[row] & bit(number) else "未登记巡查"
            found = "，有巡查发现的问题（F2 查看、登记）" if number in head.finding_days else ""
            return f"{head.name} {when}：{state}{found}（空格或回车打勾，Delete 取消）"
        if kind == Cell.WEEK:
            return f"{week_label(self.grid.weeks[number])}的汇总（回车登记）"
        if kind == Cell.VISIT:
            return "本月入户走访：已走访户数/应走访户数（回车打开农户名单）"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or self.grid is None:
            return None
        kind, number = self.kind(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if kind == Cell.FIXED:
                return ("胡同", "胡同长")[number]
            if kind == Cell.DAY:
                return f"{number}\n{WEEKDAYS[self.grid.month.day(number).weekday()]}"
            if kind == Cell.WEEK:
                return f"第{number + 1}周\n汇总"
            return "本月\n走访"
        if role == Qt.ItemDataRole.ToolTipRole and kind == Cell.WEEK:
            return week_label(self.grid.weeks[number])
        return None

    # ---- changes saved by the page -----------------------------------------------------------
    def set_mask(self, row: int, mask: int) -> None:
        self.masks[row] = mask
        self.dataChanged.emit(self.index(row, FIXED), self.index(row, FIXED + self.days - 1))

    def set_summary(self, row: int, week: int, present: bool) -> None:
        monday = self.grid.weeks[week]
        (self.summaries[row].add if present else self.summaries[row].discard)(monday)
        column = FIXED + self.days + week
        self.dataChanged.emit(self.index(row, column), self.index(row, column))

    def set_visited(self, row: int, count: int) -> None:
        self.visited[row] = count
        column = self.columnCount() - 1
        self.dataChanged.emit(self.index(row, column), self.index(row, column))


class LogGridView(QTableView):
    """Keyboard first. `tick(row, day, done)` saves a patrol; `open_week`, `open_visits` and
    `open_finding` open the dialogs; each is set by the page."""

    refused = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.grid_model = LogGridModel(self)
        self.setModel(self.grid_model)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(26)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setMinimumSectionSize(24)
        self.tick: Callable[[int, int, bool], int] | None = None
        self.open_week: Callable[[int, int], None] | None = None
        self.open_visits: Callable[[int], None] | None = None
        self.open_finding: Callable[[int, int], None] | None = None

    def load(self, grid: MonthGrid) -> None:
        here = self.currentIndex()
        self.grid_model.load(grid)
        header = self.horizontalHeader()
        header.resizeSection(0, 180)
        header.resizeSection(1, 64)
        for column in range(FIXED, self.grid_model.columnCount()):
            header.resizeSection(column, 27 if self.grid_model.kind(column)[0] == Cell.DAY else 46)
        target = self.grid_model.index(min(max(here.row(), 0), self.grid_model.rowCount() - 1),
                                       max(here.column(), FIXED))
        if target.isValid():
            self.setCurrentIndex(target)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        key = event.key()
        if index.isValid() and key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter,
                                       Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_F2):
            self.act(index, key)
            return
        super().keyPressEvent(event)

    def act(self, index: QModelIndex, key: int) -> None:
        row, (kind, number) = index.row(), self.grid_model.kind(index.column())
        if kind == Cell.DAY:
            if not self.grid_model.workable(row, index.column()):
                self.refused.emit(self.grid_model.tip(row, kind, number, self.grid_model.head(row)))
            elif key == Qt.Key.Key_F2:
                self.open_finding(row, number)
            else:
                ticked = bool(self.grid_model.masks[row] & bit(number))
                done = not ticked if key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                    else False
                if done != ticked:
                    self._save(row, number, done)
        elif kind == Cell.WEEK and key not in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.open_week(row, number)
        elif kind == Cell.VISIT and key not in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.open_visits(row)

    def _save(self, row: int, day: int, done: bool) -> None:
        try:
            mask = self.tick(row, day, done)
        except DomainError as error:
            self.refused.emit(str(error))
            return
        self.grid_model.set_mask(row, mask)
