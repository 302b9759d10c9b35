"""The counter page: a whole redemption with key presses only."""

from __future__ import annotations

import subprocess

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from models.core import clock
from models.core.access import Actor, Role
from models.store.counter import CounterService
from models.store.goods import GoodsService
from tests.store.counter_setup import give_points, make_goods, make_village
from ui.context import AppContext
from ui.pages.store.counter import CounterPage


def _press(qtbot, key, text: str = "") -> None:  # type: ignore[no-untyped-def]
    """A key press where the cursor is, as the clerk's keyboard would send it."""
    if text:
        qtbot.keyClicks(QApplication.focusWidget(), text)
    else:
        qtbot.keyClick(QApplication.focusWidget(), key)


# The offscreen platform says it cannot pass size hints to a window manager: harmless here.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_a_whole_redemption_by_keyboard(db, qtbot, tmp_path):
    v = make_village(db)
    give_points(db, v.head_id, 100)
    rice = make_goods(db, v.village_id, "大米", 20, stock=10)
    make_goods(db, v.village_id, "肥皂", 3, stock=10, unit="块")
    clerk = Actor("王文书", Role.CLERK, village_id=v.village_id)
    page = CounterPage(AppContext(db, clerk, tmp_path))
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.search.hasFocus)

    _press(qtbot, None, "hlx")
    qtbot.waitUntil(lambda: page.hits.count() == 1)
    _press(qtbot, Qt.Key.Key_Return)
    assert page.card is not None and page.card.name == "韩立新"
    assert page.spendable.text() == "100"

    _press(qtbot, Qt.Key.Key_F1)          # 大米
    _press(qtbot, Qt.Key.Key_F1)          # another 大米
    _press(qtbot, Qt.Key.Key_2)           # 肥皂 by number key
    _press(qtbot, Qt.Key.Key_Plus)        # two 肥皂
    _press(qtbot, Qt.Key.Key_Plus)        # three
    _press(qtbot, Qt.Key.Key_Minus)       # back to two
    assert [(x.goods.name, x.quantity) for x in page.basket] == [("大米", 2), ("肥皂", 2)]
    assert page.total.text() == "合计 46 分　　兑换后剩余 54 分"

    _press(qtbot, Qt.Key.Key_Return)      # confirm
    qtbot.waitUntil(lambda: page.receipt is not None and page.receipt.isVisible())
    qtbot.waitUntil(lambda: page.receipt.isAncestorOf(QApplication.focusWidget()))
    assert page.receipt.data.number.startswith("DH") and page.receipt.data.total == 46
    assert QApplication.focusWidget() is page.receipt.close_button
    qtbot.mouseClick(page.receipt.preview_button, Qt.MouseButton.LeftButton)  # the real PDF
    assert page.receipt.view.isVisible() and page.receipt.document.pageCount() == 1
    # The click took the focus from 完成 (with the program's style, as tests/conftest.py sets
    # it up, that once left no default button: Enter did nothing).
    assert QApplication.focusWidget() is page.receipt.preview_button
    screen = page.receipt.screen().availableGeometry()  # the preview never pushes 完成 off it
    assert screen.contains(page.receipt.frameGeometry()), (screen, page.receipt.frameGeometry())
    text = subprocess.run(["pdftotext", str(page.receipt.pdf_path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert page.receipt.data.number in text and "大米" in text
    _press(qtbot, Qt.Key.Key_Return)      # Enter still closes: the counter is ready again
    qtbot.waitUntil(lambda: not page.receipt.isVisible())
    qtbot.waitUntil(page.search.hasFocus)
    assert page.card is None and page.search.text() == ""

    counter = CounterService(db, clerk)
    assert counter.head_card(v.head_id).standing.spendable == 54
    assert GoodsService(db, clerk).goods(rice).stock == 8
    assert [r.total for r in page.today.rows] == [46]


def test_a_refusal_is_shown_on_the_page_and_nothing_is_saved(db, qtbot, tmp_path):
    v = make_village(db)
    give_points(db, v.head_id, 15)
    make_goods(db, v.village_id, "食用油", 20, stock=3, unit="桶")
    clerk = Actor("王文书", Role.CLERK, village_id=v.village_id)
    page = CounterPage(AppContext(db, clerk, tmp_path))
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.search.hasFocus)
    _press(qtbot, None, "5678")
    qtbot.waitUntil(lambda: page.hits.count() == 1)
    _press(qtbot, Qt.Key.Key_Return)
    _press(qtbot, Qt.Key.Key_1)
    _press(qtbot, Qt.Key.Key_Return)
    assert page.message.text() == "未能兑换：韩立新可兑换积分只有 15 分，不够兑换 20 分。"
    assert page.receipt is None
    today = clock.today()
    assert CounterService(db, clerk).redemptions(v.village_id, today, today) == []
