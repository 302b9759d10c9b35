"""The 约谈 list's one definition (DOMAIN §5): a passbook whose score is below its opening, or at
0. The points page and notice list it; the red/black selection asks who is on it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from models.points.tables import Passbook


def on_talk_list() -> ColumnElement[bool]:
    return or_(Passbook.score < Passbook.opening, Passbook.score == 0)


def residents_on_talk_list(session: Session, year: int, resident_ids: Iterable[int]) -> set[int]:
    """Which of these people are on `year`'s 约谈 list now."""
    wanted = list(set(resident_ids))
    found: set[int] = set()
    for start in range(0, len(wanted), 1000):
        found |= set(session.scalars(select(Passbook.resident_id).where(
            Passbook.year == year, Passbook.resident_id.in_(wanted[start:start + 1000]),
            on_talk_list())))
    return found
