"""Database and file errors as one plain Chinese sentence, for the command line and any window
that has to say why the database could not be used. Passwords never appear in what is said."""

from __future__ import annotations

import re
import sqlite3

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
