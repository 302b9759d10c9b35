"""The redemption counter 兑换柜台: find a head, show what he may spend, redeem goods for points in
one transaction (points out through the ledger, stock out, a numbered receipt), cancel a mistake
the same day by reversal entries, and hand a receipt's data to whoever prints it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models.core import audit, clock, settings
from models.core.access import ROLE_PERMISSIONS, Permission
from models.core.base import utcnow
from models.core.errors import NotFound, PermissionDenied, ValidationError
from models.core.service import Service
from models.core.validation import normalise_text, search_text
from models.org.naming import unit_labels
from models.org.photos import latest_photos
from models.org.work_id_code import WorkIdCode
from models.org.tables import (
    AdminVillage,
    Head,
    HeadRole,
    Household,
    Resident,
    Township,
)
from models.points import ledger
from models.points.tables import OPENING_POINTS, Passbook, Shortfall
from models.store import redeeming
from models.store.goods import move_stock
from models.store.tables import (
    CANCEL_SAME_DAY,
    REFUSE_TALK_LIST,
    Goods,
    MovementKind,
    Redemption,
    RedemptionStatus,
)

_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class HeadHit:
    head_id: int
    name: str
    role: str
    unit: str
    phone: str


@dataclass(frozen=True)
class Standing:
    """Where a head stands this year: score for ranking, spendable balance for the counter."""

    score: int
    opening: int
    spent: int

    @property
    def balance(self) -> int:
        return self.score - self.opening - self.spent

    @property
    def spendable(self) -> int:
        return max(self.balance, 0)

    @property
    def shortfall(self) -> Shortfall:
        return Shortfall.of(self.score, self.opening, self.spent)

    @property
    def owed(self) -> int:
        """Points spent and left uncovered by later deductions (欠分), never the opening."""
        return self.shortfall.owed

    @property
    def below_opening(self) -> int:
        return self.shortfall.below_opening

    @property
    def on_talk_list(self) -> bool:
        """约谈名单 (report): a score below the opening points, or at 0."""
        return self.score < self.opening or self.score == 0


@dataclass(frozen=True)
class HeadCard:
    head_id: int
    village_id: int
    name: str
    role: str
    unit: str
    phone: str
    photo: bytes | None  # the head's one-inch photo (JPEG), if one was attached
    standing: Standing
    refusal: str


@dataclass(frozen=True)
class Redeemed:
    redemption_id: int
    number: str
    total: int
    spendable_after: int


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    unit: str
    quantity: int
    price_points: int

    @property
    def points(self) -> int:
        return self.quantity * self.price_points


@dataclass(frozen=True)
class ReceiptData:
    """Everything a 兑换凭证 shows."""

    redemption_id: int
    number: str
    township: str
    village: str
    occurred_on: date
    head_name: str
    head_role: str
    head_unit: str
    lines: tuple[ReceiptLine, ...]
    total: int
    spendable_before: int
    spendable_after: int
    operator: str
    cancelled: bool
    cancel_reason: str


@dataclass(frozen=True)
class RedemptionRow:
    id: int
    number: str
    occurred_on: date
    head_name: str
    goods: str
    total: int
    cancelled: bool
    operator: str


def standing_of(session: Session, resident_id: int, year: int) -> Standing:
    """The head's figures from his passbook; before the passbook is opened, the opening points."""
    row = session.execute(select(Passbook.score, Passbook.opening, Passbook.spent).where(
        Passbook.resident_id == resident_id, Passbook.year == year)).first()
    if row is None:
        opening = settings.get(session, OPENING_POINTS)
        return Standing(opening, opening, 0)
    return Standing(*row)


def _unit_name(session: Session, head: Head) -> str:
    """The head's zone or alley with its natural village: zone names repeat across villages."""
    by_zone, by_alley = unit_labels(session, zone_ids=[head.zone_id] if head.zone_id else [],
                                    alley_ids=[head.alley_id] if head.alley_id else [])
    return by_alley.get(head.alley_id, "") if head.role is HeadRole.ALLEY else by_zone.get(head.zone_id, "")


