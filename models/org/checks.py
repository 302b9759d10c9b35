"""`check` for the organisation: no alley or zone holds more households than its cap, no two
siblings share a name, no ID number is held twice, no name is longer than its level allows."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.core import settings
from models.core.checks import invariant
from models.org import uniqueness
from models.org.naming import unit_labels
from models.org.tables import Alley, Household, Zone


@invariant
def alley_caps(session: Session) -> list[str]:
    cap = settings.get(session, settings.ALLEY_HOUSEHOLD_CAP)
    rows = session.execute(
        select(Alley.id, func.count(Household.id)).join(Household, Household.alley_id == Alley.id)
        .where(Household.removed_on.is_(None)).group_by(Alley.id)
        .having(func.count(Household.id) > cap)).all()
    labels = unit_labels(session, alley_ids=[alley for alley, _ in rows])[1]
    return [f"胡同“{labels[alley]}”有 {n} 户，超过上限 {cap} 户。" for alley, n in rows]


@invariant
def zone_caps(session: Session) -> list[str]:
    cap = settings.get(session, settings.ZONE_HOUSEHOLD_CAP)
    rows = session.execute(
        select(Zone.id, func.count(Household.id)).join(Alley, Alley.zone_id == Zone.id)
        .join(Household, Household.alley_id == Alley.id).where(Household.removed_on.is_(None))
        .group_by(Zone.id).having(func.count(Household.id) > cap)).all()
    labels = unit_labels(session, zone_ids=[zone for zone, _ in rows])[0]
    return [f"片区“{labels[zone]}”有 {n} 户，超过上限 {cap} 户。" for zone, n in rows]


invariant(uniqueness.duplicate_names)
invariant(uniqueness.duplicate_id_numbers)
invariant(uniqueness.over_long_names)
