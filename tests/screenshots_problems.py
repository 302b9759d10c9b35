"""Renders the 问题整改 page and its paper on the demo town into docs/screenshots/ (run by hand:
`PYTHONPATH=. QT_QPA_PLATFORM=offscreen python -m tests.screenshots_problems`): the ledger with a
problem's card and its before/after photos, the statistics chart, and the 整改通知书, 台账 and
督办单 as PNGs (80 dpi) under docs/screenshots/print/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from models.accounts.service import actor_for
from models.printing.service import PrintService
from models.problems.service import ProblemFilter, ProblemsService
from models.problems.tables import Status
from reports.printing import print_document
from ui.context import AppContext
from ui.main_window import MainWindow
from tests.screenshot_town import demo_town

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def shoot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    widget.show()
    QApplication.processEvents()
    widget.grab().save(str(OUT / name))


def paper(service: PrintService, kind: str, name: str, folder: Path, **options) -> None:  # type: ignore[no-untyped-def]
    pdf = folder / f"{name}.pdf"
    print_document(service, kind, None, pdf, **options)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", str(pdf),
                    str(OUT / "print" / name)], check=True)


def main() -> int:
    _app, db, folder = demo_town()  # the application lives as long as main()
    secretary = actor_for(db, "hanjia")
    problems = ProblemsService(db, secretary)
    rows = problems.problems(ProblemFilter())
    pictured = next(r for r in reversed(rows) if r.status is Status.CLOSED
                    and (card := problems.card(r.id)).before and card.after)
    window = MainWindow(AppContext(db, secretary, folder))
    window.resize(1400, 860)
    page = window.show_page("问题整改")
    ids = [r.id for r in page.ledger.model.rows]
    page.ledger.view.selectRow(ids.index(pictured.id))
    shoot(window, "problems-ledger.png")
    shoot(page.ledger.card, "problems-card.png")
    page.tabs.setCurrentWidget(page.statistics)
    shoot(window, "problems-statistics.png")
    patrol = actor_for(db, "xunchaban")
    township = MainWindow(AppContext(db, patrol, folder))
    township.resize(1400, 860)
    supervising = township.show_page("问题整改")
    supervising.tabs.setCurrentIndex(2)
    supervising.supervised.view.selectRow(0)
    shoot(township, "problems-supervision.png")
    prints = PrintService(db, secretary)
    village = rows[0].village_id
    paper(prints, "problem-notice", "problem_notice", folder, number=str(pictured.id))
    paper(prints, "problem-ledger", "problem_ledger", folder,
          problem_filter=ProblemFilter(village_id=village, year=2026))
    office = ProblemsService(db, patrol)
    escalated = next(r for r in office.problems(ProblemFilter(escalated_only=True))
                     if office.card(r.id).before)
    paper(PrintService(db, patrol), "supervision-slip", "supervision_slip", folder,
          number=str(escalated.id))
    return 0


if __name__ == "__main__":
    sys.exit(main())
