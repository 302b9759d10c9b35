"""Other PCs' changes, live: a thread waits on the server's notifications (models.server.changes)
and the window reloads what they touched through `context.changed`, as after its own saves — so
the people search and every open page see a household added on another PC within a second or
two. A broken connection is retried every few seconds; after it comes back every topic is
reloaded once, since notifications sent meanwhile were lost. SQLite: nothing to listen to."""

from __future__ import annotations

import logging

from PySide6.QtCore import QThread, Signal

from models.core.errors import ServerProblem
from models.server.changes import ChangeListener, topics_of_tables
from ui.context import AppContext

log = logging.getLogger("cunzhi")
RECONNECT_SECONDS = 3


class LiveUpdates(QThread):
    arrived = Signal(object)

    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.listener = ChangeListener(context.db)
        self._running = True
        self.arrived.connect(self._deliver)

    def run(self) -> None:
        missed = False
        while self._running:
            try:
                topics = self.listener.wait(timeout=1.0)
            except ServerProblem as problem:
                log.warning("%s", problem)
                missed = True
                self.msleep(RECONNECT_SECONDS * 1000)
                continue
            if missed:  # whatever changed while the connection was down
                topics |= set(topics_of_tables().values())
                missed = False
            if topics:
                self.arrived.emit(topics)
        self.listener.close()

    def _deliver(self, topics: set[str]) -> None:
        for topic in sorted(topics):
            self.context.changed.emit(topic)

    def stop(self) -> None:
        self._running = False
        self.wait(3000)


def start_live_updates(context: AppContext) -> LiveUpdates:
    live = LiveUpdates(context)
    live.start()
    return live
