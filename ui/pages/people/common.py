"""What the people pages share: the year and village pickers, hints, tables and small forms."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.core import clock
from models.core.access import Permission
from models.core.errors import DomainError
from models.points.service import PointsService
from ui.context import AppContext
from ui.dialogs.heads import buttons
from ui.widgets import error_label, page_title, row_table_view

RIGHT = Qt.AlignmentFlag.AlignRight


def hint(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


def table(model) -> QTableView:  # type: ignore[no-untyped-def]
    """Columns as wide as their contents, the last (the long text) taking the rest."""
    view = row_table_view(model)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class Header(QWidget):
    """The page title with the year and the village (a village account sees its own only)."""

    def __init__(self, context: AppContext, title: str, on_change: Callable[[], None],
                 all_villages: str | None = None):
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        heading = page_title(title)
        heading.setWordWrap(True)  # a long title takes two lines with 大字 on a small screen
        row.addWidget(heading, 1)
        self.village = QComboBox()
        self.village.setMinimumWidth(140)
        villages = context.service(PointsService).villages()
        if all_villages and villages and context.actor.may(Permission.VIEW, None):
            self.village.addItem(all_villages, None)
        for village_id, name in villages:
            self.village.addItem(name, village_id)
        self.village.setEnabled(self.village.count() > 1)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(clock.today().year)
        self.year.setSuffix(" 年度")
        row.addWidget(QLabel("行政村"))
        row.addWidget(self.village)
        row.addWidget(QLabel("年度"))
        row.addWidget(self.year)
        self.village.currentIndexChanged.connect(lambda _i: on_change())
        self.year.valueChanged.connect(lambda _v: on_change())

    @property
    def village_id(self) -> int | None:
        return self.village.currentData()

    @property
    def village_name(self) -> str:
        return self.village.currentText()


class FormDialog(QDialog):
    """A small form: fields added by the caller, 确定/取消, and the refusal shown in red. `save`
    is called on 确定 and may raise a DomainError (nothing saved, the dialog stays open)."""

    def __init__(self, title: str, ok_text: str, save: Callable[[], object],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.save = save
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.error = error_label()
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(buttons(self, ok_text))

    def accept(self) -> None:
        try:
            self.save()
        except DomainError as error:
            self.error.setText(f"{error}\n本次没有保存任何内容。")
            return
        super().accept()
