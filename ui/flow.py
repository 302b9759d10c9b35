"""Layouts that reflow: a row of filters or buttons that wraps onto a second line, and a grid of
equal cells whose number of columns follows the width, so a page fits a 1024-px screen with 大字
instead of scrolling sideways."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QSplitter, QWidget


class FlowLayout(QLayout):
    """Widgets left to right, wrapping onto the next line when the width runs out; its minimum
    width is its widest item's. With `columns`, a grid instead: up to that many equal columns, as
    many as fit the width, each cell as wide as the column (the goods buttons of the counter)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6, columns: int = 0):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._columns = columns
        self.setSpacing(spacing)
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    # ---- QLayout's bookkeeping -----------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        """One line (or one row of the grid) with every item at its preferred size."""
        shown = self._shown()
        if not shown:
            return QSize(0, 0)
        if self._columns:
            cell = self._cell_hint(shown)
            columns = min(self._columns, len(shown))
            width = columns * cell.width() + (columns - 1) * self.spacing()
        else:
            width = sum(x.sizeHint().width() for x in shown) + (len(shown) - 1) * self.spacing()
        return self._with_margins(QSize(width, self.heightForWidth(width)))

    def minimumSize(self) -> QSize:
        shown = self._shown()
        if not shown:
            return QSize(0, 0)
        widest = max(x.minimumSize().width() for x in shown)
        if self._columns:
            widest = max(widest, self._cell_hint(shown).width())
        return self._with_margins(QSize(widest, max(x.minimumSize().height() for x in shown)))

    # ---- the arrangement -----------------------------------------------------------------------
    def _shown(self) -> list[QLayoutItem]:
        return [x for x in self._items if not x.isEmpty()]

    def _with_margins(self, size: QSize) -> QSize:
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    @staticmethod
    def _cell_hint(items: list[QLayoutItem]) -> QSize:
        return QSize(max(x.sizeHint().width() for x in items),
                     max(x.sizeHint().height() for x in items))

    def _arrange(self, rect: QRect, move: bool) -> int:
        """Place the items in `rect` (when `move`); the height they take either way."""
        area = rect.marginsRemoved(self.contentsMargins())
        shown = self._shown()
        if not shown:
            return 0
        if self._columns:
            height = self._arrange_grid(area, shown, move)
        else:
            height = self._arrange_flow(area, shown, move)
        margins = self.contentsMargins()
        return height + margins.top() + margins.bottom()

    def _arrange_flow(self, area: QRect, shown: list[QLayoutItem], move: bool) -> int:
        x, y, line_height = area.x(), area.y(), 0
        for item in shown:
            size = item.sizeHint().boundedTo(QSize(area.width(), item.maximumSize().height()))
            size = size.expandedTo(item.minimumSize())
            if x > area.x() and x + size.width() > area.right() + 1:
                x, y, line_height = area.x(), y + line_height + self.spacing(), 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), size))
            x += size.width() + self.spacing()
            line_height = max(line_height, size.height())
        return y + line_height - area.y()

    def _arrange_grid(self, area: QRect, shown: list[QLayoutItem], move: bool) -> int:
        cell = self._cell_hint(shown)
        spacing = self.spacing()
        fit = max(1, (area.width() + spacing) // (cell.width() + spacing))
        columns = min(self._columns, fit)
        width = max(cell.width() if fit == 1 and area.width() < cell.width() else 0,
                    (area.width() - (columns - 1) * spacing) // columns)
        rows = (len(shown) + columns - 1) // columns
        if move:
            for index, item in enumerate(shown):
                row, column = divmod(index, columns)
                item.setGeometry(QRect(area.x() + column * (width + spacing),
                                       area.y() + row * (cell.height() + spacing),
                                       width, cell.height()))
        return rows * cell.height() + (rows - 1) * spacing


def wrapping_row(*widgets: QWidget, spacing: int = 6) -> FlowLayout:
    """A row of filters or buttons that wraps when the page is narrow."""
    row = FlowLayout(spacing=spacing)
    for widget in widgets:
        row.addWidget(widget)
    return row


def fixed_size(widget: QWidget) -> QWidget:
    """A widget that keeps its preferred size in a flow (a combo box would otherwise stretch)."""
    widget.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return widget


class ReflowSplitter(QSplitter):
    """Two panes side by side where `wide` characters fit across, one above the other where they
    do not (大字 on a small screen): each keeps a width it can be read at."""

    def __init__(self, wide: int):
        super().__init__(Qt.Orientation.Horizontal)
        self.wide = wide
        self.setChildrenCollapsible(False)

    def resizeEvent(self, event: QResizeEvent) -> None:
        room = self.wide * self.fontMetrics().horizontalAdvance("中")
        across = event.size().width() >= room
        self.setOrientation(Qt.Orientation.Horizontal if across else Qt.Orientation.Vertical)
        super().resizeEvent(event)
