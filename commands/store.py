"""goods-report: the goods store's reports as .xlsx files, for the township office's paperwork."""

from __future__ import annotations

import argparse
from datetime import date

from commands.common import add_command, add_db_argument, day, fail, open_database, output_file
from models.core import clock
from models.core.access import SYSTEM
from models.store.report_tables import StoreReportService
from reports.store.store_xlsx import write_table

KINDS = {"movements": "出入库明细", "donations": "捐赠登记簿", "daily": "兑换日报",
         "monthly": "兑换月报", "villages": "各村兑换汇总", "stock": "库存表"}


def register(sub: argparse._SubParsersAction) -> None:
    report = add_command(sub, "goods-report")
    add_db_argument(report)
    report.add_argument("kind", choices=KINDS, help="；".join(f"{k}={v}" for k, v in KINDS.items()))
    report.add_argument("--village", help="行政村名称（各村汇总不需要）")
    report.add_argument("--from", dest="start", type=day,
                        default=date(clock.today().year, 1, 1), help="开始日期 YYYY-MM-DD")
    report.add_argument("--to", dest="end", type=day, default=clock.today(),
                        help="结束日期 YYYY-MM-DD")
    report.add_argument("-o", "--output", "--out", dest="out", required=True,
                        metavar="文件", help="保存的 .xlsx 文件")
    report.set_defaults(action=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    out = output_file(args.out, ".xlsx")
    if args.start > args.end:
        return fail(f"开始日期 {args.start} 晚于结束日期 {args.end}。")
    db = open_database(args)
    reports = StoreReportService(db, SYSTEM)
    if args.kind == "villages":
        table = reports.redemptions_by_village(args.start, args.end)
    else:
        if not args.village:
            return fail(f"“{KINDS[args.kind]}”需要用 --village 指定行政村。")
        village_id = reports.village_id(args.village)
        if village_id is None:
            return fail(f"找不到行政村“{args.village}”。")
        table = {
            "movements": lambda: reports.movements(village_id, args.start, args.end),
            "donations": lambda: reports.donations(village_id, args.start, args.end),
            "daily": lambda: reports.redemptions_by_day(village_id, args.start, args.end),
            "monthly": lambda: reports.redemptions_by_month(village_id, args.start, args.end),
            "stock": lambda: reports.stock_on_hand(village_id),
        }[args.kind]()
    print(f"已导出“{table.title}”（{len(table.rows)} 行）：{write_table(table, out)}")
    return 0
