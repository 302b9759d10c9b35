"""The counter as a queue meets it: opened from the menu, served by keyboard and scanner alone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from models.core.access import SYSTEM, Actor, Role
from models.printing.scope import ALL
from models.printing.service import PrintService
from models.store.counter import CounterService
from tests.store.counter_setup import make_goods
from tests.store.queue_setup import make_queue
from ui.context import AppContext
from ui.main_window import TITLES, MainWindow

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _type(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Each key to wherever the focus is at that moment, as a keyboard or a scanner sends it."""
    for char in text:
        focused = QApplication.focusWidget()
        assert focused is not None, "no widget has the keyboard"
        qtbot.keyClicks(focused, char)


def _key(qtbot, key) -> None:  # type: ignore[no-untyped-def]
    focused = QApplication.focusWidget()
    assert focused is not None, "no widget has the keyboard"
    qtbot.keyClick(focused, key)


@pytest.fixture
def counter(db, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    """The main window of 韩家村's clerk, the counter opened by a click on its menu item."""
    queue = make_queue(db)
    make_goods(db, queue.village.village_id, "大米", 20, stock=10)
    clerk = Actor("王文书", Role.CLERK, village_id=queue.village.village_id)
    window = MainWindow(AppContext(db, clerk, tmp_path))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    item = window.nav.item(TITLES.index("兑换柜台"))
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.nav.visualItemRect(item).center())
    page = window.pages["兑换柜台"]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.search)
    yield queue, page, clerk
    window.close()
    window.deleteLater()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is None)


def _cards(db, clerk):  # type: ignore[no-untyped-def]
    return {c.name: c for c in PrintService(db, SYSTEM).work_ids(ALL, 2026)}


def test_from_the_menu_to_a_receipt_by_keyboard(counter, qtbot, db):
    queue, page, clerk = counter
    _type(qtbot, "hlx")
    qtbot.waitUntil(lambda: page.hits.count() == 1)
    _key(qtbot, Qt.Key.Key_Return)
    assert page.card.name == "韩立新"
    _key(qtbot, Qt.Key.Key_F1)
    _key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.receipt is not None and page.receipt.isVisible())
    qtbot.waitUntil(lambda: page.receipt.isAncestorOf(QApplication.focusWidget()))
    _key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(page.search.hasFocus)
    assert page.card is None
    assert CounterService(db, clerk).head_card(queue.village.head_id).standing.spendable == 30


def test_a_scanned_work_id_selects_its_holder_among_repeated_initials(counter, qtbot, db):
    queue, page, clerk = counter
    _type(qtbot, "wz")
    qtbot.waitUntil(lambda: page.hits.count() == 2)
    page.start_over()
    _type(qtbot, _cards(db, clerk)["汪志云"].qr)
    _key(qtbot, Qt.Key.Key_Return)
    assert page.card.head_id == queue.wang_head and page.search.text() == "汪志云"
    _key(qtbot, Qt.Key.Key_F1)
    assert [(x.goods.name, x.quantity) for x in page.basket] == [("大米", 1)]


def test_a_letter_or_a_scan_mid_basket_never_drops_the_basket(counter, qtbot, db):
    queue, page, clerk = counter
    _type(qtbot, _cards(db, clerk)["吴珍山"].qr)
    _key(qtbot, Qt.Key.Key_Return)
    _key(qtbot, Qt.Key.Key_F1)
    _type(qtbot, "h")                      # a stray letter: the basket stays and says so
    assert page.search.hasFocus() and len(page.basket) == 1
    assert "本次兑换还没有确认" in page.message.text()
    _key(qtbot, Qt.Key.Key_Escape)         # back to the basket
    assert page.search.text() == "吴珍山" and page.hasFocus() and len(page.basket) == 1
    _type(qtbot, _cards(db, clerk)["汪志云"].qr)  # another head's card, scanned mid-basket
    _key(qtbot, Qt.Key.Key_Return)
    assert page.card.head_id == queue.wu_head and len(page.basket) == 1
    assert page.message.text().startswith("本次兑换还没有确认（吴珍山，1 种物品），没有换成汪志云")
    _key(qtbot, Qt.Key.Key_Return)         # Enter now confirms 吴珍山's basket
    qtbot.waitUntil(lambda: page.receipt is not None and page.receipt.isVisible())
    assert page.receipt.data.head_name == "吴珍山"


def test_a_card_the_counter_cannot_use_is_explained(counter, qtbot):
    _queue, page, _clerk = counter
    _type(qtbot, "CZT-999-1-00000000")
    _key(qtbot, Qt.Key.Key_Return)
    assert page.card is None and page.message.text().startswith("未能识别工作证：")
