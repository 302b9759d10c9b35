"""The goods catalogue and the stock ledger of a village's branch office: stock in (purchase or
donation), write-off, stock count (盘点). Every change of stock is a StockMovement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from models.core import audit
from models.core.access import Actor, Permission
from models.core.base import utcnow
from models.core.errors import NotFound, ValidationError
from models.core.service import Service
from models.core.validation import normalise_text, shown, validate_name
from models.store.tables import MOVEMENT_CHAIN, Goods, MovementKind, StockMovement


class OutOfStock(ValidationError):
    """Taking more of an item than is on the shelf."""


@dataclass(frozen=True)
class GoodsRow:
    id: int
    admin_village_id: int
    name: str
    unit: str
    price_points: int
    stock: int
    active: bool
    picture_path: str


def goods_row(goods: Goods) -> GoodsRow:
    return GoodsRow(goods.id, goods.admin_village_id, goods.name, goods.unit, goods.price_points,
                    goods.stock, goods.active, goods.picture_path)


def parse_yuan(value: str | int | Decimal | None, what: str) -> int:
    """Yuan as typed (\"12.50\") → fen. Money is never a float."""
    text = normalise_text(str(value)) if value is not None else ""
    if not text:
        return 0
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"{what}“{shown(text)}”不是有效的金额。") from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(f"{what}“{shown(text)}”必须是不小于 0、最多两位小数的金额（元）。")
    return int(amount * 100)


