"""What every page needs: the database, the signed-in account, and a signal that data changed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from models.core.access import Actor
from models.core.db import Database


# Every topic a page may reload on (other PCs' changes arrive under these names too).
TOPICS = ("org", "points", "goods", "ranking", "settings", "accounts", "files")


class AppContext(QObject):
    """Shared by all pages. After an operation changes data, call `changed.emit(topic)` so that
    every page showing that topic reloads (topics: "org", "points", "goods", "ranking", …)."""

    changed = Signal(str)

    def __init__(self, db: Database, actor: Actor, data_folder: Path):
        super().__init__()
        self.db = db
        self.actor = actor
        self.data_folder = data_folder

    def service(self, service_class):  # type: ignore[no-untyped-def]
        """A service of the given class acting as the signed-in account."""
        return service_class(self.db, self.actor)

    def reload_all(self) -> None:
        """Every page reloads, as after a change of every topic (a retry after a lost server)."""
        for topic in TOPICS:
            self.changed.emit(topic)
