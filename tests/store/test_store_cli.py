"""`main.py goods-report`: the store's reports as .xlsx from the command line."""

from __future__ import annotations

from openpyxl import load_workbook

from main import main
from tests.store.counter_setup import make_goods, make_village


def _target(db) -> str:  # type: ignore[no-untyped-def]
    return str(db.path) if db.path else db.url.render_as_string(hide_password=False)


def test_goods_report_writes_the_stock_table(db, tmp_path, capsys):
    v = make_village(db)
    make_goods(db, v.village_id, "洗衣粉", 5, stock=12)
    out = tmp_path / "库存.xlsx"
    assert main(["goods-report", "stock", "--db", _target(db), "--village", "韩家村",
                 "--out", str(out)]) == 0
    rows = list(load_workbook(out).active.iter_rows(min_row=3, values_only=True))
    assert rows == [("洗衣粉", "袋", 5, 12, "在兑")]
    assert "已导出" in capsys.readouterr().out
    assert main(["goods-report", "daily", "--db", _target(db), "--out", str(out)]) == 1
    assert "需要用 --village 指定行政村" in capsys.readouterr().err
