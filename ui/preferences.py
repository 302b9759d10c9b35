"""What the window remembers for each Windows user: 大字, its size and place, the last page.
An INI file in the user's own settings folder (models.server.connection.user_config_folder)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from ui.style import DEFAULT_FONT_SIZE, FONT_SIZES

FILE_NAME = "window.ini"


class Preferences:
    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.settings = QSettings(str(folder / FILE_NAME), QSettings.Format.IniFormat)

    @property
    def font_size(self) -> int:
        value = self.settings.value("font_size", DEFAULT_FONT_SIZE)
        try:
            points = int(value)
        except (TypeError, ValueError):
            return DEFAULT_FONT_SIZE
        return points if points in FONT_SIZES else DEFAULT_FONT_SIZE

    @font_size.setter
    def font_size(self, points: int) -> None:
        self.settings.setValue("font_size", points)
        self.settings.sync()

    @property
    def geometry(self) -> QByteArray | None:
        value = self.settings.value("geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @property
    def last_page(self) -> str:
        return str(self.settings.value("last_page", "") or "")

    def remember_window(self, geometry: QByteArray, page: str) -> None:
        self.settings.setValue("geometry", geometry)
        self.settings.setValue("last_page", page)
        self.settings.sync()
