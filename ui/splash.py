"""The first thing the program shows, before the database and the pages are loaded: the name and
what it is doing (opening the database, building the demo town). Imports Qt alone, so that it is
on screen about as fast as a bare Qt window; the start replaces it with the login or the main
window."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QProgressBar, QVBoxLayout, QWidget


class Splash(QWidget):
    def __init__(self) -> None:
        # Not kept on top: a dialog about the database must come in front of it.
        super().__init__(None, Qt.WindowType.SplashScreen)
        self.setWindowTitle("村治通")
        self.setFixedSize(420, 170)
        self.setStyleSheet("background:#ffffff; border:1px solid #c8102e;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 22)
        name = QLabel("村治通")
        name.setStyleSheet("font-size:26px; font-weight:bold; color:#c8102e; border:none;")
        about = QLabel("农村人居环境“五级架构”管理")
        about.setStyleSheet("color:#52606d; border:none;")
        self.status = QLabel("正在打开…")
        self.status.setStyleSheet("border:none;")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until told the steps
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        for widget in (name, about, self.status, self.bar):
            layout.addWidget(widget)

    def say(self, text: str, done: int | None = None, total: int | None = None) -> None:
        """Show what is being done now (and how far, when known); paints at once."""
        self.status.setText(text)
        if total:
            self.bar.setRange(0, total)
            self.bar.setValue(done or 0)
        QApplication.processEvents()


def start() -> Splash:
    """The application and the splash on screen."""
    QApplication.instance() or QApplication(sys.argv[:1])
    splash = Splash()
    splash.show()
    QApplication.processEvents()
    return splash
