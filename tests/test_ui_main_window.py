"""The main window on the demo town, driven through qtbot."""

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from models.org.directory import DirectoryService, Level
from ui.context import AppContext
from ui.dialogs.household import HouseholdDialog
from ui.main_window import PAGES, TITLES, MainWindow

ROOT = Path(__file__).resolve().parent.parent


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


def test_every_page_title_is_its_modules_title():
    assert [importlib.import_module(module).TITLE for _title, module, _class in PAGES] == \
        [title for title, _module, _class in PAGES]


def test_pages_are_built_when_first_shown_and_then_kept(window):
    assert list(window.built) == ["概览"] and window.stack.currentWidget() is window.pages["概览"]
    assert window.nav.count() == len(PAGES) == window.stack.count()
    row = TITLES.index("积分银行")
    window.nav.setCurrentRow(row)
    points = window.built["积分银行"]
    assert window.stack.currentWidget() is points and window.stack.indexOf(points) == row
    assert window.show_page("积分银行") is points and window.stack.count() == len(PAGES)
    assert window.show_page("数据备份") is window.stack.widget(len(PAGES) - 1)
    for row, (title, _module, class_name) in enumerate(PAGES):
        window.nav.setCurrentRow(row)
        shown = window.stack.currentWidget()
        assert type(shown).__name__ == class_name and window.pages[title] is shown
    assert len(window.built) == len(PAGES) == window.stack.count()


def test_the_start_does_not_import_what_only_some_pages_use():
    """Importing the program's start (ui.app) must leave reportlab, openpyxl, pypdf, QtPdf and
    alembic for the pages and migrations that use them."""
    heavy = ("reportlab", "openpyxl", "pypdf", "PySide6.QtPdf", "alembic", "segno")
    code = f"import sys, ui.app; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_a_page_built_late_shows_data_changed_before(window, demo_db, system):
    directory = DirectoryService(demo_db, system)
    path = _full_alley(demo_db, system)
    small = next(u for u in directory.children(Level.ZONE, path[-2].id) if u.households < 10)
    dialog = HouseholdDialog(window.context, small.id, small.name, window)
    dialog.name.setText("王新户")
    dialog.save()
    assert dialog.result() and "操作记录" not in window.built
    newest = window.show_page("操作记录").model.rows[0]
    assert "王新户" in newest.after


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
