"""demo, stats and check."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from commands.common import (
    add_command,
    add_db_argument,
    database_target,
    default_database,
    fail,
    input_file,
    open_database,
)
from models.core.access import SYSTEM
from models.core.db import Database
from models.org.directory import DirectoryService

MAX_SCALE = 50  # towns: 20 are the benchmarks' county


def register(sub: argparse._SubParsersAction) -> None:
    demo = add_command(sub, "demo")
    add_db_argument(demo)
    demo.add_argument("--scale", type=int, default=1, help=f"镇的个数（20 = 一个县，最多 {MAX_SCALE}）")
    demo.set_defaults(action=cmd_demo)

    stats = add_command(sub, "stats")
    add_db_argument(stats)
    stats.set_defaults(action=cmd_stats)

    check = add_command(sub, "check")
    add_db_argument(check)
    check.add_argument("--codes", type=Path, metavar="文件",
                       help="核对校验码文件：每行“编号 校验码”（备份时写出的 .codes.txt 即可）")
    check.add_argument("--code", action="append", default=[], metavar="编号=校验码",
                       help="核对纸面上的一个校验码，例如 --code P123-12=K7QF3-M9X2A（可写多次）")
    check.set_defaults(action=cmd_check)


def cmd_demo(args: argparse.Namespace) -> int:
    if not 1 <= args.scale <= MAX_SCALE:
        return fail(f"--scale 应在 1 到 {MAX_SCALE} 之间。")
    if args.db is None:  # the demo goes into this PC's own file, never the saved server
        args.db = str(default_database())
        Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    from models.demo.activity import generate  # every area: only the demo needs them all

    db = open_database(args, must_exist=False)
    if DirectoryService(db, SYSTEM).stats()["admin_villages"]:
        return fail(f"{db.describe()} 中已经有行政村的数据：演示数据只写入新的空数据库，"
                    "请换一个新的文件名（--db），原有数据没有改动。")
    started = time.perf_counter()
    generate(db, args.scale)
    print(f"已生成 {args.scale} 个镇的演示数据，用时 {time.perf_counter() - started:.1f} 秒：{db.describe()}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    db = open_database(args)
    print(json.dumps(DirectoryService(db, SYSTEM).stats(), ensure_ascii=False, indent=2))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from models.check import run_checks  # every area's invariants: only check needs them all
    from models.core.anchors import parse

    codes = parse(args.code, input_file(args.codes) if args.codes else None)
    db = Database(database_target(args), read_only=True)
    try:
        problems = run_checks(db, codes)
    finally:
        db.dispose()
    if problems:
        print("检查未通过：", file=sys.stderr)
        for line in problems:
            print(f"  - {line}", file=sys.stderr)
        return 1
    said = f"，{len(codes)} 个校验码全部相符" if codes else ""
    print(f"检查通过{said}：{db.describe()}")
    return 0
