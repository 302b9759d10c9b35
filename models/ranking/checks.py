"""`check` for the red/black lists: every published list still says what it said on the day it
was published (its snapshot hash, stored at publishing; the database also refuses changes)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core import anchors
from models.core.checks import invariant
from models.ranking.rules import parse_period
from models.ranking.tables import (
    ENTRY_FIELDS,
    LIST_FIELDS,
    Colour,
    PayDeduction,
    Period,
    RankingEntry,
    RankingList,
    snapshot_hash,
)


@invariant
def published_lists_unchanged(session: Session) -> list[str]:
    entries = defaultdict(list)
    columns = (getattr(RankingEntry, f) for f in ENTRY_FIELDS)
    for row in session.execute(select(RankingEntry.list_id, *columns)):
        entries[row.list_id].append(row)
    problems = []
    for row in session.execute(select(RankingList.id, RankingList.snapshot_hash,
                                      *(getattr(RankingList, f) for f in LIST_FIELDS))
                               .order_by(RankingList.id)):
        if snapshot_hash(row, entries.get(row.id, [])) != row.snapshot_hash:
            problems.append(f"{_name(row)}的内容与公示时不符，已被程序以外的方式改动。")
    return problems[:50]


@invariant
def one_pay_deduction_per_list_entry(session: Session) -> list[str]:
    """Pay is deducted once per black village and list (across its versions), and only for a
    yearly or quarterly black list (DOMAIN §7)."""
    problems = []
    seen: dict[tuple, list] = defaultdict(list)
    for secretary, month, amount, colour, unit, kind, period, township in session.execute(
            select(PayDeduction.secretary_name, PayDeduction.month, PayDeduction.amount,
                   RankingEntry.colour, RankingEntry.unit_name, RankingList.kind,
                   RankingList.period, RankingList.township_id)
            .join(RankingEntry, RankingEntry.id == PayDeduction.entry_id)
            .join(RankingList, RankingList.id == RankingEntry.list_id).order_by(PayDeduction.id)):
        label = f"{unit}党支部书记{secretary}（{parse_period(period).label}红黑榜）"
        if colour is not Colour.BLACK or kind is Period.MONTH:
            problems.append(f"{label}被扣发绩效补贴 {amount} 元，但该榜单不扣发绩效补贴。")
        seen[(township, kind, period, unit)].append((month, amount, label))
    for deductions in seen.values():
        if len(deductions) > 1:
            label = deductions[0][2]
            done = "、".join(f"{month}月 {amount} 元" for month, amount, _ in deductions)
            problems.append(f"{label}被扣发绩效补贴 {len(deductions)} 次（{done}），同一榜单只能扣发一次。")
    return problems[:50]


def _lists(session: Session, list_id: int | None = None):  # type: ignore[no-untyped-def]
    stmt = select(RankingList.id, RankingList.snapshot_hash, RankingList.township_name,
                  RankingList.period, RankingList.version, RankingList.doc_number)
    if list_id is not None:
        stmt = stmt.where(RankingList.id == list_id)
    return session.execute(stmt.order_by(RankingList.id)).all()


def _name(row) -> str:  # type: ignore[no-untyped-def]
    return (f"{row.township_name}{parse_period(row.period).label}红黑榜第{row.version}版"
            f"（{row.doc_number}）")


def _point(session: Session, list_id: int, seq: int) -> anchors.Point:
    rows = _lists(session, list_id)
    if not rows:
        return anchors.Point("", 0, None, exists=False)
    return anchors.Point(_name(rows[0]), 1, rows[0].snapshot_hash if seq == 1 else None)


# A published list is one frozen record: its anchor is R<list>-1, the code of its snapshot hash.
anchors.register(anchors.Ledger(
    "R", "公示的红黑榜", "份", lambda s: [(r.id, 1, r.snapshot_hash, _name(r)) for r in _lists(s)],
    _point))
