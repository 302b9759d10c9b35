"""Which year the points bank works in at the year's turn: the current year, and in January the
just-ended year until it is closed (DOMAIN §5)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from models.core import clock
from models.core.errors import ValidationError
from models.points.service import PointsService
from models.points.tables import Passbook
from models.points.years import open_years, working_year
from tests.points.helpers import make_heads, make_rule, recent_day
from ui.context import AppContext
from ui.pages.points.page import PointsPage


def test_january_still_takes_the_ended_year_until_it_is_closed(demo_db, system):
    with demo_db.read() as s:
        assert open_years(s, date(2026, 12, 31)) == [2026]
        assert open_years(s, date(2027, 1, 1)) == [2026, 2027]
        assert open_years(s, date(2027, 1, 31)) == [2026, 2027]
        assert open_years(s, date(2027, 2, 1)) == [2027]
        # the demo's passbooks are 2026's: January opens on them, February on the new year
        assert working_year(s, date(2027, 1, 1)) == 2026
        assert working_year(s, date(2027, 2, 1)) == 2027
        assert working_year(s, date(2026, 12, 1)) == 2026
        assert working_year(s, date(2028, 1, 5)) == 2028  # 2027 has no passbook to finish
    PointsService(demo_db, system).close_year(2026, today=date(2027, 1, 2))
    with demo_db.read() as s:
        assert open_years(s, date(2027, 1, 3)) == [2027]
        assert working_year(s, date(2027, 1, 3)) == 2027


def test_on_new_years_day_the_page_opens_on_the_ended_year(qtbot, demo_db, system, tmp_path,
                                                           monkeypatch):
    monkeypatch.setenv(clock.ENVIRONMENT_VARIABLE, "2027-01-01")
    page = PointsPage(AppContext(demo_db, system, tmp_path))
    qtbot.addWidget(page)
    assert page.year_box.value() == 2026 and page.talk_model.rows  # the demo year's 约谈 list
    assert page.close_button.isEnabled() and page.close_button.text() == "2026年度结转…"
    assert page.lapse_hint.text().startswith("2026年度已结束")
    first, last, suggested = page._entry_days()
    assert (first, last, suggested) == (date(2026, 1, 1), date(2027, 1, 1), date(2026, 12, 31))
    page.year_box.setValue(2027)
    assert page._entry_days()[2] == date(2027, 1, 1)


def _books(db) -> dict[int, int]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return dict(s.execute(select(Passbook.year, func.count(Passbook.id)).group_by(Passbook.year)).all())


def test_entries_go_into_an_open_year_only(db, system):
    head, = make_heads(db)
    service = PointsService(db, system)
    today = clock.today()
    deduction, award = make_rule(db, "T-5", -5), make_rule(db, "T5", 5)
    before = _books(db)
    next_march = date(today.year + 1, 3, 10)
    with pytest.raises(ValidationError, match=f"日期 {next_march:%Y-%m-%d} 晚于今天"):
        service.post(head, deduction, next_march, "提前登记")
    old = date(today.year - 2, 6, 1)
    with pytest.raises(ValidationError, match=f"属于{old.year}年度，现在积分只能记入"):
        service.post(head, deduction, old, "补记两年前")
    assert _books(db) == before  # no passbook opened for next year or for an old year
    service.post(head, award, recent_day())
    assert _books(db) == {recent_day().year: 1}


def test_january_takes_the_ended_year_until_it_is_closed(db, system, monkeypatch):
    head, = make_heads(db)
    service = PointsService(db, system)
    award = make_rule(db, "T5", 5)
    year = clock.today().year
    monkeypatch.setenv(clock.ENVIRONMENT_VARIABLE, f"{year}-12-20")
    service.post(head, award, date(year, 12, 20))
    monkeypatch.setenv(clock.ENVIRONMENT_VARIABLE, f"{year + 1}-01-10")
    service.post(head, award, date(year, 12, 31), "一月补记十二月")  # still open in January
    assert service.passbook(head, year).score == 40
    service.close_year(year)
    with pytest.raises(ValidationError, match=f"{year}年度，该年度积分已结转"):
        service.post(head, award, date(year, 12, 31), "结转后补记")
    monkeypatch.setenv(clock.ENVIRONMENT_VARIABLE, f"{year + 1}-02-01")
    with pytest.raises(ValidationError, match="上一年度只在次年1月"):
        service.post(head, award, date(year + 1, 1, 31) - timedelta(days=400), "太晚")
    service.post(head, award, date(year + 1, 1, 31))
    assert service.passbook(head, year + 1).score == 35


@pytest.mark.parametrize("year", [0, 1, 1900])
def test_a_year_without_passbooks_is_not_closed(db, system, year):
    make_heads(db)
    with pytest.raises(ValidationError, match=f"{year}年度没有任何积分存折"):
        PointsService(db, system).close_year(year)
    assert _books(db) == {}


def test_a_future_or_running_year_is_not_closed(db, system):
    head, = make_heads(db)
    service = PointsService(db, system)
    service.post(head, make_rule(db, "T5", 5), recent_day())
    for year in (clock.today().year, clock.today().year + 1):
        with pytest.raises(ValidationError, match=f"{year}年度还没有结束"):
            service.close_year(year)
