"""The points bank 积分银行: rules catalogue, one passbook per person per year, and the
append-only, hash-chained ledger of entries. The database refuses UPDATE and DELETE of entries
(triggers in the migration); the chain lets `check` find an entry changed behind our back."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.core import settings
from models.core.base import Base, CreatedAt, stored_enum
from models.core.chain import GENESIS, Chained, link_hash

OPENING_POINTS = settings.register(settings.SettingSpec(
    "points_opening", "每年初始积分", 30, 0, 1000, "积分银行", "报告：每年1月1日或任职时存入30分"))
ANNUAL_CAP = settings.register(settings.SettingSpec(
    "points_cap", "年度积分上限", 100, 1, 10000, "积分银行", "报告：全年积分最高100分"))
FLOOR = settings.register(settings.SettingSpec(
    "points_floor", "积分最低分", 0, 0, 1000, "积分银行", "积分扣到此分为止，不再往下扣"))

# The red/black lists' own rules (the catalogue's category) and the key their postings carry:
# only a published list posts or reverses them, and they do not count towards the lists.
LIST_RULE_CATEGORY = "红黑榜"
LIST_KEY_PREFIX = "红黑榜:"


class EntryKind(enum.StrEnum):
    OPENING = "opening"
    AWARD = "award"
    DEDUCTION = "deduction"
    REDEMPTION = "redemption"
    REVERSAL = "reversal"
    YEAR_CLOSE = "year_close"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    EntryKind.OPENING: "年初存入", EntryKind.AWARD: "加分", EntryKind.DEDUCTION: "扣分",
    EntryKind.REDEMPTION: "兑换", EntryKind.REVERSAL: "冲正", EntryKind.YEAR_CLOSE: "年度结转",
}


class LimitPeriod(enum.StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"

    @property
    def label(self) -> str:
        return {"day": "每天", "week": "每周", "month": "每月", "year": "每年"}[self.value]


class PointsRule(Base, CreatedAt):
    """积分细则: one line of the catalogue. `points` is signed (award > 0, deduction < 0).
    Editing a rule never touches past entries: they carry their own copy of text and points."""

    __tablename__ = "points_rule"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    text: Mapped[str] = mapped_column(String(200))
    points: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(30), default="")
    evidence_required: Mapped[bool] = mapped_column(Boolean, default=False)
    limit_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    limit_period: Mapped[LimitPeriod | None] = mapped_column(stored_enum(LimitPeriod, 12), nullable=True)
    valid_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Passbook(Base, CreatedAt):
    """积分存折 of one person (the resident behind the head appointments) for one year.
    `score`, `spent`, `last_seq` and `last_hash` are kept in step with the entries by the
    posting code under a row lock; `check` reconciles them with the entries."""

    __tablename__ = "passbook"
    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"))
    year: Mapped[int] = mapped_column(Integer, index=True)
    head_id: Mapped[int | None] = mapped_column(ForeignKey("head.id"), nullable=True)
    admin_village_id: Mapped[int] = mapped_column(ForeignKey("admin_village.id"), index=True)
    opening: Mapped[int] = mapped_column(Integer)
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    score: Mapped[int] = mapped_column(Integer, default=0)
    spent: Mapped[int] = mapped_column(Integer, default=0)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS)

    __table_args__ = (UniqueConstraint("resident_id", "year"),)

    @property
    def balance(self) -> int:
        """Spendable balance; negative means a shortfall (see `Shortfall`)."""
        return self.score - self.opening - self.spent

    @property
    def shortfall(self) -> Shortfall:
        return Shortfall.of(self.score, self.opening, self.spent)


@dataclass(frozen=True)
class Shortfall:
    """Why a spendable balance (score − opening − spent) is below zero. Only points actually
    spent and then left uncovered by later deductions are owed (欠分); the rest is the score
    lying below the unspendable opening points (低于初始积分), which nobody owes."""

    owed: int
    below_opening: int

    @classmethod
    def of(cls, score: int, opening: int, spent: int) -> Shortfall:
        total = max(0, opening + spent - score)
        owed = min(total, max(spent, 0))
        return cls(owed, total - owed)

    @property
    def note(self) -> str:
        """The passbook wording, e.g. "欠5分；低于初始积分3分"; empty when nothing is short."""
        return "；".join(filter(None, (f"欠{self.owed}分" if self.owed else "",
                                       f"低于初始积分{self.below_opening}分"
                                       if self.below_opening else "")))


class ClosedYear(Base):
    """A points year closed by the year end: no passbook of it takes or opens entries again."""

    __tablename__ = "points_closed_year"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    closed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str] = mapped_column(String(60))


class LedgerEntry(Base):
    """One line of a passbook. `requested` is what the rule or operator asked for, `score_delta`
    the part that counted within [floor, cap]; `spend_delta` moves the points spent."""

    __tablename__ = "ledger_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    passbook_id: Mapped[int] = mapped_column(ForeignKey("passbook.id"))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[EntryKind] = mapped_column(stored_enum(EntryKind, 12))
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("points_rule.id"), nullable=True,
                                                index=True)
    rule_code: Mapped[str] = mapped_column(String(20), default="")
    rule_text: Mapped[str] = mapped_column(String(200), default="")
    rule_points: Mapped[int] = mapped_column(Integer, default=0)
    requested: Mapped[int] = mapped_column(Integer, default=0)
    score_delta: Mapped[int] = mapped_column(Integer, default=0)
    spend_delta: Mapped[int] = mapped_column(Integer, default=0)
    score_after: Mapped[int] = mapped_column(Integer)
    spent_after: Mapped[int] = mapped_column(Integer)
    occurred_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    operator_name: Mapped[str] = mapped_column(String(60))
    operator_role: Mapped[str] = mapped_column(String(20))
    operator_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    reference: Mapped[str] = mapped_column(String(100), default="")
    evidence_path: Mapped[str] = mapped_column(Text, default="")
    evidence_sha256: Mapped[str] = mapped_column(String(64), default="")
    idempotency_key: Mapped[str | None] = mapped_column(String(100), nullable=True, unique=True)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entry.id"), nullable=True,
                                                    unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint("passbook_id", "seq"),
        Index("ix_ledger_entry_occurred", "occurred_on"),
    )


HASHED_FIELDS = (
    "passbook_id", "seq", "kind", "rule_id", "rule_code", "rule_text", "rule_points", "requested",
    "score_delta", "spend_delta", "score_after", "spent_after", "occurred_on", "recorded_at",
    "operator_name", "operator_role", "operator_user_id", "note", "reference", "evidence_path",
    "evidence_sha256", "idempotency_key", "reverses_id",
)


# Each passbook's entries form one chain; the passbook row is its head (last_seq, last_hash).
CHAINED = Chained("points", "passbook_id", HASHED_FIELDS, seq="seq")


def entry_hash(prev_hash: str, values: dict[str, object]) -> str:
    """The chain link: SHA-256 over the previous hash and every stored field of the entry."""
    return link_hash(prev_hash, map(values.__getitem__, HASHED_FIELDS))


def chain_hash(prev_hash: str, values: dict[str, object], fields: tuple[str, ...]) -> str:
    """SHA-256 over the previous link and the named fields of a row (dates in UTC, enums by
    value): the chain of any append-only ledger (passbooks, problem histories)."""
    return link_hash(prev_hash, map(values.__getitem__, fields))
