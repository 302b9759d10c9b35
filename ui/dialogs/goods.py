"""Goods and stock dialogs: one small form each, saving through GoodsService; a refusal shows
its reason in the dialog and nothing is saved."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models.core.errors import DomainError
from models.store.goods import GoodsRow, GoodsService
from ui.widgets import error_label, refusal_text, save_cancel_buttons, today_qdate


def _spin(low: int, high: int, value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    return box


class FormDialog(QDialog):
    """A titled form; `save` runs the operation and closes on success."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(400)
        self.form = QFormLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addWidget(save_cancel_buttons(self.save, self.reject))
        self.operation: Callable[[], object] = lambda: None
        self.fields: dict[str, QWidget] = {}

    def add(self, label: str, field: QWidget) -> None:
        self.fields[label] = field
        self.form.addRow(f"{label}：", field)

    def date_field(self) -> QDateEdit:
        field = QDateEdit(today_qdate())
        field.setCalendarPopup(True)
        field.setDisplayFormat("yyyy-MM-dd")
        return field

    def save(self) -> None:
        try:
            self.operation()
        except DomainError as error:
            self.error.setText(refusal_text(error))
            return
        self.accept()


def goods_dialog(service: GoodsService, village_id: int, goods: GoodsRow | None,
                 parent: QWidget | None = None) -> FormDialog:
    """新增物品 or 修改物品."""
    dialog = FormDialog("修改物品" if goods else "新增物品", parent)
    name, unit = QLineEdit(goods.name if goods else ""), QLineEdit(goods.unit if goods else "")
    price = _spin(1, 100000, goods.price_points if goods else 10)
    picture = QLineEdit(goods.picture_path if goods else "")
    picture.setPlaceholderText("可不填：图片文件路径")
    active = QCheckBox("可以兑换")
    active.setChecked(goods.active if goods else True)
    for label, field in (("名称", name), ("单位", unit), ("兑换积分", price), ("图片", picture)):
        dialog.add(label, field)
    if goods:
        dialog.add("状态", active)
        dialog.operation = lambda: service.update_goods(
            goods.id, name=name.text(), unit=unit.text(), price_points=price.value(),
            active=active.isChecked(), picture_path=picture.text())
    else:
        dialog.operation = lambda: service.create_goods(
            village_id, name.text(), unit.text(), price.value(), picture.text())
    return dialog


def stock_in_dialog(service: GoodsService, goods: GoodsRow,
                    parent: QWidget | None = None) -> FormDialog:
    dialog = FormDialog(f"入库 — {goods.name}", parent)
    quantity, on = _spin(1, 1_000_000, 1), dialog.date_field()
    value, donor, note = QLineEdit(), QLineEdit(), QLineEdit()
    value.setPlaceholderText("例如 250.00")
    donor.setPlaceholderText("捐赠入库时填写捐赠人；采购不填")
    for label, field in (("数量", quantity), ("日期", on), ("金额（元）", value),
                         ("捐赠人", donor), ("说明", note)):
        dialog.add(label, field)
    dialog.operation = lambda: service.stock_in(
        goods.id, quantity.value(), on=on.date().toPython(), donor=donor.text(),
        value_yuan=value.text(), note=note.text())
    return dialog


def write_off_dialog(service: GoodsService, goods: GoodsRow,
                     parent: QWidget | None = None) -> FormDialog:
    dialog = FormDialog(f"报损 — {goods.name}（库存 {goods.stock}{goods.unit}）", parent)
    quantity, on, reason = _spin(1, 1_000_000, 1), dialog.date_field(), QLineEdit()
    reason.setPlaceholderText("例如：受潮、破损、过期")
    for label, field in (("数量", quantity), ("日期", on), ("原因", reason)):
        dialog.add(label, field)
    dialog.operation = lambda: service.write_off(goods.id, quantity.value(), reason.text(),
                                                 on=on.date().toPython())
    return dialog


def count_dialog(service: GoodsService, goods: GoodsRow,
                 parent: QWidget | None = None) -> FormDialog:
    dialog = FormDialog(f"盘点 — {goods.name}", parent)
    counted, on, note = _spin(0, 1_000_000, goods.stock), dialog.date_field(), QLineEdit()
    dialog.add("账面库存", QLabel(f"{goods.stock}{goods.unit}"))
    for label, field in (("实盘数量", counted), ("日期", on), ("说明", note)):
        dialog.add(label, field)
    dialog.operation = lambda: service.record_count(goods.id, counted.value(),
                                                    on=on.date().toPython(), note=note.text())
    return dialog
