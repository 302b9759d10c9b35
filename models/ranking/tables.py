"""Evaluations 评议 and the red/black lists 红黑榜.

A zone is scored each month by the villagers (群众评议), by the other zone heads (片区长观摩评议)
and by the Party secretary (党组织书记评议). Published lists are frozen copies: every entry keeps the
names and scores as they were on the day of publication, so later corrections cannot change them."""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.core.base import Base, CreatedAt, stored_enum


class Period(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    @property
    def label(self) -> str:
        return {"month": "月度", "quarter": "季度", "year": "年度"}[self.value]


class Colour(enum.StrEnum):
    RED = "red"
    BLACK = "black"

    @property
    def label(self) -> str:
        return {"red": "红榜", "black": "黑榜"}[self.value]


class Evaluation(Base, CreatedAt):
    """One zone's scores for one month (each 0–100, one decimal). A missing part stays NULL and
    the zone then cannot be ranked that month."""

    __tablename__ = "evaluation"
    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zone.id"), index=True)
    month: Mapped[str] = mapped_column(String(7), index=True)  # "2024-03"
    villagers: Mapped[Decimal | None] = mapped_column(Numeric(4, 1), nullable=True)
    heads: Mapped[Decimal | None] = mapped_column(Numeric(4, 1), nullable=True)
    secretary: Mapped[Decimal | None] = mapped_column(Numeric(4, 1), nullable=True)
    entered_by: Mapped[str] = mapped_column(String(60), default="")

    __table_args__ = (UniqueConstraint("zone_id", "month"),)


class RankingList(Base, CreatedAt):
    """A published red/black list of one period for the whole township. A correction is a new
    version naming what changed; earlier versions stay as they were."""

    __tablename__ = "ranking_list"
    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    township_name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[Period] = mapped_column(stored_enum(Period, 10))
    period: Mapped[str] = mapped_column(String(7))  # "2024-03", "2024Q1", "2024"
    version: Mapped[int] = mapped_column(Integer, default=1)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("ranking_list.id"), nullable=True)
    change_note: Mapped[str] = mapped_column(Text, default="")
    published_on: Mapped[date] = mapped_column(Date)
    publisher: Mapped[str] = mapped_column(String(60))
    doc_number: Mapped[str] = mapped_column(String(40), default="")
    formula: Mapped[str] = mapped_column(Text, default="")
    tie_break: Mapped[str] = mapped_column(Text, default="")
    unranked: Mapped[str] = mapped_column(Text, default="")  # one line per group not ranked
    # snapshot_hash() of the list and its entries on the day of publication: `check` compares.
    snapshot_hash: Mapped[str] = mapped_column(String(64), default="")
    entries: Mapped[list[RankingEntry]] = relationship(
        back_populates="ranking_list", order_by="RankingEntry.sort_order")

    __table_args__ = (UniqueConstraint("township_id", "kind", "period", "version"),)


class RankingEntry(Base):
    """One red or black unit on a published list, with names copied as they were."""

    __tablename__ = "ranking_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("ranking_list.id"), index=True)
    colour: Mapped[Colour] = mapped_column(stored_enum(Colour, 10))
    unit_id: Mapped[int] = mapped_column(Integer)  # zone, natural or administrative village
    unit_name: Mapped[str] = mapped_column(String(60))
    group_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    group_name: Mapped[str] = mapped_column(String(120), default="")  # e.g. "前进村·韩家村"
    admin_village_id: Mapped[int] = mapped_column(Integer)
    score: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    villagers_score: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    rank: Mapped[int] = mapped_column(Integer)
    group_size: Mapped[int] = mapped_column(Integer)
    head_name: Mapped[str] = mapped_column(String(40), default="")
    reason: Mapped[str] = mapped_column(String(200), default="")
    resident_names: Mapped[str] = mapped_column(Text, default="")  # "、"-joined, names only
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    ranking_list: Mapped[RankingList] = relationship(back_populates="entries")


class PointsIntent(Base, CreatedAt):
    """A points award or deduction a published list asks for a zone head. Posted to the points
    ledger in the publishing transaction (models.ranking.posting, connected by default);
    `posted_ref` says where it went. Pending only while no poster is connected."""

    __tablename__ = "ranking_points_intent"
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("ranking_entry.id"), index=True)
    head_id: Mapped[int] = mapped_column(ForeignKey("head.id"), index=True)
    head_name: Mapped[str] = mapped_column(String(40))
    points: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    posted_ref: Mapped[str] = mapped_column(String(60), default="")  # ledger reference once posted


class PayDeduction(Base, CreatedAt):
    """扣发绩效补贴: the black-listed village's Party secretary loses performance pay, at most
    once per list entry (a unique index; migration 0016 leaves duplicates made before it out)."""

    __tablename__ = "ranking_pay_deduction"
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("ranking_entry.id"))
    admin_village_id: Mapped[int] = mapped_column(ForeignKey("admin_village.id"), index=True)
    secretary_name: Mapped[str] = mapped_column(String(40))
    month: Mapped[str] = mapped_column(String(7))
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    recorded_by: Mapped[str] = mapped_column(String(60))

    __table_args__ = (Index("uq_ranking_pay_deduction_entry_id", "entry_id", unique=True),)


# What a published list says, field by field: the snapshot hash covers exactly these.
LIST_FIELDS = ("township_id", "township_name", "kind", "period", "version", "supersedes_id",
               "change_note", "published_on", "publisher", "doc_number", "formula", "tie_break",
               "unranked")
ENTRY_FIELDS = ("colour", "unit_id", "unit_name", "group_id", "group_name", "admin_village_id",
                "score", "villagers_score", "rank", "group_size", "head_name", "reason",
                "resident_names", "sort_order")
MONEY_FIELDS = frozenset({"score", "villagers_score"})


def _plain(name: str, value: Any) -> str:
    """One value as text, the same whether read through the ORM or as a raw row of either engine
    (dates as ISO text, scores with two decimals, enums as their stored value)."""
    if value is None:
        return ""
    if name in MONEY_FIELDS:
        return f"{Decimal(str(value)):.2f}"
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


def snapshot_hash(listing: Any, entries: Iterable[Any]) -> str:
    """SHA-256 of a published list and its entries (objects or rows with these attributes)."""
    rows = sorted(([_plain(f, getattr(e, f)) for f in ENTRY_FIELDS] for e in entries),
                  key=lambda row: int(row[-1]))
    payload = json.dumps([[_plain(f, getattr(listing, f)) for f in LIST_FIELDS], rows],
                         ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
