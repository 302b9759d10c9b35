"""家庭成员: a household's residents — add, edit, remove with a reason."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models.core.errors import DomainError
from models.org.service import MemberRow, OrganisationService, ResidentInput
from ui.context import AppContext
from ui.dialogs.heads import buttons, table
from ui.widgets import Column, RowTableModel, show_refusal

MEMBER_COLUMNS = (
    Column("姓名", lambda m: m.name),
    Column("与户主关系", lambda m: m.relation),
    Column("性别", lambda m: m.gender),
    Column("出生年份", lambda m: m.birth_year or "", Qt.AlignmentFlag.AlignRight),
    Column("电话", lambda m: m.phone),
    Column("身份证号", lambda m: m.id_number_masked),
    Column("党员", lambda m: "是" if m.is_party_member else ""),
)
RELATIONS = ("户主", "配偶", "儿子", "女儿", "父亲", "母亲", "儿媳", "女婿", "孙子", "孙女", "其他")


class ResidentDialog(QDialog):
    """One resident's details; the ID number is only replaced when something is typed."""

    def __init__(self, title: str, member: MemberRow | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(member.name if member else "")
        self.relation = QComboBox()
        self.relation.setEditable(True)
        self.relation.addItems(RELATIONS)
        self.relation.setCurrentText(member.relation if member else "其他")
        self.gender = QComboBox()
        self.gender.addItems(["", "男", "女"])
        self.gender.setCurrentText(member.gender if member else "")
        self.birth_year = QSpinBox()
        self.birth_year.setRange(1899, 2100)
        self.birth_year.setSpecialValueText("不详")
        self.birth_year.setValue(member.birth_year or 1899 if member else 1899)
        self.phone = QLineEdit(member.phone if member else "")
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText(member.id_number_masked if member and
                                          member.id_number_masked else "可不填；填写时校验")
        self.party = QCheckBox("中共党员")
        self.party.setChecked(bool(member and member.is_party_member))
        for label, widget in (("姓名：", self.name), ("与户主关系：", self.relation),
                              ("性别：", self.gender), ("出生年份：", self.birth_year),
                              ("电话：", self.phone), ("身份证号：", self.id_number),
                              ("", self.party)):
            form.addRow(label, widget)
        layout.addLayout(form)
        layout.addWidget(buttons(self, "保存"))

    def person(self) -> ResidentInput:
        """An empty ID field gives None: the service then keeps the stored number."""
        year = self.birth_year.value()
        return ResidentInput(
            name=self.name.text(), relation=self.relation.currentText(),
            gender=self.gender.currentText(), birth_year=None if year == 1899 else year,
            phone=self.phone.text(), id_number=self.id_number.text() or None,
            is_party_member=self.party.isChecked())


class MembersDialog(QDialog):
    def __init__(self, context: AppContext, household_id: int, householder: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.context, self.household_id = context, household_id
        self.org = context.service(OrganisationService)
        self.setWindowTitle(f"{householder} 户的家庭成员")
        self.resize(720, 380)
        layout = QVBoxLayout(self)
        self.model = RowTableModel(MEMBER_COLUMNS, self)
        self.view = table(self.model, 0)
        self.view.horizontalHeader().setSectionResizeMode(
            5, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.view, 1)
        bar = QHBoxLayout()
        for text, slot in (("新增成员…", self.add), ("修改…", self.edit), ("注销…", self.remove)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addStretch(1)
        hint = QLabel("身份证号只显示首尾；修改时不填则保留原号码。")
        hint.setObjectName("hint")
        bar.addWidget(hint)
        layout.addLayout(bar)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(self.org.members(self.household_id))

    def selected(self) -> MemberRow | None:
        index = self.view.currentIndex()
        return self.model.row(index) if index.isValid() else None

    def _save(self, operation, *args) -> None:  # type: ignore[no-untyped-def]
        try:
            operation(*args)
        except DomainError as error:
            show_refusal(self, error)
            return
        self.context.changed.emit("org")
        self.reload()

    def add(self) -> None:
        dialog = ResidentDialog("新增家庭成员", None, self)
        if dialog.exec():
            self._save(self.org.add_resident, self.household_id, dialog.person())

    def edit(self) -> None:
        member = self.selected()
        if member is None:
            return
        dialog = ResidentDialog(f"修改 {member.name}", member, self)
        if dialog.exec():
            self._save(self.org.update_resident, member.resident_id, dialog.person())

    def remove(self) -> None:
        member = self.selected()
        if member is None:
            return
        reason, ok = QInputDialog.getText(self, f"注销 {member.name}", "注销原因（如：迁出、去世）：")
        if ok:
            self._save(self.org.remove_resident, member.resident_id, reason)
