"""Posting to the ledger inside the caller's transaction. Every function here locks the passbook
row first (SELECT … FOR UPDATE on PostgreSQL; SQLite writers are already serialised by
BEGIN IMMEDIATE), so concurrent writers can never break the cap, the floor or the chain.

These functions check no permission and write no audit row for the calling service's operation:
it does both in the same transaction. The one row they write themselves records a passbook
opened, whichever operation opened it, so that a passbook removed later is found by `check`.
`spend` and `cancel_spend` are the counter's entry points."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from models.core import audit, clock, settings
from models.core.access import Actor
from models.core.base import utcnow
from models.core.errors import NotFound, ValidationError
from models.org.tables import Head, Resident
from models.points.years import check_entry_day
from models.points.tables import (
    ANNUAL_CAP,
    FLOOR,
    LIST_KEY_PREFIX,
    LIST_RULE_CATEGORY,
    OPENING_POINTS,
    ClosedYear,
    EntryKind,
    LedgerEntry,
    LimitPeriod,
    Passbook,
    PointsRule,
    entry_hash,
)
from models.worklog.tables import SettlementLine


@dataclass(frozen=True)
class Evidence:
    """A file already copied into the data folder: its path there and its SHA-256."""

    path: str
    sha256: str


def opening_date(year: int, head: Head) -> date:
    """1 January, or the day of appointment when the head was appointed during the year."""
    return max(date(year, 1, 1), head.started_on)


def lock_passbook(session: Session, passbook_id: int) -> Passbook:
    passbook = session.execute(
        select(Passbook).where(Passbook.id == passbook_id).with_for_update()
        .execution_options(populate_existing=True)).scalar_one_or_none()
    if passbook is None:
        raise NotFound(f"积分存折（编号 {passbook_id}）不存在。")
    return passbook


def passbook_for(session: Session, actor: Actor, head: Head, year: int) -> Passbook:
    """The person's passbook for the year, locked; opened (with its opening entry) if missing."""
    if session.get(ClosedYear, year) is not None:
        raise ValidationError(f"{year}年度的积分已结转，不能再登记。")
    opened_on = opening_date(year, head)
    values = dict(resident_id=head.resident_id, year=year, head_id=head.id,
                  admin_village_id=head.admin_village_id, opening=0, opened_on=opened_on,
                  score=0, spent=0, last_seq=0, last_hash="0" * 64, created_at=utcnow())
    dialect = session.get_bind().dialect.name
    maker = pg_insert if dialect == "postgresql" else sqlite_insert
    # ON CONFLICT DO NOTHING: two writers opening the same passbook at once get one row.
    created = session.execute(maker(Passbook).values(**values).on_conflict_do_nothing()
                              .returning(Passbook.id)).scalar_one_or_none()
    passbook_id = created if created is not None else session.scalar(
        select(Passbook.id).where(Passbook.resident_id == head.resident_id, Passbook.year == year))
    passbook = lock_passbook(session, passbook_id)
    if created is not None:
        opening = settings.get(session, OPENING_POINTS)
        append(session, actor, passbook, EntryKind.OPENING, requested=opening,
               occurred_on=opened_on, note=f"{year}年度存折开户，存入初始积分 {opening} 分")
        audit.record(session, actor, "开立积分存折", "passbook", passbook.id,
                     village_id=head.admin_village_id, after=opened(head.id, year, opening))
    return passbook


def opened(head_id: int, year: int, opening: int) -> dict[str, object]:
    """What the audit row of a passbook's opening says."""
    return {"head_id": head_id, "year": year, "opening": opening}


@dataclass(frozen=True)
class Bounds:
    """The score's floor and annual cap (settings), read once per operation."""

    floor: int
    cap: int

    @classmethod
    def of(cls, session: Session) -> Bounds:
        return cls(settings.get(session, FLOOR), settings.get(session, ANNUAL_CAP))


