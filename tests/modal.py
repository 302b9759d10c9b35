"""Answering a modal dialog the code under test opens (and waits on with exec)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget


def when_shown(kind: type[QWidget], act: Callable[[QWidget], None]) -> list[QWidget]:
    """Once a modal `kind` is up, record it and call act(dialog); returns the record."""
    seen: list[QWidget] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, look)
            return
        seen.append(dialog)
        act(dialog)
    QTimer.singleShot(20, look)
    return seen
