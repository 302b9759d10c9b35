"""The same rule for many heads at once (a village's monthly visits) in a fixed number of round
trips to the server, however many heads: what every posting needs is read (and locked)
together, each entry is decided here — opening the year's passbook first where there is none —
and everything is written together. The rules are those of `ledger.post_rule`, one at a time:
the same refusals, the same entries, the same chain.

A passbook missing for the year is created first thing (INSERT … ON CONFLICT DO NOTHING, as
`ledger.passbook_for` does): a second PC opening the same one waits for this transaction, then
finds it with its opening entry. Entries are found afterwards by their place in the passbook."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy import DateTime, case, insert, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from models.core import audit, clock, settings
from models.core.access import Actor
from models.core.base import utcnow
from models.core.errors import NotFound, ValidationError
from models.core.together import together
from models.org.tables import Head, Resident
from models.points import ledger
from models.points.years import check_entry_day
from models.worklog.tables import SettlementLine
from models.points.tables import (
    ANNUAL_CAP,
    FLOOR,
    GENESIS,
    LIST_RULE_CATEGORY,
    OPENING_POINTS,
    EntryKind,
    LedgerEntry,
    LimitPeriod,
    Passbook,
    PointsRule,
)

POLICY = (OPENING_POINTS, FLOOR, ANNUAL_CAP)


@dataclass
class Plan:
    """What the second round trip writes."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    books: dict[int, Any] = field(default_factory=dict)
    audits: list[dict[str, Any]] = field(default_factory=list)  # the postings', ids to come
    opened: list[dict[str, Any]] = field(default_factory=list)  # passbooks opened
    results: dict[int, tuple[int, int]] = field(default_factory=dict)  # head → (passbook, seq)
    replayed: dict[int, int] = field(default_factory=dict)              # head → entry id


def post(session: Session, actor: Actor, head_ids: Sequence[int], rule_id: int, on: date,
         note: str, evidence: dict[int, ledger.Evidence], key: str | None, require) -> list[int]:  # type: ignore[no-untyped-def]
    """Post `rule_id` to every head's passbook of `on`'s year; `require(village_id)` checks the
    actor's scope; `evidence` is the stored file per village. Returns the entries' ids."""
    heads = list(dict.fromkeys(head_ids))
    found = _read(session, heads, rule_id, on.year, key)
    rule = found["rule"]
    if rule.category == LIST_RULE_CATEGORY:
        raise ValidationError(f"细则“{rule.code} {rule.text}”在红黑榜公示时自动记分，不能手工登记。")
    check_entry_day(session, on, clock.today())
    plan = Plan()
    for head_id in heads:
        head = found["heads"].get(head_id)
        if head is None:
            raise NotFound(f"负责人（编号 {head_id}）不存在。")
        require(head["admin_village_id"])
        if head_id in found["replayed"]:
            plan.replayed[head_id] = found["replayed"][head_id]
            continue
        _plan_one(plan, actor, found, head, rule, on, note,
                  evidence.get(head["admin_village_id"]), f"{key}:{head_id}" if key else None)
    return _write(session, plan, heads)


def _read(session: Session, heads: list[int], rule_id: int, year: int,
          key: str | None) -> dict[str, Any]:
    residents = select(Head.resident_id).where(Head.id.in_(heads))
    books = select(Passbook.id).where(Passbook.resident_id.in_(residents), Passbook.year == year)
    reversed_ids = select(LedgerEntry.reverses_id).where(LedgerEntry.passbook_id.in_(books),
                                                         LedgerEntry.reverses_id.is_not(None))
    keys = [f"{key}:{h}" for h in heads] if key else [""]
    settlements = select(SettlementLine.entry_id).where(SettlementLine.rule_id == rule_id)
    created, rule, people, passbooks, policy, replayed, usage, settled = together(session, [
        _open_missing(session, heads, year),
        select(PointsRule.id, PointsRule.code, PointsRule.text, PointsRule.points,
               PointsRule.evidence_required, PointsRule.limit_count, PointsRule.limit_period,
               PointsRule.valid_from, PointsRule.valid_to, PointsRule.category)
        .where(PointsRule.id == rule_id),
        select(Head.id, Head.resident_id, Head.admin_village_id, Head.started_on, Resident.name)
        .join(Resident, Resident.id == Head.resident_id).where(Head.id.in_(heads)),
        select(Passbook.id, Passbook.resident_id, Passbook.year, Passbook.opened_on, Passbook.closed_on,
               Passbook.opening, Passbook.score, Passbook.spent, Passbook.last_seq,
               Passbook.last_hash).where(Passbook.id.in_(books)).with_for_update(),
        settings.query(*POLICY),
        select(LedgerEntry.id, LedgerEntry.idempotency_key).where(
            LedgerEntry.idempotency_key.in_(keys)),
        select(LedgerEntry.passbook_id, LedgerEntry.occurred_on).where(
            LedgerEntry.rule_id == rule_id, LedgerEntry.passbook_id.in_(books),
            LedgerEntry.id.not_in(reversed_ids), LedgerEntry.id.not_in(settlements)),
        # A 三个一 settlement's entry stands for many days (ledger.settled_occurrences).
        select(LedgerEntry.passbook_id, SettlementLine.month, SettlementLine.days)
        .join(LedgerEntry, LedgerEntry.id == SettlementLine.entry_id)
        .where(SettlementLine.rule_id == rule_id, LedgerEntry.passbook_id.in_(books),
               LedgerEntry.id.not_in(reversed_ids)),
    ])
    if not rule.rows:
        raise NotFound(f"积分细则（编号 {rule_id}）不存在。")
    found_rule = dict(rule.first)
    if found_rule["limit_period"]:
        found_rule["limit_period"] = LimitPeriod(found_rule["limit_period"])
    used = defaultdict(list)
    for row in usage.rows:
        used[row["passbook_id"]].append(row["occurred_on"])
    lines = defaultdict(list)
    for row in settled.rows:
        lines[row["passbook_id"]].append((row["month"], row["days"]))
    by_key = {row["idempotency_key"]: row["id"] for row in replayed.rows}
    return {"rule": SimpleNamespace(**found_rule),
            "heads": {row["id"]: row for row in people.rows},
            "books": {row["resident_id"]: SimpleNamespace(**row) for row in passbooks.rows},
            "policy": settings.values(policy.rows, *POLICY), "used": used, "settled": lines,
            "year": year,
            "replayed": {h: by_key[f"{key}:{h}"] for h in heads if key and f"{key}:{h}" in by_key},
            "opened": {row["id"] for row in created.rows}}


