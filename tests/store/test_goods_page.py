"""The goods/stock page: the village's goods, the stock operations' dialogs, the reports."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from models.core import clock
from models.core.access import Actor, Role
from models.store.goods import GoodsService
from tests.store.counter_setup import make_goods, make_village
from ui.context import AppContext
from ui.dialogs.goods import stock_in_dialog, write_off_dialog
from ui.pages.store.goods import REPORTS, GoodsPage

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_goods_page_stock_in_and_a_refused_write_off(db, qtbot, tmp_path):
    v = make_village(db)
    make_goods(db, v.village_id, "毛巾", 4, stock=6, unit="条")
    secretary = Actor("韩书记", Role.SECRETARY, village_id=v.village_id)
    page = GoodsPage(AppContext(db, secretary, tmp_path))
    qtbot.addWidget(page)
    assert [(g.name, g.stock) for g in page.goods.rows] == [("毛巾", 6)]
    assert all(button.isEnabled() for button in page.buttons.values())

    service = GoodsService(db, secretary)
    towels = page.goods.rows[0]
    dialog = stock_in_dialog(service, towels, page)
    qtbot.addWidget(dialog)
    dialog.fields["数量"].setValue(14)
    dialog.fields["捐赠人"].setText("乡贤理事会")  # typed through the input method
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    page.reload()
    assert page.goods.rows[0].stock == 20

    refused = write_off_dialog(service, page.goods.rows[0], page)
    qtbot.addWidget(refused)
    refused.fields["数量"].setValue(21)
    refused.fields["原因"].setText("破损")
    refused.save()
    assert "库存不足" in refused.error.text() and "没有保存" in refused.error.text()
    assert GoodsService(db, secretary).goods(towels.id).stock == 20

    page.start.setDate(date(clock.today().year, 1, 1))
    page.kind.setCurrentText("捐赠登记簿")
    assert page.report.rows[0][1] == "乡贤理事会"
    for kind in REPORTS:
        page.kind.setCurrentText(kind)
        assert page.table_data is not None and page.report.columnCount() == len(
            page.table_data.headers)


def test_a_clerk_sees_the_goods_but_cannot_change_them(db, qtbot, tmp_path):
    v = make_village(db)
    make_goods(db, v.village_id, "肥皂", 3, stock=2, unit="块")
    clerk = Actor("王文书", Role.CLERK, village_id=v.village_id)
    page = GoodsPage(AppContext(db, clerk, tmp_path))
    qtbot.addWidget(page)
    assert page.goods.rows[0].name == "肥皂"
    assert not any(button.isEnabled() for button in page.buttons.values())
    assert page.report_view.model().headerData(0, Qt.Orientation.Horizontal) == "日期"
