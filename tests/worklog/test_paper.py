"""The 三个一 paper on both engines: blank log sheets (two pages a head, the alley's households
named, days out of office marked) and the reminder list, through the print centre."""

from __future__ import annotations

import re
import subprocess
from datetime import date

import pytest
from pypdf import PdfReader

from models.core import clock
from models.core.access import SYSTEM
from models.core.errors import ValidationError
from models.org.tables import Alley, Head
from models.printing.scope import ScopeKind
from models.printing.service import PrintService
from models.worklog.calendar import Month
from models.worklog.log import WorkLogService
from reports.printing import print_document
from tests.worklog.helpers import make_village


def _text(pdf) -> str:  # type: ignore[no-untyped-def]
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return re.sub(r"\s+", "", out.stdout)


def test_blank_sheets_of_a_village_two_pages_a_head(db, tmp_path):  # type: ignore[no-untyped-def]
    village = make_village(db, heads=3, households=4, appointed=date(2026, 11, 10))
    service = PrintService(db, SYSTEM)
    scope = service.unit_scope(ScopeKind.VILLAGE, village.id)
    result = print_document(service, "worklog-sheets", scope, tmp_path / "日志.pdf",
                            month=Month(2026, 11))
    assert result.pages == len(PdfReader(tmp_path / "日志.pdf").pages) == 6
    sheets = service.log_sheets(scope, Month(2026, 11))
    assert [len(s.households) for s in sheets] == [4, 4, 4]
    assert sheets[0].off_days == frozenset(range(1, 10))  # appointed on the 10th
    assert len(sheets[0].weeks) == 4
    text = _text(tmp_path / "日志.pdf")
    assert "胡同长“三个一”工作日志（2026年11月）" in text
    assert all(s.head in text for s in sheets) and "不在任" in text
    assert "矛盾纠纷调解员" in text


def test_a_zone_prints_its_alleys_and_a_household_is_refused(db):  # type: ignore[no-untyped-def]
    service = PrintService(db, SYSTEM)
    village = make_village(db, heads=2, households=1)
    with db.read() as s:
        zone = s.get(Alley, s.get(Head, village.heads[0]).alley_id).zone_id
    sheets = service.log_sheets(service.unit_scope(ScopeKind.ZONE, zone), Month(2026, 11))
    assert [s.alley for s in sheets] == ["1号胡同", "2号胡同"]
    with pytest.raises(ValidationError, match="不能按"):
        service.job("worklog-sheets", service.unit_scope(ScopeKind.HOUSEHOLD, 1))


def test_the_reminder_list_names_who_has_not(db, tmp_path):  # type: ignore[no-untyped-def]
    village = make_village(db, heads=2, households=1)
    today = clock.today()
    WorkLogService(db, SYSTEM).set_patrol(village.heads[0], today, True)
    service = PrintService(db, SYSTEM)
    scope = service.unit_scope(ScopeKind.VILLAGE, village.id)
    sheet = service.reminder_sheet(scope)
    assert len(sheet.today) == 1 and len(sheet.this_week) == 2 and len(sheet.this_month) == 2
    print_document(service, "worklog-reminders", scope, tmp_path / "提醒.pdf")
    text = _text(tmp_path / "提醒.pdf")
    assert f"{today.month}月{today.day}日尚未登记巡查（1人）" in text and sheet.today[0].name in text
