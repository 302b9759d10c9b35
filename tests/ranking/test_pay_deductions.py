"""扣发黑榜村党支部书记绩效补贴 (DOMAIN §7): by default only the yearly black-list administrative
village's secretary; a quarterly black village only when the township's setting says so; at
most one deduction per list entry, refused by the service and by the database."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest
from alembic import command
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from models.core.access import Actor, Role
from models.core.errors import SavedElsewhere, ValidationError
from models.core.schema import _config
from models.ranking.rules import PAY_QUARTER_BLACK
from models.ranking.service import RankingService
from models.ranking.tables import Colour, PayDeduction, Period, RankingEntry, RankingList
from models.settings_service import SettingsService
from tests.ranking.helpers import close_the_year

OFFICE = Actor("镇人居办", Role.TOWNSHIP_ADMIN)


def _black(service: RankingService, period: str) -> RankingEntry:
    return next(e for e in service.latest_list(period).entries if e.colour is Colour.BLACK)


def test_no_pay_is_deducted_for_the_quarters_and_the_yearly_black_village_once(demo_db):
    with demo_db.read() as s:
        assert s.scalar(select(func.count(PayDeduction.id))) == 0  # quarters carry none
    _quarter, year = close_the_year(demo_db)
    service = RankingService(demo_db, OFFICE)
    black = next(e for e in service.published_list(year).entries if e.colour is Colour.BLACK)
    service.record_pay_deduction(black.id, "2027-01", "500")
    with demo_db.read() as s:
        kinds = s.execute(select(RankingList.kind, func.count(PayDeduction.id))
                          .join(RankingEntry, RankingEntry.id == PayDeduction.entry_id)
                          .join(RankingList, RankingList.id == RankingEntry.list_id)
                          .group_by(RankingList.kind)).all()
    assert dict(kinds) == {Period.YEAR: 1}


def test_a_quarterly_black_village_loses_pay_only_when_the_township_says_so(demo_db):
    service = RankingService(demo_db, OFFICE)
    quarter = _black(service, "2026Q2")
    with pytest.raises(ValidationError, match=r"只针对年度黑榜行政村.*由镇里在设置中决定"):
        service.record_pay_deduction(quarter.id, "2025-07", "200")
    month = _black(service, "2026-02")
    SettingsService(demo_db, OFFICE).put(PAY_QUARTER_BLACK.key, True)
    with pytest.raises(ValidationError, match="不扣发"):
        service.record_pay_deduction(month.id, "2025-03", "100")
    with pytest.raises(ValidationError, match=r"0\.01 到 100000"):
        service.record_pay_deduction(quarter.id, "2025-07", "-5")
    service.record_pay_deduction(quarter.id, "2025-07", "150.50")
    rows = service.pay_deductions()
    assert rows[-1].amount == Decimal("150.50") and rows[-1].recorded_by == "镇人居办"
    with pytest.raises(ValidationError, match=r"已于2025-07扣发绩效补贴 150\.50 元，同一榜单只扣发一次"):
        service.record_pay_deduction(quarter.id, "2025-08", "150.50")


def test_the_yearly_black_village_is_deducted_once(demo_db):
    close_the_year(demo_db)
    service = RankingService(demo_db, OFFICE)
    year = _black(service, "2026")
    service.record_pay_deduction(year.id, "2027-01", "500")
    with pytest.raises(ValidationError, match="同一榜单只扣发一次"):
        service.record_pay_deduction(year.id, "2027-02", "500")
    with demo_db.read() as s:
        existing = s.scalar(select(PayDeduction).where(PayDeduction.entry_id == year.id))
        s.expunge(existing)
    # the database refuses a second one written past the service (the unique index's clash)
    with pytest.raises(SavedElsewhere, check=lambda e: isinstance(e.__cause__, IntegrityError)):
        with demo_db.write() as s:
            s.add(PayDeduction(entry_id=year.id, admin_village_id=existing.admin_village_id,
                               secretary_name=existing.secretary_name, month="2026-03",
                               amount=Decimal(500), recorded_by="手工"))


def test_the_upgrade_keeps_and_reports_old_duplicates_and_refuses_new_ones(demo_db, caplog):
    close_the_year(demo_db)
    service = RankingService(demo_db, OFFICE)
    year = _black(service, "2026")
    service.record_pay_deduction(year.id, "2027-01", "500")
    config = _config(demo_db)
    command.downgrade(config, "0016_pay_deduction-1")
    with demo_db.read() as s:
        existing = s.scalar(select(PayDeduction).where(PayDeduction.entry_id == year.id))
        s.expunge(existing)
    twin = dict(entry_id=year.id, admin_village_id=existing.admin_village_id,
                secretary_name=existing.secretary_name, month="2026-03", amount=Decimal(500),
                recorded_by="旧版本")
    with demo_db.write() as s:
        s.add(PayDeduction(**twin))
    with caplog.at_level(logging.WARNING, logger="cunzhi.migrations"):
        command.upgrade(config, "head")
    assert any("重复扣发绩效补贴" in r.getMessage() for r in caplog.records)
    with demo_db.read() as s:
        assert s.scalar(select(func.count()).select_from(PayDeduction)
                        .where(PayDeduction.entry_id == year.id)) == 2
    with pytest.raises(SavedElsewhere, check=lambda e: isinstance(e.__cause__, IntegrityError)):
        with demo_db.write() as s:
            s.add(PayDeduction(**(twin | {"month": "2026-04"})))
