"""The demo town's accounts: a secretary and a clerk for 韩家村, a township administrator, an
inspector, the street inspection office and a 包村干部 covering the first two villages.
`--demo` signs in as the secretary without a password; the others share DEMO_PASSWORD."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models.accounts.service import hash_password
from models.accounts.tables import Account, CadreVillage
from models.core.access import Role
from models.core.db import Database
from models.org.tables import AdminVillage

DEMO_SECRETARY = "hanjia"
DEMO_PATROL = "xunchaban"
DEMO_CADRE = "baocun"
DEMO_PASSWORD = "村治通演示密码"


def step(db: Database, seed: int) -> None:
    with db.write() as s:
        villages = s.scalars(select(AdminVillage).order_by(AdminVillage.township_id,
                                                           AdminVillage.sort_order).limit(2)).all()
        if not villages:
            return
        first = villages[0]
        password_hash = hash_password(DEMO_PASSWORD)
        people = (
            (DEMO_SECRETARY, first.secretary_name or "演示书记", Role.SECRETARY, first.id),
            ("hanjia-wenshu", "韩家村文书", Role.CLERK, first.id),
            ("zhen-admin", "镇管理员", Role.TOWNSHIP_ADMIN, None),
            ("jigongwei", "纪工委监督员", Role.INSPECTOR, None),
            (DEMO_PATROL, "街道巡查办", Role.PATROL, None),
            (DEMO_CADRE, "包村干部王建国", Role.CADRE, None),
        )
        accounts = {username: Account(username=username, display_name=name, role=role.value,
                                      village_id=village_id, password_hash=password_hash,
                                      active=True, failed_logins=0)
                    for username, name, role, village_id in people}
        s.add_all(accounts.values())
        s.flush()
        for village in villages:
            s.add(CadreVillage(account_id=accounts[DEMO_CADRE].id, admin_village_id=village.id,
                               assigned_on=date(2026, 1, 1)))