def entry_values(passbook: Any, actor: Actor, kind: EntryKind, bounds: Bounds | None, *,
                 requested: int = 0, spend: int = 0, occurred_on: date,
                 rule: PointsRule | None = None, note: str = "", reference: str = "",
                 evidence: Evidence | None = None, idempotency_key: str | None = None,
                 reverses_id: int | None = None) -> dict[str, Any]:
    """The next entry of a passbook (anything with its id, year, closed_on, score, spent,
    last_seq and last_hash): the score clamped to [floor, cap], a note saying so when only part
    counted, the hash chain extended. Pure: the caller writes it and moves the passbook's
    figures to the entry's score_after, spent_after, seq and hash."""
    if passbook.closed_on is not None:
        raise ValidationError(f"{passbook.year}年度的积分存折已结转，不能再登记。")
    if kind is EntryKind.OPENING:
        score_after = requested
    else:
        score_after = min(bounds.cap, max(bounds.floor, passbook.score + requested)) \
            if requested else passbook.score
        if requested > 0 and score_after < passbook.score:
            score_after = passbook.score  # an award never lowers a score already above the cap
        if requested < 0 and score_after > passbook.score:
            score_after = passbook.score
    counted = score_after - passbook.score
    if counted != requested and kind is not EntryKind.OPENING:
        note = _partial_note(note, requested, counted)
    values = dict(
        passbook_id=passbook.id, seq=passbook.last_seq + 1, kind=kind,
        rule_id=rule.id if rule else None, rule_code=rule.code if rule else "",
        rule_text=rule.text if rule else "", rule_points=rule.points if rule else 0,
        requested=requested, score_delta=counted, spend_delta=spend, score_after=score_after,
        spent_after=passbook.spent + spend, occurred_on=occurred_on, recorded_at=utcnow(),
        operator_name=actor.name, operator_role=actor.role.value, operator_user_id=actor.user_id,
        note=note, reference=reference, evidence_path=evidence.path if evidence else "",
        evidence_sha256=evidence.sha256 if evidence else "", idempotency_key=idempotency_key,
        reverses_id=reverses_id,
    )
    values["prev_hash"] = passbook.last_hash
    values["hash"] = entry_hash(passbook.last_hash, values)
    return values


def append(session: Session, actor: Actor, passbook: Passbook, kind: EntryKind, *,
           requested: int = 0, spend: int = 0, occurred_on: date, rule: PointsRule | None = None,
           note: str = "", reference: str = "", evidence: Evidence | None = None,
           idempotency_key: str | None = None, reverses: LedgerEntry | None = None) -> LedgerEntry:
    """Append one entry to a LOCKED passbook (`entry_values`) and keep its figures in step."""
    bounds = None if kind is EntryKind.OPENING else Bounds.of(session)
    values = entry_values(passbook, actor, kind, bounds, requested=requested, spend=spend,
                          occurred_on=occurred_on, rule=rule, note=note, reference=reference,
                          evidence=evidence, idempotency_key=idempotency_key,
                          reverses_id=reverses.id if reverses else None)
    if kind is EntryKind.OPENING:
        passbook.opening = requested
    entry = LedgerEntry(**values)
    session.add(entry)
    passbook.score, passbook.spent = values["score_after"], values["spent_after"]
    passbook.last_seq, passbook.last_hash = values["seq"], values["hash"]
    session.flush()
    return entry


def _partial_note(note: str, requested: int, counted: int) -> str:
    if requested > 0:
        said = f"已达年度积分上限，申报 {requested} 分，只计 {counted} 分"
    else:
        said = f"积分已到最低分，应扣 {-requested} 分，只扣 {-counted} 分"
    return f"{note}（{said}）" if note else said


def existing(session: Session, idempotency_key: str | None) -> LedgerEntry | None:
    """The entry already posted under this key (a retried save), if any."""
    if not idempotency_key:
        return None
    return session.scalar(select(LedgerEntry).where(LedgerEntry.idempotency_key == idempotency_key))


def period_bounds(period: LimitPeriod, day: date) -> tuple[date, date]:
    if period is LimitPeriod.DAY:
        return day, day
    if period is LimitPeriod.WEEK:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if period is LimitPeriod.MONTH:
        start = day.replace(day=1)
        following = (start + timedelta(days=32)).replace(day=1)
        return start, following - timedelta(days=1)
    return date(day.year, 1, 1), date(day.year, 12, 31)


def check_rule(session: Session, passbook: Passbook, rule: PointsRule, on: date,
               evidence: Evidence | None, name: str) -> None:
    """Validity dates, evidence and the per-period limit of a rule for one posting."""
    used = 0
    if rule.limit_count is not None and rule.limit_period is not None:
        start, end = period_bounds(rule.limit_period, on)
        reversed_ids = select(LedgerEntry.reverses_id).where(
            LedgerEntry.passbook_id == passbook.id, LedgerEntry.reverses_id.is_not(None))
        settled, settled_ids = settled_occurrences(session, passbook.id, rule.id, start, end)
        used = settled + (session.scalar(select(func.count(LedgerEntry.id)).where(
            LedgerEntry.passbook_id == passbook.id, LedgerEntry.rule_id == rule.id,
            LedgerEntry.occurred_on.between(start, end), LedgerEntry.id.not_in(reversed_ids),
            LedgerEntry.id.not_in(settled_ids))) or 0)
    refuse_rule(rule, on, evidence, name, used)


