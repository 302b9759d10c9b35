"""The month grid by the keyboard alone: a week of patrols for 8 alleys typed with Space and the
arrow keys, a tick taken back with Delete, a week's summary and the month's visits opened with
Enter — every cell saved as it is typed, one small transaction (one journal row) each."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QTableWidget
from sqlalchemy import func, select

from models.core import clock
from models.core.access import Actor, Role
from models.worklog.calendar import Month, days_of
from models.worklog.completeness import CompletenessService
from models.worklog.tables import PatrolChange
from tests.worklog.helpers import make_village
from ui.context import AppContext
from ui.pages.worklog.grid import FIXED
from ui.pages.worklog.page import WorkLogPage

MONTH = Month(2026, 11)
WEEK = range(2, 9)  # Monday 2 to Sunday 8 November


@pytest.fixture
def page(db, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    village = make_village(db, heads=8, households=2)
    clerk = Actor("村文书", Role.CLERK, None, village.id)
    widget = WorkLogPage(AppContext(db, clerk, Path(tmp_path)))
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.choose(village.id, MONTH)
    widget.show()
    widget.village_heads = village.heads
    return widget


def _journal_rows(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(PatrolChange))


def test_a_week_of_patrols_for_eight_alleys_by_keys_alone(page, qtbot, db):  # type: ignore[no-untyped-def]
    view = page.grid_tab.view
    view.setFocus()
    assert view.currentIndex().column() == FIXED  # the grid opens on day 1 of the first head
    qtbot.keyClick(view, Qt.Key.Key_Right)  # to Monday the 2nd
    for row in range(8):
        step = Qt.Key.Key_Right if row % 2 == 0 else Qt.Key.Key_Left
        qtbot.keyClick(view, Qt.Key.Key_Space)
        for _ in range(len(WEEK) - 1):
            qtbot.keyClick(view, step)
            qtbot.keyClick(view, Qt.Key.Key_Space if row % 2 == 0 else Qt.Key.Key_Return)
        if row < 7:
            qtbot.keyClick(view, Qt.Key.Key_Down)
    assert _journal_rows(db) == 8 * len(WEEK)  # each cell its own transaction
    grid = page.grid_tab.service.grid(page.village_id(), MONTH)
    assert [days_of(row.log.patrols) for row in grid.rows] == [list(WEEK)] * 8
    qtbot.keyClick(view, Qt.Key.Key_Delete)  # the last head's Monday, taken back
    grid = page.grid_tab.service.grid(page.village_id(), MONTH)
    assert days_of(grid.rows[7].log.patrols) == list(WEEK)[1:]
    assert view.grid_model.data(view.grid_model.index(7, FIXED + 1)) == ""
    rows = CompletenessService(db, page.context.actor).month(MONTH, village_id=page.village_id())
    assert [(r.patrols, r.patrol_days) for r in rows] == [(7, 30)] * 7 + [(6, 30)]


def _when_dialog_opens(finish) -> None:  # type: ignore[no-untyped-def]
    """When the dialog Enter opened is up, type into it and finish it, by keys."""
    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, act)
            return
        finish(dialog)
    QTimer.singleShot(0, act)


def test_summary_and_visits_opened_with_enter(page, qtbot, db):  # type: ignore[no-untyped-def]
    view = page.grid_tab.view
    model = view.grid_model
    view.setFocus()
    view.setCurrentIndex(model.index(0, FIXED + MONTH.days))  # week 1's summary of the first head

    def summary(dialog) -> None:  # type: ignore[no-untyped-def]
        editor = dialog.findChild(QLineEdit)
        editor.insert("清理柴草堆两处")  # Chinese comes through the input method, not key codes
        qtbot.keyClick(editor, Qt.Key.Key_Return)

    _when_dialog_opens(summary)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert model.data(model.index(0, FIXED + MONTH.days)) == "√"
    saved = page.grid_tab.service.summaries(page.village_heads[0], MONTH)[0]
    assert saved.text == "清理柴草堆两处" and saved.recorded_by == "村文书"

    view.setCurrentIndex(model.index(0, model.columnCount() - 1))

    def visits(dialog) -> None:  # type: ignore[no-untyped-def]
        table = dialog.findChild(QTableWidget)
        table.setFocus()
        qtbot.keyClick(table, Qt.Key.Key_Space)  # the first household, ticked
        qtbot.keyClick(table, Qt.Key.Key_Down)
        qtbot.keyClick(table, Qt.Key.Key_Space)
        dialog.save()

    _when_dialog_opens(visits)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert model.data(model.index(0, model.columnCount() - 1)) == "2/2"


def test_a_day_out_of_reach_is_refused_in_the_status_line(page, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    view = page.grid_tab.view
    view.setFocus()
    today = clock.today()
    if (today + timedelta(days=1)).month != today.month:
        # The grid offers no month to come: on a month's last day, look from the day before.
        today -= timedelta(days=1)
        monkeypatch.setenv(clock.ENVIRONMENT_VARIABLE, today.isoformat())
    tomorrow = today + timedelta(days=1)
    page.choose(page.village_id(), Month.of(tomorrow))
    page.reload()
    model = view.grid_model
    column = FIXED + tomorrow.day - 1
    view.setCurrentIndex(model.index(0, column))
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert "还没有到" in page.grid_tab.status.text()
    assert model.data(model.index(0, column)) == ""


def test_the_reminder_list_is_saved_where_chosen_and_leaves_no_temporary_file(
        page, qtbot, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """打印提醒名单…: the PDF lands where the save dialog points, naming the heads who are
    behind; the folder it was made in goes with the next print (and the last at exit)."""
    import tempfile

    from pypdf import PdfReader
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from tests.modal import when_shown

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the program's temp folder, here
    tab = page.completeness_tab
    page.tabs.setCurrentWidget(tab)
    made: list[set[Path]] = []
    for copy in ("一", "二"):
        target = tmp_path / f"提醒名单{copy}.pdf"
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            staticmethod(lambda *args, target=target, **kwargs: (str(target), "")))
        told: list[str] = []
        when_shown(QMessageBox, lambda box, told=told: (told.append(box.text()), box.accept()))
        qtbot.mouseClick(tab.print_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda told=told: bool(told), timeout=20000)
        assert told[0].endswith(str(target))
        made.append(set(tmp_path.glob("cunzhi-reminders-*")))
    text = "".join(sheet.extract_text() for sheet in PdfReader(target).pages)
    behind = tab.reminder_list.who_has_not("today")
    assert behind and all(row.head.name in text for row in behind)
    assert len(made[0]) == len(made[1]) == 1 and made[0] != made[1]
    assert not any(folder.exists() for folder in made[0])
