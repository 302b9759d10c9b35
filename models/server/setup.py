"""镇（街道）服务器设置: from an empty PostgreSQL database to a township with its administrator,
its villages and an account per village, run once by the township's IT person with the owner
login (the window's wizard and `main.py setup-server` both call `set_up_township`).

In order: the schema (migrations, as the owner), then in ONE transaction the everyday login
`<database>_app` with its password and exactly its rights (models.core.privileges), the township,
its administrator, the villages and their secretaries' accounts, and the audit row. Anything
refused rolls all of it back; running it again after a failure starts clean."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select, text

from models.accounts.service import MIN_PASSWORD_LENGTH, new_account
from models.accounts.tables import Account
from models.core import audit, privileges
from models.core.access import Actor, Role
from models.core.db import Database
from models.core.errors import PermissionDenied, ValidationError
from models.core.schema import migrate
from models.core.validation import normalise_text, validate_name
from models.org.tables import AdminVillage, Township

SETUP_ACTOR = Actor(name="镇（街道）服务器设置", role=Role.SYSTEM)


@dataclass(frozen=True)
class VillageAccount:
    """One administrative village and its Party secretary's account."""

    village: str
    secretary: str
    username: str
    password: str


@dataclass(frozen=True)
class TownshipPlan:
    township: str
    admin_name: str
    admin_username: str
    admin_password: str
    villages: tuple[VillageAccount, ...]
    everyday_password: str


@dataclass(frozen=True)
class SetupDone:
    database: str
    everyday_login: str
    township_id: int
    usernames: tuple[str, ...]


def check_plan(plan: TownshipPlan) -> None:
    """Refuse a plan with a plain message before anything touches the server."""
    validate_name(plan.township, "镇（街道）名称", 60)
    if not plan.villages:
        raise ValidationError("请至少填写一个行政村。")
    names = [normalise_text(v.village) for v in plan.villages]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValidationError(f"行政村“{'、'.join(twice)}”填了两次。")
    logins = [normalise_text(plan.admin_username)] + [normalise_text(v.username)
                                                      for v in plan.villages]
    twice = sorted({n for n in logins if logins.count(n) > 1})
    if twice:
        raise ValidationError(f"登录名“{'、'.join(twice)}”用了两次，每个账号的登录名必须不同。")
    if len(plan.everyday_password) < 12:
        raise ValidationError("日常数据库账号的密码至少要 12 个字符（建议用程序生成的密码）。")
    for who, password in [("镇级管理员", plan.admin_password),
                          *((f"{v.village}的书记", v.password) for v in plan.villages)]:
        if len(password.strip()) < MIN_PASSWORD_LENGTH:
            raise ValidationError(f"{who}的登录密码至少要 {MIN_PASSWORD_LENGTH} 个字。")


def set_up_township(owner: Database, plan: TownshipPlan) -> SetupDone:
    if owner.is_sqlite:
        raise ValidationError("“镇（街道）服务器设置”只用于 PostgreSQL 服务器；本机数据库请直接打开程序。")
    check_plan(plan)
    migrate(owner)
    with owner.write() as s:
        if s.scalar(select(func.count(Account.id))):
            raise PermissionDenied(
                f"{owner.describe()}已经设置过账号，不能再做一次服务器设置。"
                "添加行政村和账号请用“组织架构”“账号管理”或命令 accounts add。")
        connection = s.connection()
        database = connection.execute(text("SELECT current_database()")).scalar_one()
        role = privileges.everyday_role(database)
        set_login(connection, role, plan.everyday_password)
        privileges.grant_everyday(connection, role)
        town = s.scalar(select(Township).where(Township.name == normalise_text(plan.township)))
        if town is None:
            town = Township(name=validate_name(plan.township, "镇（街道）名称", 60))
            s.add(town)
            s.flush()
        admin = new_account(s, plan.admin_username, plan.admin_name, Role.TOWNSHIP_ADMIN, None,
                            plan.admin_password)
        usernames = [admin.username]
        for order, item in enumerate(plan.villages, start=1):
            village = AdminVillage(township_id=town.id,
                                   name=validate_name(item.village, "行政村名称", 60),
                                   secretary_name=normalise_text(item.secretary), sort_order=order)
            s.add(village)
            s.flush()
            account = new_account(s, item.username, item.secretary, Role.SECRETARY, village.id,
                                  item.password)
            usernames.append(account.username)
        audit.record(s, SETUP_ACTOR, "服务器设置", "township", town.id,
                     after={"township": town.name, "database": database, "everyday_login": role,
                            "admin_villages": [v.village for v in plan.villages],
                            "accounts": usernames})
        return SetupDone(database, role, town.id, tuple(usernames))


def set_login(connection: Connection, role: str, password: str) -> None:
    """Create the everyday login, or give it a new password. The password leaves this PC only as
    a SCRAM verifier made by libpq, never as clear text in a statement or the server's log."""
    driver = connection.connection.driver_connection
    verifier = driver.pgconn.encrypt_password(
        password.encode("utf-8"), role.encode("utf-8"), b"scram-sha-256").decode("ascii")
    quoted = connection.dialect.identifier_preparer.quote(role)
    literal = verifier.replace("'", "''")
    if privileges.role_exists(connection, role):
        connection.exec_driver_sql(f"ALTER ROLE {quoted} WITH LOGIN PASSWORD '{literal}'")
    else:  # exec_driver_sql: the verifier's colons are no bind parameters
        connection.exec_driver_sql(
            f"CREATE ROLE {quoted} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
            f"NOREPLICATION PASSWORD '{literal}'")
