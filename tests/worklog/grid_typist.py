"""A clerk typing into the month grid, for the kill test: ticks November's days of each head in
turn by key presses, printing each cell once its key press has returned (saved).

    python -m tests.worklog.grid_typist DB VILLAGE_ID"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from models.core.access import Actor, Role
from models.core.db import Database
from models.worklog.calendar import Month
from ui.context import AppContext
from ui.pages.worklog.page import WorkLogPage

MONTH = Month(2026, 11)


def main(path: str, village_id: int) -> None:
    app = QApplication(sys.argv[:1])
    db = Database(path)
    clerk = Actor("村文书", Role.CLERK, None, village_id)
    page = WorkLogPage(AppContext(db, clerk, Path(tempfile.mkdtemp())))
    page.choose(village_id, MONTH)
    page.show()
    view = page.grid_tab.view
    view.setFocus()
    rows = view.grid_model.rowCount()
    for row in range(rows):
        for day in range(1, MONTH.days + 1):
            QTest.keyClick(view, Qt.Key.Key_Space)
            print(f"saved {row} {day}", flush=True)
            if day < MONTH.days:
                QTest.keyClick(view, Qt.Key.Key_Right)
        QTest.keyClick(view, Qt.Key.Key_Down)
        QTest.keyClick(view, Qt.Key.Key_Home)  # to the alley's name; day 1 is two to the right
        QTest.keyClick(view, Qt.Key.Key_Right)
        QTest.keyClick(view, Qt.Key.Key_Right)
    app.processEvents()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
