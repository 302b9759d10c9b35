"""The first day: an empty village's organisation page shows its steps and the buttons to take
them; a full alley cannot take another household."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog

from models.core.access import SYSTEM
from models.org.directory import Level
from models.org.service import HouseholdInput, OrganisationService
from tests.modal import when_shown
from ui.context import AppContext
from ui.pages.organisation import OrganisationPage

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _answer(name: str) -> None:
    def type_name(dialog: QInputDialog) -> None:
        dialog.setTextValue(name)
        dialog.accept()
    when_shown(QInputDialog, type_name)


def _select(page: OrganisationPage, *names: str) -> None:
    model, index = page.tree_model, page.tree_model.index(0, 0)
    for name in names:
        page.tree.expand(index)
        QApplication.processEvents()
        rows = [model.index(row, 0, index) for row in range(model.rowCount(index))]
        index = next(i for i in rows if i.data() == name)
    page.tree.setCurrentIndex(index)


def test_an_empty_village_is_built_with_the_visible_buttons(db, qtbot, tmp_path):
    org = OrganisationService(db, SYSTEM)
    org.create_admin_village(org.create_township("韩家镇"), "韩家村")
    page = OrganisationPage(AppContext(db, SYSTEM, tmp_path))
    qtbot.addWidget(page)
    page.show()
    assert page.first_steps.isVisible() and "新建自然村" in page.first_steps.text()
    assert "下载导入模板" in page.first_steps.text()
    buttons = page.create_buttons
    assert [b.text() for b in buttons.values()] == ["新建自然村…", "新建片区…", "新建胡同…"]
    assert all(b.isVisible() for b in buttons.values())
    for level, path in ((Level.NATURAL_VILLAGE, ["韩家村"]), (Level.ZONE, ["韩家村", "韩家"]),
                        (Level.ALLEY, ["韩家村", "韩家", "南片区"])):
        _select(page, *path)
        _answer({Level.NATURAL_VILLAGE: "韩家", Level.ZONE: "南片区", Level.ALLEY: "一胡同"}[level])
        buttons[level].click()
    _select(page, "韩家村", "韩家", "南片区", "一胡同")
    assert page.current.name == "一胡同" and page.add_button.isEnabled()
    for number in range(10):
        org.add_household(page.current.id, HouseholdInput(f"户主{number}", f"一胡同{number}号"))
    page.context.changed.emit("org")
    assert not page.add_button.isEnabled() and "满了" in page.add_button.toolTip()
    assert not page.first_steps.isVisible()


def test_a_button_without_a_place_says_where_to_click(db, qtbot, tmp_path):
    org = OrganisationService(db, SYSTEM)
    org.create_admin_village(org.create_township("韩家镇"), "韩家村")
    page = OrganisationPage(AppContext(db, SYSTEM, tmp_path))
    qtbot.addWidget(page)
    seen: list[str] = []

    def look() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, look)
            return
        seen.append(box.findChild(type(page.first_steps), "qt_msgbox_label").text())
        box.reject()
    QTimer.singleShot(20, look)
    page.tree.setCurrentIndex(page.tree_model.index(0, 0))  # the township
    page.create_buttons[Level.ZONE].click()
    assert seen == ["请先在左边选中一个自然村（或它下面的单位），再点“新建片区”。"]


def test_every_empty_page_says_what_to_do_next(db, qtbot, tmp_path):
    from PySide6.QtWidgets import QLabel

    from ui.empty_hint import EmptyHint
    from ui.main_window import MainWindow

    org = OrganisationService(db, SYSTEM)
    org.create_admin_village(org.create_township("韩家镇"), "韩家村")
    window = MainWindow(AppContext(db, SYSTEM, tmp_path))
    qtbot.addWidget(window)
    window.show()
    said = {}
    for title in ("概览", "组织架构", "三个一日志", "兑换柜台", "物品库存", "红黑榜", "问题整改"):
        page = window.show_page(title)
        QApplication.processEvents()
        hints = [w.text() for w in page.findChildren(QLabel)
                 if w.isVisibleTo(page) and (isinstance(w, EmptyHint) or w.objectName() == "hint"
                                             or w.objectName() == "error")
                 and ("请" in w.text() or "点“" in w.text())]
        said[title] = hints
    assert all(said.values()), said
