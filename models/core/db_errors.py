"""Database and file errors in the words of the office.

`explain` says what went wrong with a database or a file in one plain Chinese sentence (the
command line's last line, a window's message), passwords never repeated.

`translated` works at the edge of every read and write block (models/core/db.py): the driver's
errors become the program's own `DomainError`s, of a kind the window can act on — so every dialog
that shows a refusal in red also shows these, and nobody sees a traceback:
- the server cannot be reached, or the connection broke → `ServerProblem` / `ConnectionLost`
  (retry; a retried operation with an idempotency key never writes twice);
- the server refused the login → `LoginRefused` (enter the database password again);
- someone on another PC saved the same thing first (unique key clash, serialisation failure,
  deadlock) → `SavedElsewhere` (nothing of this attempt was saved: reload and look again);
- this login may not do that (e.g. upgrade the schema with the everyday login) → `ServerProblem`.
Other errors (a trigger refusing to change a ledger, a damaged file) pass unchanged."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from models.core.errors import ConnectionLost, DomainError, LoginRefused, SavedElsewhere, ServerProblem

from models.core.masking import scrub

# (lower-case words of the driver's message, what the office reads). First match wins.
_DRIVER_MESSAGES = (
    (("password authentication failed",), "数据库服务器拒绝了登录：用户名或密码不对。"),
    (("no password supplied", "fe_sendauth"), "数据库服务器要求密码，但连接地址中没有写密码。"),
    (("connection refused", "is the server running", "could not connect to server"),
     "无法连接数据库服务器{where}：服务器没有运行，或不接受连接。请检查服务器地址和端口。"),
    (("timeout expired", "timed out"), "连接数据库服务器{where}超时：服务器没有应答，请检查网络。"),
    (("failed to resolve host", "could not translate host name", "name or service not known",
      "nodename nor servname"), "找不到数据库服务器{host}：请检查服务器名称。"),
    (("invalid port number",), "数据库服务器的端口号不对。"),
    (("does not exist",), "数据库服务器上没有{missing}。"),
    (("permission denied", "must be owner"), "数据库账号没有做这件事的权限，请联系服务器管理员。"),
    (("too many connections", "remaining connection slots"),
     "数据库服务器的连接数已满，请稍后再试。"),
    (("server closed the connection", "terminating connection", "connection is closed",
      "consuming input failed", "ssl syscall"),
     "与数据库服务器的连接中断了，本次操作没有完成，请稍后重试。"),
    (("file is not a database",), "文件不是村治通的数据库，或者已经损坏。"),
    (("database disk image is malformed",), "数据库文件已损坏。"),
    (("database is locked",), "数据库正被另一个程序使用，请稍后再试。"),
    (("unable to open database file",), "无法打开数据库文件：文件夹不存在，或者没有权限。"),
    (("readonly database", "read-only"), "数据库是只读的，不能写入。"),
    (("database or disk is full", "no space left"), "磁盘已满，数据没有保存。"),
)
_WHERE = re.compile(r'server at "([^"]+)", port (\d+)')
_HOST = re.compile(r"host '([^']+)'|host name \"([^\"]+)\"")
_MISSING = re.compile(r'(database|role) "([^"]+)" does not exist')


def _driver_message(error: BaseException) -> str | None:
    from sqlalchemy.exc import DBAPIError

    if isinstance(error, DBAPIError):
        return str(error.orig) if error.orig is not None else str(error)
    if isinstance(error, sqlite3.Error):
        return str(error)
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return None
    return str(error) if isinstance(error, psycopg.Error) else None


def _fill(template: str, message: str) -> str:
    where = _WHERE.search(message)
    host = _HOST.search(message)
    missing = _MISSING.search(message)
    what = {"database": "数据库", "role": "用户"}
    return template.format(
        where=f"（{where.group(1)}:{where.group(2)}）" if where else "",
        host=f"“{next(g for g in host.groups() if g)}”" if host else "",
        missing=f"名为“{missing.group(2)}”的{what[missing.group(1)]}" if missing else "所要的对象")


def explain(error: BaseException) -> str | None:
    """The error in plain Chinese, or None when it is neither a database nor a file error."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    if isinstance(error, NoSuchModuleError | ModuleNotFoundError):
        return "不支持这种数据库：村治通只能使用 SQLite 数据库文件或 PostgreSQL 服务器。"
    if isinstance(error, ArgumentError):
        return "数据库地址的写法不对，应为 postgresql://用户@服务器:端口/数据库，或一个文件路径。"
    message = _driver_message(error)
    if message is not None:
        lowered = message.lower()
        for words, template in _DRIVER_MESSAGES:
            if any(word in lowered for word in words):
                return _fill(template, message)
        first = scrub(message.strip().splitlines()[0] if message.strip() else type(error).__name__)
        return f"数据库出错，本次操作没有完成：{first}"
    if isinstance(error, OSError):
        return _file_error(error)
    return None


