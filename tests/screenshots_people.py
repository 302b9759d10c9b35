"""Renders the people pages and their paper on the demo town into docs/screenshots/ and
docs/screenshots/print/ (run by hand:
`PYTHONPATH=. QT_QPA_PLATFORM=offscreen python -m tests.screenshots_people`; as a module,
because tests/reports would shadow the reports package when run as a file)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from models.accounts.service import actor_for
from models.core.access import Actor, Role
from models.points.demo import DEMO_YEAR
from models.printing.service import PrintService
from reports.printing import print_document
from ui.context import AppContext
from ui.main_window import MainWindow
from tests.screenshot_town import demo_town

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PAPER = (("honour-list", "all", "honour_decision", 2), ("honour-certificates", "village:韩家村",
         "honour_certificate", 1), ("assessment", "village:韩家村", "assessment_notice", 2),
         ("talent-register", "village:韩家村", "talent_register", 1),
         ("talent-forms", "village:韩家村", "talent_form", 1))


def shoot(window: MainWindow, page: str, name: str, tab: int | None = None) -> None:
    shown = window.show_page(page)
    shown.header.year.setValue(DEMO_YEAR)
    if tab is not None:
        shown.tabs.setCurrentIndex(tab)
    QApplication.processEvents()
    window.grab().save(str(OUT / name))


def main() -> int:
    app, db, folder = demo_town()
    window = MainWindow(AppContext(db, actor_for(db, "hanjia"), folder))
    window.resize(1200, 760)
    window.show()
    shoot(window, "评先树优", "people-honours.png", 0)
    shoot(window, "评先树优", "people-top-scorer.png", 1)
    shoot(window, "评先树优", "people-eligibility.png", 2)
    shoot(window, "综合测评", "people-assessment.png")
    talent = window.show_page("后备人才库")
    talent.register_view.selectRow(3)
    shoot(window, "后备人才库", "people-talent.png")
    township = MainWindow(AppContext(db, Actor("镇管理员", Role.TOWNSHIP_ADMIN), folder))
    township.resize(1200, 760)
    township.show()
    township.show_page("评先树优").lists_view.selectRow(0)
    shoot(township, "评先树优", "people-honours-township.png", 3)
    service = PrintService(db, Actor("镇管理员", Role.TOWNSHIP_ADMIN))
    for kind, scope, name, page in PAPER:
        pdf = folder / f"{name}.pdf"
        print_document(service, kind, service.scope(scope), pdf, year=DEMO_YEAR)
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page),
                        "-singlefile", str(pdf), str(OUT / "print" / name)], check=True)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
