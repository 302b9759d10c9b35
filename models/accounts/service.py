"""Accounts: the first start, signing in (with lock-out), and managing who may do what.
Every change and every sign-in attempt is audited; passwords never leave this module unhashed."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.accounts.tables import Account, CadreVillage
from models.core import audit, clock, settings
from models.core.access import SYSTEM, VILLAGE_SCOPED, Actor, Permission, Role
from models.core.base import utcnow
from models.core.db import Database
from models.core.errors import DomainError, NotFound, PermissionDenied, ValidationError
from models.core.service import Service
from models.core.validation import has_control_characters, normalise_text, validate_name
from models.org.tables import AdminVillage, Township

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 6
MAX_PASSWORD_LENGTH = 128
ASSIGNABLE_ROLES = (Role.SECRETARY, Role.CLERK, Role.TOWNSHIP_ADMIN, Role.INSPECTOR, Role.CADRE,
                    Role.PATROL)


class LoginFailed(DomainError):
    """Wrong name or password, a locked or a disabled account."""


@dataclass(frozen=True)
class AccountRow:
    id: int
    username: str
    display_name: str
    role: Role
    village_id: int | None
    village_name: str
    active: bool
    locked: bool

    @property
    def status(self) -> str:
        if not self.active:
            return "已停用"
        return "已锁定" if self.locked else "正常"


# ---- passwords ---------------------------------------------------------------------------
def _normalised(password: str) -> str:
    # The same passphrase typed through different input methods must hash the same.
    return unicodedata.normalize("NFC", password or "")


def hash_password(password: str) -> str:
    password = _normalised(password)
    if len(password.strip()) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"密码至少要 {MIN_PASSWORD_LENGTH} 个字（汉字、字母、数字都可以）。")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(f"密码最多 {MAX_PASSWORD_LENGTH} 个字。")
    if has_control_characters(password):
        raise ValidationError("密码中有不可见的控制字符，请重新输入。")
    return _hasher.hash(password)


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, _normalised(password))
    except (VerificationError, InvalidHashError):
        return False


def _username(value: str) -> str:
    name = normalise_text(value)
    if not name or len(name) > 40 or " " in name or has_control_characters(name):
        raise ValidationError("登录名不能为空、不能有空格或不可见的字符，最多 40 个字。")
    return name


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; they were written as UTC.
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def _is_locked(account: Account, now: datetime) -> bool:
    until = _aware(account.locked_until)
    return until is not None and until > now


def _scope_label(account: Account, village: str | None, names: dict[int, str]) -> str:
    if account.role == Role.CADRE.value:
        return "包：" + "、".join(names[a.admin_village_id] for a in account.assignments)
    return village or "全镇"


def _assign(s: Session, account: Account, villages: Sequence[int]) -> None:
    """End the assignments not in `villages` and add the missing ones, as of today."""
    wanted = set(villages)
    known = set(s.scalars(select(AdminVillage.id).where(AdminVillage.id.in_(wanted))))
    if known != wanted:
        raise NotFound("所选的行政村有的已不存在，请刷新后重试。")
    current = {a.admin_village_id: a for a in s.scalars(select(CadreVillage).where(
        CadreVillage.account_id == account.id, CadreVillage.ended_on.is_(None)))}
    today = clock.today()
    for village_id, assignment in current.items():
        if village_id not in wanted:
            assignment.ended_on = today
    for village_id in sorted(wanted - set(current)):
        s.add(CadreVillage(account_id=account.id, admin_village_id=village_id, assigned_on=today))
    s.flush()
    s.expire(account, ["assignments"])


def _assigned(s: Session, account: Account) -> dict[str, object]:
    rows = s.scalars(select(AdminVillage.name).join(
        CadreVillage, CadreVillage.admin_village_id == AdminVillage.id).where(
        CadreVillage.account_id == account.id, CadreVillage.ended_on.is_(None))
        .order_by(AdminVillage.sort_order, AdminVillage.id))
    names = list(rows)
    return {"villages": "、".join(names)} if names else {}


def _summary(account: Account) -> dict[str, object]:
    return {"username": account.username, "display_name": account.display_name,
            "role": Role(account.role).label, "village_id": account.village_id,
            "active": account.active}


# ---- before anyone is signed in ----------------------------------------------------------
def needs_first_run(db: Database) -> bool:
    with db.read() as s:
        return not s.scalar(select(func.count(Account.id)))


@dataclass(frozen=True)
class FirstRunOffer:
    """What the set-up wizard offers: the townships and villages already in the database (a file
    the township prepared) and the caps in force."""

    townships: list[str]
    villages: list[str]
    zone_cap: int
    alley_cap: int


def first_run_offer(db: Database) -> FirstRunOffer:
    with db.read() as s:
        return FirstRunOffer(
            list(s.scalars(select(Township.name).order_by(Township.id))),
            list(s.scalars(select(AdminVillage.name).order_by(AdminVillage.township_id,
                                                               AdminVillage.sort_order))),
            settings.get(s, settings.ZONE_HOUSEHOLD_CAP), settings.get(s, settings.ALLEY_HOUSEHOLD_CAP))


def first_run(db: Database, township: str, village: str, username: str, display_name: str,
              password: str, caps: tuple[int, int] | None = None) -> Actor:
    """The first start: the township, the village and its secretary's account, in one go;
    `caps` (households per zone, per alley) when the township's differ from the report's."""
    with db.write() as s:
        if s.scalar(select(func.count(Account.id))):
            raise PermissionDenied("程序已经设置过账号，不能再次进行首次设置。")
        town = s.scalar(select(Township).where(Township.name == normalise_text(township)))
        if town is None:
            town = Township(name=validate_name(township, "镇（街道）名称", 60))
            s.add(town)
            s.flush()
        home = s.scalar(select(AdminVillage).where(
            AdminVillage.township_id == town.id, AdminVillage.name == normalise_text(village)))
        if home is None:
            home = AdminVillage(township_id=town.id, name=validate_name(village, "行政村名称", 60),
                                secretary_name=normalise_text(display_name), sort_order=1)
            s.add(home)
            s.flush()
        account = new_account(s, username, display_name, Role.SECRETARY, home.id, password)
        if caps is not None:
            settings.put(s, settings.ZONE_HOUSEHOLD_CAP, caps[0])
            settings.put(s, settings.ALLEY_HOUSEHOLD_CAP, caps[1])
        actor = account.actor()
        audit.record(s, actor, "首次设置", "account", account.id, village_id=home.id,
                     after={"township": town.name, "village": home.name, **_summary(account),
                            **({"caps": list(caps)} if caps else {})})
        return actor


# Verified against when the name typed belongs to no account, so that signing in takes as long
# as with a real account's wrong password (no telling which names exist): the hash of a random
# password nobody knows, with the hasher's default parameters.
_NO_ACCOUNT_HASH = ("$argon2id$v=19$m=65536,t=3,p=4$87EZdHFBQg4ryr+JHkZzgA$"
                    "4CjCtF+shKuDD00rCWMM2jYMdqIxBG9CjU9zK0OA1F4")
UNKNOWN_ACCOUNT = "未知账号"  # what the trail says of a name that is no account's (maybe a password)


def login(db: Database, username: str, password: str) -> Actor:
    """The actor for a correct name and password. Too many wrong passwords lock the account
    for a while; the failure count and the lock are saved even though the sign-in fails. The
    password is checked before the write transaction (argon2 takes most of a second), and
    against a stand-in hash when the name is no account's, so both take the same time."""
    name = normalise_text(username)
    if not name or len(name) > 40 or has_control_characters(name):
        name = ""
    with db.read() as s:
        stored = s.scalar(select(Account.password_hash).where(Account.username == name)) \
            if name else None
    correct = _verify(stored or _NO_ACCOUNT_HASH, password) and stored is not None
    failure: str | None = None
    with db.write() as s:
        now = utcnow()
        account = s.scalar(select(Account).where(Account.username == name)) if name else None
        if account is None or not account.active:
            audit.record(s, SYSTEM, "登录失败", "account", account.id if account else None,
                         after={"username": account.username if account else UNKNOWN_ACCOUNT,
                                "reason": "账号不存在或已停用"})
            failure = "登录名或密码不对。"
        elif _is_locked(account, now):
            minutes = max(1, int((_aware(account.locked_until) - now).total_seconds() // 60) + 1)
            audit.record(s, account.actor(), "登录被拒（已锁定）", "account", account.id,
                         village_id=account.village_id)
            failure = f"密码输错次数太多，账号已锁定，请 {minutes} 分钟后再试，或请管理员解锁。"
        elif not correct or account.password_hash != stored:  # (changed meanwhile: try again)
            failure = _count_failure(s, account, now)
        else:
            account.failed_logins = 0
            account.locked_until = None
            if _hasher.check_needs_rehash(account.password_hash):
                account.password_hash = _hasher.hash(_normalised(password))
            audit.record(s, account.actor(), "登录", "account", account.id,
                         village_id=account.village_id)
            return account.actor()
    raise LoginFailed(failure)


def _count_failure(s: Session, account: Account, now: datetime) -> str:
    limit = settings.get(s, settings.LOGIN_MAX_FAILURES)
    account.failed_logins += 1
    audit.record(s, account.actor(), "登录失败", "account", account.id,
                 village_id=account.village_id, after={"failed_logins": account.failed_logins})
    if account.failed_logins < limit:
        return f"登录名或密码不对。再错 {limit - account.failed_logins} 次账号将被锁定。"
    minutes = settings.get(s, settings.LOGIN_LOCK_MINUTES)
    account.failed_logins = 0
    account.locked_until = now + timedelta(minutes=minutes)
    audit.record(s, account.actor(), "账号锁定", "account", account.id,
                 village_id=account.village_id, after={"minutes": minutes})
    return f"密码连续输错 {limit} 次，账号已锁定 {minutes} 分钟。"


def place_of(db: Database, actor: Actor) -> str:
    """Where the account works, for the window's title: its village, or its township."""
    with db.read() as s:
        if actor.village_id is not None:
            row = s.execute(select(AdminVillage.name, Township.name).join(
                Township, Township.id == AdminVillage.township_id)
                .where(AdminVillage.id == actor.village_id)).first()
            return f"{row[1]} {row[0]}" if row else ""
        towns = s.scalars(select(Township.name).order_by(Township.id).limit(2)).all()
    return towns[0] if len(towns) == 1 else "全部镇（街道）"


def actor_for(db: Database, username: str) -> Actor:
    """The actor of an existing account, without a password: only for `--demo`."""
    with db.read() as s:
        account = s.scalar(select(Account).where(Account.username == username))
        if account is None or not account.active:
            raise NotFound(f"找不到账号“{username}”。")
        return account.actor()


def new_account(s: Session, username: str, display_name: str, role: Role,
                 village_id: int | None, password: str) -> Account:
    username = _username(username)
    if s.scalar(select(Account.id).where(Account.username == username)) is not None:
        raise ValidationError(f"登录名“{username}”已经有人用了，请换一个。")
    account = Account(username=username, display_name=validate_name(display_name, "姓名", 40),
                      role=role.value, village_id=village_id,
                      password_hash=hash_password(password), active=True, failed_logins=0)
    s.add(account)
    s.flush()
    return account


# ---- managing accounts (signed in) -------------------------------------------------------
class AccountService(Service):
    def accounts(self) -> list[AccountRow]:
        """The accounts this actor may manage: a secretary sees his village's, the township
        administrator all of them."""
        self.actor.require(Permission.ACCOUNTS, self.actor.village_id)
        with self.db.read() as s:
            query = select(Account, AdminVillage.name).outerjoin(
                AdminVillage, AdminVillage.id == Account.village_id).order_by(Account.id)
            if self.actor.role in VILLAGE_SCOPED:
                query = query.where(Account.village_id == self.actor.village_id)
            now = utcnow()
            names = dict(s.execute(select(AdminVillage.id, AdminVillage.name)).all())
            return [AccountRow(a.id, a.username, a.display_name, Role(a.role), a.village_id,
                               _scope_label(a, village, names), a.active, _is_locked(a, now))
                    for a, village in s.execute(query).all()]

    def villages(self) -> list[tuple[int, str]]:
        """The villages an account may be created for by this actor."""
        with self.db.read() as s:
            query = select(AdminVillage.id, AdminVillage.name).order_by(
                AdminVillage.township_id, AdminVillage.sort_order)
            if self.actor.role in VILLAGE_SCOPED:
                query = query.where(AdminVillage.id == self.actor.village_id)
            return [(row.id, row.name) for row in s.execute(query)]

    def village_named(self, name: str) -> int:
        """The id of the administrative village called so (“镇名/村名” when two townships
        both have one), among those this actor may create accounts for."""
        town, _, village = normalise_text(name).rpartition("/")
        with self.db.read() as s:
            query = select(AdminVillage.id, Township.name).join(
                Township, Township.id == AdminVillage.township_id).where(AdminVillage.name == village)
            if town:
                query = query.where(Township.name == town)
            found = [row.id for row in s.execute(query) if self.actor.may(Permission.ACCOUNTS, row.id)]
        if not found:
            raise NotFound(f"找不到行政村“{name}”。")
        if len(found) > 1:
            raise ValidationError(f"有 {len(found)} 个行政村叫“{village}”，请写成“镇名/{village}”。")
        return found[0]

    def account_named(self, username: str) -> AccountRow:
        wanted = normalise_text(username)
        for row in self.accounts():
            if row.username == wanted:
                return row
        raise NotFound(f"找不到账号“{wanted}”。")

    def create_account(self, username: str, display_name: str, role: Role,
                       village_id: int | None, password: str, *,
                       villages: Sequence[int] = ()) -> int:
        """A new account; a 包村干部's account with the villages assigned to him."""
        if role not in ASSIGNABLE_ROLES:
            raise ValidationError("只能创建书记、文书、镇级管理员、纪工委监督员、包村干部或街道巡查办账号。")
        if role in VILLAGE_SCOPED and village_id is None:
            raise ValidationError(f"“{role.label}”账号必须选定所属的行政村。")
        if role is Role.CADRE and not villages:
            raise ValidationError("包村干部账号必须至少选定一个所包的行政村。")
        if role not in VILLAGE_SCOPED:
            village_id = None
        with self.operation(Permission.ACCOUNTS) as s:
            self.require(Permission.ACCOUNTS, village_id)
            if village_id is not None and s.get(AdminVillage, village_id) is None:
                raise NotFound("所选的行政村不存在。")
            account = new_account(s, username, display_name, role, village_id, password)
            if role is Role.CADRE:
                _assign(s, account, villages)
            audit.record(s, self.actor, "新建账号", "account", account.id,
                         village_id=village_id, after=_summary(account) | _assigned(s, account))
            return account.id

    def assign_villages(self, account_id: int, villages: Sequence[int]) -> None:
        """The villages a 包村干部 covers from today: the township assigns them."""
        with self.operation(Permission.ACCOUNTS) as s:
            self.require(Permission.ACCOUNTS, None)
            account = s.get(Account, account_id)
            if account is None:
                raise NotFound("所选账号已不存在，请刷新后重试。")
            if account.role != Role.CADRE.value:
                raise ValidationError(f"“{account.display_name}”不是包村干部账号，不能分配所包的村。")
            if not villages:
                raise ValidationError("包村干部至少要包一个行政村。")
            before = _assigned(s, account)
            _assign(s, account, villages)
            audit.record(s, self.actor, "分配包村", "account", account.id, before=before,
                         after=_assigned(s, account))

    def reset_password(self, account_id: int, new_password: str) -> None:
        with self.operation(Permission.ACCOUNTS) as s:
            account = self._managed(s, account_id)
            account.password_hash = hash_password(new_password)
            account.failed_logins = 0
            account.locked_until = None
            audit.record(s, self.actor, "重设密码", "account", account.id,
                         village_id=account.village_id, after={"username": account.username})

    def set_active(self, account_id: int, active: bool) -> None:
        with self.operation(Permission.ACCOUNTS) as s:
            account = self._managed(s, account_id)
            if account.id == self.actor.user_id and not active:
                raise ValidationError("不能停用自己正在使用的账号。")
            before = _summary(account)
            account.active = active
            audit.record(s, self.actor, "启用账号" if active else "停用账号", "account",
                         account.id, village_id=account.village_id, before=before,
                         after=_summary(account))

    def unlock(self, account_id: int) -> None:
        with self.operation(Permission.ACCOUNTS) as s:
            account = self._managed(s, account_id)
            before = {"locked_until": account.locked_until, "failed_logins": account.failed_logins}
            account.locked_until = None
            account.failed_logins = 0
            audit.record(s, self.actor, "解锁账号", "account", account.id,
                         village_id=account.village_id, before=before,
                         after={"locked_until": None, "failed_logins": 0})

    def change_own_password(self, old_password: str, new_password: str) -> None:
        """Every account may change its own password, knowing the old one."""
        with self.db.write() as s:
            account = s.get(Account, self.actor.user_id) if self.actor.user_id else None
            if account is None:
                raise NotFound("当前账号不存在，不能修改密码。")
            if not _verify(account.password_hash, old_password):
                raise ValidationError("原密码不对，密码没有修改。")
            account.password_hash = hash_password(new_password)
            audit.record(s, self.actor, "修改本人密码", "account", account.id,
                         village_id=account.village_id)

    def _managed(self, s: Session, account_id: int) -> Account:
        account = s.get(Account, account_id)
        if account is None:
            raise NotFound("所选账号已不存在，请刷新后重试。")
        # Township-wide accounts have no village, so only township-wide managers pass here.
        self.require(Permission.ACCOUNTS, account.village_id)
        return account
