"""问题类别和来源: the editable catalogues, each category with the days a fix is given by default
(a source may give fewer). The township keeps them; a village office's own database, its
secretary."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models.core.errors import DomainError
from models.problems.service import CatalogueRow, ProblemsService
from ui.widgets import (
    Column,
    RowTableModel,
    error_label,
    row_table_view,
    save_cancel_buttons,
    section_title,
)

COLUMNS = (
    Column("名称", lambda r: r.name),
    Column("默认整改天数", lambda r: f"{r.default_days}天" if r.default_days else "按类别"),
    Column("状态", lambda r: "在用" if r.active else "已停用"),
)


class CatalogueDialog(QDialog):
    def __init__(self, service: ProblemsService, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("问题类别和来源")
        self.setMinimumSize(720, 460)
        self.service = service
        layout = QHBoxLayout(self)
        self.models = {}
        for which, title in (("categories", "问题类别"), ("sources", "问题来源")):
            column = QVBoxLayout()
            column.addWidget(section_title(title))
            model = RowTableModel(COLUMNS, self)
            view = row_table_view(model)
            view.horizontalHeader().setStretchLastSection(True)
            view.doubleClicked.connect(lambda index, w=which, m=model: self.edit(w, m.row(index)))
            column.addWidget(view, 1)
            add = QPushButton(f"新增{title}…")
            add.clicked.connect(lambda _=False, w=which: self.edit(w, None))
            column.addWidget(add)
            layout.addLayout(column)
            self.models[which] = model
        self.reload()

    def reload(self) -> None:
        self.models["categories"].set_rows(self.service.categories())
        self.models["sources"].set_rows(self.service.sources())

    def edit(self, which: str, row: CatalogueRow | None) -> None:
        if ItemDialog(self.service, which, row, self).exec():
            self.reload()


class ItemDialog(QDialog):
    def __init__(self, service: ProblemsService, which: str, row: CatalogueRow | None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.service, self.which, self.row = service, which, row
        label = "问题类别" if which == "categories" else "问题来源"
        self.setWindowTitle(f"修改{label}" if row else f"新增{label}")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(row.name if row else "")
        self.days = QSpinBox()
        self.days.setRange(0 if which == "sources" else 1, 365)
        self.days.setSuffix(" 天")
        if which == "sources":
            self.days.setSpecialValueText("按类别")
        self.days.setValue(row.default_days or 0 if row else (0 if which == "sources" else 7))
        self.active = QCheckBox("在用")
        self.active.setChecked(row.active if row else True)
        form.addRow("名称：", self.name)
        form.addRow("默认整改天数：", self.days)
        form.addRow("", self.active)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addWidget(save_cancel_buttons(self.save, self.reject))

    def save(self) -> None:
        item_id = self.row.id if self.row else None
        try:
            if self.which == "categories":
                self.service.save_category(item_id, self.name.text(), self.days.value(),
                                           self.active.isChecked())
            else:
                self.service.save_source(item_id, self.name.text(), self.days.value() or None,
                                         self.active.isChecked())
        except DomainError as error:
            self.error.setText(f"{error}\n本次没有保存任何内容。")
            return
        self.accept()
