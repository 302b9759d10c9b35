"""The 红黑榜 page on the demo town: typing scores with Enter moving through the grid, saving,
publishing a correction, the history and the rank chart."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from models.core.access import Actor, Role
from ui.context import AppContext
from ui.pages.ranking.page import RankingPage

OFFICE = Actor(name="镇人居办", role=Role.TOWNSHIP_ADMIN)


@pytest.fixture
def page(demo_db, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    widget = RankingPage(AppContext(demo_db, OFFICE, Path(tmp_path)))
    qtbot.addWidget(widget)
    widget.resize(1030, 720)
    return widget


def test_grid_entry_with_enter_and_save(page, qtbot):  # type: ignore[no-untyped-def]
    page.entry_month.setText("2024-06")
    page.load_grid()
    grid, model = page.grid, page.grid_model
    assert model.rowCount() == 3 and model.data(model.index(0, 0)) == "南片区"
    grid.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(grid, Qt.Key.Key_Return)  # from the zone's name, Enter opens its first score
    for text in ("88.5", "90", "91"):  # Enter in a cell's editor saves it and opens the next cell
        editor = grid.indexWidget(grid.currentIndex())
        editor.selectAll()
        qtbot.keyClicks(editor, text)
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert [model.data(model.index(0, c)) for c in (1, 2, 3)] == ["88.5", "90.0", "91.0"]
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (1, 1)
    assert grid.state() == grid.State.EditingState  # the next zone's first score is open for typing
    assert grid.step(model.index(2, 3), True).isValid() is False
    assert model.data(model.index(0, 4)) == "89.45"
    page.save_grid()
    saved = page.service.grid(page.entry_village.currentData(), "2024-06")[0]
    assert (float(saved.villagers), float(saved.heads), float(saved.secretary)) == (88.5, 90, 91)
    assert "已保存，1个片区" in page.entry_status.text()


def test_bad_score_is_refused_in_the_cell(page, qtbot):  # type: ignore[no-untyped-def]
    model = page.grid_model
    assert not model.setData(model.index(0, 1), "120")
    assert "0 到 100" in page.entry_status.text()


def test_publish_correction_and_history(page, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("复核后更正", True))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    page.tabs.setCurrentIndex(1)
    page.period.setText("2026-07")
    page.compute()
    for row in range(page.reasons.rowCount()):
        page.reasons.item(row, 2).setText("垃圾清运不及时")
    before = len(page.lists.rows)
    page.publish()
    assert len(page.lists.rows) == before + 1
    july = [r for r in page.lists.rows if r.period == "2026-07"]
    assert [(r.version, r.current) for r in july] == [(1, False), (2, True)]
    assert july[1].change_note.startswith("更正原因：复核后更正")
    page.tabs.setCurrentIndex(3)
    page.chart_year.setValue(2026)
    series = page.chart.series
    assert set(series) == {"南片区", "北片区", "中片区"} and all(len(v) == 12 for v in series.values())
    scored = list(zip(*series.values(), strict=True))[:10]  # January – October are scored
    assert all(sorted(month) == [1, 2, 3] for month in scored)


def test_publishing_with_exclusions_asks_first(page, monkeypatch):  # type: ignore[no-untyped-def]
    asked = []

    def answer(_parent, _title, text, *a, **k):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.No if len(asked) == 1 else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    page.entry_month.setText("2026-11")  # November: only 韩家村's first natural village scored
    page.load_grid()
    for row in range(page.grid_model.rowCount()):
        for column in (1, 2, 3):
            page.grid_model.setData(page.grid_model.index(row, column), "85")
    page.save_grid()
    page.tabs.setCurrentIndex(1)
    page.period.setText("2026-11")
    page.compute()
    for row in range(page.reasons.rowCount()):
        page.reasons.item(row, 2).setText("垃圾清运不及时")
    before = len(page.lists.rows)
    page.publish()  # the first answer is No: nothing published
    assert len(page.lists.rows) == before and "评分不全" in asked[0] and "仍要公示吗" in asked[0]
    page.publish()  # Yes: published, the excluded named on the list
    assert len(page.lists.rows) == before + 1
    listing = page.service.latest_list("2026-11")
    assert "评分不全，不参加本期评选" in listing.unranked


def test_correcting_a_published_month_warns_first(page, monkeypatch):  # type: ignore[no-untyped-def]
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a, **k: asked.append(text)
                        or QMessageBox.StandardButton.No)
    page.entry_month.setText("2026-02")
    page.load_grid()
    before = page.service.grid(page.entry_village.currentData(), "2026-02")
    page.grid_model.setData(page.grid_model.index(0, 1), "60")
    page.save_grid()
    assert asked and "2026年2月红黑榜（2026年3月5日公示）" in asked[0]
    assert "2026年第一季度红黑榜（2026年4月8日公示）已经公示" in asked[0]
    assert "不会改变已公示的名单" in asked[0]
    assert page.service.grid(page.entry_village.currentData(), "2026-02") == before  # not saved


def test_the_clerk_cannot_start_what_only_the_secretary_may_do(demo_db, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton

    from models.accounts.service import actor_for

    clerk = RankingPage(AppContext(demo_db, actor_for(demo_db, "hanjia-wenshu"), Path(tmp_path)))
    qtbot.addWidget(clerk)
    buttons = {b.text(): b for b in clerk.findChildren(QPushButton)}
    assert not buttons["保存本村本月评分"].isEnabled()
    assert not buttons["从 Excel 导入…"].isEnabled()
    assert "书记" in buttons["保存本村本月评分"].toolTip()


def test_a_refused_score_keeps_the_cursor_in_its_cell_and_is_cleared_when_mended(page, qtbot):  # type: ignore[no-untyped-def]
    page.entry_month.setText("2024-06")
    page.load_grid()
    grid, model = page.grid, page.grid_model
    grid.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Tab):
        editor = grid.indexWidget(grid.currentIndex())
        editor.selectAll()
        qtbot.keyClicks(editor, "120")
        qtbot.keyClick(editor, key)
        assert (grid.currentIndex().row(), grid.currentIndex().column()) == (0, 1)  # not skipped
        assert grid.state() == grid.State.EditingState and "0 到 100" in page.entry_status.text()
    editor = grid.indexWidget(grid.currentIndex())
    editor.selectAll()
    qtbot.keyClicks(editor, "95")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert model.data(model.index(0, 1)) == "95.0" and page.entry_status.text() == ""
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (0, 2)
