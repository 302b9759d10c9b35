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
from models.printing.service import KINDS, PROBLEM_KINDS, YEARLY, PrintService
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
    elif kind.key in PROBLEM_KINDS:
        parser.add_argument("--number", required=True, help="整改编号，例如 ZG2026-017")
        parser.add_argument("--village",
                            help="行政村名称（整改编号在各村分别编号；多村共用的数据库中必须写明）")
    else:
        parser.add_argument("--scope", required=True, help=SYNTAX)
    if kind.key in YEARLY:
        parser.add_argument("--year", type=year, help="年度（默认今年）")
    if kind.key == "worklog-sheets":
        parser.add_argument("--month", help="月份，例如 2026-03（默认本月）")
    if kind.key == "problem-ledger":
        parser.add_argument("--month", type=month, dest="ledger_month", help="月份（1–12；不写则全年）")
        parser.add_argument("--xlsx", metavar="文件", help="同时导出 Excel 台账")
    if kind.key == "talent-forms":
        parser.add_argument("--number", default="", help="只打印一人：人才库记录编号（不写则全村）")
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
    number, criteria = _problem_paper(args, db, scope)
    result = print_document(
        service, args.print_kind, scope, target, year=getattr(args, "year", None),
        paper=getattr(args, "paper", ""), number=number,
        doc_number=getattr(args, "doc_number", ""),
        month=Month.parse(args.month) if getattr(args, "month", None) else None,
        allow_missing=args.allow_missing, problem_filter=criteria)
    print(f"已输出{result.kind}（{result.scope}，共 {result.pages} 页）：{result.path}")
    if result.missing:
        print(f"注意：{'、'.join(result.missing)} 本机没有字体可以打印，已印成空框“□”。", file=sys.stderr)
    if getattr(args, "xlsx", None):
        from models.problems.service import ProblemsService
        from reports.problems.ledger_xlsx import write_problem_ledger

        sheet = write_problem_ledger(ProblemsService(db, SYSTEM).ledger(criteria),
                                     output_file(args.xlsx, ".xlsx"))
        print(f"已导出 Excel 台账：{sheet}")
    return 0


def _problem_paper(args: argparse.Namespace, db, scope):  # type: ignore[no-untyped-def]
    """A problem's id from its 整改编号, or the 台账's filter; the problems area is loaded only
    for its own documents."""
    number = getattr(args, "number", "")
    if args.print_kind not in (*PROBLEM_KINDS, "problem-ledger"):
        return number, None
    from models.core import clock
    from models.problems.service import ProblemFilter, ProblemsService

    if args.print_kind == "problem-ledger":
        return number, ProblemFilter(village_id=scope.village_id,
                                     year=args.year or clock.today().year, month=args.ledger_month)
    return str(ProblemsService(db, SYSTEM).find(number, scope.village_id if scope else None)), None


def month(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 12:
        raise argparse.ArgumentTypeError(f"月份“{text}”应为 1 到 12。")
    return int(text)
