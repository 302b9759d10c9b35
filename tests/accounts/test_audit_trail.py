"""A scripted session: one audit row per change, and no password or full ID number anywhere in
the trail, its export or the program's log file."""

from __future__ import annotations

import logging
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import func, select

from models.accounts.audit_log import AuditService
from models.accounts.service import AccountService, first_run, login
from models.core import logs
from models.core.access import Role
from models.core.audit import AuditLog
from models.core.errors import ValidationError
from models.org.service import HouseholdInput, OrganisationService, ResidentInput
from models.org.tables import HeadRole, Household
from reports.audit_xlsx import export

SECRET = "村里的口令二零二四"
CLERK_SECRET = "文书的口令五六七"
ID_NUMBER = "11010519491231002X"  # a valid GB 11643 number


def audit_rows(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalar(select(func.count(AuditLog.id)))


def test_session_leaves_one_row_per_change_and_no_secrets(db, tmp_path):
    log_file = logs.configure(tmp_path / "data")
    secretary = first_run(db, "张家镇", "韩家村", "hanjia", "韩书记", SECRET)
    org = OrganisationService(db, secretary)
    accounts = AccountService(db, secretary)
    steps = [
        lambda: login(db, "hanjia", SECRET),
        lambda: org.create_natural_village(secretary.village_id, "前屯"),
    ]
    natural = None
    counts = [audit_rows(db)]
    for step in steps:
        natural = step()
        counts.append(audit_rows(db))
    zone = org.create_zone(natural, "南")
    alley = org.create_alley(zone, "一胡同")
    household = org.add_household(alley, HouseholdInput(
        "王德明", phone="13812345678", id_number=ID_NUMBER,
        residents=[ResidentInput("王德明", "户主", id_number=ID_NUMBER)]))
    with db.read() as s:
        resident = s.get(Household, household).residents[0].id
    org.appoint_head(HeadRole.ALLEY, alley, resident, chosen_on=date(2024, 3, 1))
    clerk = accounts.create_account("wenshu", "王文书", Role.CLERK, secretary.village_id, CLERK_SECRET)
    accounts.reset_password(clerk, "新的文书口令")
    accounts.set_active(clerk, False)
    try:
        org.add_household(alley, HouseholdInput("", id_number=ID_NUMBER))
    except ValidationError:
        logging.getLogger("cunzhi").exception("保存失败 身份证 %s password=%s", ID_NUMBER, SECRET)
    counts.append(audit_rows(db))

    # first run + 9 changes (the refused household adds nothing)
    assert counts == [1, 2, 3, 10]
    rows = AuditService(db, secretary).entries()
    assert [r.action for r in rows][:3] == ["停用账号", "重设密码", "新建账号"]
    book = export(rows, tmp_path / "操作记录.xlsx")
    cells = " ".join(str(c.value) for row in load_workbook(book).active.iter_rows() for c in row)
    with db.read() as s:
        stored = " ".join(f"{a.before} {a.after}" for a in s.scalars(select(AuditLog)))
    logging.getLogger().handlers[-1].flush()
    logged = log_file.read_text(encoding="utf-8")
    assert "110*" in stored and "110*" in logged  # masked, still recognisable
    for text in (stored, cells, logged):
        for secret in (SECRET, CLERK_SECRET, "新的文书口令", ID_NUMBER, "$argon2"):
            assert secret not in text


def test_secretary_sees_his_village_inspector_sees_all(demo_db):
    from models.accounts.service import actor_for

    secretary = actor_for(demo_db, "hanjia")
    inspector = actor_for(demo_db, "jigongwei")
    AccountService(demo_db, actor_for(demo_db, "zhen-admin")).create_account(
        "jiandu2", "第二监督员", Role.INSPECTOR, None, "监督员的口令")
    village_rows = AuditService(demo_db, secretary).entries()
    all_rows = AuditService(demo_db, inspector).entries()
    assert "新建账号" not in [r.action for r in village_rows]
    assert "新建账号" in [r.action for r in all_rows]
    assert len(all_rows) > len(village_rows)


def test_clerk_may_not_read_the_trail(demo_db):
    import pytest

    from models.accounts.service import actor_for
    from models.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        AuditService(demo_db, actor_for(demo_db, "hanjia-wenshu")).entries()


def test_the_secretarys_scores_rows_are_all_about_his_own_natural_villages(demo_db):
    from models.accounts.service import actor_for
    from models.org.tables import NaturalVillage

    secretary = actor_for(demo_db, "hanjia")
    rows = [r for r in AuditService(demo_db, secretary).entries() if r.action == "录入评议分"]
    with demo_db.read() as s:
        villages = {s.get(NaturalVillage, r.entity_id).admin_village_id for r in rows}
    assert rows and villages == {secretary.village_id}
