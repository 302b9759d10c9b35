"""`check` for the points bank's rules (DOMAIN §5), beyond the chains: an entry written past the
program with a correct chain still breaks a rule here. Every score within [floor, cap] as they
were set at the entry's time, a redemption never taking the spendable balance below 0, each
passbook opened with the opening points set at the time, the red/black lists' own rules posted
only by a list, and evidence on every entry whose rule asks for it. Each message names the
passbook: the head, his unit, the year."""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.core import settings
from models.core.audit import AuditLog
from models.core.checks import invariant
from models.core.settings import SettingSpec
from models.org.naming import unit_labels
from models.org.tables import Head, HeadRole, Resident
from models.points.tables import (
    ANNUAL_CAP,
    FLOOR,
    LIST_KEY_PREFIX,
    LIST_RULE_CATEGORY,
    OPENING_POINTS,
    EntryKind,
    LedgerEntry,
    Passbook,
    PointsRule,
)

LIMIT = 50  # problems of one kind listed at most


class SettingHistory:
    """A setting's value at any moment, from the audit trail of its changes (修改设置)."""

    def __init__(self, session: Session, spec: SettingSpec, current: object):
        changes = []
        for at, before, after in session.execute(
                select(AuditLog.at, AuditLog.before, AuditLog.after)
                .where(AuditLog.action == "修改设置", AuditLog.entity == "setting",
                       AuditLog.after.contains(f'"{spec.key}"')).order_by(AuditLog.at, AuditLog.id)):
            before_value, after_value = _value(before, spec.key), _value(after, spec.key)
            if after_value is not None:
                changes.append((_utc(at), before_value, after_value))
        self.times = [at for at, _, _ in changes]
        self.values = [changes[0][1] if changes else current] + [after for _, _, after in changes]
        self.default = spec.default

    def at(self, moment: datetime) -> object:
        value = self.values[bisect_right(self.times, _utc(moment))]
        return self.default if value is None else value


def _value(text: str, key: str) -> object:
    try:
        return json.loads(text or "{}").get(key)
    except (ValueError, AttributeError):
        return None


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def passbook_names(session: Session, passbook_ids: Iterable[int]) -> dict[int, str]:
    """Passbook id → "张三（韩家村·新杏园·四片区·四二胡同 胡同长）2026年度积分存折"."""
    ids = list(set(passbook_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(Passbook.id, Passbook.year, Resident.name, Head.role, Head.zone_id, Head.alley_id)
        .join(Resident, Resident.id == Passbook.resident_id)
        .outerjoin(Head, Head.id == Passbook.head_id).where(Passbook.id.in_(ids))).all()
    zones, alleys = unit_labels(session, zone_ids=[r.zone_id for r in rows if r.zone_id],
                                alley_ids=[r.alley_id for r in rows if r.alley_id])
    names = {}
    for book_id, year, name, role, zone_id, alley_id in rows:
        unit = alleys.get(alley_id, "") if role is HeadRole.ALLEY else zones.get(zone_id, "")
        who = f"{name}（{unit} {role.label}）" if role else name
        names[book_id] = f"{who}{year}年度积分存折"
    return names


def _named(session: Session, found: list[tuple[int, str]]) -> list[str]:
    names = passbook_names(session, [book for book, _ in found[:LIMIT]])
    return [f"{names[book]}{what}" for book, what in found[:LIMIT]]


@invariant
def scores_within_cap_and_floor(session: Session) -> list[str]:
    cap = SettingHistory(session, ANNUAL_CAP, settings.get(session, ANNUAL_CAP))
    floor = SettingHistory(session, FLOOR, settings.get(session, FLOOR))
    found = []
    for book, seq, score, at in session.execute(
            select(LedgerEntry.passbook_id, LedgerEntry.seq, LedgerEntry.score_after,
                   LedgerEntry.recorded_at).where(LedgerEntry.kind != EntryKind.OPENING)
            .order_by(LedgerEntry.passbook_id, LedgerEntry.seq)).yield_per(5000):
        high, low = cap.at(at), floor.at(at)
        if score > high:
            found.append((book, f"第 {seq} 笔后积分 {score} 分，超过年度积分上限 {high} 分。"))
        elif score < low:
            found.append((book, f"第 {seq} 笔后积分 {score} 分，低于最低分 {low} 分。"))
    return _named(session, found)


@invariant
def spending_within_the_balance(session: Session) -> list[str]:
    found = [(book, f"第 {seq} 笔兑换 {spend} 分后可兑换积分为 {score - opening - spent} 分，"
                    "兑换超出了可兑换积分。")
             for book, seq, spend, score, spent, opening in session.execute(
                 select(LedgerEntry.passbook_id, LedgerEntry.seq, LedgerEntry.spend_delta,
                        LedgerEntry.score_after, LedgerEntry.spent_after, Passbook.opening)
                 .join(Passbook, Passbook.id == LedgerEntry.passbook_id)
                 .where(LedgerEntry.kind == EntryKind.REDEMPTION,
                        LedgerEntry.score_after - Passbook.opening - LedgerEntry.spent_after < 0)
                 .order_by(LedgerEntry.passbook_id, LedgerEntry.seq))]
    return _named(session, found)


@invariant
def opened_with_the_opening_points(session: Session) -> list[str]:
    opening = SettingHistory(session, OPENING_POINTS, settings.get(session, OPENING_POINTS))
    found = []
    for book, requested, stored, at in session.execute(
            select(LedgerEntry.passbook_id, LedgerEntry.requested, Passbook.opening,
                   LedgerEntry.recorded_at).join(Passbook, Passbook.id == LedgerEntry.passbook_id)
            .where(LedgerEntry.kind == EntryKind.OPENING).order_by(LedgerEntry.passbook_id)):
        expected = opening.at(at)
        if requested != expected or stored != expected:
            found.append((book, f"开户存入 {requested} 分（存折记为 {stored} 分），"
                                f"与当时设置的初始积分 {expected} 分不符。"))
    return _named(session, found)


@invariant
def list_rules_posted_by_lists_only(session: Session) -> list[str]:
    """The red/black lists' own rules (上红榜/上黑榜) come only from a published list."""
    found = [(book, f"第 {seq} 笔以“{code} {text}”登记，但不是由红黑榜公示记入的。")
             for book, seq, code, text in session.execute(
                 select(LedgerEntry.passbook_id, LedgerEntry.seq, LedgerEntry.rule_code,
                        LedgerEntry.rule_text)
                 .join(PointsRule, PointsRule.id == LedgerEntry.rule_id)
                 .where(PointsRule.category == LIST_RULE_CATEGORY,
                        func.coalesce(LedgerEntry.idempotency_key, "").not_like(f"{LIST_KEY_PREFIX}%"))
                 .order_by(LedgerEntry.passbook_id, LedgerEntry.seq))]
    return _named(session, found)


@invariant
def evidence_where_the_rule_asks(session: Session) -> list[str]:
    found = [(book, f"第 {seq} 笔“{code} {text}”要求附证据，但没有证据。")
             for book, seq, code, text in session.execute(
                 select(LedgerEntry.passbook_id, LedgerEntry.seq, LedgerEntry.rule_code,
                        LedgerEntry.rule_text)
                 .join(PointsRule, PointsRule.id == LedgerEntry.rule_id)
                 .where(PointsRule.evidence_required.is_(True), LedgerEntry.evidence_sha256 == "",
                        LedgerEntry.kind.in_((EntryKind.AWARD, EntryKind.DEDUCTION)))
                 .order_by(LedgerEntry.passbook_id, LedgerEntry.seq))]
    return _named(session, found)