class _Replayed(Exception):
    """A retried redemption found done: leave the transaction without keeping anything."""

    def __init__(self, redeemed: Redeemed):
        super().__init__()
        self.redeemed = redeemed


class CounterService(Service):
    def villages(self) -> list[tuple[int, str]]:
        """The administrative villages whose counter this account may see: (id, name)."""
        with self.db.read() as s:
            rows = s.execute(select(AdminVillage.id, AdminVillage.name).order_by(
                AdminVillage.township_id, AdminVillage.sort_order, AdminVillage.id)).all()
            return [(vid, name) for vid, name in rows if self.visible(vid)]

    # ---- finding the head ----------------------------------------------------------------
    def find_heads(self, village_id: int, query: str, limit: int = 20) -> list[HeadHit]:
        """Serving heads of the village whose name, pinyin initials, full pinyin or phone digits
        match what was typed."""
        typed = search_text(query)
        text = typed.lower().replace(" ", "")
        with self.db.read() as s:
            self.require_view(village_id)
            stmt = (select(Head, Resident).join(Resident, Resident.id == Head.resident_id)
                    .where(Head.admin_village_id == village_id, Head.ended_on.is_(None)))
            if text:
                if _DIGITS.fullmatch(text):
                    stmt = stmt.join(Household, Household.id == Resident.household_id).where(
                        or_(Resident.phone.contains(text, autoescape=True),
                            Household.phone.contains(text, autoescape=True)))
                else:
                    stmt = stmt.where(or_(Resident.name_initials.startswith(text, autoescape=True),
                                          Resident.name_pinyin.startswith(text, autoescape=True),
                                          Resident.name.contains(typed, autoescape=True)))
            rows = s.execute(stmt.order_by(Resident.name_pinyin, Head.id).limit(limit)).all()
            return [HeadHit(h.id, p.name, h.role.label, _unit_name(s, h), p.phone)
                    for h, p in rows]

    def head_by_code(self, code: WorkIdCode) -> HeadHit:
        """The head whose work ID carries `code` (scanned at the counter). Refused plainly when
        the card belongs to another village, an ended appointment or an older card number."""
        with self.db.read() as s:
            row = s.execute(select(Head, Resident).join(Resident, Resident.id == Head.resident_id)
                            .where(Head.id == code.head_id)).first()
            if row is None or row[0].admin_village_id != code.village_id:
                raise NotFound("这张工作证不是本程序登记的，或它所属的村不在这个数据库里。")
            head, person = row
            self.require_view(head.admin_village_id)
            if head.ended_on is not None:
                raise ValidationError(f"这张工作证属于{person.name}，但他已于{head.ended_on:%Y年%m月%d日}"
                                      f"不再担任{head.role.label}，工作证已作废。")
            if not code.matches(head.work_id_number):
                raise ValidationError(f"这张工作证的编号与{person.name}现在登记的编号"
                                      f"（{head.work_id_number or '无'}）不一致，可能是旧证，"
                                      "请改用姓名查找，并补发新证。")
            return HeadHit(head.id, person.name, head.role.label, _unit_name(s, head), person.phone)

    def head_card(self, head_id: int, on: date | None = None) -> HeadCard:
        on = on or clock.today()
        with self.db.read() as s:
            head, person = self._head(s, head_id)
            self.require_view(head.admin_village_id)
            standing = standing_of(s, head.resident_id, on.year)
            refusal = self._talk_list_refusal(person.name, standing,
                                              settings.get(s, REFUSE_TALK_LIST))
            if not refusal and standing.spendable == 0:
                short = standing.shortfall.note
                refusal = f"{person.name}本年没有可兑换的积分" + (f"（目前{short}）。" if short else "。")
            return HeadCard(head.id, head.admin_village_id, person.name, head.role.label,
                            _unit_name(s, head), person.phone,
                            latest_photos(s, [head.resident_id]).get(head.resident_id),
                            standing, refusal)

    @staticmethod
    def _talk_list_refusal(name: str, standing: Standing, refuse: bool) -> str:
        if not standing.on_talk_list or not refuse:
            return ""
        return (f"{name}在约谈名单上（本年积分 {standing.score} 分，初始积分 {standing.opening} 分），"
                "按本镇设置，约谈期间不能兑换。")

    # ---- redeeming -----------------------------------------------------------------------
    def redeem(self, head_id: int, items: Mapping[int, int], *, on: date | None = None,
               idempotency_key: str | None = None) -> Redeemed:
        """One redemption, one transaction: the ledger's spend entry, stock out for each item,
        the receipt number. `items` maps goods id → quantity. Refused with the reason (not
        enough spendable points, out of stock, on the 约谈 list) and nothing written. Three
        round trips to a server whatever the basket (models/store/redeeming.py); a retry with
        the same key returns the redemption the first try made."""
        on = on or clock.today()
        wanted = redeeming.wanted_items(items)
        try:
            with self.operation(Permission.COUNTER) as s:
                found = redeeming.read(s, head_id, wanted, on.year, idempotency_key)
                if found.head is None:
                    raise NotFound("所选的负责人不存在，请刷新后重试。")
                if found.done is not None:  # rolled back below: the receipt number stays free
                    raise _Replayed(self._replayed(found))
                village_id = found.head["admin_village_id"]
                self.require(Permission.COUNTER, village_id)
                name = found.head["name"]
                if found.head["ended_on"] is not None:
                    raise ValidationError(
                        f"{name}已不再担任{redeeming.head_role(found).label}，不能兑换。")
                chosen = redeeming.basket(found, village_id, wanted)
                total = sum(goods["price_points"] * quantity for goods, quantity in chosen)
                refusal = self._talk_list_refusal(name, self._standing(found),
                                                  found.policy[REFUSE_TALK_LIST])
                if refusal:
                    raise ValidationError(refusal)
                number = redeeming.receipt_number(on.year, found.number)
                entry = redeeming.spend_entry(found, self.actor, total, number, on)
                redemption_id = redeeming.write(s, self.actor, found, chosen, entry, number,
                                                idempotency_key, on)
                spendable = max(entry["score_after"] - found.passbook["opening"]
                                - entry["spent_after"], 0)
                return Redeemed(redemption_id, number, total, spendable)
        except _Replayed as replay:
            return replay.redeemed

    @staticmethod
    def _standing(found: redeeming.Found) -> Standing:
        book = found.passbook
        if book is None:
            opening = found.policy[OPENING_POINTS]
            return Standing(opening, opening, 0)
        return Standing(book["score"], book["opening"], book["spent"])

    def _replayed(self, found: redeeming.Found) -> Redeemed:
        done = found.done
        return Redeemed(done["id"], done["number"], done["total_points"],
                        self._standing(found).spendable)

    # ---- cancelling ----------------------------------------------------------------------
    def cancel(self, redemption_id: int, reason: str, *, today: date | None = None) -> None:
        """撤销兑换 (the secretary, the same day): reversal entries give back the points and the
        stock; the redemption stays on record, marked cancelled with the reason."""
        today = today or clock.today()
        if Permission.EDIT_POINTS not in ROLE_PERMISSIONS[self.actor.role]:
            raise PermissionDenied("只有村党支部书记可以撤销兑换。")
        reason = normalise_text(reason)
        with self.operation(Permission.EDIT_POINTS) as s:
            redemption = s.scalars(select(Redemption).where(Redemption.id == redemption_id)
                                   .with_for_update()).first()
            if redemption is None:
                raise NotFound("要撤销的兑换记录不存在。")
            self.require(Permission.EDIT_POINTS, redemption.admin_village_id)
            if redemption.status is RedemptionStatus.CANCELLED:
                raise ValidationError(f"兑换凭证 {redemption.number} 已经撤销过了。")
            days = settings.get(s, CANCEL_SAME_DAY)
            if today > redemption.occurred_on + timedelta(days=days):
                raise ValidationError(
                    f"兑换凭证 {redemption.number} 是 {redemption.occurred_on:%Y-%m-%d} 办理的，"
                    + ("只能当天撤销。" if days == 0 else f"只能在 {days} 天内撤销。"))
            if not reason:
                raise ValidationError(f"撤销兑换凭证 {redemption.number} 必须写明原因。")
            ledger.cancel_spend(s, self.actor, redemption.entry_id,
                                f"撤销兑换 {redemption.number}：{reason}",
                                idempotency_key=f"cancel:{redemption.admin_village_id}:"
                                                f"{redemption.number}", today=today)
            for line in sorted(redemption.lines, key=lambda x: x.goods_id):
                goods = s.get(Goods, line.goods_id)
                move_stock(s, goods, MovementKind.CANCELLATION, line.quantity, self.actor, today,
                           redemption_id=redemption.id, reason=reason)
            redemption.status = RedemptionStatus.CANCELLED
            redemption.cancelled_by, redemption.cancelled_at = self.actor.name, utcnow()
            redemption.cancel_reason = reason
            audit.record(s, self.actor, "撤销兑换", "redemption", redemption.id,
                         village_id=redemption.admin_village_id,
                         before={"number": redemption.number, "status": "已兑换"},
                         after={"status": "已撤销", "reason": reason})

    # ---- reading -------------------------------------------------------------------------
    def receipt_data(self, redemption_id: int) -> ReceiptData:
        """The data of a 兑换凭证: the hook the receipt printer builds on."""
        with self.db.read() as s:
            r = s.get(Redemption, redemption_id)
            if r is None:
                raise NotFound("兑换记录不存在。")
            self.require_view(r.admin_village_id)
            head, person = self._head(s, r.head_id)
            village, township = s.execute(
                select(AdminVillage.name, Township.name).join(
                    Township, Township.id == AdminVillage.township_id)
                .where(AdminVillage.id == r.admin_village_id)).one()
            entry_after = self._spendable_after_entry(s, r.entry_id)
            return ReceiptData(
                r.id, r.number, township, village, r.occurred_on, person.name, head.role.label,
                _unit_name(s, head),
                tuple(ReceiptLine(x.name, x.unit, x.quantity, x.price_points) for x in r.lines),
                r.total_points, entry_after + r.total_points, entry_after, r.entered_by,
                r.status is RedemptionStatus.CANCELLED, r.cancel_reason)

    @staticmethod
    def _spendable_after_entry(s: Session, entry_id: int | None) -> int:
        row = s.execute(select(ledger.LedgerEntry.score_after, ledger.LedgerEntry.spent_after,
                               Passbook.opening)
                        .join(Passbook, Passbook.id == ledger.LedgerEntry.passbook_id)
                        .where(ledger.LedgerEntry.id == entry_id)).one()
        return max(row[0] - row[2] - row[1], 0)

    def redemptions(self, village_id: int, start: date, end: date) -> list[RedemptionRow]:
        """The village's redemptions between two days (inclusive), newest first."""
        with self.db.read() as s:
            self.require_view(village_id)
            rows = s.execute(
                select(Redemption, Resident.name).join(Head, Head.id == Redemption.head_id)
                .join(Resident, Resident.id == Head.resident_id)
                .where(Redemption.admin_village_id == village_id,
                       Redemption.occurred_on.between(start, end))
                .order_by(Redemption.id.desc())).all()
            return [RedemptionRow(r.id, r.number, r.occurred_on, name,
                                  "、".join(f"{x.name}×{x.quantity}" for x in r.lines),
                                  r.total_points, r.status is RedemptionStatus.CANCELLED,
                                  r.entered_by) for r, name in rows]

    @staticmethod
    def _head(s: Session, head_id: int) -> tuple[Head, Resident]:
        row = s.execute(select(Head, Resident).join(Resident, Resident.id == Head.resident_id)
                        .where(Head.id == head_id)).first()
        if row is None:
            raise NotFound("所选的负责人不存在，请刷新后重试。")
        return row[0], row[1]

