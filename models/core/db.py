"""Opening the database: SQLite in the user's data folder by default, any SQLAlchemy URL through
--db. SQLite runs in WAL mode with foreign keys on; only write transactions take the lock, with
BEGIN IMMEDIATE, so an open reader never blocks a writer and two writers never deadlock."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event, exc, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from models.core.db_errors import server_name, translated
import models.core.text_limits  # noqa: F401  (every text flushed is checked against its column)
from models.core.errors import DatabaseProblem
from models.core.masking import mask_passwords

SQLITE_MAGIC = b"SQLite format 3\x00"
_IMMEDIATE = "cunzhi_immediate"
VERSION_TABLE = "alembic_version"  # alembic's default, which models/migrations/env.py keeps


PG_CONNECT_TIMEOUT = 10  # seconds: a server that does not answer is reported, not waited for
# A dead connection is noticed by the operating system's keepalives within a minute instead of
# after the default two hours.
# The session speaks UTC, as SQLite's file does, whatever time zone the township's server was set
# up with (a Chinese server's is Asia/Shanghai): an instant without its zone means the same on both.
_SERVER_CONNECT_ARGS = {"connect_timeout": PG_CONNECT_TIMEOUT, "keepalives": 1,
                        "keepalives_idle": 20, "keepalives_interval": 5, "keepalives_count": 3,
                        "options": "-c TimeZone=UTC"}
# A pooled connection is tested before use only after it sat idle this long: a ping before every
# transaction would cost one network round trip each time (30 ms on a village's line).
IDLE_PING_SECONDS = 20


def is_url(target: str | Path) -> bool:
    return "://" in str(target)


def to_url(target: str | Path | URL) -> URL:
    """A file path becomes a SQLite URL; anything with '://' is taken as a SQLAlchemy URL of
    SQLite or PostgreSQL (through psycopg 3). Anything else is refused in plain Chinese, the
    password never repeated. A URL object (a saved connection, a typed password) is taken as it
    is: its text would hide the password."""
    if isinstance(target, URL):
        return target.set(drivername="postgresql+psycopg") \
            if target.get_backend_name() in ("postgresql", "postgres") else target
    text = str(target)
    if not is_url(text):
        return URL.create("sqlite+pysqlite", database=str(Path(text).expanduser().resolve()))
    shown = mask_passwords(text)
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):
        raise DatabaseProblem(f"数据库地址“{shown}”的写法不对，应为 "
                              "postgresql://用户@服务器:端口/数据库，或一个文件路径。") from None
    backend = "postgresql" if url.get_backend_name() == "postgres" else url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseProblem(f"不支持“{backend}”数据库（{shown}）：村治通只能使用 SQLite "
                              "数据库文件或 PostgreSQL 服务器。")
    if backend == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
        if url.port is not None and not 1 <= url.port <= 65535:
            raise DatabaseProblem(f"数据库地址“{shown}”中的端口号 {url.port} 不对，"
                                  "应在 1 到 65535 之间（PostgreSQL 通常是 5432）。")
    return url


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


def companions(path: Path) -> list[Path]:
    """The -wal and -shm files SQLite keeps beside a WAL database while it is in use."""
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]


def _read_only_source(path: Path) -> tuple[str, Path | None]:
    """How to read a file without creating or changing anything beside it: a file at rest
    (no -wal, no -shm) is opened `immutable`; a file in use (both there) read-only through
    them; a crash's leftover -wal without its -shm is read from a private copy (a temp folder,
    returned to be removed). Returns the SQLite URI and that temp folder."""
    wal, shm = companions(path)
    if not wal.exists() and not shm.exists():
        return f"file:{quote(str(path))}?mode=ro&immutable=1", None
    if wal.exists() and shm.exists():
        return f"file:{quote(str(path))}?mode=ro", None
    folder = Path(tempfile.mkdtemp(prefix="cunzhi-check-"))
    copy = folder / path.name
    shutil.copyfile(path, copy)
    if wal.exists():
        shutil.copyfile(wal, folder / wal.name)
    return f"file:{quote(str(copy))}", folder


def refuse_other_programs(path: Path) -> None:
    """Refuse a SQLite file holding another program's tables before anything connects to it
    for writing (connecting turns on WAL mode, which changes the file)."""
    if not path.is_file() or path.stat().st_size == 0:
        return
    try:
        probe = sqlite3.connect(f"file:{quote(str(path))}?mode=ro&immutable=1", uri=True)
        try:
            tables = {name for name, in probe.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            probe.close()
    except sqlite3.DatabaseError:
        return  # a damaged file: what fails on it is said where it is read
    if tables and VERSION_TABLE not in tables:
        raise DatabaseProblem(f"文件“{path.name}”是其他程序的数据库，不是村治通的数据库。"
                              "程序没有修改它。")


def _sqlite_engine(url: URL, read_only: bool) -> tuple[Engine, Path | None]:
    path = sqlite_path(url)
    scratch = None
    if read_only and path is not None:
        uri, scratch = _read_only_source(path)
        engine = create_engine("sqlite+pysqlite://", creator=lambda: sqlite3.connect(
            uri, uri=True, timeout=30, check_same_thread=False))
    else:
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

    return engine, scratch


def _ping_when_idle(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection, record) -> None:  # type: ignore[no-untyped-def]
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection, record, _proxy) -> None:  # type: ignore[no-untyped-def]
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:
            dbapi_connection.execute("SELECT 1")
            dbapi_connection.rollback()
        except Exception as error:  # any failure: the pool drops it and connects afresh
            raise exc.DisconnectionError() from error


class Database:
    """One database, with read and write sessions. Every user operation is one `write()` block."""

    def __init__(self, target: str | Path | URL, *, read_only: bool = False,
                 must_exist: bool = False):
        self.url = to_url(target)
        self.tag = f"cunzhi:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self.path = sqlite_path(self.url)
        self.read_only = read_only
        if self.path is not None:
            inspect_sqlite_file(self.path)
            if (must_exist or read_only) and not self.path.exists():
                raise DatabaseProblem(f"找不到数据库文件“{self.path}”。")
            if must_exist and self.path.stat().st_size == 0:
                raise DatabaseProblem(f"文件“{self.path.name}”是空的（0 字节），不是村治通的数据库。"
                                      "程序没有修改它。")
            if not read_only:
                refuse_other_programs(self.path)
            if not self.path.parent.is_dir():
                raise DatabaseProblem(f"文件夹“{self.path.parent}”不存在，数据库文件无法放在那里。")
            if not read_only and not self.path.exists():
                # Made here with the mode the process allows (0666 less the umask), not SQLite's
                # fixed 0644: in the group's shared folder (/var/lib/cunzhi) a new database, and
                # the -wal and -shm files SQLite gives its mode, stay writable by the group.
                try:
                    self.path.touch(mode=0o666)
                except OSError as error:
                    raise DatabaseProblem(f"无法在文件夹“{self.path.parent}”中建立数据库文件"
                                          f"（{error.strerror}）。") from error
            self.engine, self._scratch = _sqlite_engine(self.url, read_only)
            self._write_engine = self.engine.execution_options(**{_IMMEDIATE: True})
        else:
            self._scratch = None
            # Every connection names this Database object, so that the change listener can tell
            # the notifications of its own writes from those of other PCs (models/server/changes).
            self.engine = create_engine(self.url, connect_args={
                **_SERVER_CONNECT_ARGS, "application_name": self.tag})
            _ping_when_idle(self.engine)
            self._write_engine = self.engine
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(self._write_engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None or self.url.get_backend_name() == "sqlite"

    def describe(self) -> str:
        if self.path:
            return str(self.path)
        plain = self.url.set(drivername=self.url.get_backend_name())  # postgresql://, as typed
        return plain.render_as_string(hide_password=True)

    def label(self) -> str:
        """Where the data is, for the window's title: the file, or “服务器 … 的数据库 …”."""
        return str(self.path) if self.path else server_name(self.url)

    def transport(self) -> str:
        """“（加密连接）” when a server connection insists on TLS, else nothing."""
        if self.is_sqlite:
            return ""
        secure = self.url.query.get("sslmode") in ("require", "verify-ca", "verify-full")
        return "（加密连接）" if secure else "（未加密）"

    @contextmanager
    def read(self) -> Iterator[Session]:
        # Closing (not rolling back) ends the read transaction and keeps loaded rows readable.
        with translated(self.url, writing=False), self._reader() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends normally, rolled back otherwise."""
        if self.read_only:
            raise DatabaseProblem("数据库以只读方式打开，不能修改。")
        with translated(self.url, writing=True), self._writer() as session, session.begin():
            yield session

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A plain connection (the schema's version checks), its driver errors explained."""
        with translated(self.url, writing=False), self.engine.connect() as connection:
            yield connection

    def ping(self) -> None:
        """One round trip to the database; its problem (the server unreachable) is raised."""
        with self.read() as session:
            session.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
