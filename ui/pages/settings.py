"""系统设置: every policy number registered in models.core.settings.SPECS, grouped, with its help."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models.core import settings
from models.core.access import Permission
from models.core.errors import DomainError
from models.settings_service import SettingsService
from ui.context import AppContext
from ui.widgets import page_title, show_refusal

TITLE = "系统设置"


class SettingsPage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.setObjectName("page")
        self.context = context
        self.editors: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(page_title("系统设置"))
        hint = QLabel("以下数字按本镇实际确定；修改只影响以后的登记，不改动已有记录。")
        hint.setObjectName("hint")
        layout.addWidget(hint)
        body = QWidget()
        self.body = QVBoxLayout(body)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        self.may_edit = context.actor.may(Permission.SETTINGS, None)
        self.save_button = QPushButton("保存设置")
        self.save_button.clicked.connect(self.save)
        self.save_button.setEnabled(self.may_edit)
        row = QHBoxLayout()
        if not self.may_edit:
            note = QLabel("系统设置全镇统一，只有镇级管理员可以修改；这里仅供查看。")
            note.setObjectName("hint")
            row.addWidget(note)
        row.addStretch(1)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self._build()

    def _build(self) -> None:
        values = self.context.service(SettingsService).values()
        groups: dict[str, QFormLayout] = {}
        for key, spec in settings.SPECS.items():
            if spec.group not in groups:
                box = QGroupBox(spec.group)
                groups[spec.group] = QFormLayout(box)
                self.body.addWidget(box)
            editor = self._editor(spec, values[key])
            editor.setToolTip(spec.help)
            if not self.may_edit:
                _read_only(editor)
            self.editors[key] = editor
            label = QLabel(spec.label)
            label.setToolTip(spec.help)
            groups[spec.group].addRow(label, editor)
        self.body.addStretch(1)

    @staticmethod
    def _editor(spec: settings.SettingSpec, value) -> QWidget:  # type: ignore[no-untyped-def]
        if isinstance(spec.default, bool):
            box = QCheckBox()
            box.setChecked(bool(value))
            return box
        if isinstance(spec.default, int):
            spin = QSpinBox()
            spin.setRange(spec.minimum if spec.minimum is not None else -1_000_000,
                          spec.maximum if spec.maximum is not None else 1_000_000)
            spin.setValue(int(value))
            spin.setMinimumWidth(120)
            return spin
        return QLineEdit(str(value))

    def _value(self, editor: QWidget):  # type: ignore[no-untyped-def]
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QSpinBox):
            return editor.value()
        return editor.text()

    def save(self) -> None:
        service = self.context.service(SettingsService)
        current = service.values()
        changed = 0
        try:
            for key, editor in self.editors.items():
                value = self._value(editor)
                if value != current[key]:
                    service.put(key, value)
                    changed += 1
        except DomainError as error:
            show_refusal(self, error)
            return
        QMessageBox.information(self, "系统设置", f"已保存 {changed} 项修改。" if changed else "没有修改。")
        if changed:
            self.context.changed.emit("settings")


def _read_only(editor: QWidget) -> None:
    """Shown, not greyed out: the values stay easy to read for those who may not change them."""
    if isinstance(editor, QCheckBox):
        editor.setEnabled(False)
    elif isinstance(editor, QSpinBox):
        editor.setReadOnly(True)
        editor.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
    elif isinstance(editor, QLineEdit):
        editor.setReadOnly(True)
