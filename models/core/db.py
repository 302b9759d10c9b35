"""Opening the database: SQLite in the user's data folder by default, any SQLAlchemy URL through
--db. SQLite runs in WAL mode with foreign keys on; only write transactions take the lock, with
BEGIN IMMEDIATE, so an open reader never blocks a writer and two writers never deadlock."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from models.core.errors import DatabaseProblem

SQLITE_MAGIC = b"SQLite format 3\x00"
_IMMEDIATE = "cunzhi_immediate"


def to_url(target: str | Path) -> URL:
    """A file path becomes a SQLite URL; anything with '://' is taken as a SQLAlchemy URL."""
    text = str(target)
    if "://" in text:
        url = make_url(text)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        return url
    return URL.create("sqlite+pysqlite", database=str(Path(text).expanduser().resolve()))


def sqlite_path(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def inspect_sqlite_file(path: Path) -> None:
    """Refuse, without touching it, a file that exists but is not a SQLite database."""
    if not path.exists():
        return
    if path.is_dir():
        raise DatabaseProblem(f"“{path}”是一个文件夹，不是数据库文件。")
    with path.open("rb") as handle:
        header = handle.read(16)
    if path.stat().st_size and header != SQLITE_MAGIC:
        raise DatabaseProblem(
            f"文件“{path.name}”不是村治通的数据库（文件头不对），可能已损坏或选错了文件。"
            "程序没有修改它。"
        )


def _sqlite_engine(url: URL, read_only: bool) -> Engine:
    path = sqlite_path(url)
    if read_only and path is not None:
        url = url.set(database=f"file:{path}?mode=ro", query={"uri": "true"})
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Take transaction control from the driver so that BEGIN is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        immediate = connection.get_execution_options().get(_IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """One database, with read and write sessions. Every user operation is one `write()` block."""

    def __init__(self, target: str | Path, *, read_only: bool = False, must_exist: bool = False):
        self.url = to_url(target)
        self.path = sqlite_path(self.url)
        self.read_only = read_only
        if self.path is not None:
            inspect_sqlite_file(self.path)
            if (must_exist or read_only) and not self.path.exists():
                raise DatabaseProblem(f"找不到数据库文件“{self.path}”。")
            if not read_only:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.engine = _sqlite_engine(self.url, read_only)
            self._write_engine = self.engine.execution_options(**{_IMMEDIATE: True})
        else:
            self.engine = create_engine(self.url, pool_pre_ping=True)
            self._write_engine = self.engine
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(self._write_engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None or self.url.get_backend_name() == "sqlite"

    def describe(self) -> str:
        return str(self.path) if self.path else self.url.render_as_string(hide_password=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        # Closing (not rolling back) ends the read transaction and keeps loaded rows readable.
        with self._reader() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends normally, rolled back otherwise."""
        if self.read_only:
            raise DatabaseProblem("数据库以只读方式打开，不能修改。")
        with self._writer() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
