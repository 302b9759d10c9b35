"""What every command shares: the Chinese parser, finding and opening the database. The database
modules (SQLAlchemy) load only when a command opens one, so `main.py --help` stays light."""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from commands import COMMANDS
from models.core.data_folder import DATABASE_NAME, settle
from models.core.errors import DomainError, ValidationError
from models.core.masking import mask_passwords

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from models.core.db import Database


def data_folder() -> Path:
    """The machine's data folder (models.core.data_folder), an older per-user database moved into it
    once; what moved, or why it could not, is said on stderr."""
    folder, move = settle()
    if move.moved:
        print(f"已把旧数据文件夹中的 {'、'.join(move.moved)} 移到“{folder}”。", file=sys.stderr)
    if move.left:
        print(move.left, file=sys.stderr)
    return folder


def default_database() -> Path:
    return data_folder() / DATABASE_NAME


def config_folder() -> Path:
    """This Windows user's own settings (the saved server connection), even when the data folder
    is the machine's."""
    from models.server.connection import user_config_folder

    return user_config_folder()


# argparse's own messages (gettext, never translated here) → the Chinese the office reads.
_MESSAGES = (
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"the following arguments are required: (.*)", r"缺少必需的参数：\1"),
    (r"one of the arguments (.*) is required", r"必须给出以下参数之一：\1"),
    (r"invalid choice: (.*) \(choose from (.*)\)", r"无效的选择 \1（可选：\2）"),
    (r"invalid (\S+) value: (.*)", r"无效的值：\2"),
    (r"expected one argument", "需要一个值"),
    (r"expected at most one argument", "最多只能给一个值"),
    (r"expected at least one argument", "至少需要一个值"),
    (r"expected (\d+) arguments?", r"需要 \1 个值"),
    (r"ignored explicit argument (.*)", r"多余的值 \1"),
    (r"not allowed with argument (.*)", r"不能与参数 \1 同时使用"),
    (r"ambiguous option: (.*?) could match (.*)", r"选项 \1 不明确，可能是：\2"),
)


def chinese_message(message: str) -> str:
    """Translate one argparse error message, the reason after "argument X: " included."""
    argument = re.fullmatch(r"argument (.*?): (.*)", message, flags=re.DOTALL)
    if argument:
        return f"参数 {argument.group(1)}：{chinese_message(argument.group(2))}"
    for pattern, replacement in _MESSAGES:
        match = re.fullmatch(pattern, message, flags=re.DOTALL)
        if match:
            return match.expand(replacement)
    return message


class ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def _get_default_metavar_for_optional(self, action: argparse.Action) -> str:
        return "值"


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with every word it prints in Chinese: headings, help, usage, errors. Subcommand
    parsers made by add_parser are of the parent's class, so main.py's parser covers them all."""

    def __init__(self, *args, add_help: bool = True, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="显示帮助并退出")

    def error(self, message: str):  # type: ignore[no-untyped-def]
        self.print_usage(sys.stderr)  # an argument it could not take is repeated, its password not
        self.exit(2, f"{self.prog}：错误：{mask_passwords(chinese_message(message))}\n")


def add_command(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    """The parser of one command, with its help from commands.COMMANDS."""
    return sub.add_parser(name, help=COMMANDS[name].help)


def add_output_argument(parser: argparse.ArgumentParser, help: str) -> None:
    """The file a command writes: `-o FILE` like every other writing command, or (as before)
    the file as the last word."""
    parser.add_argument("file", type=Path, nargs="?", metavar="文件", help=f"{help}（也可用 -o 指定）")
    parser.add_argument("-o", "--output", type=Path, metavar="文件", help=help)


def output_path(args: argparse.Namespace, *suffixes: str) -> Path:
    return output_file(args.output or args.file, *suffixes)


def output_file(path: Path | str | None, *suffixes: str) -> Path:
    """A file the command is about to write, checked before anything is opened: its ending
    matches what is written (`suffixes`, e.g. ".pdf"), it is not a folder, its folder exists."""
    if path is None or not str(path).strip():
        raise ValidationError("请用 -o 指定要保存的文件。")
    path = Path(path).expanduser()
    if suffixes and path.suffix.lower() not in suffixes:
        raise ValidationError(f"输出文件“{path.name}”的扩展名不对：这里写出的是 "
                              f"{'或'.join(s.lstrip('.').upper() for s in suffixes)} 文件，"
                              f"文件名应以 {' 或 '.join(suffixes)} 结尾。")
    if path.is_dir():
        raise ValidationError(f"“{path}”是一个文件夹，请写出要保存的文件名。")
    if not path.parent.is_dir():
        raise ValidationError(f"文件夹“{path.parent}”不存在，请先建好它或换一个位置。")
    return path


def input_file(path: Path | str, *suffixes: str) -> Path:
    """A file the command reads: it exists, is a file, and has one of the `suffixes`."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise ValidationError(f"“{path}”是一个文件夹，不是文件。")
    if not path.is_file():
        raise ValidationError(f"找不到文件“{path}”。")
    if suffixes and path.suffix.lower() not in suffixes:
        raise ValidationError(f"文件“{path.name}”不是 {' 或 '.join(suffixes)} 文件。")
    return path


