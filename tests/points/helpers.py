"""Building blocks for the points tests: a head, a rule, a service."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from models.core import clock
from models.core.access import SYSTEM
from models.core.db import Database
from models.org.service import HouseholdInput, OrganisationService, ResidentInput
from models.org.tables import HeadRole, Resident
from models.points.service import PointsService, RuleInput
from models.points.tables import PointsRule


def make_heads(db: Database, count: int = 1) -> list[int]:
    """`count` alley heads in one small village; returns their head ids."""
    org = OrganisationService(db, SYSTEM)
    town = org.create_township("测试镇")
    village = org.create_admin_village(town, "韩家村")
    natural = org.create_natural_village(village, "韩家村")
    zone = org.create_zone(natural, "南片区")
    heads = []
    for index in range(count):
        alley = org.create_alley(zone, f"{index + 1}号胡同")
        org.add_household(alley, HouseholdInput(
            f"韩{'一二三四五六七八九十'[index % 10]}{index}", phone=f"1380000{index:04d}",
            residents=[ResidentInput(f"韩{'一二三四五六七八九十'[index % 10]}{index}",
                                     relation="户主", phone=f"1380000{index:04d}")]))
        with db.read() as s:
            resident = s.scalars(select(Resident.id).order_by(Resident.id.desc())).first()
        heads.append(org.appoint_head(HeadRole.ALLEY, alley, resident, chosen_on=date(2020, 1, 1)))
    return heads


def make_rule(db: Database, code: str, points: int, **extra) -> int:  # type: ignore[no-untyped-def]
    return PointsService(db, SYSTEM).save_rule(None, RuleInput(code, f"测试细则{code}", points, **extra))


def rule_id(db: Database, code: str) -> int:
    with db.read() as s:
        return s.scalar(select(PointsRule.id).where(PointsRule.code == code))


def recent_day(days_ago: int = 1) -> date:
    """A day the points bank takes entries on the suite's day (DOMAIN §5): yesterday by default,
    which on 1 January is the just-ended year's last day, still open in January."""
    return clock.today() - timedelta(days=days_ago)
