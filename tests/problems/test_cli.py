"""The 整改 paper from the command line: a problem by its 整改编号 (and village where numbers
repeat), the 台账 of a village and month as PDF and xlsx; bad numbers are one Chinese line."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from main import main
from models.accounts.service import actor_for
from models.problems.service import ProblemFilter, ProblemsService


def test_paper_by_number_and_the_monthly_ledger(demo_db, tmp_path, capsys):
    if demo_db.path is None:
        pytest.skip("命令行在村里的 SQLite 数据库上测试。")
    target = str(demo_db.path)
    rows = ProblemsService(demo_db, actor_for(demo_db, "hanjia")).problems(ProblemFilter(month=10))
    number = rows[0].number
    assert main(["print", "problem-notice", "--db", target, "--number", number, "--village",
                 rows[0].village, "-o", str(tmp_path / "通知书.pdf")]) == 0
    assert main(["print", "problem-ledger", "--db", target, "--scope", f"village:{rows[0].village}",
                 "--year", "2026", "--month", "10", "-o", str(tmp_path / "台账.pdf"),
                 "--xlsx", str(tmp_path / "台账.xlsx")]) == 0
    sheet = load_workbook(tmp_path / "台账.xlsx").active
    assert [r[3].split(" ")[0] for r in sheet.iter_rows(min_row=4, max_row=3 + len(rows),
                                                        values_only=True)] == [r.number for r in rows]
    assert main(["print", "problem-notice", "--db", target, "--number", number,
                 "-o", str(tmp_path / "x.pdf")]) == 1
    assert "请写明是哪个村" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
