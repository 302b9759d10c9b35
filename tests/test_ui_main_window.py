"""The main window on the demo town, driven through qtbot."""

from pathlib import Path

import pytest

from models.services.directory import DirectoryService, Level
from ui.context import AppContext
from ui.dialogs.household import HouseholdDialog
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, demo_db, system, tmp_path: Path):
    context = AppContext(demo_db, system, tmp_path)
    main = MainWindow(context)
    qtbot.addWidget(main)
    main.show()
    return main


def test_overview_shows_the_same_counts_as_stats(window, demo_db, system):
    page = window.pages["概览"]
    shown = [page.grid.itemAt(i).widget().findChild(type(page.where), "cardValue").text()
             for i in range(page.grid.count())]
    assert shown == ["6", "32", "193", "385", "193", "385", "3,070", "7,397"]
    assert page.stats == DirectoryService(demo_db, system).stats()


def _full_alley(db, system):
    directory = DirectoryService(db, system)
    path = []
    level, parent = Level.TOWNSHIP, None
    unit = None
    while level != Level.ALLEY or unit is None:
        units = directory.children(level, parent)
        unit = max(units, key=lambda u: u.households)
        path.append(unit)
        level, parent = unit.level, unit.id
        if level == Level.ALLEY:
            break
    return path


def test_organisation_tree_lists_an_alleys_households(window, demo_db, system, qtbot):
    page = window.show_page("组织架构")
    path = _full_alley(demo_db, system)
    index = page.tree_model.index(0, 0)
    for depth, unit in enumerate(path):
        parent = index.parent() if depth == 0 else index
        if depth:
            page.tree.expand(parent)
            rows = [page.tree_model.index(r, 0, parent) for r in range(page.tree_model.rowCount(parent))]
            index = next(i for i in rows if i.data() == unit.name)
    page.tree.setCurrentIndex(index)
    alley = path[-1]
    assert page.households.rowCount() == alley.households == 10
    assert page.path_label.text().endswith(alley.name)
    assert "上限 10 户" in page.count_label.text()


def test_eleventh_household_is_refused_in_the_dialog(window, demo_db, system, qtbot):
    alley = _full_alley(demo_db, system)[-1]
    before = DirectoryService(demo_db, system).stats()
    dialog = HouseholdDialog(window.context, alley.id, alley.name, window)
    dialog.name.setText("新来户")  # QTest types ASCII only; Chinese arrives via the input method
    qtbot.keyClicks(dialog.phone, "13912345678")
    dialog.save()
    assert "已有 10 户" in dialog.error.text() and "没有保存" in dialog.error.text()
    assert not dialog.result()
    assert DirectoryService(demo_db, system).stats() == before


def test_a_household_added_through_the_dialog_appears(window, demo_db, system, qtbot):
    directory = DirectoryService(demo_db, system)
    path = _full_alley(demo_db, system)
    small = next(u for u in directory.children(Level.ZONE, path[-2].id) if u.households < 10)
    dialog = HouseholdDialog(window.context, small.id, small.name, window)
    dialog.name.setText("王新户")
    dialog.members.setPlainText("李秀兰 配偶")
    dialog.save()
    assert dialog.result()
    added = [row for row in directory.households(small.id) if row.householder == "王新户"]
    assert len(added) == 1 and added[0].residents == 2
