"""Seeing what other PCs changed, without a restart: PostgreSQL's LISTEN/NOTIFY.

Every table carries a statement trigger (models.core.privileges.install_notifications) that,
when a writing transaction commits, notifies the channel with the table's name and the writer's
application_name — which is the writing `Database`'s own tag. A listener holds one extra
connection per program, LISTENs, and turns the names of tables other PCs changed into the topics
the window's pages reload on ("org", "points", "goods", "ranking", "settings", …). Nothing is
polled: a notification arrives within milliseconds of the other PC's COMMIT.

SQLite needs none of this: one file is one PC's."""

from __future__ import annotations

from functools import cache

import psycopg

from models.core.db import Database
from models.core.db_errors import server_name
from models.core.errors import ServerProblem
from models.core.privileges import NOTIFY_CHANNEL

# The window calls the goods store's topic "goods"; every other area's topic is its own name.
_TOPIC_OF_AREA = {"store": "goods", "core": None}
_TOPIC_OF_CORE_TABLE = {"setting": "settings", "stored_file": "files"}


@cache
def topics_of_tables() -> dict[str, str]:
    import models.areas  # noqa: F401  (every area's tables mapped)
    from models.core.base import Base

    topics = {}
    for mapper in Base.registry.mappers:
        table = mapper.local_table.name
        area = mapper.class_.__module__.split(".")[1]
        topic = _TOPIC_OF_AREA.get(area, area) or _TOPIC_OF_CORE_TABLE.get(table)
        if topic:
            topics[table] = topic
    return topics


class ChangeListener:
    """One LISTENing connection to the database's server. `wait` blocks (at most `timeout`
    seconds) for the topics changed by others; connection failures raise psycopg's errors, for
    the caller to reconnect."""

    def __init__(self, db: Database):
        self.db = db
        self._connection: psycopg.Connection | None = None

    def open(self) -> None:
        args, params = self.db.engine.dialect.create_connect_args(self.db.url)
        params.update(autocommit=True, connect_timeout=8, application_name=f"{self.db.tag}:listen")
        self._connection = psycopg.connect(*args, **params)
        self._connection.execute(f"LISTEN {NOTIFY_CHANNEL}")

    def wait(self, timeout: float) -> set[str]:
        """The topics other PCs changed, as soon as one arrives (empty after `timeout`). A lost
        connection raises ServerProblem; the next call connects again."""
        try:
            return self._wait(timeout)
        except psycopg.Error as error:
            self.close()
            raise ServerProblem(f"收不到{server_name(self.db.url)}的变动通知：连接中断。") from error

    def _wait(self, timeout: float) -> set[str]:
        if self._connection is None:
            self.open()
        topics, known = set(), topics_of_tables()
        # The first notification, then whatever came with it.
        for limit, stop_after in ((timeout, 1), (0.05, None)):
            for note in self._connection.notifies(timeout=limit, stop_after=stop_after):
                table, _, writer = note.payload.partition(" ")
                if writer != self.db.tag and table in known:
                    topics.add(known[table])
            if not topics:
                break
        return topics

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except psycopg.Error:
                pass
            self._connection = None
