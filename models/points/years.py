"""Which year the points bank takes entries into (DOMAIN §5). An entry belongs to the year of the
day it records; entries go into the current year or, in January, into the just-ended year until
it is closed. A closed year, an older year and a future year take none."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core.errors import ValidationError
from models.points.tables import ClosedYear, Passbook


def open_years(session: Session, today: date) -> list[int]:
    """The years that take entries on `today`, oldest first."""
    if today.month == 1 and session.get(ClosedYear, today.year - 1) is None:
        return [today.year - 1, today.year]
    return [today.year]


def check_entry_day(session: Session, on: date, today: date) -> None:
    """Refuse, with the reason, an entry dated `on` that its year may not take on `today`."""
    if on > today:
        raise ValidationError(f"日期 {on:%Y-%m-%d} 晚于今天（{today:%Y-%m-%d}），积分不能预先登记。")
    if on.year == today.year:  # the current year always takes entries: no query for it
        return
    years = open_years(session, today)
    if on.year in years:
        return
    if session.get(ClosedYear, on.year) is not None:
        raise ValidationError(f"日期 {on:%Y-%m-%d} 属于{on.year}年度，该年度积分已结转，不能再登记。")
    allowed = f"{years[0]}年度或{years[1]}年度" if len(years) == 2 else f"本年度（{years[0]}年度）"
    raise ValidationError(f"日期 {on:%Y-%m-%d} 属于{on.year}年度，现在积分只能记入{allowed}"
                          "（上一年度只在次年1月、结转之前还能补记）。")


def working_year(session: Session, today: date) -> int:
    """The year the points pages open on: in January the just-ended year while it is still open
    and has passbooks (December's entries are still being made, and it waits for its close),
    else the current year."""
    first = open_years(session, today)[0]
    if first < today.year and session.scalar(
            select(Passbook.id).where(Passbook.year == first).limit(1)) is None:
        return today.year
    return first