def refuse_rule(rule: Any, on: date, evidence: Evidence | None, name: str, used: int) -> None:
    """The refusal of a rule on a day (not in force, evidence missing, its limit reached with
    `used` postings in the period), if any."""
    if (rule.valid_from and on < rule.valid_from) or (rule.valid_to and on > rule.valid_to):
        raise ValidationError(f"细则“{rule.code} {rule.text}”在 {on:%Y-%m-%d} 不适用（已停用或尚未生效）。")
    if rule.evidence_required and evidence is None:
        raise ValidationError(f"细则“{rule.code} {rule.text}”要求附证据（照片等），{name}的这条没有附。")
    if rule.limit_count is not None and rule.limit_period is not None \
            and used >= rule.limit_count:
        raise ValidationError(
            f"{name}的细则“{rule.code} {rule.text}”{rule.limit_period.label}最多登记 "
            f"{rule.limit_count} 次，{on:%Y-%m-%d} 所在期间已登记 {used} 次。")


def settled_occurrences(session: Session, passbook_id: int, rule_id: int, start: date,
                        end: date) -> tuple[int, list[int]]:
    """A month-end settlement of the 三个一 log posts one entry for many occurrences of a rule
    (22 days of patrols); its line keeps their days. Returns how many of those occurrences in
    force fall in [start, end], and the ids of every settlement entry of the rule in the
    passbook (which the caller must not count once more as one occurrence each)."""
    rows = session.execute(
        select(SettlementLine.entry_id, SettlementLine.month, SettlementLine.days)
        .join(LedgerEntry, LedgerEntry.id == SettlementLine.entry_id)
        .where(LedgerEntry.passbook_id == passbook_id, SettlementLine.rule_id == rule_id)).all()
    reversed_ids = set(session.scalars(select(LedgerEntry.reverses_id).where(
        LedgerEntry.passbook_id == passbook_id, LedgerEntry.reverses_id.is_not(None))))
    count = sum(settled_days(month, days, start, end)
                for entry_id, month, days in rows if entry_id not in reversed_ids)
    return count, [row[0] for row in rows]


def settled_days(month: int, days: int, start: date, end: date) -> int:
    """How many of a settlement line's days (a bit per day of `month`, 202611) lie in [start, end]."""
    year, number = divmod(month, 100)
    return sum(1 for day in range(1, 32) if days >> (day - 1) & 1
               and start <= date(year, number, day) <= end)


def post_rule(session: Session, actor: Actor, head: Head, rule: PointsRule, *, on: date,
              note: str = "", evidence: Evidence | None = None,
              idempotency_key: str | None = None, today: date | None = None) -> LedgerEntry:
    """An award or deduction by rule for the head's passbook of `on`'s year, which must take
    entries `today` (default: the clock's day; see models.points.years)."""
    already = existing(session, idempotency_key)
    if already is not None:
        return already
    name = person_name(session, head)
    if rule.category == LIST_RULE_CATEGORY:
        raise ValidationError(f"细则“{rule.code} {rule.text}”在红黑榜公示时自动记分，不能手工登记。")
    if rule.points < 0 and not note.strip():
        raise ValidationError(f"给{name}扣分必须写明原因。")
    check_entry_day(session, on, today or clock.today())
    passbook = passbook_for(session, actor, head, on.year)
    already = existing(session, idempotency_key)  # a twin may have committed while we waited
    if already is not None:
        return already
    check_rule(session, passbook, rule, on, evidence, name)
    kind = EntryKind.AWARD if rule.points > 0 else EntryKind.DEDUCTION
    return append(session, actor, passbook, kind, requested=rule.points, occurred_on=on, rule=rule,
                  note=note.strip(), evidence=evidence, idempotency_key=idempotency_key)


