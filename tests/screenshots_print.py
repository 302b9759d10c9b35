"""Renders the print centre with a preview, and page 1 of every printed document at 80 dpi, from
the demo town into docs/screenshots/print/ (run by hand on a copy of a demo town, which it
changes — its year is closed with the fourth quarter's and the yearly list, and one head is
renamed 张𠮷 for the missing-character warning:
`QT_QPA_PLATFORM=offscreen python -m tests.screenshots_print /tmp/demo.db`)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtWidgets import QApplication

from main import main as cli
from models.accounts.service import actor_for
from models.core.db import Database
from models.printing.scope import ScopeKind
from tests.ranking.helpers import close_the_year
from ui import style
from ui.context import AppContext
from ui.pages.print_centre import PrintCentrePage

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots" / "print"
DOCUMENTS = {  # png name: the print command's arguments
    "work_id": ["work-ids", "--scope", "village:韩家村"],
    "duty_card_a4": ["duty-cards", "--scope", "village:韩家村"],
    "duty_card_a5": ["duty-cards", "--scope", "village:韩家村", "--paper", "A5"],
    "roster": ["roster", "--scope", "village:韩家村"],
    "pledge": ["pledges", "--scope", "alley:1"],
    "passbook": ["passbook", "--scope", "head:1"],
    "receipt_a5": ["receipt", "--number", "DH2026-000001", "--village", "韩家村"],
    "receipt_roll80": ["receipt", "--number", "DH2026-000001", "--village", "韩家村",
                       "--paper", "roll80"],
    "roster_zone": ["roster", "--scope", "zone:1"],
    "notice": ["talk-list", "--scope", "village:韩家村"],
    "notice_township": ["talk-list", "--scope", "all"],
    "ranking_notice": ["ranking-notice", "--period", "2026-03"],  # a correction (第2版)
    "ranking_notice_quarter": ["ranking-notice", "--period", "2026Q1"],
    "ranking_notice_year": ["ranking-notice", "--period", "2026"],  # after close_the_year
}
LAST_PAGES = ("notice", "ranking_notice")  # the signature page and 版记 of a notice


def documents(db_path: str) -> None:
    folder = Path(tempfile.mkdtemp())
    for name, args in DOCUMENTS.items():
        pdf = folder / f"{name}.pdf"
        assert cli(["print", *args, "--db", db_path, "-o", str(pdf)]) == 0
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(OUT / name)], check=True)
        if name in LAST_PAGES:
            last = str(len(PdfReader(pdf).pages))
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", last, "-l", last, "-singlefile",
                            str(pdf), str(OUT / f"{name}_last")], check=True)


def page(db_path: str) -> None:
    app = QApplication(sys.argv[:1])
    style.apply(app)
    db = Database(db_path)
    context = AppContext(db, actor_for(db, "hanjia"), Path(tempfile.mkdtemp()))
    widget = PrintCentrePage(context)
    widget.resize(1280, 800)
    widget.show()
    widget.kind.setCurrentIndex(widget.kind.findData("duty-cards"))
    widget.scope_kind.setCurrentIndex(widget.scope_kind.findData(ScopeKind.ZONE))
    _preview_and_grab(app, widget, "print_centre.png")
    _rename_a_listed_head(db, context.actor.village_id, "张𠮷")
    widget.kind.setCurrentIndex(widget.kind.findData("talk-list"))
    _preview_and_grab(app, widget, "print_centre_missing_character.png")


def _preview_and_grab(app: QApplication, widget: PrintCentrePage, name: str) -> None:
    widget.make_preview()
    deadline = time.monotonic() + 60
    while widget.result is None and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.05)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.05)
    widget.grab().save(str(OUT / name))


def _rename_a_listed_head(db: Database, village_id: int | None, name: str) -> None:
    """A head on this year's 约谈 list gets a name with a character in no font."""
    from models.core import clock
    from models.core.access import SYSTEM
    from models.org.tables import Head, Resident
    from models.points.service import PointsService

    head_id = PointsService(db, SYSTEM).talk_list(clock.today().year, village_id)[0].head.head_id
    with db.write() as s:
        s.get(Resident, s.get(Head, head_id).resident_id).name = name


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    close_the_year(Database(sys.argv[1]))  # the yearly notice: published in January
    documents(sys.argv[1])
    page(sys.argv[1])
