"""What every command shares: the Chinese parser, finding and opening the database. The database
modules (SQLAlchemy) load only when a command opens one, so `main.py --help` stays light."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from commands import COMMANDS
from models.core.errors import DomainError, ValidationError

if TYPE_CHECKING:
    from models.core.db import Database

APP_NAME = "cunzhi"


def data_folder() -> Path:
    """Qt's AppDataLocation for this program (e.g. %APPDATA%\\cunzhi on Windows)."""
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName("")
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))


def default_database() -> Path:
    return data_folder() / "cunzhi.db"


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
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{chinese_message(message)}\n")


def add_command(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    """The parser of one command, with its help from commands.COMMANDS."""
    return sub.add_parser(name, help=COMMANDS[name].help)


def add_output_argument(parser: argparse.ArgumentParser, help: str) -> None:
    """The file a command writes: `-o FILE` like every other writing command, or (as before)
    the file as the last word."""
    parser.add_argument("file", type=Path, nargs="?", metavar="文件", help=f"{help}（也可用 -o 指定）")
    parser.add_argument("-o", "--output", type=Path, metavar="文件", help=help)


def output_path(args: argparse.Namespace) -> Path:
    path = args.output or args.file
    if path is None:
        raise ValidationError("请用 -o 指定要保存的文件。")
    return path


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="数据库",
                        help="数据库文件路径或 SQLAlchemy URL（默认：用户数据文件夹中的 cunzhi.db）")


def open_database(args: argparse.Namespace, *, must_exist: bool = True) -> Database:
    """Open and migrate the database named by --db (or the default one)."""
    from models.core.db import Database
    from models.core.schema import migrate

    db = Database(args.db or default_database(), must_exist=must_exist)
    migrate(db)
    return db


def fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def run_guarded(action, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    """Run a command; a refused operation prints its Chinese message and exits with 1."""
    try:
        return action(args) or 0
    except DomainError as error:
        return fail(str(error))