def year(text: str) -> int:
    """argparse type of a year: four digits in the range the program keeps."""
    from models.core.validation import validate_year

    try:
        return validate_year(text)
    except ValidationError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def day(text: str) -> date:
    """argparse type of a date written YYYY-MM-DD."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是日期，请写成 2026-03-01。") from None


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="数据库",
                        help="数据库文件路径或 SQLAlchemy URL（默认：本机数据文件夹中的 cunzhi.db）")


def database_target(args: argparse.Namespace) -> str | Path | URL:
    """What to open: --db if given, else the server this Windows user connected to (the saved
    connection, models/server/connection.py), else the local file in the data folder."""
    if args.db:
        return args.db
    from models.server import connection

    saved = connection.load(config_folder())
    return saved.url() if saved is not None else default_database()


# The databases a command opened, closed when it ends (run_guarded): SQLite then removes the
# -wal and -shm files it keeps while a database is open.
_OPENED: list[Database] = []


def open_database(args: argparse.Namespace, *, must_exist: bool = True) -> Database:
    """Open and migrate the database named by --db (or the default one). It must be this
    program's; only `must_exist=False` (the demo, a first import) may start a new one in a
    missing or empty (0-byte) file or an empty PostgreSQL database."""
    from models.core.db import Database
    from models.core.schema import migrate, require_ours

    db = Database(database_target(args), must_exist=must_exist)
    _OPENED.append(db)
    require_ours(db, may_be_new=not must_exist)
    migrate(db)
    return db


def fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def run_guarded(action, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    """Run a command. Whatever goes wrong ends in one plain Chinese line on stderr and exit
    status 1 (130 when interrupted), never a traceback, never a password. CUNZHI_DEBUG=1
    lets an unexpected error through with its traceback, for the developers."""
    try:
        return action(args) or 0
    except DomainError as error:
        return fail(mask_passwords(str(error)))
    except KeyboardInterrupt:
        print("已中断：没有完成的操作不会保存。", file=sys.stderr)
        return 130
    except Exception as error:
        if os.environ.get("CUNZHI_DEBUG"):
            raise
        return fail(unexpected(error))
    finally:
        while _OPENED:
            _OPENED.pop().dispose()


def unexpected(error: Exception) -> str:
    from models.core.db_errors import explain
    from models.core.masking import scrub

    plain = explain(error)
    if plain is not None:
        return plain
    detail = scrub(str(error).strip().splitlines()[0][:200]) if str(error).strip() else ""
    return (f"程序出错（{type(error).__name__}{'：' + detail if detail else ''}），本次操作没有完成。"
            "请把这一行告诉技术人员。")
