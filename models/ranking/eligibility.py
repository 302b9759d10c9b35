"""Who may be red-listed (DOMAIN §5, §7): not a zone with a head — its zone head or one of its
alley heads — on that year's 约谈 list. The selection asks here and only here, so that the
people area's eligibility service can later answer in its place."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.org.tables import Alley, Head, Resident
from models.points.talks import residents_on_talk_list
from models.points.wording import TALK_HOLDER


def red_ineligible(session: Session, year: int, zone_ids: Iterable[int]) -> dict[int, str]:
    """Zone id → why it may not be red-listed, for those of `zone_ids` that may not."""
    zones = list(set(zone_ids))
    if not zones:
        return {}
    zone_of = func.coalesce(Head.zone_id, Alley.zone_id)
    heads = session.execute(
        select(zone_of, Head.role, Head.resident_id, Resident.name)
        .outerjoin(Alley, Alley.id == Head.alley_id).join(Resident, Resident.id == Head.resident_id)
        .where(Head.ended_on.is_(None), zone_of.in_(zones))
        .order_by(Head.role.desc(), Head.id)).all()  # zone heads before alley heads
    listed = residents_on_talk_list(session, year, [h.resident_id for h in heads])
    reasons: dict[int, str] = {}
    for zone_id, role, resident_id, name in heads:
        if resident_id in listed and zone_id not in reasons:
            reasons[zone_id] = f"因{role.label}{name}在{year}年度约谈名单上（由{TALK_HOLDER}约谈）"
    return reasons