def spend(session: Session, actor: Actor, head: Head, points: int, *, reference: str,
          idempotency_key: str, on: date | None = None) -> LedgerEntry:
    """Take `points` from the head's spendable balance for `on`'s year (default today) inside
    the caller's transaction, e.g. a redemption at the counter. Refuses (ValidationError, in
    Chinese) a non-positive amount or one above the spendable balance. The same idempotency key
    returns the entry already posted instead of spending twice."""
    on = on or clock.today()
    already = existing(session, idempotency_key)
    if already is not None:
        return already
    if points <= 0:
        raise ValidationError(f"兑换积分必须是正整数，收到的是 {points}。")
    check_entry_day(session, on, clock.today())
    passbook = passbook_for(session, actor, head, on.year)
    already = existing(session, idempotency_key)
    if already is not None:
        return already
    balance = passbook.balance
    if points > balance:
        name = person_name(session, head)
        raise ValidationError(
            f"{name}可兑换积分只有 {max(balance, 0)} 分，不够兑换 {points} 分。"
            + (f"（目前{passbook.shortfall.note}）" if balance < 0 else ""))
    return append(session, actor, passbook, EntryKind.REDEMPTION, spend=points, occurred_on=on,
                  note=f"兑换支出 {points} 分", reference=reference,
                  idempotency_key=idempotency_key)


def reverse(session: Session, actor: Actor, entry_id: int, reason: str, *,
            idempotency_key: str | None = None, on: date | None = None,
            today: date | None = None) -> LedgerEntry:
    """Correct an entry by a reversal naming it (at most once): the score effect and the spent
    points are negated, the score still clamped to [floor, cap]. Works for awards, deductions and
    redemptions of a year not yet closed."""
    already = existing(session, idempotency_key)
    if already is not None:
        return already
    original = session.get(LedgerEntry, entry_id)
    if original is None:
        raise NotFound(f"积分流水（编号 {entry_id}）不存在。")
    if not reason.strip():
        raise ValidationError("冲正必须写明原因。")
    passbook = lock_passbook(session, original.passbook_id)
    already = existing(session, idempotency_key)
    if already is not None:
        return already
    if original.kind not in (EntryKind.AWARD, EntryKind.DEDUCTION, EntryKind.REDEMPTION):
        raise ValidationError(f"“{original.kind.label}”记录不能冲正。")
    if (original.idempotency_key or "").startswith(LIST_KEY_PREFIX) and \
            not (idempotency_key or "").startswith(LIST_KEY_PREFIX):
        raise ValidationError(f"第 {original.seq} 笔是红黑榜的奖惩，只能随榜单更正自动冲正。")
    twin = session.scalar(select(LedgerEntry.seq).where(LedgerEntry.reverses_id == original.id))
    if twin is not None:
        raise ValidationError(f"第 {original.seq} 笔已被第 {twin} 笔冲正过，不能重复冲正。")
    today = today or clock.today()
    on = max(on or min(today, date(passbook.year, 12, 31)), original.occurred_on)
    check_entry_day(session, on, today)
    what = original.rule_text or original.note
    return append(session, actor, passbook, EntryKind.REVERSAL, requested=-original.score_delta,
                  spend=-original.spend_delta, occurred_on=on,
                  note=f"冲正第 {original.seq} 笔（{what}）：{reason.strip()}",
                  reference=original.reference, idempotency_key=idempotency_key,
                  reverses=original)


def cancel_spend(session: Session, actor: Actor, entry_id: int, reason: str, *,
                 idempotency_key: str | None = None, today: date | None = None) -> LedgerEntry:
    """Give back the points of a redemption entry (a cancelled redemption), at most once."""
    original = session.get(LedgerEntry, entry_id)
    if original is not None and original.kind is not EntryKind.REDEMPTION:
        raise ValidationError(f"第 {original.seq} 笔不是兑换记录，不能作为兑换取消。")
    return reverse(session, actor, entry_id, reason, idempotency_key=idempotency_key, today=today)


def close_passbook(session: Session, actor: Actor, passbook: Passbook, on: date) -> LedgerEntry:
    """The year-end entry: unspent points lapse; the passbook takes no more entries."""
    lapsed = max(passbook.balance, 0)
    note = (f"{passbook.year}年度结转：年末积分 {passbook.score} 分"
            + (f"，未兑换的 {lapsed} 分作废" if lapsed else ""))
    if passbook.shortfall.owed:
        note += f"，所欠 {passbook.shortfall.owed} 分不结转"
    entry = append(session, actor, passbook, EntryKind.YEAR_CLOSE, spend=lapsed, occurred_on=on,
                   note=note)
    passbook.closed_on = on
    return entry


def person_name(session: Session, head: Head) -> str:
    name = session.scalar(select(Resident.name).where(Resident.id == head.resident_id))
    return name or f"编号 {head.id} 的负责人"
