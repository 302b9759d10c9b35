"""`check` for the red/black lists: every published list still says what it said on the day it
was published (its snapshot hash, stored at publishing; the database also refuses changes)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core.checks import invariant
from models.ranking.rules import parse_period
from models.ranking.tables import ENTRY_FIELDS, LIST_FIELDS, RankingEntry, RankingList, snapshot_hash


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
            problems.append(f"{row.township_name}{parse_period(row.period).label}红黑榜第{row.version}版"
                            f"（{row.doc_number}）的内容与公示时不符，已被程序以外的方式改动。")
    return problems[:50]
