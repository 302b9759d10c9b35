"""What the screenshot scripts share: the application as the program sets it up (its style and
fonts, Qt's Chinese) and a fresh demo town in a temporary folder."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from models.core.db import Database
from models.core.schema import migrate
from models.demo.activity import generate
from ui import style


def demo_town() -> tuple[QApplication, Database, Path]:
    """The application (keep it while the script runs), the demo town and its folder."""
    app = QApplication(sys.argv[:1])
    style.apply(app)
    folder = Path(tempfile.mkdtemp())
    db = Database(folder / "cunzhi.db")
    migrate(db)
    generate(db, 1)
    return app, db, folder
