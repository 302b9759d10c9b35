"""`check` for the organisation: no alley or zone holds more households than its cap."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.core import settings
from models.core.checks import invariant
from models.org.tables import Alley, Household, Zone


@invariant
def alley_caps(session: Session) -> list[str]:
    cap = settings.get(session, settings.ALLEY_HOUSEHOLD_CAP)
    rows = session.execute(
        select(Alley.name, func.count(Household.id)).join(Household, Household.alley_id == Alley.id)
        .where(Household.removed_on.is_(None)).group_by(Alley.id, Alley.name)
        .having(func.count(Household.id) > cap)).all()
    return [f"胡同“{name}”有 {n} 户，超过上限 {cap} 户。" for name, n in rows]


@invariant
def zone_caps(session: Session) -> list[str]:
    cap = settings.get(session, settings.ZONE_HOUSEHOLD_CAP)
    rows = session.execute(
        select(Zone.name, func.count(Household.id)).join(Alley, Alley.zone_id == Zone.id)
        .join(Household, Household.alley_id == Alley.id).where(Household.removed_on.is_(None))
        .group_by(Zone.id, Zone.name).having(func.count(Household.id) > cap)).all()
    return [f"片区“{name}”有 {n} 户，超过上限 {cap} 户。" for name, n in rows]
