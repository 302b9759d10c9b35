"""The points dialog keeps what was typed when a save is refused, says the refusal in the dialog,
and says before saving which rules need evidence."""

from __future__ import annotations

from datetime import date

import pytest

from models.points.service import PointsService
from tests.points.helpers import make_heads
from ui.context import AppContext
from ui.pages.points.page import EntryDialog, PointsPage

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_a_refused_save_stays_open_with_the_reason_typed(qtbot, db, system, tmp_path):
    make_heads(db)
    page = PointsPage(AppContext(db, system, tmp_path))
    qtbot.addWidget(page)
    page.year_box.setValue(2026)
    page.search.setText("韩")
    page.open_head(page.hit_model.rows[0])
    rules = PointsService(db, system).rules()
    saved: list[str] = []

    def refuse_then_save(dialog: EntryDialog) -> None:
        if not saved:
            saved.append("refused")
            from models.core.errors import ValidationError
            raise ValidationError("扣分必须写明原因。")
        saved.append(dialog.note())

    dialog = EntryDialog(page, rules, [page.head], (date(2026, 1, 1), date(2026, 12, 1),
                                                     date(2026, 12, 1)), save=refuse_then_save)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.note_box.setText("门前堆放杂物")
    dialog.accept()
    assert dialog.isVisible() and dialog.note_box.text() == "门前堆放杂物"
    assert dialog.message.text() == "扣分必须写明原因。\n本次没有保存任何内容。"
    dialog.accept()
    assert not dialog.isVisible() and saved == ["refused", "门前堆放杂物"]


def test_rules_that_need_evidence_say_so(qtbot, db, system, tmp_path):
    make_heads(db)
    rules = PointsService(db, system).rules()
    needing = [r for r in rules if r.evidence_required and r.in_force(date(2026, 12, 1))]
    if not needing:
        pytest.skip("no rule of the catalogue asks for evidence")
    page = PointsPage(AppContext(db, system, tmp_path))
    qtbot.addWidget(page)
    page.search.setText("韩")
    page.open_head(page.hit_model.rows[0])
    dialog = EntryDialog(page, rules, [page.head], (date(2026, 1, 1), date(2026, 12, 1),
                                                     date(2026, 12, 1)), save=lambda d: None)
    qtbot.addWidget(dialog)
    index = [r.id for r in dialog.rules].index(needing[0].id)
    dialog.rule_box.setCurrentIndex(index)
    assert "须附证据" in dialog.rule_box.currentText()
    assert dialog.evidence_label.text() == "这条细则必须附证据（照片或文件）"


def test_a_new_entry_is_selected_and_in_sight(qtbot, db, system, tmp_path):
    head, = make_heads(db)
    service = PointsService(db, system)
    free = next(r for r in service.rules() if r.limit_count is None and not r.evidence_required
                and r.points > 0 and r.in_force(date(2026, 3, 1)) and r.category != "红黑榜")
    for day in range(1, 29):
        service.post(head, free.id, date(2026, 3, day), f"第{day}次")
    page = PointsPage(AppContext(db, system, tmp_path))
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    page.year_box.setValue(2026)
    page.search.setText("韩")
    page.open_head(page.hit_model.rows[0])
    rules = service.rules()
    dialog = EntryDialog(page, rules, [page.head], (date(2026, 1, 1), date(2026, 12, 1),
                                                     date(2026, 12, 1)),
                         save=lambda d: page._post(d, [head]))
    qtbot.addWidget(dialog)
    dialog.rule_box.setCurrentIndex([r.id for r in dialog.rules].index(free.id))
    dialog.note_box.setText("新的一笔")
    dialog.accept()
    current = page.entries.currentIndex()
    assert "新的一笔" in page.entry_model.row(current).text
    assert page.entries.viewport().rect().intersects(page.entries.visualRect(current))