def _open_missing(session: Session, heads: list[int], year: int):  # type: ignore[no-untyped-def]
    """The year's passbook of every head who has none yet, its opening entry still to come."""
    first = date(year, 1, 1)
    opened_on = case((Head.started_on > first, Head.started_on), else_=first)
    maker = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    return maker(Passbook).from_select(
        ["resident_id", "year", "head_id", "admin_village_id", "opening", "opened_on", "score",
         "spent", "last_seq", "last_hash", "created_at"],
        select(Head.resident_id, literal(year), Head.id, Head.admin_village_id, literal(0),
               opened_on, literal(0), literal(0), literal(0), literal(GENESIS),
               literal(utcnow(), DateTime(timezone=True))).where(Head.id.in_(heads))
    ).on_conflict_do_nothing().returning(Passbook.id)


def _plan_one(plan: Plan, actor: Actor, found: dict[str, Any], head: dict[str, Any], rule: Any,
              on: date, note: str, evidence: ledger.Evidence | None, key: str | None) -> None:
    name = head["name"]
    if rule.points < 0 and not note.strip():
        raise ValidationError(f"给{name}扣分必须写明原因。")
    book = plan.books.get(head["resident_id"]) or found["books"][head["resident_id"]]
    bounds = ledger.Bounds(found["policy"][FLOOR], found["policy"][ANNUAL_CAP])
    if book.id in found["opened"] and book.last_seq == 0:
        _open(plan, actor, found, book, head)
    used = 0
    if rule.limit_count is not None and rule.limit_period is not None:
        start, end = ledger.period_bounds(rule.limit_period, on)
        used = sum(start <= day <= end for day in found["used"][book.id]) + sum(
            ledger.settled_days(month, days, start, end)
            for month, days in found["settled"][book.id])
    ledger.refuse_rule(rule, on, evidence, name, used)
    kind = EntryKind.AWARD if rule.points > 0 else EntryKind.DEDUCTION
    entry = ledger.entry_values(book, actor, kind, bounds, requested=rule.points, occurred_on=on,
                                rule=rule, note=note.strip(), evidence=evidence,
                                idempotency_key=key)
    _keep(plan, head["resident_id"], book, entry)
    found["used"][book.id].append(on)
    plan.results[head["id"]] = (book.id, entry["seq"])
    plan.audits.append(audit.row(actor, "登记积分", "ledger_entry", None,
                                 village_id=head["admin_village_id"],
                                 after={"head_id": head["id"], "rule": rule.code,
                                        "points": entry["score_delta"], "on": on, "note": note,
                                        "passbook": book.id, "seq": entry["seq"]})
                       | {"_place": (book.id, entry["seq"])})


def _open(plan: Plan, actor: Actor, found: dict[str, Any], book: Any,
          head: dict[str, Any]) -> None:
    """The opening entry of a passbook this posting created, and its audit row (as
    `ledger.passbook_for` does)."""
    opening = found["policy"][OPENING_POINTS]
    entry = ledger.entry_values(book, actor, EntryKind.OPENING, None, requested=opening,
                                occurred_on=book.opened_on,
                                note=f"{book.year}年度存折开户，存入初始积分 {opening} 分")
    book.opening = opening
    _keep(plan, book.resident_id, book, entry)
    plan.opened.append(audit.row(actor, "开立积分存折", "passbook", book.id,
                                 village_id=head["admin_village_id"],
                                 after=ledger.opened(head["id"], book.year, opening)))


def _keep(plan: Plan, resident_id: int, book: Any, entry: dict[str, Any]) -> None:
    plan.entries.append(entry)
    book.score, book.spent = entry["score_after"], entry["spent_after"]
    book.last_seq, book.last_hash = entry["seq"], entry["hash"]
    plan.books[resident_id] = book


def _write(session: Session, plan: Plan, heads: list[int]) -> list[int]:
    if not plan.entries:
        return [plan.replayed[h] for h in heads]

    statements = [insert(LedgerEntry).values(plan.entries)
                  .returning(LedgerEntry.id, LedgerEntry.passbook_id, LedgerEntry.seq)]
    statements += [update(Passbook).where(Passbook.id == book.id).values(
        opening=book.opening, score=book.score, spent=book.spent, last_seq=book.last_seq,
        last_hash=book.last_hash) for book in plan.books.values()]
    written = together(session, statements)[0]
    ids = {(row["passbook_id"], row["seq"]): row["id"] for row in written.rows}
    # Chained when the transaction commits (models.core.audit), with the entries' ids known now.
    audit.add_rows(session, plan.opened + [
        {k: v for k, v in row.items() if k != "_place"} | {"entity_id": ids[row["_place"]]}
        for row in plan.audits])
    return [plan.replayed[h] if h in plan.replayed else ids[plan.results[h]] for h in heads]
