"""The township server a PC connects to, remembered per Windows user without the password.

The choice (server, port, database, database login, TLS) is a small JSON file in the user's own
configuration folder (Qt's AppConfigLocation, e.g. %LOCALAPPDATA%\\cunzhi\\connection.json).
The password never goes there: it goes into libpq's password file — %APPDATA%\\postgresql\\
pgpass.conf on Windows, ~/.pgpass elsewhere, or whatever PGPASSFILE names — which only that user
may read (mode 0600) and which libpq (and so psycopg, psql and pg_dump) reads by itself when it
connects. So no shortcut, command line, process list, log or settings file of the program ever
holds the password. `--db` still overrides the saved choice."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL

from models.core.data_folder import APP_NAME
from models.core.db import Database
from models.core.errors import ValidationError

CONNECTION_FILE = "connection.json"
DEFAULT_PORT = 5432
DEFAULT_DATABASE = "cunzhi"


@dataclass(frozen=True)
class ServerConnection:
    host: str
    port: int = DEFAULT_PORT
    database: str = DEFAULT_DATABASE
    user: str = f"{DEFAULT_DATABASE}_app"
    tls: bool = True

    def url(self) -> URL:
        # sslmode=require encrypts without checking the certificate's name; a township with its
        # own certificate authority can use verify-full through --db (README's guide).
        return URL.create("postgresql+psycopg", username=self.user, host=self.host,
                          port=self.port, database=self.database,
                          query={"sslmode": "require" if self.tls else "disable"})

    def label(self) -> str:
        return f"{self.host}:{self.port}/{self.database}"

    def validated(self) -> ServerConnection:
        host, database, user = self.host.strip(), self.database.strip(), self.user.strip()
        if not host:
            raise ValidationError("请填写服务器地址（例如 192.168.1.10）。")
        if not database or not user:
            raise ValidationError("请填写数据库名称和数据库用户名。")
        if not 0 < int(self.port) < 65536:
            raise ValidationError(f"端口 {self.port} 不对，应在 1 到 65535 之间（通常是 5432）。")
        if any(c in value for value in (host, database, user) for c in " :\\/@?#"):
            raise ValidationError("服务器地址、数据库名称和用户名里不能有空格或 : / @ ? # 等符号。")
        return ServerConnection(host, int(self.port), database, user, bool(self.tls))


# ---- the saved choice ----------------------------------------------------------------------
def user_config_folder() -> Path:
    """The user's own settings folder (what Qt calls AppConfigLocation): %LOCALAPPDATA%\\cunzhi
    on Windows, $XDG_CONFIG_HOME/cunzhi (~/.config/cunzhi) elsewhere."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    else:
        base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / APP_NAME


def load(config_folder: Path) -> ServerConnection | None:
    path = config_folder / CONNECTION_FILE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return ServerConnection(**{k: data[k] for k in ("host", "port", "database", "user", "tls")})
    except (ValueError, KeyError, TypeError) as error:
        raise ValidationError(f"保存的服务器连接“{path}”已损坏，请重新设置连接。") from error


def save(config_folder: Path, connection: ServerConnection, password: str | None = None) -> Path:
    """Remember the connection for this user; with a password, put it into libpq's passfile."""
    connection = connection.validated()
    if password:
        remember_password(connection, password)
    config_folder.mkdir(parents=True, exist_ok=True)
    path = config_folder / CONNECTION_FILE
    _write_private(path, json.dumps(asdict(connection), ensure_ascii=False, indent=2) + "\n")
    return path


def forget(config_folder: Path) -> None:
    (config_folder / CONNECTION_FILE).unlink(missing_ok=True)


# ---- libpq's password file -----------------------------------------------------------------
def passfile_path() -> Path:
    """Where libpq looks for passwords: PGPASSFILE, else its per-user default."""
    if os.environ.get("PGPASSFILE"):
        return Path(os.environ["PGPASSFILE"])
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / "postgresql" / "pgpass.conf"
    return Path.home() / ".pgpass"


def _escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


def _fields(line: str) -> list[str]:
    fields, current, escaped = [], "", False
    for char in line:
        if escaped:
            current, escaped = current + char, False
        elif char == "\\":
            escaped = True
        elif char == ":" and len(fields) < 4:
            fields.append(current)
            current = ""
        else:
            current += char
    return [*fields, current]


def passfile_has(connection: ServerConnection) -> bool:
    """Whether libpq would find a password for this connection in the passfile."""
    path = passfile_path()
    if not path.exists():
        return False
    key = [connection.host, str(connection.port), connection.database, connection.user]
    return any(all(f in ("*", k) for f, k in zip(_fields(line)[:4], key, strict=False))
               and len(_fields(line)) == 5 for line in path.read_text(encoding="utf-8").splitlines())


def remember_password(connection: ServerConnection, password: str) -> Path:
    """Add (or replace) this connection's line in the passfile, keeping every other line."""
    if "\n" in password or "\r" in password:
        raise ValidationError("数据库密码里不能有换行。")
    path = passfile_path()
    key = [connection.host, str(connection.port), connection.database, connection.user]
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    kept = [line for line in lines if _fields(line)[:4] != key]
    kept.append(":".join(_escaped(part) for part in [*key, password]))
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_private(path, "\n".join(kept) + "\n")
    return path


def _write_private(path: Path, content: str) -> None:
    """Write a file only its owner may read (libpq ignores a looser passfile on Unix)."""
    temporary = path.with_name(path.name + ".new")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(content)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)


# ---- trying it -----------------------------------------------------------------------------
@dataclass(frozen=True)
class ServerState:
    version: str
    encrypted: bool
    schema_revision: str | None

    def describe(self) -> str:
        tls = "已加密（TLS）" if self.encrypted else "未加密"
        schema = (f"村治通数据库版本 {self.schema_revision}" if self.schema_revision
                  else "这个数据库还没有设置过村治通（需要先做“镇（街道）服务器设置”）")
        return f"连接成功：PostgreSQL {self.version}，{tls}，{schema}。"


def probe(url: URL | str) -> ServerState:
    """Connect once and say what is there; a refusal is the program's plain Chinese error."""
    db = Database(url)
    try:
        with db.connect() as connection:
            version = connection.execute(text("SHOW server_version")).scalar_one()
            encrypted = bool(connection.execute(text(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).scalar())
            revision = None
            if connection.execute(text("SELECT to_regclass('alembic_version')")).scalar():
                revision = connection.execute(text(
                    "SELECT version_num FROM alembic_version")).scalar()
        return ServerState(str(version).split(" ")[0], encrypted, revision)
    finally:
        db.dispose()
