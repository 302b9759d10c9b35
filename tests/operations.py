"""Every mutating service call, for the permission test (tests/test_permissions.py).

An entry names the call, performs it once as a given actor on the demo town, and says which
Permission it needs and which village's data it changes (None: township-wide). Each feature
appends its entries to OPERATIONS, and any ids it needs to FIXTURES (a function from a read
session to a dict merged into the fixture data)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.access import Actor, Permission, Role
from models.accounts import Account
from models.db import Database
from models.org import AdminVillage, Alley, HeadRole, Household, NaturalVillage, Resident, Zone
from models.services.accounts import AccountService
from models.services.org import HouseholdInput, OrganisationService

Fixture = dict[str, Any]


@dataclass(frozen=True)
class Operation:
    name: str
    call: Callable[[Database, Actor, Fixture], object]
    permission: Permission
    village: Callable[[Fixture], int | None]


def _home(fx: Fixture) -> int:
    return fx["village_id"]


def _township_wide(_fx: Fixture) -> None:
    return None


def _organisation(s: Session) -> Fixture:
    villages = s.scalars(select(AdminVillage).order_by(AdminVillage.sort_order)).all()
    home = villages[0]
    zone = s.scalars(select(Zone).join(NaturalVillage).where(
        NaturalVillage.admin_village_id == home.id).order_by(Zone.id)).first()
    roomy_alley = s.execute(
        select(Alley.id).join(Zone).join(NaturalVillage)
        .outerjoin(Household, Household.alley_id == Alley.id)
        .where(NaturalVillage.admin_village_id == home.id).group_by(Alley.id)
        .order_by(func.count(Household.id), Alley.id)).scalars().first()
    resident = s.scalars(select(Resident.id).join(Household).where(
        Household.alley_id == roomy_alley).order_by(Resident.id)).first()
    return {"township_id": home.township_id, "village_id": home.id,
            "other_village_id": villages[1].id, "natural_village_id": zone.natural_village_id,
            "zone_id": zone.id, "alley_id": roomy_alley, "resident_id": resident}


def _accounts(s: Session) -> Fixture:
    ids = dict(s.execute(select(Account.username, Account.id)).all())
    return {"secretary_account_id": ids["hanjia"], "clerk_account_id": ids["hanjia-wenshu"],
            "admin_account_id": ids["zhen-admin"], "inspector_account_id": ids["jigongwei"]}


FIXTURES: list[Callable[[Session], Fixture]] = [_organisation, _accounts]


def fixture_data(db: Database) -> Fixture:
    data: Fixture = {}
    with db.read() as s:
        for gather in FIXTURES:
            data.update(gather(s))
    return data


def org(db: Database, actor: Actor) -> OrganisationService:
    return OrganisationService(db, actor)


def accounts(db: Database, actor: Actor) -> AccountService:
    return AccountService(db, actor)


OPERATIONS: list[Operation] = [
    Operation("org.create_township", lambda db, a, fx: org(db, a).create_township("新镇"),
              Permission.SETTINGS, _township_wide),
    Operation("org.create_admin_village",
              lambda db, a, fx: org(db, a).create_admin_village(fx["township_id"], "新村"),
              Permission.SETTINGS, _township_wide),
    Operation("org.create_natural_village",
              lambda db, a, fx: org(db, a).create_natural_village(fx["village_id"], "新屯"),
              Permission.EDIT_ORGANISATION, _home),
    Operation("org.create_zone",
              lambda db, a, fx: org(db, a).create_zone(fx["natural_village_id"], "西"),
              Permission.EDIT_ORGANISATION, _home),
    Operation("org.create_alley",
              lambda db, a, fx: org(db, a).create_alley(fx["zone_id"], "新胡同"),
              Permission.EDIT_ORGANISATION, _home),
    Operation("org.add_household",
              lambda db, a, fx: org(db, a).add_household(fx["alley_id"], HouseholdInput("新户主")),
              Permission.EDIT_ORGANISATION, _home),
    Operation("org.appoint_head",
              lambda db, a, fx: org(db, a).appoint_head(
                  HeadRole.ALLEY, fx["alley_id"], fx["resident_id"], chosen_on=date(2024, 3, 1)),
              Permission.EDIT_ORGANISATION, _home),
    Operation("accounts.create_account(clerk)",
              lambda db, a, fx: accounts(db, a).create_account(
                  "xin-wenshu", "新文书", Role.CLERK, fx["village_id"], "新的密码123"),
              Permission.ACCOUNTS, _home),
    Operation("accounts.create_account(inspector)",
              lambda db, a, fx: accounts(db, a).create_account(
                  "xin-jiandu", "新监督员", Role.INSPECTOR, None, "新的密码123"),
              Permission.ACCOUNTS, _township_wide),
    Operation("accounts.reset_password(clerk)",
              lambda db, a, fx: accounts(db, a).reset_password(fx["clerk_account_id"], "重设的新密码"),
              Permission.ACCOUNTS, _home),
    Operation("accounts.reset_password(township admin)",
              lambda db, a, fx: accounts(db, a).reset_password(fx["admin_account_id"], "重设的新密码"),
              Permission.ACCOUNTS, _township_wide),
    Operation("accounts.set_active(clerk)",
              lambda db, a, fx: accounts(db, a).set_active(fx["clerk_account_id"], False),
              Permission.ACCOUNTS, _home),
    Operation("accounts.unlock(clerk)",
              lambda db, a, fx: accounts(db, a).unlock(fx["clerk_account_id"]),
              Permission.ACCOUNTS, _home),
]

# The actors every operation is tried as: each role, in the home village and in another one.
ACTORS: dict[str, Callable[[Fixture], Actor]] = {
    "secretary": lambda fx: Actor("本村书记", Role.SECRETARY, fx["secretary_account_id"],
                                  fx["village_id"]),
    "secretary_elsewhere": lambda fx: Actor("外村书记", Role.SECRETARY, None,
                                            fx["other_village_id"]),
    "clerk": lambda fx: Actor("本村文书", Role.CLERK, fx["clerk_account_id"], fx["village_id"]),
    "clerk_elsewhere": lambda fx: Actor("外村文书", Role.CLERK, None, fx["other_village_id"]),
    "township_admin": lambda fx: Actor("镇管理员", Role.TOWNSHIP_ADMIN, fx["admin_account_id"]),
    "inspector": lambda fx: Actor("纪工委", Role.INSPECTOR, fx["inspector_account_id"]),
}
