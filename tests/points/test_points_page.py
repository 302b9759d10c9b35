"""The passbook page on the demo town: find a head, open the passbook, the 约谈 list."""

from __future__ import annotations

from ui.context import AppContext
from ui.pages.points import PointsPage
from ui.pages.settings import SettingsPage


def test_passbook_page_shows_a_heads_year(qtbot, demo_db, system, tmp_path):
    context = AppContext(demo_db, system, tmp_path)
    page = PointsPage(context)
    qtbot.addWidget(page)
    page.year_box.setValue(2026)
    page.search.setText("韩")
    assert page.hit_model.rows
    head = page.hit_model.rows[0]
    page.open_head(head)
    assert head.name in page.who.text()
    assert page.entry_model.rows[0].kind.label == "年初存入"
    assert "年度积分" in page.figures.text()
    assert page.talk_model.rows and all(r.score < 30 for r in page.talk_model.rows)


def test_settings_page_lists_points_settings(qtbot, db, system, tmp_path):
    page = SettingsPage(AppContext(db, system, tmp_path))
    qtbot.addWidget(page)
    assert {"points_opening", "points_cap", "points_floor"} <= set(page.editors)
    from models.services.settings import SettingsService

    SettingsService(db, system).put("points_cap", 120)
    assert SettingsService(db, system).values()["points_cap"] == 120


def test_passbook_text_fits_at_1280_and_has_its_tooltip(qtbot, db, system, tmp_path):  # type: ignore[no-untyped-def]
    from datetime import date

    from PySide6.QtCore import Qt

    from models.services.points import PointsService
    from tests.points.helpers import make_heads, rule_id

    head, = make_heads(db)
    note = "入户走访本胡同全部十二户农户并收集群众意见"
    PointsService(db, system).post(head, rule_id(db, "A03"), date(2026, 3, 2), note)
    page = PointsPage(AppContext(db, system, tmp_path))
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    page.year_box.setValue(2026)
    page.search.setText("韩")
    page.open_head(page.hit_model.rows[0])
    index = page.entry_model.index(1, 3)
    text = page.entry_model.data(index)
    assert note in text and page.entry_model.data(index, Qt.ItemDataRole.ToolTipRole) == text
    width = page.entries.fontMetrics().horizontalAdvance(text)
    assert page.entries.columnWidth(3) > width  # shown whole, no "…"
    assert page.entries.columnWidth(9) < page.entries.columnWidth(3) / 4  # 证据 no longer stretches
