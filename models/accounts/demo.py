"""The demo town's accounts: a secretary and a clerk for 韩家村, a township administrator and an
inspector. `--demo` signs in as the secretary without a password; the others share DEMO_PASSWORD."""

from __future__ import annotations

from sqlalchemy import select

from models.accounts.service import hash_password
from models.accounts.tables import Account
from models.core.access import Role
from models.core.db import Database
from models.org.tables import AdminVillage

DEMO_SECRETARY = "hanjia"
DEMO_PASSWORD = "村治通演示密码"


def step(db: Database, seed: int) -> None:
    with db.write() as s:
        first = s.scalars(select(AdminVillage).order_by(AdminVillage.township_id,
                                                        AdminVillage.sort_order)).first()
        if first is None:
            return
        password_hash = hash_password(DEMO_PASSWORD)
        people = (
            (DEMO_SECRETARY, first.secretary_name or "演示书记", Role.SECRETARY, first.id),
            ("hanjia-wenshu", "韩家村文书", Role.CLERK, first.id),
            ("zhen-admin", "镇管理员", Role.TOWNSHIP_ADMIN, None),
            ("jigongwei", "纪工委监督员", Role.INSPECTOR, None),
        )
        for username, name, role, village_id in people:
            s.add(Account(username=username, display_name=name, role=role.value,
                          village_id=village_id, password_hash=password_hash, active=True,
                          failed_logins=0))
