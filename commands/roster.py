"""import-roster, export-roster and roster-template: household rosters as Excel files."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from commands.common import (
    add_command,
    add_db_argument,
    add_output_argument,
    database_target,
    input_file,
    open_database,
    output_file,
    output_path,
)
from models.core.access import SYSTEM
from models.core.db import companions, is_url
from models.org.roster import RosterService, template_choices
from reports.org.roster_xlsx import write_problems, write_roster, write_template

XLSX = ".xlsx"


def register(sub: argparse._SubParsersAction) -> None:
    load = add_command(sub, "import-roster")
    load.add_argument("file", type=Path, metavar="文件", help="要导入的 .xlsx 文件")
    add_db_argument(load)
    load.add_argument("--create-units", action="store_true",
                      help="自动新建文件中出现而系统中没有的单位（向空数据库导入时自动如此）")
    load.add_argument("--problems", type=Path, help="有问题时把问题清单另存为此 xlsx 文件")
    load.set_defaults(action=cmd_import)

    dump = add_command(sub, "export-roster")
    add_output_argument(dump, "导出的 .xlsx 文件")
    add_db_argument(dump)
    dump.set_defaults(action=cmd_export)

    template = add_command(sub, "roster-template")
    add_output_argument(template, "保存的模板 .xlsx 文件")
    add_db_argument(template)
    template.set_defaults(action=cmd_template)


def cmd_import(args: argparse.Namespace) -> int:
    source = input_file(args.file, XLSX)
    if args.problems:
        output_file(args.problems, XLSX)
    target = database_target(args)
    if is_url(target) or Path(target).exists():
        db = open_database(args)
        return _import(db, source, args)
    return _import_into_new_file(Path(target).expanduser().resolve(), source, args)


def _import_into_new_file(path: Path, source: Path, args: argparse.Namespace) -> int:
    """A first import into a database that does not exist yet: built beside it under a
    temporary name and given its name only when everything was imported."""
    partial = path.with_name(f".{path.name}.importing")
    code = 1
    try:
        db = open_database(argparse.Namespace(db=str(partial)), must_exist=False)
        try:
            code = _import(db, source, args)
        finally:
            db.dispose()  # before the file is renamed or removed
        if code == 0:
            os.replace(partial, path)
    finally:
        for leftover in (partial, *companions(partial)):
            leftover.unlink(missing_ok=True)
    return code


def _import(db, source: Path, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    result = RosterService(db, SYSTEM).import_file(
        source, create_units=True if args.create_units else None)
    for warning in result.warnings:
        print(f"注意：{warning}", file=sys.stderr)
    if result.ok:
        print(f"已导入 {result.households} 户、{result.residents} 人、{result.heads} 位负责人，"
              f"新建单位 {result.created_units} 个。")
        return 0
    print(f"文件有 {len(result.problems)} 个问题，没有导入任何内容：", file=sys.stderr)
    for problem in result.problems[:200]:
        print(f"  第{problem.row}行  {problem.column}：{problem.reason}", file=sys.stderr)
    if args.problems:
        write_problems(args.problems, result.problems)
        print(f"问题清单已保存到 {args.problems}", file=sys.stderr)
    return 1


def cmd_export(args: argparse.Namespace) -> int:
    path = output_path(args, XLSX)
    db = open_database(args)
    count = write_roster(path, RosterService(db, SYSTEM).export_rows())
    print(f"已导出 {count} 位居民到 {path}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    path = output_path(args, XLSX)
    db = open_database(args)
    write_template(path, template_choices(RosterService(db, SYSTEM)))
    print(f"导入模板已保存到 {path}")
    return 0
