"""print ranking-notice: the red/black list notice of a period as PDF or xlsx.

The `print` group itself lives in commands/printing.py, which takes this kind in."""

from __future__ import annotations

import argparse
from pathlib import Path

from commands.common import add_db_argument, open_database
from models.access import SYSTEM
from models.services.ranking import RankingService
from reports.ranking_notices import write_notice


def add_print_kinds(kinds: argparse._SubParsersAction) -> None:
    """This module's kinds of `print`, taken in by the shared group (commands/printing.py)."""
    notice = kinds.add_parser("ranking-notice", help="红黑榜通报（月度、季度、年度）")
    add_db_argument(notice)
    notice.add_argument("--period", required=True, help="2024-03（月度）、2024Q1（季度）或 2024（年度）")
    notice.add_argument("-o", "--output", required=True, help="输出文件，.pdf 或 .xlsx")
    notice.set_defaults(action=cmd_ranking_notice)


def cmd_ranking_notice(args: argparse.Namespace) -> int:
    db = open_database(args)
    listing = RankingService(db, SYSTEM).latest_list(args.period)
    target = write_notice(listing, Path(args.output))
    print(f"已输出{listing.doc_number}：{target}")
    return 0
