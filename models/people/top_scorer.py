"""The year's top scorer(s) of a village or the township, from the passbooks (年度积分最高奖;
report: 获得最高分的片区(胡同)长可得到相应奖励). With the 100 cap ties are common, so the tie is
broken by a stated rule (a setting) and what is still equal after it is reported as 并列 —
never a silent pick. A person who may not be honoured this year is passed over, with the reason.

The tie-break keys: reached_first (who reached his final score first: the recorded time of the
entry that brought the score to its final value), fewer_deductions (fewer deduction entries,
reversed ones not counted), fewer_deducted (fewer points deducted), more_awards (more award
entries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core import settings
from models.core.errors import ValidationError
from models.people.eligibility import eligibility
from models.people.policy import TOP_TIE_BREAK
from models.people.units import head_infos
from models.points.tables import EntryKind, LedgerEntry, Passbook

TIE_KEYS = {
    "reached_first": "先达到最终得分者优先（以该笔积分的登记时间为准）",
    "fewer_deductions": "扣分次数少者优先",
    "fewer_deducted": "扣分分值少者优先",
    "more_awards": "加分次数多者优先",
}


def parse_tie_break(text: str) -> tuple[str, ...]:
    keys = tuple(k.strip() for k in str(text).split(",") if k.strip())
    unknown = [k for k in keys if k not in TIE_KEYS]
    if unknown:
        raise ValidationError(f"设置“积分最高奖同分时依次比较”中有不认识的项：{'、'.join(unknown)}。"
                              f"可用：{'、'.join(TIE_KEYS)}。")
    return keys


def tie_break_text(keys: tuple[str, ...]) -> str:
    steps = "，".join(f"{n}. {TIE_KEYS[k]}" for n, k in enumerate(keys, start=1))
    lead = f"积分相同时依次比较：{steps}；" if keys else "积分相同时不再比较，"
    return lead + "仍相同的并列获奖。"


@dataclass(frozen=True)
class Contender:
    """One passbook of the year with what the tie-break compares."""

    resident_id: int
    head_id: int
    name: str
    role: str
    unit: str
    village_id: int
    village: str
    score: int
    reached_at: datetime
    deductions: int
    deducted: int
    awards: int

    def value(self, key: str) -> object:
        """The compared value, smaller is better."""
        return {"reached_first": self.reached_at, "fewer_deductions": self.deductions,
                "fewer_deducted": self.deducted, "more_awards": -self.awards}[key]

    def shown(self, key: str) -> str:
        if key == "reached_first":
            return f"{self.reached_at.astimezone():%Y-%m-%d %H:%M}"
        return {"fewer_deductions": f"扣分{self.deductions}次", "fewer_deducted": f"扣{self.deducted}分",
                "more_awards": f"加分{self.awards}次"}[key]


@dataclass(frozen=True)
class Passed:
    contender: Contender
    reason: str


@dataclass(frozen=True)
class TopScorers:
    scope: str  # "韩家村" or the township's name
    year: int
    top_score: int | None
    winners: tuple[Contender, ...]
    tied: tuple[Contender, ...]  # every eligible person at the top score, best first
    passed_over: tuple[Passed, ...]  # ineligible people at or above the top score
    steps: tuple[str, ...]  # the tie-break as it went, in words
    rule: str
    leaders: tuple[Contender, ...] = ()  # the first eligible people, in the rule's order

    @property
    def shared(self) -> bool:
        return len(self.winners) > 1

    @property
    def summary(self) -> str:
        if not self.winners:
            return f"{self.scope}{self.year}年度没有可评的积分最高者。"
        names = "、".join(w.name for w in self.winners)
        share = f"（{len(self.winners)}人并列）" if self.shared else ""
        return f"{self.scope}{self.year}年度积分最高：{names}{share}，{self.top_score}分。"


def top_scorers(s: Session, year: int, village_ids: list[int], scope: str,
                leaders: int = 10) -> TopScorers:
    """The top scorer(s) among the year's passbooks of these villages, and the first
    `leaders` eligible people in the order the rule ranks them (for the page)."""
    keys = parse_tie_break(settings.get(s, TOP_TIE_BREAK))
    books = s.execute(select(Passbook.id, Passbook.resident_id, Passbook.head_id, Passbook.score)
                      .where(Passbook.year == year, Passbook.admin_village_id.in_(village_ids),
                             Passbook.head_id.is_not(None))
                      .order_by(Passbook.score.desc(), Passbook.id)).all()
    passed: list[Passed] = []
    ranked: list[Contender] = []
    found: tuple = (None, (), (), ())  # top score, winners, tied, steps
    for score in sorted({b.score for b in books}, reverse=True):
        if len(ranked) >= leaders and found[0] is not None:
            break
        contenders = _contenders(s, year, [b for b in books if b.score == score])
        allowed = eligibility(s, year, [c.resident_id for c in contenders])
        eligible = [c for c in contenders if allowed[c.resident_id].eligible]
        if found[0] is None:
            passed += [Passed(c, allowed[c.resident_id].reason) for c in contenders
                       if not allowed[c.resident_id].eligible]
            if eligible:
                found = (score, *_break_tie(eligible, keys))
        ranked += sorted(eligible, key=lambda c: _order(c, keys))
    return TopScorers(scope, year, found[0], found[1], found[2], tuple(passed), found[3],
                      tie_break_text(keys), tuple(ranked[:leaders]))


def _order(c: Contender, keys: tuple[str, ...]) -> tuple:  # type: ignore[type-arg]
    return (*(c.value(k) for k in keys), c.name, c.head_id)


def _break_tie(group: list[Contender], keys: tuple[str, ...]
               ) -> tuple[tuple[Contender, ...], tuple[Contender, ...], tuple[str, ...]]:
    ordered = sorted(group, key=lambda c: _order(c, keys))
    left, steps = list(group), []
    if len(left) > 1:
        steps.append(f"最高分{group[0].score}分共{len(left)}人。")
    for key in keys:
        if len(left) < 2:
            break
        best = min(c.value(key) for c in left)
        kept = [c for c in left if c.value(key) == best]
        shown = "；".join(f"{c.name} {c.shown(key)}" for c in sorted(left, key=lambda c: c.value(key)))
        outcome = f"剩{len(kept)}人" if len(kept) > 1 else f"{kept[0].name}胜出"
        steps.append(f"比较“{TIE_KEYS[key]}”：{shown}。{outcome}。")
        left = kept
    if len(left) > 1:
        steps.append(f"比较完仍相同：{'、'.join(c.name for c in left)}并列获奖。")
    winners = tuple(c for c in ordered if c in left)
    return winners, tuple(ordered), tuple(steps)


def _contenders(s: Session, year: int, books: list) -> list[Contender]:  # type: ignore[type-arg]
    ids = [b.id for b in books]
    entries = s.execute(select(LedgerEntry.passbook_id, LedgerEntry.id, LedgerEntry.kind,
                               LedgerEntry.score_delta, LedgerEntry.recorded_at,
                               LedgerEntry.reverses_id)
                        .where(LedgerEntry.passbook_id.in_(ids))
                        .order_by(LedgerEntry.passbook_id, LedgerEntry.seq)).all()
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id is not None}
    reached: dict[int, datetime] = {}
    deductions: dict[int, list[int]] = {i: [] for i in ids}
    awards = dict.fromkeys(ids, 0)
    for e in entries:
        if e.kind is EntryKind.OPENING or e.score_delta != 0:
            reached[e.passbook_id] = _aware(e.recorded_at)
        if e.id in reversed_ids:
            continue
        if e.kind is EntryKind.DEDUCTION:
            deductions[e.passbook_id].append(-e.score_delta)
        elif e.kind is EntryKind.AWARD:
            awards[e.passbook_id] += 1
    heads = head_infos(s, [b.head_id for b in books])
    return [Contender(b.resident_id, b.head_id, heads[b.head_id].name, heads[b.head_id].role_label,
                      heads[b.head_id].unit, heads[b.head_id].village_id,
                      heads[b.head_id].village, b.score, reached[b.id], len(deductions[b.id]),
                      sum(deductions[b.id]), awards[b.id]) for b in books]


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive UTC, PostgreSQL aware times: compare in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
