"""Layouts that reflow: a row of filters or buttons that wraps onto a second line, and a grid of
equal cells whose number of columns follows the width, so a page fits a 1024-px screen with 大字
instead of scrolling sideways."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QLayout,
    QLayoutItem,
    QSplitter,
    QStyle,
    QStyleOptionTabWidgetFrame,
    QTabWidget,
    QWidget,
)


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
            columns = min(self._columns, len(shown))
            width = columns * max(x.sizeHint().width() for x in shown)
        else:
            columns = len(shown)
            width = sum(x.sizeHint().width() for x in shown)
        width += (columns - 1) * self.spacing()
        return self._with_margins(QSize(width, self.heightForWidth(width)))

    def minimumSize(self) -> QSize:
        shown = self._shown()
        if not shown:
            return QSize(0, 0)
        return self._with_margins(QSize(max(x.minimumSize().width() for x in shown),
                                        max(x.minimumSize().height() for x in shown)))

    # ---- the arrangement -----------------------------------------------------------------------
    def _shown(self) -> list[QLayoutItem]:
        return [x for x in self._items if not x.isEmpty()]

    def _with_margins(self, size: QSize) -> QSize:
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

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
        spacing = self.spacing()
        widest = max(x.sizeHint().width() for x in shown)
        columns = max(1, min(self._columns, (area.width() + spacing) // (widest + spacing)))
        width = (area.width() - (columns - 1) * spacing) // columns
        height = max(x.heightForWidth(width) if x.hasHeightForWidth() else x.sizeHint().height()
                     for x in shown)
        if move:
            for index, item in enumerate(shown):
                row, column = divmod(index, columns)
                item.setGeometry(QRect(area.x() + column * (width + spacing),
                                       area.y() + row * (height + spacing), width, height))
        rows = (len(shown) + columns - 1) // columns
        return rows * height + (rows - 1) * spacing


class ReflowSplitter(QSplitter):
    """Two panes side by side where `wide` characters fit across, one above the other where they
    do not (大字 on a small screen). The first pane is the helper (a finder): `first` characters
    wide beside the other, at its least height above it; the other takes the rest."""

    def __init__(self, wide: int, first: int):
        super().__init__(Qt.Orientation.Horizontal)
        self.wide, self.first = wide, first
        self.placed = False
        self.setChildrenCollapsible(False)

    def resizeEvent(self, event: QResizeEvent) -> None:
        character = self.fontMetrics().horizontalAdvance("中")
        across = event.size().width() >= self.wide * character
        orientation = Qt.Orientation.Horizontal if across else Qt.Orientation.Vertical
        super().resizeEvent(event)
        if orientation != self.orientation() or not self.placed:
            self.placed = True
            self.setStretchFactor(1, 1)  # the helper keeps its size when the window changes
            self.setOrientation(orientation)
            first = self.first * character if across else self.widget(0).minimumSizeHint().height()
            room = event.size().width() if across else event.size().height()
            self.setSizes([first, room - first - self.handleWidth()])


def least_height(page: QWidget, width: int) -> int:
    """The least height `page` needs at `width`, text wrapped. (A widget asked its height for a
    width answers with its preferred height: every table at its preferred size.)"""
    layout = page.layout()
    if layout is None or not layout.hasHeightForWidth():
        return page.minimumSizeHint().height()
    return layout.totalMinimumHeightForWidth(width)


class PageTabs(QTabWidget):
    """Tabs that ask for the least height of the tab shown, not the preferred height of the
    tallest tab, so a page with tabs fits a 768-px screen with 大字."""

    def __init__(self) -> None:
        super().__init__()
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def heightForWidth(self, width: int) -> int:
        page = self.currentWidget()
        if page is None or self.tabPosition() != QTabWidget.TabPosition.North:
            return super().heightForWidth(width)
        option = QStyleOptionTabWidgetFrame()
        self.initStyleOption(option)
        frame = self.style().sizeFromContents(QStyle.ContentsType.CT_TabWidget, option,
                                              QSize(0, 0), self)
        tabs = self.tabBar().sizeHint().height()
        return tabs + frame.height() + least_height(page, width - frame.width())
