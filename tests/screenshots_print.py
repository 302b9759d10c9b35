"""Renders the print centre with a preview, and page 1 of every printed document, from the demo
town into docs/screenshots/print/ (run by hand:
`QT_QPA_PLATFORM=offscreen python -m tests.screenshots_print /tmp/demo.db`)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from main import main as cli
from models.accounts.service import actor_for
from models.core.db import Database
from models.printing.scope import ScopeKind
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
    "notice": ["talk-list", "--scope", "village:韩家村", "--doc-number", "韩支发〔2026〕7号"],
    "ranking_notice": ["ranking-notice", "--period", "2026-03"],
}


def documents(db_path: str) -> None:
    folder = Path(tempfile.mkdtemp())
    for name, args in DOCUMENTS.items():
        pdf = folder / f"{name}.pdf"
        assert cli(["print", *args, "--db", db_path, "-o", str(pdf)]) == 0
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(OUT / name)], check=True)


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
    widget.make_preview()
    deadline = time.monotonic() + 60
    while widget.result is None and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.05)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.05)
    widget.grab().save(str(OUT / "print_centre.png"))


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    documents(sys.argv[1])
    page(sys.argv[1])
