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
