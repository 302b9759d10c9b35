"""Widgets of the 红黑榜 page: the fast score-entry grid and the rank chart (QPainter)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QStyledItemDelegate,
    QTableView,
    QWidget,
)

from models.core.errors import ValidationError
from models.ranking.rules import score_text
from models.ranking.service import ScoreRow, parse_score

# 评议综合分: the evaluation part of the zone's month (the points part comes from the passbooks)
HEADERS = ("片区", "群众评议", "片区长观摩评议", "书记评议", "评议综合分")
EDITABLE = (1, 2, 3)


class ScoreGridModel(QAbstractTableModel):
    """One natural village's month: a row per zone, three editable scores, the weighted total."""

    rejected = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[list[Any]] = []
        self.weights = (50, 30, 20)
        self.dirty = False

    refused = False  # the last score typed was refused (the editor stays on its cell)

    def load(self, rows: list[ScoreRow], weights: tuple[int, int, int]) -> None:
        self.beginResetModel()
        self.rows = [[r.zone_id, r.zone_name, r.villagers, r.heads, r.secretary] for r in rows]
        self.weights = weights
        self.dirty = False
        self.endResetModel()

    def values(self) -> list[tuple[int, Any, Any, Any]]:
        return [(r[0], r[2], r[3], r[4]) for r in self.rows]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def total(self, row: list[Any]) -> str:
        if any(v is None for v in row[2:5]):
            return ""
        total = sum(Fraction(w) * Fraction(v) for w, v in zip(self.weights, row[2:5], strict=True))
        return score_text(total / sum(self.weights))

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == 0:
                return row[1]
            if column == 4:
                return self.total(row)
            value = row[column + 1]
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() not in EDITABLE:
            return False
        row = self.rows[index.row()]
        try:
            score = parse_score(value, f"{row[1]}{HEADERS[index.column()]}")
        except ValidationError as error:
            self.refused = True
            self.rejected.emit(str(error))
            return False
        self.refused = False
        row[index.column() + 1] = score
        self.dirty = True
        self.dataChanged.emit(index, self.index(index.row(), 4))
        return True

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() in EDITABLE else base

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None


_MOVES = {Qt.Key.Key_Return: QAbstractItemDelegate.EndEditHint.EditNextItem,
          Qt.Key.Key_Enter: QAbstractItemDelegate.EndEditHint.EditNextItem,
          Qt.Key.Key_Tab: QAbstractItemDelegate.EndEditHint.EditNextItem,
          Qt.Key.Key_Backtab: QAbstractItemDelegate.EndEditHint.EditPreviousItem}


class _EnterMovesOn(QStyledItemDelegate):
    """Enter in a cell's editor saves it and goes on to the next score cell, like Tab; a score
    the grid refuses keeps the cursor in its cell (its reason under the grid), never skipped."""


    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() in _MOVES:
            self.commitData.emit(editor)
            if getattr(self.parent().model(), "refused", False):
                editor.selectAll()
                return True
            self.closeEditor.emit(editor, _MOVES[event.key()])
            return True
        return super().eventFilter(editor, event)


class ScoreGridView(QTableView):
    """Tab and Enter move through the score cells only, row by row; typing opens a cell."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setItemDelegate(_EnterMovesOn(self))
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(True)

    def step(self, index: QModelIndex, forward: bool) -> QModelIndex:
        """The next (or previous) score cell; invalid past the ends so that focus moves on."""
        model = self.model()
        cells = [(r, c) for r in range(model.rowCount()) for c in EDITABLE]
        here = (index.row(), min(max(index.column(), EDITABLE[0]), EDITABLE[-1]))
        position = cells.index(here) + (1 if forward else -1) if here in cells else 0
        if index.column() < EDITABLE[0] and forward:
            position -= 1
        return model.index(*cells[position]) if 0 <= position < len(cells) else QModelIndex()

    def moveCursor(self, action: QAbstractItemView.CursorAction,
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        if action in (QAbstractItemView.CursorAction.MoveNext, QAbstractItemView.CursorAction.MovePrevious) \
                and self.currentIndex().isValid():
            return self.step(self.currentIndex(), action == QAbstractItemView.CursorAction.MoveNext)
        return super().moveCursor(action, modifiers)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid() \
                and self.state() != QAbstractItemView.State.EditingState:
            target = self.step(self.currentIndex(), True)
            if target.isValid():
                self.setCurrentIndex(target)
                self.edit(target)
            return
        super().keyPressEvent(event)


PALETTE = ("#b3261e", "#1f6fb2", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037", "#c2185b",
           "#455a64")


class RankChart(QWidget):
    """Each unit's rank through the months: rank 1 at the top, a gap where it was not ranked."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.series: dict[str, list[int | None]] = {}
        self.setMinimumHeight(300)

    def set_series(self, series: dict[str, list[int | None]]) -> None:
        self.series = series
        self.update()

    def paintEvent(self, _event) -> None:  # type: ignore[no-untyped-def]
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        count = max(len(self.series), 1)
        months = max((len(v) for v in self.series.values()), default=12)
        left, top, legend = 60.0, 24.0, 130.0
        plot = QRectF(left, top, max(self.width() - left - legend - 20, 50),
                      max(self.height() - top - 44, 50))
        painter.setPen(QPen(QColor("#9aa5b1"), 1))
        painter.drawRect(plot)
        step_x = plot.width() / max(months - 1, 1)
        step_y = plot.height() / max(count - 1, 1)
        painter.setPen(QColor("#52606d"))
        for rank in range(1, count + 1):
            y = plot.top() + (rank - 1) * step_y
            painter.drawText(QRectF(0, y - 10, left - 8, 20),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), f"第{rank}名")
        for month in range(months):
            x = plot.left() + month * step_x
            painter.drawText(QRectF(x - 20, plot.bottom() + 6, 40, 20), int(Qt.AlignmentFlag.AlignCenter),
                             f"{month + 1}月")
        if not self.series:
            painter.drawText(plot, int(Qt.AlignmentFlag.AlignCenter), "没有数据")
        for number, (name, ranks) in enumerate(self.series.items()):
            colour = QColor(PALETTE[number % len(PALETTE)])
            painter.setPen(QPen(colour, 2))
            previous: QPointF | None = None
            for month, rank in enumerate(ranks):
                if rank is None:
                    previous = None
                    continue
                point = QPointF(plot.left() + month * step_x, plot.top() + (rank - 1) * step_y)
                if previous is not None:
                    painter.drawLine(previous, point)
                painter.setBrush(colour)
                painter.drawEllipse(point, 3.5, 3.5)
                previous = point
            y = top + number * 22
            painter.drawLine(QPointF(plot.right() + 16, y + 10), QPointF(plot.right() + 40, y + 10))
            painter.setPen(QColor("#1f2933"))
            painter.drawText(QRectF(plot.right() + 46, y, legend - 30, 20),
                             int(Qt.AlignmentFlag.AlignVCenter), name)
        painter.end()
