"""A redemption in three round trips to the server, whatever the basket: everything it needs is
read (and locked) together, decided here, and everything it writes goes together; then COMMIT.
The counter at a village office on a township's line waits 30 ms per round trip.

Reading: the retry's key, the head, his passbook (locked), the goods (locked, in id order, with
the heads of their stock chains), the policy numbers, the closed year, the village's next
receipt number and the redemption's id (taken from its sequence: the stock movements' chain
links cover it). Writing: the ledger's spend entry, the passbook's figures, the redemption with
its lines, the stock and the chains' heads (one conditional UPDATE for every item), the stock
movements; the audit row is chained when the transaction commits (models.core.audit). The
ledger's entry is found by its place in the passbook, since the server's new ids come back only
with the answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy import case, func, insert, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from models.core import audit, settings
from models.core.access import Actor
from models.core.base import utcnow
from models.core.errors import NotFound, ValidationError
from models.core.together import Outcome, together
from models.org.tables import Head, HeadRole, Resident
from models.points import ledger
from models.points.tables import (
    ANNUAL_CAP,
    FLOOR,
    OPENING_POINTS,
    ClosedYear,
    EntryKind,
    LedgerEntry,
    Passbook,
    Shortfall,
)
from models.store.goods import OutOfStock
from models.store.goods import movement_values
from models.store.tables import (
    MOVEMENT_CHAIN,
    REFUSE_TALK_LIST,
    Goods,
    MovementKind,
    ReceiptSequence,
    Redemption,
    RedemptionLine,
    RedemptionStatus,
    StockMovement,
)

RECEIPT_PREFIX = "DH"
POLICY = (OPENING_POINTS, FLOOR, ANNUAL_CAP, REFUSE_TALK_LIST)


@dataclass(frozen=True)
class Found:
    """What the first round trip brought back."""

    done: dict[str, Any] | None
    head: dict[str, Any] | None
    passbook: dict[str, Any] | None
    goods: dict[int, dict[str, Any]]
    policy: dict[settings.SettingSpec, Any]
    closed: bool
    number: int | None
    redemption_id: int


def read(session: Session, head_id: int, wanted: Mapping[int, int], year: int,
         key: str | None) -> Found:
    resident = select(Head.resident_id).where(Head.id == head_id).scalar_subquery()
    maker = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    numbering = maker(ReceiptSequence).from_select(
        ["admin_village_id", "year", "last"],
        select(Head.admin_village_id, literal(year), literal(1)).where(Head.id == head_id))
    numbering = numbering.on_conflict_do_update(
        index_elements=["admin_village_id", "year"],
        set_={"last": ReceiptSequence.last + 1}).returning(ReceiptSequence.last)
    done, head, book, goods, policy, closed, number, new_id = together(session, [
        select(Redemption.id, Redemption.number, Redemption.total_points)
        .where(Redemption.idempotency_key == (key or "")),
        select(Head.id, Head.resident_id, Head.role, Head.admin_village_id, Head.ended_on,
               Resident.name).join(Resident, Resident.id == Head.resident_id)
        .where(Head.id == head_id),
        select(Passbook.id, Passbook.year, Passbook.closed_on, Passbook.opening, Passbook.score,
               Passbook.spent, Passbook.last_seq, Passbook.last_hash)
        .where(Passbook.resident_id == resident, Passbook.year == year).with_for_update(),
        select(Goods.id, Goods.admin_village_id, Goods.name, Goods.unit, Goods.price_points,
               Goods.active, Goods.stock, Goods.movement_seq, Goods.movement_hash)
        .where(Goods.id.in_(sorted(wanted)))
        .order_by(Goods.id).with_for_update(),
        settings.query(*POLICY),
        select(ClosedYear.year).where(ClosedYear.year == year),
        numbering,
        _next_id(session),
    ])
    return Found(done.first if key else None, head.first, book.first,
                 {g["id"]: g for g in goods.rows}, settings.values(policy.rows, *POLICY),
                 bool(closed.rows), number.first["last"] if number.rows else None,
                 new_id.first["id"])


def _next_id(session: Session):  # type: ignore[no-untyped-def]
    """The id the redemption will have: its sequence's next value on PostgreSQL; on SQLite,
    whose writers are serialised, one above the highest."""
    if session.get_bind().dialect.name == "postgresql":
        return select(func.nextval(func.pg_get_serial_sequence("redemption", "id")).label("id"))
    return select((func.coalesce(func.max(Redemption.id), 0) + 1).label("id"))


def basket(found: Found, village_id: int, wanted: Mapping[int, int]) -> list[tuple[dict, int]]:
    """The goods and quantities, in id order (concurrent baskets lock rows alike), or why not."""
    chosen = []
    for goods_id in sorted(wanted):
        goods, quantity = found.goods.get(goods_id), wanted[goods_id]
        if goods is None or goods["admin_village_id"] != village_id:
            raise NotFound("所选物品不在本村的物品目录中，请刷新后重试。")
        if not goods["active"]:
            raise ValidationError(f"“{goods['name']}”已停止兑换。")
        if goods["stock"] < quantity:
            raise OutOfStock(f"“{goods['name']}”库存不足：现有 {goods['stock']}{goods['unit']}，"
                             f"需要 {quantity}{goods['unit']}。")
        chosen.append((goods, quantity))
    return chosen


def wanted_items(items: Mapping[int, int]) -> dict[int, int]:
    wanted = {gid: q for gid, q in items.items() if q}
    if not wanted:
        raise ValidationError("还没有选择要兑换的物品。")
    for quantity in wanted.values():
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
            raise ValidationError("物品的数量必须是正整数。")
    return wanted


def head_role(found: Found) -> HeadRole:
    return HeadRole(found.head["role"])


def spend_entry(found: Found, actor: Actor, total: int, number: str, on: date) -> dict[str, Any]:
    """The ledger's spend entry, or the refusal of a closed year or too few points."""
    name, village = found.head["name"], found.head["admin_village_id"]
    if found.closed:
        raise ValidationError(f"{on.year}年度的积分已结转，不能再登记。")
    book = found.passbook
    balance = book["score"] - book["opening"] - book["spent"] if book else 0
    if total > balance:
        note = Shortfall.of(book["score"], book["opening"], book["spent"]).note if book else ""
        raise ValidationError(f"{name}可兑换积分只有 {max(balance, 0)} 分，不够兑换 {total} 分。"
                              + (f"（目前{note}）" if balance < 0 else ""))
    bounds = ledger.Bounds(found.policy[FLOOR], found.policy[ANNUAL_CAP])
    return ledger.entry_values(
        SimpleNamespace(**book), actor, EntryKind.REDEMPTION, bounds, spend=total, occurred_on=on,
        note=f"兑换支出 {total} 分", reference=number,
        idempotency_key=f"redemption:{village}:{number}")