def _file_error(error: OSError) -> str:
    name = f"“{error.filename}”" if error.filename else ""
    if isinstance(error, FileNotFoundError):
        return f"找不到文件或文件夹{name}。"
    if isinstance(error, IsADirectoryError):
        return f"{name}是一个文件夹，不是文件。"
    if isinstance(error, PermissionError):
        return f"没有权限读写{name}。"
    if getattr(error, "errno", None) == 28:
        return f"磁盘已满，{name}没有写完。"
    return scrub(f"无法读写文件{name}：{error.strerror or error}。")


# ---- typed errors at the edge of every read and write ---------------------------------------
LOGIN_STATES = {"28P01", "28000"}           # invalid password, no pg_hba entry / no such role
CLASH_STATES = {"23505", "40001", "40P01"}  # unique violation, serialisation failure, deadlock
PRIVILEGE_STATES = {"42501", "42P01"}       # insufficient privilege; an undefined table
NO_DATABASE_STATE = "3D000"
_SQLITE_BUSY = ("database is locked", "database table is locked")
# A refused connection carries no SQLSTATE, only the server's text, which a Chinese Windows
# installation sends in Chinese: both are recognised.
_LOGIN_TEXTS = ("password authentication failed", "authentication failed", "no pg_hba.conf entry",
                "no password supplied", "认证失败", "pg_hba.conf")
_ROLE_MISSING = re.compile(r'role ".*" does not exist|角色 ".*" 不存在')
_DATABASE_MISSING = re.compile(r'database ".*" does not exist|数据库 ".*" 不存在')

SAVED_ELSEWHERE = ("另一台电脑上刚刚有人保存了同样的内容，您这次的保存没有写入任何数据。"
                   "请刷新后再看一看，需要的话重新保存。")


def server_name(url: URL) -> str:
    """“服务器 192.168.1.10:5432 的数据库 cunzhi”: what a message says about where."""
    port = f":{url.port}" if url.port else ""
    return f"服务器 {url.host or '本机'}{port} 的数据库 {url.database}"


def _state(error: DBAPIError) -> str | None:
    return getattr(error.orig, "sqlstate", None)


def plain_error(error: DBAPIError, url: URL, *, writing: bool) -> DomainError | None:
    """The program's error for a driver error, or None when it is not one of ours to explain."""
    state, where = _state(error), server_name(url)
    text = str(error.orig) if error.orig is not None else str(error)
    if url.get_backend_name() == "sqlite":
        if any(phrase in text for phrase in _SQLITE_BUSY):
            return ServerProblem("数据库文件正被别的程序占用，这一步没有完成。请稍等片刻后再试一次。")
        if "UNIQUE constraint failed" in text:
            return SavedElsewhere(SAVED_ELSEWHERE)
        return None
    if state in LOGIN_STATES or any(t in text for t in _LOGIN_TEXTS) or _ROLE_MISSING.search(text):
        return LoginRefused(f"{where}拒绝了本机的数据库登录（数据库用户名或密码不对，或服务器不允许"
                            "这台电脑连接）。请在“连接服务器”中重新输入数据库密码，或请镇里的管理员检查。")
    if "does not support SSL" in text:
        return ServerProblem(f"{where}没有打开加密连接（TLS）。请在“连接服务器”中取消“加密连接”，"
                             "或请镇里的管理员在服务器上打开 TLS（见说明书）。")
    if state == NO_DATABASE_STATE or _DATABASE_MISSING.search(text):
        return ServerProblem(f"{where}不存在。请在“连接服务器”中检查数据库名称。")
    if state in CLASH_STATES:
        return SavedElsewhere(SAVED_ELSEWHERE)
    if state in PRIVILEGE_STATES:
        return ServerProblem(f"本机使用的数据库账号在{where}上没有这项权限。数据库的设置和升级只能由"
                             "镇里的管理员用数据库所有者账号完成（服务器设置，或命令 upgrade-server）。")
    broken = state is None and isinstance(error, OperationalError | InterfaceError)
    if error.connection_invalidated or broken or (state or "").startswith(("08", "57P")):
        if writing:
            return ConnectionLost(
                f"与{where}的连接中断了，刚才这一步可能已经保存，也可能没有保存。"
                "请检查网络后再试一次：程序会先核对，已经保存的不会重复保存。")
        return ServerProblem(f"连不上{where}。请检查网络和服务器是否开着，然后再试一次。")
    return None


@contextmanager
def translated(url: URL, *, writing: bool) -> Iterator[None]:
    try:
        yield
    except DBAPIError as error:
        plain = plain_error(error, url, writing=writing)
        if plain is None:
            raise
        raise plain from error
