"""村治通 — start the program, or run an admin command: `python main.py COMMAND --db …`.

Only the module of the command that runs is imported (commands.COMMANDS names them), so
`--help` and the window's start load no command's module, nor what only a command needs."""

from __future__ import annotations

import argparse
import importlib
import sys

from commands import COMMANDS
from commands.common import ChineseArgumentParser, add_db_argument, run_guarded


def named_command(argv: list[str]) -> str | None:
    """The command argv names: its first word that is neither an option nor --db's value."""
    words = iter(argv)
    for word in words:
        if word == "--db":
            next(words, None)
        elif not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def build_parser(argv: list[str]) -> argparse.ArgumentParser:
    """The parser for argv: the command it names in full (its module imported now), every other
    command by its name and help alone."""
    prog = "cunzhi-cli" if getattr(sys, "frozen", False) else "main.py"  # the installed name
    parser = ChineseArgumentParser(prog=prog, description="村治通：农村人居环境“五级架构”管理")
    add_db_argument(parser)
    parser.add_argument("--demo", action="store_true", help="在一份新的演示数据上打开程序")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    named = named_command(argv)
    module = COMMANDS[named].module if named else None
    for name, command in COMMANDS.items():
        if command.module != module:
            sub.add_parser(name, help=command.help)
        elif name == named:
            importlib.import_module(module).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv).parse_args(argv)
    if args.command is None:
        from ui.splash import start  # Qt alone: something on screen before the rest loads

        splash = start()
        try:
            from ui.app import run

            return run(args, splash)
        finally:
            splash.close()
    return run_guarded(args.action, args)


if __name__ == "__main__":
    sys.exit(main())
