"""Who may be red-listed (DOMAIN §5, §7, §13): not a zone with a serving head — its zone head or
one of its alley heads — who may not be honoured that year. The people area's eligibility
service answers (the 约谈 list; a 不称职 grade when the setting says so); the selection asks here
and only here."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.org.tables import Alley, Head, Resident
from models.people.eligibility import Bar, eligibility
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
    answers = eligibility(session, year, [h.resident_id for h in heads])
    reasons: dict[int, str] = {}
    for zone_id, role, resident_id, name in heads:
        if not answers[resident_id].eligible and zone_id not in reasons:
            reasons[zone_id] = f"因{role.label}{name}{_why(answers[resident_id].bars[0], year)}"
    return reasons


def _why(bar: Bar, year: int) -> str:
    if bar.kind == "talk":
        return f"在{year}年度约谈名单上（由{TALK_HOLDER}约谈）"
    return bar.text
