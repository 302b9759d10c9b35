"""The store's reports and their Excel export; the demo town's year of the goods store."""

from __future__ import annotations

from datetime import date

from openpyxl import load_workbook
from sqlalchemy import func, select

from models.check import run_checks
from models.core import clock
from models.org.tables import AdminVillage
from models.points.tables import EntryKind, LedgerEntry
from models.store.counter import CounterService
from models.store.goods import GoodsService
from models.store.report_tables import StoreReportService
from models.store.tables import Goods, Redemption
from reports.store.store_xlsx import write_table
from tests.store.counter_setup import give_points, make_goods, make_village

TODAY = clock.today()
YEAR_START = date(TODAY.year, 1, 1)


def test_reports_count_what_happened_and_export_to_xlsx(db, system, tmp_path):
    v = make_village(db)
    give_points(db, v.head_id, 100)
    goods = GoodsService(db, system)
    rice = make_goods(db, v.village_id, "大米", 20, stock=0)
    goods.stock_in(rice, 10, on=TODAY, value_yuan="250.00")
    goods.stock_in(rice, 5, on=TODAY, donor="乡贤理事会", value_yuan="125.5")
    counter = CounterService(db, system)
    counter.redeem(v.head_id, {rice: 2})
    cancelled = counter.redeem(v.head_id, {rice: 1})
    counter.cancel(cancelled.redemption_id, "拿错了")
    reports = StoreReportService(db, system)

    by_day = reports.redemptions_by_day(v.village_id, YEAR_START, TODAY)
    assert by_day.rows == [(TODAY.isoformat(), 1, 40, 2), ("合计", 1, 40, 2)]
    by_month = reports.redemptions_by_month(v.village_id, YEAR_START, TODAY)
    assert by_month.rows[0] == (f"{TODAY:%Y-%m}", 1, 40, 2)
    assert reports.redemptions_by_village(YEAR_START, TODAY).rows == [("韩家村", 1, 40),
                                                                     ("合计", 1, 40)]
    assert reports.stock_on_hand(v.village_id).rows == [("大米", "袋", 20, 13, "在兑")]
    kinds = [row[2] for row in reports.movements(v.village_id, YEAR_START, TODAY).rows]
    assert kinds == ["采购入库", "捐赠入库", "兑换出库", "兑换出库", "撤销兑换退回"]
    donations = reports.donations(v.village_id, YEAR_START, TODAY)
    assert donations.rows == [(TODAY.isoformat(), "乡贤理事会", "大米", 5, "袋", "125.50", "系统"),
                              ("合计", "", "", "", "", "125.50", "")]

    path = write_table(donations, tmp_path / "捐赠登记簿.xlsx")
    sheet = load_workbook(path).active
    assert sheet["A1"].value == donations.title
    assert [c.value for c in sheet[2]] == list(donations.headers)
    assert sheet["F3"].value == 125.5 and sheet["F3"].number_format == "#,##0.00"


def test_the_demo_town_has_a_year_of_the_goods_store(demo_db, system):
    with demo_db.read() as s:
        villages = s.scalar(select(func.count(AdminVillage.id)))
        stocked = s.scalar(select(func.count(func.distinct(Goods.admin_village_id))))
        redemptions = s.scalar(select(func.count(Redemption.id)))
        spends = s.scalar(select(func.count(LedgerEntry.id))
                          .where(LedgerEntry.kind == EntryKind.REDEMPTION))
        first = s.scalar(select(Redemption.number).order_by(Redemption.id))
    assert stocked == villages == 6
    assert redemptions == spends > 50
    assert first.endswith("-000001")
    assert run_checks(demo_db) == []
