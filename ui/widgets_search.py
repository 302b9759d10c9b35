"""PersonPicker: a search box with a results list under it, for every place a person is chosen
(organisation, passbook, counter). Results appear while typing; Enter or a double click chooses.

    picker = PersonPicker(context, village_id=None, heads_only=False)
    picker.chosen.connect(lambda hit: ...)   # hit: models.org.search.PersonHit
    picker.set_village(village_id)           # None = everywhere (the “全部村” box)

With compact=True the results list only appears while there are results (for a page corner).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.org.search import PeopleSearch, PersonHit
from ui.context import AppContext

HIT_ROLE = Qt.ItemDataRole.UserRole + 1


def describe(hit: PersonHit) -> str:
    roles = f"【{'、'.join(hit.roles)}】" if hit.roles else ""
    party = " 党员" if hit.is_party_member else ""
    phone = f"  尾号{hit.phone[-4:]}" if hit.phone else ""
    return f"{hit.name}{roles}{party}    {hit.village} {hit.place}{phone}"


class PersonPicker(QWidget):
    """Emits `chosen(PersonHit)` when the user picks a person from the results."""

    chosen = Signal(object)

    def __init__(self, context: AppContext, village_id: int | None = None,
                 heads_only: bool = False, limit: int = 30, parent: QWidget | None = None,
                 compact: bool = False):
        super().__init__(parent)
        self.compact = compact
        self.context, self.village_id = context, village_id
        self.heads_only, self.limit = heads_only, limit
        self.search = context.service(PeopleSearch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.box = QLineEdit()
        self.box.setPlaceholderText("输入姓名、拼音首字母（如 zsf）或电话后几位")
        self.box.setClearButtonEnabled(True)
        self.everywhere = QCheckBox("全部村")
        self.everywhere.setToolTip("勾选后在所有村中查找")
        self.everywhere.setVisible(village_id is not None)
        row.addWidget(self.box, 1)
        row.addWidget(self.everywhere)
        layout.addLayout(row)
        self.results = QListWidget()
        self.results.setMinimumHeight(160)
        if compact:
            self.results.setMaximumHeight(220)
            self.results.hide()
        layout.addWidget(self.results, 1)
        self.status = QLabel()
        self.status.setObjectName("hint")
        layout.addWidget(self.status)
        # Typing fast should not search for every intermediate letter.
        self.timer = QTimer(self, singleShot=True, interval=120)
        self.timer.timeout.connect(self.refresh)
        self.box.textChanged.connect(lambda _text: self.timer.start())
        self.box.returnPressed.connect(self._choose_current)
        self.everywhere.toggled.connect(lambda _on: self.refresh())
        self.results.itemActivated.connect(self._choose)
        context.changed.connect(self._on_changed)

    def set_village(self, village_id: int | None) -> None:
        self.village_id = village_id
        self.everywhere.setVisible(village_id is not None)
        self.refresh()

    def set_text(self, text: str) -> None:
        """Search for `text` at once (also used by tests)."""
        self.box.setText(text)
        self.timer.stop()
        self.refresh()

    def refresh(self) -> None:
        text = self.box.text()
        scope = None if self.everywhere.isChecked() else self.village_id
        hits = self.search.find(text, scope, self.heads_only, self.limit) if text.strip() else []
        self.results.clear()
        for hit in hits:
            item = QListWidgetItem(describe(hit))
            item.setData(HIT_ROLE, hit)
            self.results.addItem(item)
        if hits:
            self.results.setCurrentRow(0)
        more = f"（只显示前 {self.limit} 个，请多输入几个字）" if len(hits) >= self.limit else ""
        self.status.setText(f"找到 {len(hits)} 人{more}" if text.strip() else "")
        if self.compact:
            self.results.setVisible(bool(hits))
            self.status.setVisible(bool(text.strip()))

    def hits(self) -> list[PersonHit]:
        return [self.results.item(i).data(HIT_ROLE) for i in range(self.results.count())]

    def _choose_current(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self._choose(item)

    def _choose(self, item: QListWidgetItem) -> None:
        self.chosen.emit(item.data(HIT_ROLE))

    def _on_changed(self, topic: str) -> None:
        if topic == "org":
            PeopleSearch.invalidate(self.context.db)
            if self.box.text().strip():  # e.g. someone on another PC just added this person
                self.refresh()
