"""The passbook page on the demo town: find a head, open the passbook, the 约谈 list."""

from __future__ import annotations

import pytest

from models.core import clock
from ui.context import AppContext
from ui.pages.points.page import PointsPage
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
    from models.settings_service import SettingsService

    SettingsService(db, system).put("points_cap", 120)
    assert SettingsService(db, system).values()["points_cap"] == 120


def test_passbook_text_fits_at_1280_and_has_its_tooltip(qtbot, db, system, tmp_path):  # type: ignore[no-untyped-def]
    from datetime import date

    from PySide6.QtCore import Qt

    from models.points.service import PointsService
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


def test_a_clerk_reads_the_points_bank_but_cannot_post(qtbot, demo_db, tmp_path):  # type: ignore[no-untyped-def]
    from models.accounts.service import actor_for

    page = PointsPage(AppContext(demo_db, actor_for(demo_db, "hanjia-wenshu"), tmp_path))
    qtbot.addWidget(page)
    assert [b.text() for b in page.post_buttons] == ["加分 / 扣分…", "冲正所选记录…", "批量登记…"]
    assert not any(b.isEnabled() for b in page.post_buttons)
    assert page.close_button.isHidden()
    assert page.book_pane.currentIndex() == 0  # a hint until a head is picked
    page.search.setText("王")
    page.open_head(page.hit_model.rows[0])
    assert page.book_pane.currentIndex() == 1 and page.entry_model.rows


def test_a_secretary_posts_but_leaves_the_year_end_to_the_township(qtbot, demo_db, tmp_path):  # type: ignore[no-untyped-def]
    from models.accounts.service import actor_for

    page = PointsPage(AppContext(demo_db, actor_for(demo_db, "hanjia"), tmp_path))
    qtbot.addWidget(page)
    assert all(b.isEnabled() for b in page.post_buttons)
    assert page.close_button.isHidden()
    settings_page = SettingsPage(AppContext(demo_db, actor_for(demo_db, "hanjia"), tmp_path))
    qtbot.addWidget(settings_page)
    assert not settings_page.save_button.isEnabled()
    assert all(e.isReadOnly() for e in settings_page.editors.values() if hasattr(e, "isReadOnly"))


@pytest.mark.parametrize("today", ["2026-06-15", "2026-12-01", "2026-12-31"])
def test_the_year_end_button_is_about_the_year_shown(qtbot, demo_db, system, tmp_path, monkeypatch, today):  # type: ignore[no-untyped-def]
    monkeypatch.setenv(clock.ENVIRONMENT_VARIABLE, today)
    page = PointsPage(AppContext(demo_db, system, tmp_path))
    qtbot.addWidget(page)
    this_year = clock.today().year
    assert not page.close_button.isHidden() and not page.close_button.isEnabled()
    assert page.close_button.text() == f"{this_year}年度结转…"
    assert f"{this_year}年度还有" in page.lapse_hint.text()
    assert page.lapse_hint.text().startswith("现在已是12月，") == (clock.today().month == 12)
    page.year_box.setValue(this_year - 1)
    assert page.close_button.isEnabled() and page.close_button.text() == f"{this_year - 1}年度结转…"
    assert page.lapse_hint.text().startswith(f"{this_year - 1}年度")


def test_the_talk_list_says_how_many_deductions_there_were(qtbot, demo_db, system, tmp_path):  # type: ignore[no-untyped-def]
    page = PointsPage(AppContext(demo_db, system, tmp_path))
    qtbot.addWidget(page)
    index = page.talk_model.index(0, 7)
    row = page.talk_model.rows[0]
    assert page.talk_model.data(index).startswith(f"共{len(row.reasons)}次")
