"""What an account may learn that it should not: whether a user name exists (from the time a
failed sign-in takes), the password someone typed into the name box (from the audit trail), an ID
number written with spaces (from the log), another village's receipt (from a number that every
village uses)."""

from __future__ import annotations

import logging
import statistics
import time

import pytest
from sqlalchemy import select

from models.accounts.demo import DEMO_PASSWORD, DEMO_SECRETARY
from models.accounts.service import UNKNOWN_ACCOUNT, LoginFailed, login
from models.core.access import Actor, Role
from models.core.audit import AuditLog
from models.core.db import Database
from models.core.errors import DomainError
from models.core.logs import ScrubFilter
from models.org.tables import AdminVillage
from models.printing.service import PrintService
from models.store.tables import Redemption


def _failed_login_takes(db: Database, name: str) -> float:
    started = time.perf_counter()
    with pytest.raises(LoginFailed):
        login(db, name, "不对的密码")
    return time.perf_counter() - started


def test_a_sign_in_takes_as_long_whether_or_not_the_name_exists(demo_db: Database) -> None:
    known = statistics.median(_failed_login_takes(demo_db, "hanjia-wenshu") for _ in range(3))
    unknown = statistics.median(_failed_login_takes(demo_db, "nobody-here") for _ in range(3))
    assert 0.6 < unknown / known < 1.6, (known, unknown)


def test_a_password_typed_as_the_name_is_never_stored(demo_db: Database) -> None:
    with pytest.raises(LoginFailed):
        login(demo_db, DEMO_PASSWORD, DEMO_PASSWORD)
    with demo_db.read() as s:
        rows = s.scalars(select(AuditLog).where(AuditLog.action == "登录失败")).all()
    assert rows and all(DEMO_PASSWORD not in row.after + row.before for row in rows)
    assert UNKNOWN_ACCOUNT in rows[-1].after
    assert login(demo_db, DEMO_SECRETARY, DEMO_PASSWORD).role is Role.SECRETARY


@pytest.mark.parametrize("written", ["110101199003071234", "110101 19900307 1234",
                                     "1101 0119 9003 0712 34", "110101-19900307-1234",
                                     "１１０１０１１９９００３０７１２３４", "110101\u300019900307\t1234"])
def test_an_id_number_is_masked_in_the_log_however_it_is_spaced(written: str) -> None:
    record = logging.LogRecord("cunzhi", logging.INFO, __file__, 1, "身份证号 %s 已登记", (written,),
                               None)
    ScrubFilter().filter(record)
    digits = "".join(ch for ch in record.getMessage() if ch.isdigit())
    assert "19900307" not in digits and "*" in record.getMessage(), record.getMessage()


def test_receipts_are_found_by_village_and_number(demo_db: Database) -> None:
    with demo_db.read() as s:
        number = s.scalar(select(Redemption.number).order_by(Redemption.id))
        villages = list(s.scalars(select(Redemption.admin_village_id)
                                  .where(Redemption.number == number).order_by(Redemption.id)))
    assert len(villages) > 1  # every village counts its receipts from 1: the number repeats
    for village in villages:
        clerk = Actor("本村文书", Role.CLERK, None, village)
        receipt = PrintService(demo_db, clerk).receipt(number)
        assert receipt.number == number
        with demo_db.read() as s:
            assert receipt.village == s.get(AdminVillage, village).name
    township = Actor("镇管理员", Role.TOWNSHIP_ADMIN)
    with pytest.raises(DomainError, match="个村都有"):
        PrintService(demo_db, township).receipt(number)
    assert PrintService(demo_db, township).receipt(number, villages[-1]).number == number
