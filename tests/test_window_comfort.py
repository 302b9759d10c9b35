"""Comfort: the window fits a 1024 × 768 screen on every page (组织架构 too); 大字 makes every
page and table bigger; size, place, last page and 大字 are remembered."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QTableView, QWidget

from models.accounts.demo import DEMO_SECRETARY
from models.accounts.service import actor_for
from ui import style
from ui.context import AppContext
from ui.main_window import TITLES, MainWindow
from ui.pages.points.page import PointsPage
from ui.pages.store.counter import CounterPage
from ui.preferences import Preferences

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
SCREEN = (1024, 768)
FRAME = (8, 30 + 40)  # a window frame and title bar, and the taskbar
LARGE = 12  # 大字


@pytest.fixture
def demo(qapp, templates, tmp_path: Path):  # type: ignore[no-untyped-def]
    # The program's style is applied (tests/conftest.py); 大字 changes the whole application's.
    font, sheet = qapp.font(), qapp.styleSheet()
    db = templates.fresh("sqlite", "demo", tmp_path)
    yield AppContext(db, actor_for(db, DEMO_SECRETARY), tmp_path)
    qapp.setFont(font)
    qapp.setStyleSheet(sheet)
    style.set_font_size(qapp, style.DEFAULT_FONT_SIZE)  # the tables' row height too
    db.dispose()


def _window(qtbot, context, preferences=None) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(context, preferences)
    qtbot.addWidget(window)
    window.show()
    return window


def _at_work(page: QWidget) -> None:
    """A page as it is used, its widest: a head at the counter with goods in the basket, a head's
    passbook open (a problem's card is open from the start)."""
    if isinstance(page, CounterPage):
        page.search.setText("韩")
        page.pick()
        page.add_goods(0)
        assert page.basket
    elif isinstance(page, PointsPage):
        page.search.setText("韩")
        page.open_head(page.hit_model.rows[0])


@pytest.mark.parametrize("points", sorted(style.FONT_SIZES))
def test_every_page_fits_a_1024_by_768_screen(qtbot, demo, points):
    """标准, 大字 and 特大 alike: no page scrolls sideways, the menu shows every page whole; at
    标准 and 大字 no page scrolls at all (at 特大 a few scroll a little downwards)."""
    window = _window(qtbot, demo)
    window.resize(SCREEN[0] - FRAME[0], SCREEN[1] - FRAME[1])
    window.font_size.setCurrentIndex(window.font_size.findData(points))
    for title in ["组织架构", *TITLES]:
        page = window.show_page(title)
        _at_work(page)
        QApplication.processEvents()
        hint = window.minimumSizeHint()
        assert hint.width() <= SCREEN[0] - FRAME[0] and hint.height() <= SCREEN[1] - FRAME[1]
        assert window.width() <= SCREEN[0] - FRAME[0], title
        room = window.scroller.viewport().width()
        assert page.minimumSizeHint().width() <= room, (title, page.minimumSizeHint(), room)
        assert not window.scroller.horizontalScrollBar().isVisible(), title
        if points <= LARGE:
            assert not window.scroller.verticalScrollBar().isVisible(), title
        assert not window.nav.verticalScrollBar().isVisible(), title


def test_large_text_reaches_every_page_and_table(qtbot, demo):
    window = _window(qtbot, demo)
    table = window.show_page("积分银行").findChildren(QTableView)[0]
    title = window.pages["概览"].title
    before = (table.font().pointSize(), title.fontInfo().pixelSize(),
              table.verticalHeader().defaultSectionSize(), window.nav.width())
    window.font_size.setCurrentIndex(window.font_size.findData(14))
    QApplication.processEvents()
    after = (table.font().pointSize(), title.fontInfo().pixelSize(),
             table.verticalHeader().defaultSectionSize(), window.nav.width())
    assert before[0] == 10 and after[0] == 14
    assert all(b < a for b, a in zip(before[1:], after[1:], strict=True)), (before, after)
    late = window.show_page("物品库存")  # built after the change: born big
    assert late.font().pointSize() == 14
    window.resize(SCREEN[0] - FRAME[0], SCREEN[1] - FRAME[1])
    hint = window.minimumSizeHint()
    assert hint.width() <= SCREEN[0] - FRAME[0] and hint.height() <= SCREEN[1] - FRAME[1]


def test_size_place_last_page_and_large_text_are_remembered(qtbot, demo, tmp_path):
    preferences = Preferences(tmp_path / "设置")
    window = _window(qtbot, demo, preferences)
    window.resize(760, 560)  # the offscreen screen is 800 × 600
    window.show_page("兑换柜台")
    window.font_size.setCurrentIndex(window.font_size.findData(12))
    window.close()
    again = _window(qtbot, demo, Preferences(tmp_path / "设置"))
    assert TITLES[again.nav.currentRow()] == "兑换柜台"
    assert (again.width(), again.height()) == (760, 560)
    assert again.font_size.currentData() == 12


def test_the_overview_names_the_village(qtbot, demo):
    window = _window(qtbot, demo)
    assert window.pages["概览"].title.text() == "韩家村“五级架构”概览"
