"""Month-end settlement 三个一月结: the log's awards and deductions for every alley head of a
village, proposed from the rules catalogue, seen by the secretary, confirmed in one transaction.

What a head's month is worth is computed by `proposal.propose`. The lines in force are the
newest revision of each (head, month, rule) in worklog_settlement_line. Confirming compares the
two: when nothing differs nothing is posted. When something differs in a passbook's month, every
line from the first difference on (in posting order) is reversed, newest entry first, and posted
anew: reversing in that order restores the passbook exactly as it stood before those entries,
so that a corrected log ends with the same score — cap and floor included — as a log that was
right the first time."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session, aliased

from models.core import audit, clock
from models.core.access import Permission
from models.core.errors import NotFound, ValidationError
from models.core.service import Service
from models.org.tables import AdminVillage, Head, Township
from models.points import ledger
from models.points.tables import EntryKind, LedgerEntry, LimitPeriod, Passbook, PointsRule
from models.worklog.calendar import Month
from models.worklog.log import free_text
from models.worklog.month_data import HeadLog, month_logs
from models.worklog.proposal import (
    DUTIES,
    DUTY_RULES,
    RULE_CODES,
    Duty,
    Line,
    Occurrences,
    Proposal,
    RuleTerms,
    line_dates,
    propose,
)
from models.worklog.tables import Settlement, SettlementExclusion, SettlementLine

KEY_PREFIX = "三个一"


@dataclass(frozen=True)
class LineView:
    rule_id: int
    code: str
    text: str
    times: int
    days: int
    requested: int


@dataclass(frozen=True)
class HeadSettlement:
    head: HeadLog
    proposed: tuple[LineView, ...]
    posted: tuple[LineView, ...]
    notes: tuple[str, ...] = ()
    excluded_before: str = ""

    @property
    def proposed_total(self) -> int:
        return sum(x.requested for x in self.proposed)

    @property
    def posted_total(self) -> int:
        return sum(x.requested for x in self.posted)

    @property
    def difference(self) -> int:
        return self.proposed_total - self.posted_total

    @property
    def changed(self) -> bool:
        return _shape(self.proposed) != _shape(self.posted)

    @property
    def state(self) -> str:
        if not self.changed:
            return "已结算" if self.posted else "无需结算"
        return "有更正" if self.posted else "待结算"

    def times(self, code: str, lines: str = "proposed") -> int:
        return sum(x.times for x in getattr(self, lines) if x.code == code)


@dataclass(frozen=True)
class SettlementPreview:
    month: Month
    scope: str
    heads: list[HeadSettlement]
    settleable: bool
    reason: str = ""

    @property
    def pending(self) -> list[HeadSettlement]:
        return [h for h in self.heads if h.changed]


@dataclass(frozen=True)
class SettlementResult:
    settlement_id: int | None
    posted: int
    reversals: int
    heads: int
    excluded: int

    @property
    def message(self) -> str:
        if not self.posted and not self.reversals:
            return "日志与已入账的积分一致，本次没有新的积分入账。"
        text = f"已为 {self.heads} 位胡同长入账 {self.posted} 笔积分"
        if self.reversals:
            text += f"，冲正更正前的 {self.reversals} 笔"
        return text + (f"；{self.excluded} 位本次不结算。" if self.excluded else "。")


@dataclass
class _Current:
    """The line in force for a head, month and rule."""

    revision: int
    times: int
    days: int
    requested: int
    entry_id: int | None


@dataclass
class _Computed:
    proposals: dict[int, Proposal] = field(default_factory=dict)
    current: dict[tuple[int, int], _Current] = field(default_factory=dict)
    rules: dict[str, RuleTerms] = field(default_factory=dict)


class SettlementService(Service):
    def preview(self, month: Month, *, village_id: int | None = None,
                township_id: int | None = None) -> SettlementPreview:
        """The proposal for a village (or a township's villages the account may see)."""
        if village_id is not None:
            self.require_view(village_id)
        with self.db.read() as s:
            scope = _scope_name(s, village_id, township_id)
            logs = [x for x in month_logs(s, month, village_ids=None if village_id is None
                                          else [village_id], township_id=township_id)
                    if self.visible(x.village_id)]
            computed = _compute(s, month, logs, excluded=set())
            last = _last_exclusions(s, month, [x.head_id for x in logs])
        heads = [_head_settlement(x, computed, last.get(x.head_id, "")) for x in logs]
        settleable, reason = _settleable(month)
        return SettlementPreview(month, scope, heads, settleable, reason)

    def confirm(self, village_id: int, month: Month,
                exclusions: dict[int, str] | None = None) -> SettlementResult:
        """Post the month's settlement of the village: one transaction, each head's lines at
        most once per revision; a head in `exclusions` (head id → reason) is left as he is."""
        exclusions = {head: free_text(reason) for head, reason in (exclusions or {}).items()}
        settleable, reason = _settleable(month)
        if not settleable:
            raise ValidationError(reason)
        with self.operation(Permission.EDIT_POINTS) as s:
            self.require(Permission.EDIT_POINTS, village_id)
            village = s.execute(select(AdminVillage).where(AdminVillage.id == village_id)
                                .with_for_update()).scalar_one_or_none()
            if village is None:
                raise NotFound(f"行政村（编号 {village_id}）不存在。")
            logs = month_logs(s, month, village_ids=[village_id])
            names = {x.head_id: x.name for x in logs}
            for head_id, why in exclusions.items():
                if head_id not in names:
                    raise ValidationError(f"负责人（编号 {head_id}）不是{village.name}"
                                          f"{month.label}在任的胡同长，不能排除。")
                if not why:
                    raise ValidationError(f"不结算{names[head_id]}的积分，必须写明原因。")
            computed = _compute(s, month, logs, excluded=set(exclusions))
            posting = _Posting(s, self, month, village_id)
            for resident_logs in _by_passbook([x for x in logs if x.head_id not in exclusions]):
                posting.settle_passbook(resident_logs, computed)
            if posting.settlement is None:
                return SettlementResult(None, 0, 0, 0, 0)
            for head_id, why in exclusions.items():
                s.add(SettlementExclusion(settlement_id=posting.settlement.id, head_id=head_id,
                                          reason=why))
            audit.record(s, self.actor, "三个一月结", "worklog_settlement", posting.settlement.id,
                         village_id=village_id,
                         after={"month": month.text, "posted": posting.posted,
                                "reversed": posting.reversals, "heads": len(posting.heads),
                                "excluded": [f"{names[h]}：{why}" for h, why in exclusions.items()]})
            return SettlementResult(posting.settlement.id, posting.posted, posting.reversals,
                                    len(posting.heads), len(exclusions))


class _Posting:
    """Writes one confirmed settlement: reversals, new entries and line revisions."""

    def __init__(self, s: Session, service: Service, month: Month, village_id: int):
        self.s, self.actor, self.month, self.village_id = s, service.actor, month, village_id
        self.settlement: Settlement | None = None
        self.posted = self.reversals = 0
        self.heads: set[int] = set()
        self.rules = {r.id: r for r in s.scalars(select(PointsRule).where(
            PointsRule.code.in_(RULE_CODES)))}

    def settle_passbook(self, logs: list[HeadLog], computed: _Computed) -> None:
        order = [(x.head_id, rule.id) for x in logs for duty in DUTIES
                 for code in DUTY_RULES[duty] if (rule := computed.rules.get(code))]
        proposed = {(x.head_id, line.rule.id): line for x in logs
                    for line in computed.proposals[x.head_id].lines}
        changed = [key for key in order if _differs(proposed.get(key), computed.current.get(key))]
        if not changed:
            return
        suffix = order[order.index(changed[0]):]
        self._start()
        entries = [(computed.current[k].entry_id, k) for k in suffix
                   if k in computed.current and computed.current[k].entry_id]
        seqs = dict(self.s.execute(select(LedgerEntry.id, LedgerEntry.seq).where(
            LedgerEntry.id.in_([e for e, _ in entries]))).all()) if entries else {}
        reversals: dict[tuple[int, int], int] = {}
        for entry_id, key in sorted(entries, key=lambda e: seqs[e[0]], reverse=True):
            revision = computed.current[key].revision + 1
            reversal = ledger.reverse(
                self.s, self.actor, entry_id, f"{self.month.label}的三个一日志有更正，按更正后的日志重新结算",
                idempotency_key=f"{KEY_PREFIX}冲正:{key[0]}:{self.month.key}:{key[1]}:{revision}")
            reversals[key] = reversal.id
            self.reversals += 1
        heads = {x.head_id: x for x in logs}
        for key in suffix:
            line, current = proposed.get(key), computed.current.get(key)
            if line is None and current is None:
                continue
            revision = current.revision + 1 if current else 1
            entry = self._post(heads[key[0]], line, revision) if line else None
            self.s.add(SettlementLine(
                settlement_id=self.settlement.id, head_id=key[0], month=self.month.key,
                rule_id=key[1], revision=revision, times=line.times if line else 0,
                days=line.days if line else 0, requested=line.requested if line else 0,
                entry_id=entry.id if entry else None, reversal_id=reversals.get(key)))
            self.heads.add(key[0])
        self.s.flush()

    def _start(self) -> None:
        if self.settlement is None:
            self.settlement = Settlement(admin_village_id=self.village_id, month=self.month.key,
                                         user_id=self.actor.user_id, user_name=self.actor.name)
            self.s.add(self.settlement)
            self.s.flush()

    def _post(self, log: HeadLog, line: Line, revision: int) -> LedgerEntry:
        head = self.s.get(Head, log.head_id)
        passbook = ledger.passbook_for(self.s, self.actor, head, self.month.year)
        rule = self.rules[line.rule.id]
        kind = EntryKind.AWARD if rule.points > 0 else EntryKind.DEDUCTION
        self.posted += 1
        return ledger.append(self.s, self.actor, passbook, kind, requested=line.requested,
                             occurred_on=self.month.last, rule=rule, note=entry_note(log, line),
                             reference=f"三个一月结 {self.month.text}",
                             idempotency_key=f"{KEY_PREFIX}:{log.head_id}:{self.month.key}:"
                                             f"{rule.id}:{revision}")


def entry_note(log: HeadLog, line: Line) -> str:
    """What the entry says of the month, e.g. "2026年3月三个一月结：未巡查 9 天"."""
    month = log.log.month
    done = line.rule.points > 0
    if line.duty is Duty.PATROL:
        what = f"巡查 {line.times} 天" if done else f"未巡查 {line.times} 天"
    elif line.duty is Duty.SUMMARY:
        what = f"汇总 {line.times} 周" if done else f"未汇总 {line.times} 周"
    else:
        what = f"走访 {log.log.households_visited}/{log.log.households_due} 户"
    return f"{month.label}三个一月结：{what}"


def _differs(line, current: _Current | None) -> bool:  # type: ignore[no-untyped-def]
    times, days = (line.times, line.days) if line else (0, 0)
    held = (current.times, current.days) if current else (0, 0)
    return (times, days) != held


def _by_passbook(logs: list[HeadLog]) -> list[list[HeadLog]]:
    """Heads grouped by the person (one passbook a year), in the organisation's order."""
    groups: dict[int, list[HeadLog]] = defaultdict(list)
    for log in logs:
        groups[log.resident_id].append(log)
    return list(groups.values())


def rule_terms(s: Session) -> dict[str, RuleTerms]:
    return {r.code: RuleTerms(r.id, r.code, r.text, r.points, r.limit_count, r.limit_period,
                              r.valid_from, r.valid_to, r.evidence_required)
            for r in s.scalars(select(PointsRule).where(PointsRule.code.in_(RULE_CODES)))}


def _compute(s: Session, month: Month, logs: list[HeadLog], excluded: set[int]) -> _Computed:
    """Every head's proposal, against what the passbooks already hold: entries posted by hand
    and the settlement lines in force of other months and of the heads left out."""
    computed = _Computed(rules=rule_terms(s))
    head_ids = [x.head_id for x in logs]
    lines = _lines_in_force(s, month, list({x.resident_id for x in logs}), computed.rules)
    used = Occurrences()
    for (head_id, key, rule_id), (resident_id, line) in lines.items():
        if key == month.key and head_id in head_ids:
            computed.current[(head_id, rule_id)] = line
            if head_id not in excluded:
                continue
        used.add(resident_id, rule_id, line_dates(Month.from_key(key), line.days))
    for resident_id, rule_id, on in _entries_by_hand(s, month, {x.resident_id for x in logs},
                                                      computed.rules):
        used.add(resident_id, rule_id, [on])
    for log in logs:
        if log.head_id not in excluded:
            computed.proposals[log.head_id] = propose(log.log, computed.rules, used)
    return computed


def _span(month: Month, rules: dict[str, RuleTerms]) -> tuple[date, date]:
    """The days whose occurrences can count against this month's limits."""
    periods = {r.limit_period for r in rules.values() if r.limit_count is not None}
    if LimitPeriod.YEAR in periods:
        return date(month.year, 1, 1), date(month.year, 12, 31)
    if LimitPeriod.WEEK in periods:  # a week may reach six days into the next or last month
        return (max(date(month.year, 1, 1), month.first - timedelta(days=6)),
                min(date(month.year, 12, 31), month.last + timedelta(days=6)))
    return month.first, month.last


def _lines_in_force(s: Session, month: Month, resident_ids: list[int],
                    rules: dict[str, RuleTerms]) -> dict[tuple[int, int, int], tuple[int, _Current]]:
    """(head, month, rule) → (resident, newest revision) for the people's heads."""
    first, last = _span(month, rules)
    newest = aliased(SettlementLine)
    stmt = (select(SettlementLine, Head.resident_id).join(Head, Head.id == SettlementLine.head_id)
            .where(SettlementLine.month.between(Month.of(first).key, Month.of(last).key),
                   ~exists().where(and_(newest.head_id == SettlementLine.head_id,
                                        newest.month == SettlementLine.month,
                                        newest.rule_id == SettlementLine.rule_id,
                                        newest.revision > SettlementLine.revision))))
    found = {}
    for chunk in _chunks(resident_ids):
        for line, resident_id in s.execute(stmt.where(Head.resident_id.in_(chunk))):
            found[(line.head_id, line.month, line.rule_id)] = (resident_id, _Current(
                line.revision, line.times, line.days, line.requested, line.entry_id))
    return found


def _entries_by_hand(s: Session, month: Month, resident_ids: set[int],
                     rules: dict[str, RuleTerms]) -> list[tuple[int, int, date]]:
    """The duty rules' entries posted by hand (not by a settlement, not reversed) in the span."""
    first, last = _span(month, rules)
    reversal = aliased(LedgerEntry)
    stmt = (select(Passbook.resident_id, LedgerEntry.rule_id, LedgerEntry.occurred_on)
            .join(Passbook, Passbook.id == LedgerEntry.passbook_id)
            .where(Passbook.year == month.year,
                   LedgerEntry.rule_id.in_([r.id for r in rules.values()]),
                   LedgerEntry.occurred_on.between(first, last),
                   ~exists().where(reversal.reverses_id == LedgerEntry.id),
                   ~exists().where(SettlementLine.entry_id == LedgerEntry.id)))
    rows = []
    for chunk in _chunks(sorted(resident_ids)):
        rows += s.execute(stmt.where(Passbook.resident_id.in_(chunk))).all()
    return [tuple(r) for r in rows]


def _last_exclusions(s: Session, month: Month, head_ids: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for chunk in _chunks(head_ids):
        for head_id, reason in s.execute(
                select(SettlementExclusion.head_id, SettlementExclusion.reason)
                .join(Settlement).where(Settlement.month == month.key,
                                        SettlementExclusion.head_id.in_(chunk))
                .order_by(SettlementExclusion.id)):
            found[head_id] = reason
    return found


def _head_settlement(log: HeadLog, computed: _Computed, excluded_before: str) -> HeadSettlement:
    proposal = computed.proposals[log.head_id]
    by_id = {r.id: r for r in computed.rules.values()}
    proposed = tuple(LineView(x.rule.id, x.rule.code, x.rule.text, x.times, x.days, x.requested)
                     for x in proposal.lines)
    posted = tuple(LineView(rule_id, by_id[rule_id].code if rule_id in by_id else "",
                            by_id[rule_id].text if rule_id in by_id else "", c.times, c.days,
                            c.requested)
                   for (head_id, rule_id), c in computed.current.items()
                   if head_id == log.head_id and c.times)
    order = {code: i for i, code in enumerate(RULE_CODES)}
    posted = tuple(sorted(posted, key=lambda x: order.get(x.code, 99)))
    return HeadSettlement(log, proposed, posted, tuple(proposal.notes), excluded_before)


def _shape(lines: tuple[LineView, ...]) -> set[tuple[int, int, int]]:
    return {(x.rule_id, x.times, x.days) for x in lines if x.times}


def _settleable(month: Month) -> tuple[bool, str]:
    if month.last >= clock.today():
        return False, f"{month.label}还没有结束，月底过后才能结算（今天是 {clock.today():%Y-%m-%d}）。"
    return True, ""


def _scope_name(s: Session, village_id: int | None, township_id: int | None) -> str:
    if village_id is not None:
        name = s.scalar(select(AdminVillage.name).where(AdminVillage.id == village_id))
        if name is None:
            raise NotFound(f"行政村（编号 {village_id}）不存在。")
        return name
    return s.scalar(select(Township.name).where(Township.id == township_id)) or "全部" \
        if township_id is not None else "全部"


def _chunks(ids: list[int], size: int = 900) -> list[list[int]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)] or [[]]
