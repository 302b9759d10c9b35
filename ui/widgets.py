"""Small building blocks shared by the pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.core import clock
from models.core.errors import ConnectionLost, DomainError


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def today_qdate() -> QDate:
    """Today as the program's clock says (never QDate.currentDate(): the tests set the day)."""
    return qdate(clock.today())


class Column:
    """A table column: a Chinese header and how to read the cell from a row object. A `tooltip`
    column also shows its whole text on hover, for long text a narrow window may cut off."""

    def __init__(self, header: str, value: Callable[[Any], Any],
                 align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft, tooltip: bool = False):
        self.header, self.value, self.align, self.tooltip = header, value, align, tooltip


class RowTableModel(QAbstractTableModel):
    """A read-only table fed whole rows by its page (the page loads them through a service)."""

    def __init__(self, columns: Sequence[Column], parent: QWidget | None = None):
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole or (role == Qt.ItemDataRole.ToolTipRole
                                                    and column.tooltip):
            value = column.value(self.rows[index.row()])
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header
        return None

    def row(self, index: QModelIndex) -> Any:
        return self.rows[index.row()]


def row_table_view(model: QAbstractTableModel) -> QTableView:
    """A read-only table of whole rows: one row selected at a time, striped, no row numbers."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    return view


def page_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle")
    return label


def section_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label


def number_card(value: str, label: str) -> QFrame:
    card = QFrame()
    card.setObjectName("card")
    layout = QVBoxLayout(card)
    number = QLabel(value)
    number.setObjectName("cardValue")
    number.setAlignment(Qt.AlignmentFlag.AlignCenter)
    caption = QLabel(label)
    caption.setObjectName("cardLabel")
    caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
    layout.addWidget(number)
    layout.addWidget(caption)
    return card


def refusal_text(error: DomainError) -> str:
    """A refused operation's message, with the reassurance that nothing was saved — except when
    the connection broke at the end, when nobody can know yet (the message says so itself)."""
    if isinstance(error, ConnectionLost):
        return str(error)
    return f"{error}\n本次没有保存任何内容。"


def show_refusal(parent: QWidget, error: DomainError, title: str = "操作未完成") -> None:
    """A refused operation: its Chinese message, and the reassurance that nothing was saved."""
    QMessageBox.warning(parent, title, refusal_text(error))


def error_label() -> QLabel:
    """The red, wrapping label a dialog shows a refusal in (styled by its object name)."""
    label = QLabel()
    label.setObjectName("error")
    label.setWordWrap(True)
    return label


def save_cancel_buttons(on_save: Callable[[], Any], on_cancel: Callable[[], Any]) -> QDialogButtonBox:
    """A 保存/取消 button box wired to the given slots."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    buttons.accepted.connect(on_save)
    buttons.rejected.connect(on_cancel)
    return buttons
