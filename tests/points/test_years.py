"""Which year the points bank works in at the year's turn: the current year, and in January the
just-ended year until it is closed (DOMAIN §5)."""

from __future__ import annotations

from datetime import date

from models.core import clock
from models.points.service import PointsService
from models.points.years import open_years, working_year
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
