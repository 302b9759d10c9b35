"""Renders the 三个一 page and paper on the demo town into docs/screenshots/ (run by hand:
`QT_QPA_PLATFORM=offscreen CUNZHI_TODAY=2026-12-01 python -m tests.screenshots_worklog`):
the month grid, the completeness view with its reminder list, the settlement preview with a
correction, and page 1 and 2 of a blank log sheet and the reminder list (80 dpi)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication

from models.accounts.service import actor_for
from models.core.access import SYSTEM
from models.core.db import Database
from models.printing.scope import ScopeKind
from models.printing.service import PrintService
from models.worklog.calendar import Month
from models.worklog.log import WorkLogService
from models.worklog.settlement import SettlementService
from reports.printing import print_document
from ui.context import AppContext
from ui.pages.worklog.page import WorkLogPage
from tests.screenshot_town import demo_town

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
NOVEMBER, OCTOBER = Month(2026, 11), Month(2026, 10)


def shoot(page: WorkLogPage, tab: int, name: str) -> None:
    page.tabs.setCurrentIndex(tab)
    QApplication.processEvents()
    page.grab().save(str(OUT / name))


def main() -> int:
    _app, db, folder = demo_town()  # the application lives as long as main()
    secretary = actor_for(db, "hanjia")
    village = secretary.village_id
    log = WorkLogService(db, SYSTEM)
    rows = log.grid(village, Month.of(date(2026, 12, 1))).rows
    for row in rows[::3]:  # the morning's reports so far
        log.set_patrol(row.head_id, date(2026, 12, 1), True)
    october = log.grid(village, OCTOBER).rows[1]  # a day of October found missing after its settlement
    missing = next(d for d in range(1, 32) if not october.log.patrols & 1 << (d - 1))
    log.set_patrol(october.head_id, OCTOBER.day(missing), True)
    page = WorkLogPage(AppContext(db, secretary, folder))
    page.resize(1280, 800)
    page.show()
    page.choose(village, NOVEMBER)
    shoot(page, 0, "worklog-grid.png")
    shoot(page, 1, "worklog-completeness.png")
    page.choose(village, OCTOBER)
    shoot(page, 3, "worklog-settlement-correction.png")
    page.choose(village, NOVEMBER)
    shoot(page, 3, "worklog-settlement.png")
    SettlementService(db, secretary).confirm(village, NOVEMBER)
    paper(db, folder)
    return 0


def paper(db: Database, folder: Path) -> None:
    service = PrintService(db, SYSTEM)
    jobs = (("worklog-sheets", service.unit_scope(ScopeKind.ALLEY, 1), "worklog_sheet"),
            ("worklog-reminders", service.unit_scope(ScopeKind.VILLAGE, 1), "worklog_reminders"))
    for kind, scope, name in jobs:
        pdf = folder / f"{name}.pdf"
        print_document(service, kind, scope, pdf, month=Month(2026, 12))
        for number in (1, 2):
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(number), "-l", str(number),
                            "-singlefile", str(pdf), str(OUT / "print" / f"{name}_{number}")],
                           check=True)


if __name__ == "__main__":
    sys.exit(main())
