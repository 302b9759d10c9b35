"""The log from Excel, on both engines: the template round-trips, a filled sheet adds ticks and
summaries through the journal, and a file with one bad row writes nothing and names the row."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from models.core import clock
from models.core.access import SYSTEM, Actor, Role
from models.core.audit import AuditLog
from models.org.roster_sheet import FileRefused
from models.worklog.calendar import Month, days_of
from models.worklog.importing import LogImportService
from models.worklog.log import WorkLogService
from models.worklog.tables import PatrolChange, PatrolSource, WeeklySummary
from reports.worklog.log_xlsx import write_template
from tests.worklog.helpers import make_village

NOVEMBER = Month(2026, 11)
FIRST_DAY_COLUMN = 7  # G: after 行政村 自然村 片区 胡同 胡同长 月份


@pytest.fixture
def village(db):  # type: ignore[no-untyped-def]
    made = make_village(db, heads=3, households=1)
    WorkLogService(db, SYSTEM).set_patrol(made.heads[0], date(2026, 11, 2), True)
    return made


def _template(db, village, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "巡查登记.xlsx"
    write_template(path, LogImportService(db, SYSTEM).template(village.id, NOVEMBER))
    return path


def _counts(db) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return tuple(s.scalar(select(func.count()).select_from(m))
                     for m in (PatrolChange, WeeklySummary, AuditLog))


def _fill(path, cells: dict[tuple[int, int], str]) -> None:  # type: ignore[no-untyped-def]
    book = load_workbook(path)
    sheet = book["巡查登记"]
    for (row, column), value in cells.items():
        sheet.cell(row=row, column=column, value=value)
    book.save(path)


def test_a_filled_template_adds_ticks_and_summaries(db, village, tmp_path):  # type: ignore[no-untyped-def]
    path = _template(db, village, tmp_path)
    book = load_workbook(path)
    assert book["巡查登记"].cell(row=2, column=FIRST_DAY_COLUMN + 1).value == "√"  # 2 Nov, recorded
    _fill(path, {(2, FIRST_DAY_COLUMN + 2): "√", (3, FIRST_DAY_COLUMN): "是",
                 (3, FIRST_DAY_COLUMN + 29): "√", (4, FIRST_DAY_COLUMN + 31 + 1): "清理柴草堆两处"})
    clerk = Actor("村文书", Role.CLERK, None, village.id)
    result = LogImportService(db, clerk).import_file(path)
    assert result.ok, result.problems
    assert (result.rows, result.ticks, result.summaries) == (3, 3, 1)
    grid = WorkLogService(db, SYSTEM).grid(village.id, NOVEMBER)
    assert [days_of(r.log.patrols) for r in grid.rows] == [[2, 3], [1, 30], []]
    assert grid.rows[2].log.summaries == {NOVEMBER.weeks()[1]}
    history = WorkLogService(db, SYSTEM).patrol_history(village.heads[1], NOVEMBER)
    assert [(h.source, h.set_days) for h in history] == [(PatrolSource.IMPORT, [1, 30])]
    again = LogImportService(db, clerk).import_file(path)
    assert (again.ok, again.ticks, again.summaries) == (True, 0, 0)


def test_one_bad_row_refuses_the_file_names_the_row_and_writes_nothing(db, village, tmp_path):  # type: ignore[no-untyped-def]
    path = _template(db, village, tmp_path)
    _fill(path, {(2, FIRST_DAY_COLUMN + 4): "√", (3, FIRST_DAY_COLUMN + 4): "x",
                 (4, FIRST_DAY_COLUMN + 4): "√"})
    before = _counts(db)
    result = LogImportService(db, SYSTEM).import_file(path)
    assert not result.ok
    assert [(p.row, p.column) for p in result.problems] == [(3, "5日")]
    assert "不能是“x”" in result.problems[0].reason
    assert _counts(db) == before


def test_a_row_of_someone_else_or_a_day_to_come_is_named(db, village, tmp_path):  # type: ignore[no-untyped-def]
    path = _template(db, village, tmp_path)
    tomorrow = clock.today() + timedelta(days=1)
    _fill(path, {(2, 5): "张三", (3, 6): f"{tomorrow:%Y-%m}",
                 (3, FIRST_DAY_COLUMN + tomorrow.day - 1): "√"})
    result = LogImportService(db, SYSTEM).import_file(path)
    problems = [(p.row, p.column) for p in result.problems]
    assert problems == [(2, "胡同长"), (3, f"{tomorrow.day}日")]
    assert "不是“张三”" in result.problems[0].reason and "还没有到" in result.problems[1].reason


def test_a_file_that_is_not_a_spreadsheet_is_refused(db, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "不是表格.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(FileRefused, match="xlsx"):
        LogImportService(db, SYSTEM).import_file(path)
