"""print KIND: the print centre's documents as PDF, for a scope of the organisation.

    python main.py print work-ids --scope village:韩家村 --db … -o 工作证.pdf

The one `print` group: other modules' printable kinds join it (ranking's `ranking-notice`)."""

from __future__ import annotations

import argparse
import sys

from commands import ranking
from commands.common import add_command, add_db_argument, open_database, output_file, year
from models.core.access import SYSTEM
from models.printing.scope import SYNTAX
from models.printing.service import KINDS, PrintService
from models.worklog.calendar import Month
from reports.printing import print_document

ALIASES = {"notice": "talk-list"}  # the 约谈 list notice answers to both names


def register(sub: argparse._SubParsersAction) -> None:
    printing = add_command(sub, "print")
    kinds = printing.add_subparsers(dest="kind", metavar="种类", required=True)
    for kind in KINDS.values():
        names = [alias for alias, key in ALIASES.items() if key == kind.key]
        _add_kind(kinds.add_parser(kind.key, aliases=names, help=kind.label), kind)
    ranking.add_print_kinds(kinds)


def _add_kind(parser: argparse.ArgumentParser, kind) -> None:  # type: ignore[no-untyped-def]
    add_db_argument(parser)
    if kind.key == "receipt":
        parser.add_argument("--number", required=True, help="兑换凭证号，例如 DH2026-000001")
        parser.add_argument("--village",
                            help="行政村名称（凭证号在各村分别编号；多村共用的数据库中必须写明）")
    else:
        parser.add_argument("--scope", required=True, help=SYNTAX)
    if kind.key in ("work-ids", "pledges", "passbook", "talk-list"):
        parser.add_argument("--year", type=year, help="年度（默认今年）")
    if kind.key == "worklog-sheets":
        parser.add_argument("--month", help="月份，例如 2026-03（默认本月）")
    if kind.key == "talk-list":
        parser.add_argument("--doc-number", default="", help="发文字号，例如 韩支发〔2026〕3号")
    if len(kind.papers) > 1:
        parser.add_argument("--paper", choices=kind.papers, default=kind.papers[0], help="纸张")
    parser.add_argument("-o", "--output", required=True, metavar="文件", help="输出的 PDF 文件")
    parser.add_argument("--allow-missing", action="store_true",
                        help="本机字体缺少某些字符时照样输出（这些字符会印成空框）")
    parser.set_defaults(action=cmd_print, print_kind=kind.key)


def cmd_print(args: argparse.Namespace) -> int:
    target = output_file(args.output, ".pdf")
    db = open_database(args)
    service = PrintService(db, SYSTEM)
    if getattr(args, "village", None):
        scope = service.scope(f"village:{args.village}")
    else:
        scope = service.scope(args.scope) if getattr(args, "scope", None) else None
    result = print_document(
        service, args.print_kind, scope, target, year=getattr(args, "year", None),
        paper=getattr(args, "paper", ""), number=getattr(args, "number", ""),
        doc_number=getattr(args, "doc_number", ""),
        month=Month.parse(args.month) if getattr(args, "month", None) else None,
        allow_missing=args.allow_missing)
    print(f"已输出{result.kind}（{result.scope}，共 {result.pages} 页）：{result.path}")
    if result.missing:
        print(f"注意：{'、'.join(result.missing)} 本机没有字体可以打印，已印成空框“□”。", file=sys.stderr)
    return 0
