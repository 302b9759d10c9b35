"""Accounts: first run, Chinese passphrases, lock-out after repeated failures, audit of it all."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from models.accounts.service import AccountService, LoginFailed, first_run, login, needs_first_run
from models.accounts.tables import Account
from models.core import settings
from models.core.access import Role
from models.core.audit import AuditLog
from models.core.base import utcnow
from models.core.errors import PermissionDenied, ValidationError

PASSPHRASE = "春风又绿江南岸"


def _setup(db):  # type: ignore[no-untyped-def]
    return first_run(db, "张家镇", "韩家村", "hanjia", "韩书记", PASSPHRASE)


def test_first_run_creates_the_secretary_once(db):
    assert needs_first_run(db)
    secretary = _setup(db)
    assert secretary.role is Role.SECRETARY and secretary.village_id is not None
    assert not needs_first_run(db)
    with pytest.raises(PermissionDenied):
        first_run(db, "李家镇", "李庄村", "other", "李书记", PASSPHRASE)
    assert login(db, "hanjia", PASSPHRASE) == secretary


def test_password_is_stored_as_argon2_hash_only(db):
    _setup(db)
    with db.read() as s:
        stored = s.scalar(select(Account.password_hash))
    assert stored.startswith("$argon2id$") and PASSPHRASE not in stored


def test_short_password_is_refused_and_nothing_saved(db):
    with pytest.raises(ValidationError, match="至少要 6 个字"):
        first_run(db, "张家镇", "韩家村", "hanjia", "韩书记", "短")
    assert needs_first_run(db)


def test_five_failures_lock_the_account_until_the_lock_ends(db):
    _setup(db)
    for attempt in range(1, 5):
        with pytest.raises(LoginFailed, match=f"再错 {5 - attempt} 次"):
            login(db, "hanjia", "错误的密码")
    with pytest.raises(LoginFailed, match="已锁定 5 分钟"):
        login(db, "hanjia", "错误的密码")
    with pytest.raises(LoginFailed, match="已锁定"):
        login(db, "hanjia", PASSPHRASE)  # even the right password, while locked
    with db.write() as s:
        account = s.scalar(select(Account))
        account.locked_until = utcnow() - timedelta(seconds=1)
    assert login(db, "hanjia", PASSPHRASE).name == "韩书记"


def test_lock_settings_are_honoured(db):
    _setup(db)
    with db.write() as s:
        settings.put(s, settings.LOGIN_MAX_FAILURES, 2)
    with pytest.raises(LoginFailed, match="再错 1 次"):
        login(db, "hanjia", "x")
    with pytest.raises(LoginFailed, match="连续输错 2 次"):
        login(db, "hanjia", "x")


def test_secretary_manages_clerks_of_his_village_only(db):
    secretary = _setup(db)
    service = AccountService(db, secretary)
    clerk_id = service.create_account("wenshu", "王文书", Role.CLERK, secretary.village_id, "王文书的密码")
    assert login(db, "wenshu", "王文书的密码").role is Role.CLERK
    with pytest.raises(PermissionDenied):
        service.create_account("admin", "镇管理员", Role.TOWNSHIP_ADMIN, None, "镇管理员的密码")
    service.set_active(clerk_id, False)
    with pytest.raises(LoginFailed):
        login(db, "wenshu", "王文书的密码")
    assert [row.username for row in service.accounts()] == ["hanjia", "wenshu"]


def test_own_password_change_needs_the_old_one(db):
    secretary = _setup(db)
    service = AccountService(db, secretary)
    with pytest.raises(ValidationError, match="原密码不对"):
        service.change_own_password("不对的密码", "新的口令一二三")
    service.change_own_password(PASSPHRASE, "新的口令一二三")
    assert login(db, "hanjia", "新的口令一二三") == secretary


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"])
def test_audit_log_refuses_update_and_delete(db, statement):
    _setup(db)
    with pytest.raises(Exception, match="只能追加"), db.write() as s:
        s.execute(text(statement))
    with db.read() as s:
        assert [a.action for a in s.scalars(select(AuditLog))] == ["首次设置"]
