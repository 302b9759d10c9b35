"""print ranking-notice: the red/black list notice of a period as PDF or xlsx.

The `print` group itself lives in commands/printing.py, which takes this kind in."""

from __future__ import annotations

import argparse

from commands.common import add_db_argument, open_database, output_file
from models.core.access import SYSTEM
from models.core.errors import NotFound, ValidationError


def add_print_kinds(kinds: argparse._SubParsersAction) -> None:
    """This module's kinds of `print`, taken in by the shared group (commands/printing.py)."""
    notice = kinds.add_parser("ranking-notice", help="红黑榜通报（月度、季度、年度）")
    add_db_argument(notice)
    notice.add_argument("--period", required=True, help="2024-03（月度）、2024Q1（季度）或 2024（年度）")
    notice.add_argument("--township", help="镇（街道）名称；数据库中有多个镇时必须写明")
    notice.add_argument("-o", "--output", required=True, help="输出文件，.pdf 或 .xlsx")
    notice.set_defaults(action=cmd_ranking_notice)


def cmd_ranking_notice(args: argparse.Namespace) -> int:
    # Imported here: the `print` group registers this kind for every print command, and printing
    # work IDs needs neither the ranking service nor the notice's paper.
    from models.ranking.service import RankingService
    from reports.ranking_notices import write_notice

    target = output_file(args.output, ".pdf", ".xlsx")
    db = open_database(args)
    service = RankingService(db, SYSTEM)
    towns = service.townships()
    if args.township:
        chosen = [town_id for town_id, name in towns if name == args.township.strip()]
        if not chosen:
            raise NotFound(f"数据库中没有“{args.township}”，现有：{'、'.join(n for _, n in towns)}。")
    elif len(towns) > 1:
        raise ValidationError(f"数据库中有{len(towns)}个镇，请用 --township 写明是哪个镇的通报"
                              f"（例如 --township {towns[0][1]}）。")
    listing = service.latest_list(args.period, chosen[0] if args.township else None)
    target = write_notice(listing, target, service.replaced_list(listing))
    print(f"已输出{listing.doc_number}：{target}")
    return 0