def _quantity(value: int, goods: Goods, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationError(f"“{goods.name}”的{what}数量必须是正整数，收到的是“{shown(value)}”。")
    return value


def move_stock(session: Session, goods: Goods, kind: MovementKind, quantity: int, actor: Actor,
               on: date, **details: object) -> StockMovement:
    """Change the goods' stock by `quantity` (+ in, − out) and write the movement, linked into
    the goods' chain, inside the caller's transaction. Taking more than the shelf holds is
    refused (OutOfStock). One conditional UPDATE moves stock and chain head together, provided
    nobody moved them since the row was read; otherwise the row is locked, read again and the
    UPDATE repeated: two counters can never take the last bag of rice twice, nor fork a chain."""
    values = movement_values(goods.id, kind, quantity, actor.name, on, **details)
    while True:
        MOVEMENT_CHAIN.link(values, goods.movement_seq + 1, goods.movement_hash)
        conditions = [Goods.id == goods.id, Goods.movement_seq == goods.movement_seq]
        if quantity < 0:
            conditions.append(Goods.stock >= -quantity)
        stock = session.execute(
            update(Goods).where(*conditions)
            .values(stock=Goods.stock + quantity, movement_seq=values["chain_seq"],
                    movement_hash=values["hash"])
            .returning(Goods.stock).execution_options(synchronize_session=False)).scalar()
        if stock is not None:
            break
        goods = session.execute(select(Goods).where(Goods.id == goods.id).with_for_update()
                                .execution_options(populate_existing=True)).scalar_one()
        if quantity < 0 and goods.stock < -quantity:
            raise OutOfStock(f"“{goods.name}”库存不足：现有 {goods.stock}{goods.unit}，"
                             f"需要 {-quantity}{goods.unit}。")
    for name, value in (("stock", stock), ("movement_seq", values["chain_seq"]),
                        ("movement_hash", values["hash"])):
        set_committed_value(goods, name, value)  # the loaded row as the database now has it
    line = StockMovement(**values)
    session.add(line)
    return line


def movement_values(goods_id: int, kind: MovementKind, quantity: int, entered_by: str, on: date,
                    **details: object) -> dict[str, object]:
    """A movement's stored fields, before its link in the chain."""
    return dict(goods_id=goods_id, kind=kind, quantity=quantity, occurred_on=on, value_fen=0,
                donor="", reason="", counted=None, redemption_id=None, entered_by=entered_by,
                entered_at=utcnow()) | details


class GoodsService(Service):
    # ---- catalogue -----------------------------------------------------------------------
    def create_goods(self, admin_village_id: int, name: str, unit: str, price_points: int,
                     picture_path: str = "") -> int:
        with self.operation(Permission.MANAGE_GOODS) as s:
            self.require(Permission.MANAGE_GOODS, admin_village_id)
            goods = Goods(admin_village_id=admin_village_id, active=True, stock=0,
                          picture_path=normalise_text(picture_path),
                          **self._fields(s, admin_village_id, None, name, unit, price_points))
            goods.sort_order = 1 + len(self._catalogue(s, admin_village_id, active_only=False))
            s.add(goods)
            s.flush()
            audit.record(s, self.actor, "新增物品", "goods", goods.id, village_id=admin_village_id,
                         after={"name": goods.name, "unit": goods.unit, "price": price_points})
            return goods.id

    def update_goods(self, goods_id: int, *, name: str, unit: str, price_points: int,
                     active: bool, picture_path: str = "") -> None:
        """Change an item. Past redemptions keep the name and price they were made at."""
        with self.operation(Permission.MANAGE_GOODS) as s:
            goods = self._goods(s, goods_id)
            self.require(Permission.MANAGE_GOODS, goods.admin_village_id)
            before = {"name": goods.name, "unit": goods.unit, "price": goods.price_points,
                      "active": goods.active, "picture": goods.picture_path}
            for key, value in self._fields(s, goods.admin_village_id, goods.id, name, unit,
                                           price_points).items():
                setattr(goods, key, value)
            goods.active = bool(active)
            goods.picture_path = normalise_text(picture_path)
            audit.record(s, self.actor, "修改物品", "goods", goods.id,
                         village_id=goods.admin_village_id, before=before,
                         after={"name": goods.name, "unit": goods.unit, "price": price_points,
                                "active": goods.active, "picture": goods.picture_path})

    @staticmethod
    def _fields(s: Session, village_id: int, goods_id: int | None, name: str, unit: str,
                price_points: int) -> dict[str, object]:
        name = validate_name(name, "物品名称", 60)
        unit = validate_name(unit, f"“{name}”的单位", 10)
        if isinstance(price_points, bool) or not isinstance(price_points, int) \
                or not 1 <= price_points <= 100000:
            raise ValidationError(f"“{name}”的兑换积分必须是 1 到 100000 之间的整数。")
        clash = s.scalar(select(Goods.id).where(Goods.admin_village_id == village_id,
                                                Goods.name == name))
        if clash is not None and clash != goods_id:
            raise ValidationError(f"本村已经有名为“{name}”的物品。")
        return {"name": name, "unit": unit, "price_points": price_points}

    # ---- stock ledger --------------------------------------------------------------------
    def stock_in(self, goods_id: int, quantity: int, *, on: date, donor: str = "",
                 value_yuan: str | Decimal | int = "", note: str = "") -> int:
        """入库: a purchase, or a donation when `donor` is given. Returns the movement id."""
        with self.operation(Permission.MANAGE_GOODS) as s:
            goods = self._goods(s, goods_id)
            self.require(Permission.MANAGE_GOODS, goods.admin_village_id)
            quantity = _quantity(quantity, goods, "入库")
            donor = normalise_text(donor)
            kind = MovementKind.DONATION if donor else MovementKind.PURCHASE
            line = move_stock(s, goods, kind, quantity, self.actor, on, donor=donor,
                              value_fen=parse_yuan(value_yuan, f"“{goods.name}”的入库金额"),
                              reason=normalise_text(note))
            return self._saved(s, goods, line, kind.label)

    def write_off(self, goods_id: int, quantity: int, reason: str, *, on: date) -> int:
        """报损: damaged, spoilt or lost goods leave the shelf, with the reason."""
        with self.operation(Permission.MANAGE_GOODS) as s:
            goods = self._goods(s, goods_id)
            self.require(Permission.MANAGE_GOODS, goods.admin_village_id)
            quantity = _quantity(quantity, goods, "报损")
            reason = normalise_text(reason)
            if not reason:
                raise ValidationError(f"报损“{goods.name}”必须写明原因。")
            line = move_stock(s, goods, MovementKind.WRITE_OFF, -quantity, self.actor, on,
                              reason=reason)
            return self._saved(s, goods, line, "报损")

    def record_count(self, goods_id: int, counted: int, *, on: date, note: str = "") -> int:
        """盘点: the counted quantity becomes the stock, and the difference is a ledger entry
        (also when it is zero, so that the count itself is on record). Returns the difference."""
        with self.operation(Permission.MANAGE_GOODS) as s:
            goods = s.scalars(select(Goods).where(Goods.id == goods_id).with_for_update()).first()
            if goods is None:
                raise NotFound("要盘点的物品不存在。")
            self.require(Permission.MANAGE_GOODS, goods.admin_village_id)
            if isinstance(counted, bool) or not isinstance(counted, int) or counted < 0:
                raise ValidationError(f"“{goods.name}”的盘点数量必须是不小于 0 的整数。")
            difference = counted - goods.stock
            line = move_stock(s, goods, MovementKind.COUNT, difference, self.actor, on,
                              counted=counted, reason=normalise_text(note))
            self._saved(s, goods, line, "盘点")
            return difference

    def _saved(self, s: Session, goods: Goods, line: StockMovement, action: str) -> int:
        s.flush()
        audit.record(s, self.actor, action, "goods", goods.id, village_id=goods.admin_village_id,
                     after={"name": goods.name, "quantity": line.quantity, "donor": line.donor,
                            "value_fen": line.value_fen, "reason": line.reason,
                            "on": line.occurred_on})
        return line.id

    # ---- reading -------------------------------------------------------------------------
    def catalogue(self, admin_village_id: int, active_only: bool = True) -> list[GoodsRow]:
        with self.db.read() as s:
            self.require_view(admin_village_id)
            return [goods_row(g) for g in self._catalogue(s, admin_village_id, active_only)]

    def goods(self, goods_id: int) -> GoodsRow:
        with self.db.read() as s:
            goods = self._goods(s, goods_id)
            self.require_view(goods.admin_village_id)
            return goods_row(goods)

    @staticmethod
    def _catalogue(s: Session, village_id: int, active_only: bool) -> list[Goods]:
        stmt = select(Goods).where(Goods.admin_village_id == village_id)
        if active_only:
            stmt = stmt.where(Goods.active.is_(True))
        return list(s.scalars(stmt.order_by(Goods.sort_order, Goods.id)))

    @staticmethod
    def _goods(s: Session, goods_id: int) -> Goods:
        goods = s.get(Goods, goods_id)
        if goods is None:
            raise NotFound("所选的物品不存在，请刷新后重试。")
        return goods
