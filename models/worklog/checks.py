"""`check` for the 三个一 log: every month's patrol mask is what its journal replays to, and every
settlement line agrees with the ledger entries it posted and reversed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from models.core.checks import invariant
from models.points.tables import LedgerEntry
from models.worklog.calendar import Month
from models.worklog.tables import PatrolChange, PatrolMonth, SettlementLine


@invariant
def patrols_replay_their_journal(session: Session) -> list[str]:
    replayed: dict[int, tuple[int, int]] = {}  # patrol → (days, changes)
    for patrol_id, seq, set_days, cleared in session.execute(
            select(PatrolChange.patrol_id, PatrolChange.seq, PatrolChange.set_days,
                   PatrolChange.cleared_days).order_by(PatrolChange.patrol_id, PatrolChange.seq)
            ).yield_per(20000):
        days, count = replayed.get(patrol_id, (0, 0))
        # A gap in the sequence marks the month as broken for good (-1).
        replayed[patrol_id] = ((days | set_days) & ~cleared, count + 1 if seq == count + 1 else -1)
    problems = []
    for patrol_id, head_id, month, days, changes in session.execute(
            select(PatrolMonth.id, PatrolMonth.head_id, PatrolMonth.month, PatrolMonth.days,
                   PatrolMonth.changes)).yield_per(20000):
        where = f"胡同长（编号 {head_id}）{Month.from_key(month).label}的巡查记录"
        if (days, changes) != replayed.get(patrol_id, (0, 0)):
            problems.append(f"{where}与修改记录对不上，已被程序以外的方式改动。")
        elif days >> Month.from_key(month).days:
            problems.append(f"{where}含有本月没有的日期。")
    return problems[:50]


@invariant
def settlement_lines_match_the_ledger(session: Session) -> list[str]:
    reversal = aliased(LedgerEntry)
    problems = []
    lines = session.execute(
        select(SettlementLine, LedgerEntry.rule_id, LedgerEntry.requested, reversal.reverses_id)
        .outerjoin(LedgerEntry, LedgerEntry.id == SettlementLine.entry_id)
        .outerjoin(reversal, reversal.id == SettlementLine.reversal_id)
        .order_by(SettlementLine.head_id, SettlementLine.month, SettlementLine.rule_id,
                  SettlementLine.revision)).all()
    previous: dict[tuple[int, int, int], SettlementLine] = {}
    for line, rule_id, requested, reverses in lines:
        key = (line.head_id, line.month, line.rule_id)
        where = f"胡同长（编号 {line.head_id}）{Month.from_key(line.month).label}月结第 {line.revision} 版"
        if line.entry_id is not None and (rule_id, requested) != (line.rule_id, line.requested):
            problems.append(f"{where}与积分流水中的记录不符。")
        if (line.entry_id is None) != (line.times == 0):
            problems.append(f"{where}的入账记录不完整。")
        before = previous.get(key)
        expected = before.entry_id if before is not None else None
        if line.revision != (before.revision + 1 if before else 1) or reverses != expected:
            problems.append(f"{where}没有正确冲正上一版的积分。")
        previous[key] = line
    return problems[:50]