def write(session: Session, actor: Actor, found: Found, chosen: list[tuple[dict, int]],
          entry: dict[str, Any], number: str, key: str | None, on: date) -> int:
    """Everything the redemption writes, together; returns the redemption's id."""
    village, total = found.head["admin_village_id"], entry["spend_delta"]
    now, redemption = utcnow(), found.redemption_id
    spend = select(LedgerEntry.id).where(LedgerEntry.passbook_id == entry["passbook_id"],
                                         LedgerEntry.seq == entry["seq"]).scalar_subquery()
    movements = [MOVEMENT_CHAIN.link(
        movement_values(g["id"], MovementKind.REDEMPTION, -q, actor.name, on, reason=number,
                        redemption_id=redemption, entered_at=now),
        g["movement_seq"] + 1, g["movement_hash"]) for g, q in chosen]
    quantities = {goods["id"]: quantity for goods, quantity in chosen}
    taken = case(quantities, value=Goods.id)
    outcomes = together(session, [
        insert(LedgerEntry).values(**entry),
        update(Passbook).where(Passbook.id == entry["passbook_id"]).values(
            score=entry["score_after"], spent=entry["spent_after"], last_seq=entry["seq"],
            last_hash=entry["hash"]),
        insert(Redemption).values(
            id=redemption, number=number, admin_village_id=village, head_id=found.head["id"],
            total_points=total, occurred_on=on, status=RedemptionStatus.DONE, entry_id=spend,
            idempotency_key=key, entered_by=actor.name, entered_at=now, cancelled_by="",
            cancelled_at=None, cancel_reason=""),
        insert(RedemptionLine).values([
            dict(redemption_id=redemption, goods_id=g["id"], name=g["name"], unit=g["unit"],
                 quantity=q, price_points=g["price_points"]) for g, q in chosen]),
        update(Goods).where(Goods.id.in_(quantities), Goods.stock >= taken).values(
            stock=Goods.stock - taken,
            movement_seq=case({m["goods_id"]: m["chain_seq"] for m in movements}, value=Goods.id),
            movement_hash=case({m["goods_id"]: m["hash"] for m in movements}, value=Goods.id)),
        insert(StockMovement).values(movements),
    ])
    _all_in_stock(outcomes[4], chosen)
    audit.record(session, actor, "积分兑换", "redemption", redemption, village_id=village, after={
        "number": number, "head": found.head["name"], "total": total,
        "goods": {goods["name"]: quantity for goods, quantity in chosen}})
    return redemption


def _all_in_stock(outcome: Outcome, chosen: list[tuple[dict, int]]) -> None:
    if outcome.rowcount != len(chosen):  # the locks make this a second guard only
        names = "、".join(goods["name"] for goods, _ in chosen)
        raise OutOfStock(f"“{names}”中有物品库存不足，刚刚被别人兑换走了。请刷新后重试。")


def receipt_number(year: int, last: int) -> str:
    """DH2024-000123: the village's receipt number of the year, without gaps."""
    return f"{RECEIPT_PREFIX}{year}-{last:06d}"

