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

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.SYSTEM: "系统",
    Role.TOWNSHIP_ADMIN: "镇级管理员",
    Role.SECRETARY: "村党支部书记",
    Role.CLERK: "村文书",
    Role.INSPECTOR: "纪工委监督员",
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
}

_EVERYTHING = frozenset(Permission)
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.SYSTEM: _EVERYTHING,
    Role.TOWNSHIP_ADMIN: _EVERYTHING,
    Role.SECRETARY: _EVERYTHING - {Permission.SETTINGS},
    Role.CLERK: frozenset({Permission.VIEW, Permission.COUNTER, Permission.PRINT}),
    Role.INSPECTOR: frozenset({Permission.VIEW, Permission.PRINT, Permission.VIEW_AUDIT}),
}
# Roles whose village_id limits them to one administrative village.
VILLAGE_SCOPED = frozenset({Role.SECRETARY, Role.CLERK})


@dataclass(frozen=True)
class Actor:
    """The account an operation runs as. `village_id` is the scope of village-bound roles."""

    name: str
    role: Role
    user_id: int | None = None
    village_id: int | None = None

    def may(self, permission: Permission, village_id: int | None = None) -> bool:
        if permission not in ROLE_PERMISSIONS[self.role]:
            return False
        if self.role in VILLAGE_SCOPED:
            return village_id is not None and village_id == self.village_id
        return True

    def require(self, permission: Permission, village_id: int | None = None) -> None:
        if permission not in ROLE_PERMISSIONS[self.role]:
            raise PermissionDenied(
                f"“{self.role.label}”账号不能{PERMISSION_LABELS[permission]}。"
            )
        if not self.may(permission, village_id):
            raise PermissionDenied(
                f"“{self.name}”只能管理本村，不能{PERMISSION_LABELS[permission]}其他村的数据。"
            )


SYSTEM = Actor(name="系统", role=Role.SYSTEM)
