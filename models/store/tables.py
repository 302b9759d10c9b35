"""Goods at a village's branch office, the stock ledger, and redemptions of points for goods.

Stock on hand is stored on the goods row for speed and safety (a conditional relative UPDATE
never lets two counters take the last bag of rice twice); every change to it is also written as a
StockMovement, and `check` reconciles the two. Each goods item's movements form a hash chain
(models.core.chain) whose head, like the stock, is kept on the goods row."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.core import settings
from models.core.base import Base, CreatedAt, stored_enum, utcnow
from models.core.chain import GENESIS, Chained

REFUSE_TALK_LIST = settings.register(settings.SettingSpec(
    "counter_refuse_talk_list", "约谈名单上的负责人不能兑换", True, group="兑换",
    help="本年积分低于初始积分或为0的负责人在约谈名单上；选“是”时柜台拒绝其兑换"))
CANCEL_SAME_DAY = settings.register(settings.SettingSpec(
    "counter_cancel_days", "兑换后可撤销的天数（0 = 仅当天）", 0, 0, 30, "兑换"))


class MovementKind(enum.StrEnum):
    PURCHASE = "purchase"
    DONATION = "donation"
    WRITE_OFF = "write_off"
    COUNT = "count"
    REDEMPTION = "redemption"
    CANCELLATION = "cancellation"

    @property
    def label(self) -> str:
        return MOVEMENT_LABELS[self]


MOVEMENT_LABELS = {
    MovementKind.PURCHASE: "采购入库",
    MovementKind.DONATION: "捐赠入库",
    MovementKind.WRITE_OFF: "报损出库",
    MovementKind.COUNT: "盘点差异",
    MovementKind.REDEMPTION: "兑换出库",
    MovementKind.CANCELLATION: "撤销兑换退回",
}


class Goods(Base, CreatedAt):
    """An item a village's office hands out for points. `stock` is the on-hand quantity."""

    __tablename__ = "goods"
    id: Mapped[int] = mapped_column(primary_key=True)
    admin_village_id: Mapped[int] = mapped_column(ForeignKey("admin_village.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    unit: Mapped[str] = mapped_column(String(10))
    price_points: Mapped[int] = mapped_column(Integer)
    picture_path: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    stock: Mapped[int] = mapped_column(Integer, default=0)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # The head of the goods' stock ledger chain: its last movement's number and hash.
    movement_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    movement_hash: Mapped[str] = mapped_column(String(64), default=GENESIS,
                                               server_default=GENESIS)

    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("price_points > 0", name="price_positive"),
        UniqueConstraint("admin_village_id", "name"),
    )


class StockMovement(Base):
    """One line of the stock ledger. `quantity` is signed: + in, − out."""

    __tablename__ = "stock_movement"
    id: Mapped[int] = mapped_column(primary_key=True)
    goods_id: Mapped[int] = mapped_column(ForeignKey("goods.id"), index=True)
    kind: Mapped[MovementKind] = mapped_column(stored_enum(MovementKind, 20))
    quantity: Mapped[int] = mapped_column(Integer)
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    value_fen: Mapped[int] = mapped_column(Integer, default=0)
    donor: Mapped[str] = mapped_column(String(80), default="")
    reason: Mapped[str] = mapped_column(String(200), default="")
    counted: Mapped[int | None] = mapped_column(Integer, nullable=True)
    redemption_id: Mapped[int | None] = mapped_column(
        ForeignKey("redemption.id"), nullable=True, index=True)
    entered_by: Mapped[str] = mapped_column(String(60))
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    chain_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    prev_hash: Mapped[str] = mapped_column(String(64), default=GENESIS, server_default="")
    hash: Mapped[str] = mapped_column(String(64), default="", server_default="")

    __table_args__ = (UniqueConstraint("goods_id", "chain_seq"),)


# One chain per goods item; the hash covers every stored field of a movement.
MOVEMENT_CHAIN = Chained("stock", "goods_id", (
    "goods_id", "chain_seq", "kind", "quantity", "occurred_on", "value_fen", "donor", "reason",
    "counted", "redemption_id", "entered_by", "entered_at"))


class RedemptionStatus(enum.StrEnum):
    DONE = "done"
    CANCELLED = "cancelled"


class Redemption(Base):
    """兑换: one visit to the counter. Numbered DH<year>-<sequence> per village and year."""

    __tablename__ = "redemption"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20))
    admin_village_id: Mapped[int] = mapped_column(ForeignKey("admin_village.id"), index=True)
    head_id: Mapped[int] = mapped_column(ForeignKey("head.id"), index=True)
    total_points: Mapped[int] = mapped_column(Integer)
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[RedemptionStatus] = mapped_column(
        stored_enum(RedemptionStatus, 10), default=RedemptionStatus.DONE)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entry.id"), nullable=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(100), nullable=True, unique=True)
    entered_by: Mapped[str] = mapped_column(String(60))
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    cancelled_by: Mapped[str] = mapped_column(String(60), default="")
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    cancel_reason: Mapped[str] = mapped_column(String(200), default="")
    lines: Mapped[list[RedemptionLine]] = relationship(order_by="RedemptionLine.id")

    __table_args__ = (UniqueConstraint("admin_village_id", "number"),
                      Index("ix_redemption_village_day", "admin_village_id", "occurred_on"))


class RedemptionLine(Base):
    __tablename__ = "redemption_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    redemption_id: Mapped[int] = mapped_column(ForeignKey("redemption.id"), index=True)
    goods_id: Mapped[int] = mapped_column(ForeignKey("goods.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    unit: Mapped[str] = mapped_column(String(10))
    quantity: Mapped[int] = mapped_column(Integer)
    price_points: Mapped[int] = mapped_column(Integer)

    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)


class ReceiptSequence(Base):
    """The last receipt number given out per village and year (no gaps, no repeats)."""

    __tablename__ = "receipt_sequence"
    admin_village_id: Mapped[int] = mapped_column(
        ForeignKey("admin_village.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)
