"""Who is acting, and what each role may do where. Checked inside the services."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from models.core.errors import PermissionDenied


class Role(enum.StrEnum):
    SYSTEM = "system"
    TOWNSHIP_ADMIN = "township_admin"
    SECRETARY = "secretary"
    CLERK = "clerk"
    INSPECTOR = "inspector"
    CADRE = "cadre"
    PATROL = "patrol"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.SYSTEM: "系统",
    Role.TOWNSHIP_ADMIN: "镇级管理员",
    Role.SECRETARY: "村党支部书记",
    Role.CLERK: "村文书",
    Role.INSPECTOR: "纪工委监督员",
    Role.CADRE: "包村干部",
    Role.PATROL: "街道巡查办",
}


class Permission(enum.StrEnum):
    VIEW = "view"
    EDIT_ORGANISATION = "edit_organisation"
    EDIT_POINTS = "edit_points"
    COUNTER = "counter"
    MANAGE_GOODS = "manage_goods"
    PRINT = "print"
    EVALUATE = "evaluate"
    SETTINGS = "settings"
    ACCOUNTS = "accounts"
    VIEW_AUDIT = "view_audit"
    RESTORE = "restore"
    REGISTER_PROBLEMS = "register_problems"
    RECTIFY_PROBLEMS = "rectify_problems"
    VERIFY_PROBLEMS = "verify_problems"
    SUPERVISE_PROBLEMS = "supervise_problems"
    PROBLEM_CATALOGUE = "problem_catalogue"
    PLEDGE_RETURNS = "pledge_returns"
    EDIT_WORKLOG = "edit_worklog"
    PEOPLE = "people"


PERMISSION_LABELS = {
    Permission.VIEW: "查看",
    Permission.EDIT_ORGANISATION: "修改组织架构",
    Permission.EDIT_POINTS: "登记积分",
    Permission.COUNTER: "积分兑换",
    Permission.MANAGE_GOODS: "管理物品库存",
    Permission.PRINT: "打印",
    Permission.EVALUATE: "评议与红黑榜",
    Permission.SETTINGS: "修改设置",
    Permission.ACCOUNTS: "管理账号",
    Permission.VIEW_AUDIT: "查看操作记录",
    Permission.RESTORE: "恢复备份",
    Permission.REGISTER_PROBLEMS: "登记和交办问题",
    Permission.RECTIFY_PROBLEMS: "记录问题整改",
    Permission.VERIFY_PROBLEMS: "复核、销号问题",
    Permission.SUPERVISE_PROBLEMS: "处理街道督办",
    Permission.PROBLEM_CATALOGUE: "修改问题类别和来源",
    Permission.PLEDGE_RETURNS: "登记责任书回收",
    Permission.EDIT_WORKLOG: "登记三个一工作日志和七个管理员事项",
    Permission.PEOPLE: "办理评先树优、综合测评和后备人才库",
}

_EVERYTHING = frozenset(Permission)
_PROBLEM_WORK = frozenset({Permission.REGISTER_PROBLEMS, Permission.RECTIFY_PROBLEMS,
                           Permission.VERIFY_PROBLEMS})
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.SYSTEM: _EVERYTHING,
    Role.TOWNSHIP_ADMIN: _EVERYTHING,
    # Escalations (街道督办) go to the township: a village never closes its own.
    Role.SECRETARY: _EVERYTHING - {Permission.SETTINGS, Permission.SUPERVISE_PROBLEMS},
    Role.CLERK: frozenset({Permission.VIEW, Permission.COUNTER, Permission.PRINT,
                           Permission.REGISTER_PROBLEMS, Permission.RECTIFY_PROBLEMS,
                           Permission.PLEDGE_RETURNS, Permission.EDIT_WORKLOG}),
    Role.INSPECTOR: frozenset({Permission.VIEW, Permission.PRINT, Permission.VIEW_AUDIT}),
    # 包村干部: records what the WeChat group posts and follows it up, in his villages only.
    Role.CADRE: frozenset({Permission.VIEW, Permission.PRINT}) | _PROBLEM_WORK,
    # 街道巡查办: inspects every village, registers, verifies and handles escalations; it
    # never changes the organisation, the points or the goods.
    Role.PATROL: frozenset({Permission.VIEW, Permission.PRINT, Permission.REGISTER_PROBLEMS,
                            Permission.VERIFY_PROBLEMS, Permission.SUPERVISE_PROBLEMS,
                            Permission.PROBLEM_CATALOGUE}),
}
# Roles whose village_id limits them to one administrative village.
VILLAGE_SCOPED = frozenset({Role.SECRETARY, Role.CLERK})
# Roles limited to the villages assigned to the account (`Actor.village_ids`).
ASSIGNED_SCOPED = frozenset({Role.CADRE})


@dataclass(frozen=True)
class Actor:
    """The account an operation runs as. `village_id` is the scope of village-bound roles,
    `village_ids` the villages assigned to a 包村干部."""

    name: str
    role: Role
    user_id: int | None = None
    village_id: int | None = None
    village_ids: frozenset[int] = frozenset()

    def may(self, permission: Permission, village_id: int | None = None) -> bool:
        if permission not in ROLE_PERMISSIONS[self.role]:
            return False
        if self.role in VILLAGE_SCOPED:
            return village_id is not None and village_id == self.village_id
        if self.role in ASSIGNED_SCOPED:
            return village_id is not None and village_id in self.village_ids
        return True

    @property
    def villages(self) -> frozenset[int] | None:
        """The villages this account works in; None for township-wide accounts."""
        if self.role in VILLAGE_SCOPED:
            return frozenset({self.village_id}) if self.village_id is not None else frozenset()
        if self.role in ASSIGNED_SCOPED:
            return self.village_ids
        return None

    def require(self, permission: Permission, village_id: int | None = None) -> None:
        if permission not in ROLE_PERMISSIONS[self.role]:
            raise PermissionDenied(
                f"“{self.role.label}”账号不能{PERMISSION_LABELS[permission]}。"
            )
        if not self.may(permission, village_id):
            where = "所包的村" if self.role in ASSIGNED_SCOPED else "本村"
            raise PermissionDenied(
                f"“{self.name}”只能管理{where}，不能{PERMISSION_LABELS[permission]}其他村的数据。"
            )


SYSTEM = Actor(name="系统", role=Role.SYSTEM)
