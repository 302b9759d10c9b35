"""`check` for the audit trail: each village's chain of audit rows is walked (a row missing,
changed or out of sequence), and every row that records a ledger's row (a passbook opened, an
entry posted, a redemption, a published list) must still find it: ledgers are append-only, so a
row gone from one of them was removed behind the program's back. The chains' heads are anchors
`A<village>-<row>` written with every backup (models.core.anchors)."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from datetime import UTC

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.core import anchors
from models.core.audit import CHAINED, AuditLog
from models.core.chain import Break, BreakKind, heads, walk
from models.core.checks import invariant
from models.org.tables import AdminVillage
from models.points.checks import passbook_names
from models.points.service import head_hits
from models.points.tables import LedgerEntry, Passbook
from models.problems.tables import Problem
from models.ranking.tables import PayDeduction, RankingList
from models.store.tables import Redemption
from models.worklog.tables import Settlement

LIMIT = 50
# The append-only rows audit rows point at: (table, what one is called).
RECORDED = {"passbook": (Passbook, "积分存折"), "ledger_entry": (LedgerEntry, "积分流水"),
            "redemption": (Redemption, "兑换记录"), "ranking_list": (RankingList, "红黑榜"),
            "problem": (Problem, "整改问题"), "ranking_pay_deduction": (PayDeduction, "扣发绩效补贴"),
            "worklog_settlement": (Settlement, "三个一月结")}


def _trails(session: Session, keys: set[int]) -> dict[int, str]:
    names = dict(session.execute(select(AdminVillage.id, AdminVillage.name)
                                 .where(AdminVillage.id.in_(keys - {0}))).all()) if keys else {}
    return {key: f"操作记录（{names.get(key, f'行政村 {key}') if key else '全镇'}）" for key in keys}


def _row(row) -> str:  # type: ignore[no-untyped-def]
    moment = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)
    return f"第{row.chain_seq}条（{moment.astimezone():%Y-%m-%d %H:%M} {row.action}）"


def _describe(brk: Break, trail: str) -> str:
    span = f"第{brk.first}条" if brk.first == brk.last else f"第{brk.first}至{brk.last}条"
    after = f"，在{_row(brk.before)}之后" if brk.before is not None else ""
    if brk.kind is BreakKind.MISSING:
        return f"{trail}缺少{span}{after}、{_row(brk.row)}之前：操作记录被删除过。"
    if brk.kind is BreakKind.EDITED:
        return f"{trail}{_row(brk.row)}的内容与记录时不符：这一条在程序之外被改动过。"
    if brk.kind is BreakKind.OUT_OF_ORDER:
        return (f"{trail}{_row(brk.row)}与前一条接不上：操作记录的顺序被打乱，"
                "或前一条被改动过。")
    if brk.kind is BreakKind.TAIL_MISSING:
        return f"{trail}记载已有{brk.last}条，找不到{span}{after}：末尾的操作记录被删除过。"
    if brk.kind is BreakKind.BEYOND_HEAD:
        return (f"{trail}记载只有{brk.first - 1}条，却还有{span}：记录的总数被改回过，"
                "或这些记录是在程序之外添加的。")
    if brk.kind is BreakKind.NO_HEAD:
        return f"{trail}的总数记录不见了（共{brk.last}条）：被程序以外的方式删除过。"
    return f"{trail}记载的最后一条校验值与第{brk.last}条不符：记录的总数被改动过。"


@invariant
def audit_chains(session: Session) -> list[str]:
    columns = [getattr(AuditLog, name) for name in CHAINED.fields]
    rows = session.execute(select(*columns, AuditLog.prev_hash, AuditLog.hash)
                           .order_by(AuditLog.chain_key, AuditLog.chain_seq))
    breaks = walk(rows.yield_per(5000), CHAINED, heads(session, CHAINED.ledger))[:LIMIT]
    trails = _trails(session, {brk.key for brk in breaks})
    return [_describe(brk, trails[brk.key]) for brk in breaks]


@invariant
def audited_rows_exist(session: Session) -> list[str]:
    """Every passbook, entry, redemption and list an audit row records is still there."""
    found = []
    for entity, (table, label) in RECORDED.items():
        existing = select(table.id)
        found += [(row, label) for row in session.scalars(
            select(AuditLog).where(AuditLog.entity == entity, AuditLog.entity_id.is_not(None),
                                   AuditLog.entity_id.not_in(existing))
            .order_by(AuditLog.chain_key, AuditLog.chain_seq).limit(LIMIT))]
    found = found[:LIMIT]
    trails = _trails(session, {row.chain_key for row, _ in found})
    return [f"{trails[row.chain_key]}{_row(row)}所记的{label}（编号 {row.entity_id}"
            f"{_which(session, row)}）已不存在：{label}被删除过。" for row, label in found]


@invariant
def pay_deductions_as_recorded(session: Session) -> list[str]:
    """Each pay deduction still says the month and amount its (chained) audit row recorded:
    the money is not a chain of its own, its audit row is its witness."""
    recorded = {}
    for row in session.scalars(select(AuditLog).where(
            AuditLog.entity == "ranking_pay_deduction", AuditLog.action == "扣发绩效补贴")):
        recorded[row.entity_id] = row
    found = []
    for deduction in session.scalars(select(PayDeduction).order_by(PayDeduction.id)):
        row = recorded.get(deduction.id)
        after = _after(row) if row is not None else {}
        if row is None:
            found.append(f"扣发绩效补贴（{deduction.secretary_name}，{deduction.month}，"
                         f"{deduction.amount} 元）在操作记录中没有登记：它是在程序之外添加的。")
        elif (after.get("month"), _money(after.get("amount"))) != (deduction.month,
                                                                    deduction.amount):
            trail = _trails(session, {row.chain_key})[row.chain_key]
            found.append(f"扣发绩效补贴（{deduction.secretary_name}）现记为 {deduction.month} "
                         f"{deduction.amount} 元，{trail}{_row(row)}登记的是 {after.get('month')} "
                         f"{after.get('amount')} 元：这一条在程序之外被改动过。")
    return found[:LIMIT]


def _money(text: object) -> Decimal | None:
    try:
        return Decimal(str(text))
    except InvalidOperation:
        return None


def _after(row: AuditLog) -> dict:  # type: ignore[type-arg]
    try:
        after = json.loads(row.after) if row.after else {}
    except ValueError:
        return {}
    return after if isinstance(after, dict) else {}


def _which(session: Session, row: AuditLog) -> str:
    """What the audit row says of the missing row: the passbook and entry number of a posting,
    the head and year of a passbook opened."""
    after = _after(row)
    if "passbook" in after and "seq" in after:
        book = passbook_names(session, [after["passbook"]]).get(
            after["passbook"], f"积分存折 {after['passbook']} ")
        return f"，{book}第{after['seq']}笔"
    if row.entity == "passbook" and "head_id" in after:
        hit = head_hits(session, [after["head_id"]]).get(after["head_id"])
        who = f"{hit.name}，{hit.village} {hit.unit} {hit.role}" if hit else f"负责人 {after['head_id']}"
        return f"，{who}，{after.get('year', '')}年"
    return ""


def _heads(session: Session):  # type: ignore[no-untyped-def]
    found = heads(session, CHAINED.ledger)
    trails = _trails(session, set(found))
    return [(key, seq, last, trails[key]) for key, (seq, last) in sorted(found.items())]


def _point(session: Session, key: int, seq: int) -> anchors.Point:
    found = heads(session, CHAINED.ledger)
    if key not in found:
        return anchors.Point("", 0, None, exists=False)
    stored = session.scalar(select(AuditLog.hash).where(AuditLog.chain_key == key,
                                                        AuditLog.chain_seq == seq))
    length = session.scalar(select(func.max(AuditLog.chain_seq))
                            .where(AuditLog.chain_key == key)) or 0
    return anchors.Point(_trails(session, {key})[key], length, stored)


anchors.register(anchors.Ledger("A", "操作记录", "条", _heads, _point))
