"""门前三包 pledges that came back: per household and year, the day and the copies; the list of
missing ones per alley is exactly the households without a recorded return; the problem card
says whether the responsible household signed. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models.core import clock
from models.core.access import SYSTEM, Actor, Role
from models.core.errors import PermissionDenied, ValidationError
from models.org.pledges import PledgeService
from models.org.service import OrganisationService
from models.org.tables import Household, PledgeReturn
from models.problems.service import ProblemsService
from tests.problems.helpers import make_town, register


def test_the_missing_list_per_alley_is_every_household_without_a_return(db):
    town = make_town(db)
    home = town.home
    service = PledgeService(db, Actor("韩文书", Role.CLERK, village_id=home.village_id))
    service.record_return(home.households[0], 2026, date(2026, 3, 2))
    service.record_return(home.households[3], 2026, date(2026, 3, 5), household=False)
    service.record_return(home.households[1], 2025, date(2025, 3, 1))  # last year's
    removed = home.households[2]
    OrganisationService(db, SYSTEM).remove_household(removed, "整户迁出")
    missing = service.missing(home.village_id, 2026)
    with db.read() as s:
        present = set(s.scalars(select(Household.id).where(
            Household.id.in_(home.households), Household.removed_on.is_(None))))
        back = set(s.scalars(select(PledgeReturn.household_id).where(PledgeReturn.year == 2026)))
    listed = {row.household_id for alley in missing for row in alley.households}
    assert listed == present - back == {home.households[1]}
    assert [(a.alley, a.alley_head) for a in missing] == [("韩家·南片区·南1胡同", "韩乙1")]
    rate = service.return_rate(home.village_id, 2026)
    assert (rate.households, rate.returned, round(rate.rate, 2)) == (3, 2, 0.67)
    copies = {r.household_id: r.copies for r in service.alley_pledges(home.alleys[1], 2026)}
    assert copies == {home.households[3]: "镇、村"}


def test_a_correction_rewrites_the_return_and_bad_input_is_refused(db):
    town = make_town(db)
    home = town.home.households[0]
    service = PledgeService(db, SYSTEM)
    first = service.record_return(home, 2026, date(2026, 3, 2))
    assert service.record_return(home, 2026, date(2026, 3, 9), township=False) == first
    with db.read() as s:
        row = s.get(PledgeReturn, first)
        assert (row.returned_on, row.township_copy, row.village_copy) == (date(2026, 3, 9), False, True)
    for kwargs, message in (({"township": False, "village": False, "household": False}, "至少勾选"),
                            ({"returned_on": clock.today() + timedelta(days=8)}, "还没有到"),
                            ({"returned_on": date(2025, 12, 9)}, "年度")):
        day = kwargs.pop("returned_on", date(2026, 3, 2))
        with pytest.raises(ValidationError, match=message):
            service.record_return(home, 2026, day, **kwargs)
    other = Actor("李书记", Role.SECRETARY, village_id=town.other.village_id)
    with pytest.raises(PermissionDenied):
        PledgeService(db, other).record_return(home, 2026, date(2026, 3, 2))
    with pytest.raises(PermissionDenied):
        PledgeService(db, other).missing(town.home.village_id, 2026)


def test_the_problem_card_says_whether_the_responsible_household_signed(db):
    town = make_town(db)
    signed, unsigned = town.home.households[0], town.home.households[1]
    PledgeService(db, SYSTEM).record_return(signed, 2026, date(2026, 3, 2), village=False)
    cards = [ProblemsService(db, SYSTEM).card(register(db, town, household=h))
             for h in (signed, unsigned)]
    assert [c.pledge for c in cards] == ["2026年门前三包责任书：2026-03-02已签回（镇、户联）",
                                         "2026年门前三包责任书：未签回"]
