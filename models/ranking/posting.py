"""Red/black list consequences in the passbooks (DOMAIN §7): the poster `models.ranking.service`
calls inside the publishing transaction for every PointsIntent.

A listed zone's heads (its zone head and its alley heads) are awarded or deducted under the
catalogue's rule for red or black zones, with the rule's points — the catalogue is the one
source — in the passbook of the period's year: dated the publishing day, or 31 December when the
list of a December is published in January. The list allows one red and one black zone per
natural village and month, so the rule's per-period limit is not applied. A correction that
takes a zone off a list reverses what was posted for it, once. Keys on the entries (LIST_KEY_PREFIX
+ list, entry and head) make a retried posting return the entry already there, and keep these
entries out of the next lists' points component."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core import audit
from models.core.access import Actor
from models.core.errors import ValidationError
from models.org.tables import Head
from models.points import ledger
from models.points.tables import (
    LIST_KEY_PREFIX,
    LIST_RULE_CATEGORY,
    EntryKind,
    LedgerEntry,
    PointsRule,
)
from models.points.years import check_entry_day
from models.ranking.rules import parse_period
from models.ranking.tables import Colour, PointsIntent, RankingEntry, RankingList

T = TypeVar("T")

# The default catalogue's rules (migration 0002); recreated with the same text if missing.
RULES = {
    Colour.RED: ("A07", "所负责片区（胡同）上红榜", 5),
    Colour.BLACK: ("D06", "所负责片区（胡同）上黑榜", -5),
}


def _once_per_transaction(session: Session, key: object, make: Callable[[], T]) -> T:
    """`make()` once per publishing transaction (its session): a list posts to hundreds of
    heads, and the rule and the list's newest version do not change while it does."""
    cache = session.info.setdefault("ranking_posting", {})
    if key not in cache:
        cache[key] = make()
    return cache[key]


def list_rule(session: Session, actor: Actor, colour: Colour) -> PointsRule:
    """The catalogue's rule for a red or black zone (created as in the default catalogue when a
    database lacks it)."""
    return _once_per_transaction(session, ("rule", colour), lambda: _list_rule(session, actor, colour))


def _list_rule(session: Session, actor: Actor, colour: Colour) -> PointsRule:
    code, text, points = RULES[colour]
    rule = session.scalar(select(PointsRule).where(PointsRule.code == code))
    if rule is None:
        rule = PointsRule(code=code, text=text, points=points, category=LIST_RULE_CATEGORY,
                          evidence_required=False, sort_order=0)
        session.add(rule)
        session.flush()
        audit.record(session, actor, "保存积分细则", "points_rule", rule.id,
                     after={"code": code, "text": text, "points": points,
                            "category": LIST_RULE_CATEGORY})
    return rule


def posting_day(listing: RankingList) -> date:
    """The day a list's entries carry: its publishing day, inside the period's year."""
    year = parse_period(listing.period).year
    return listing.published_on if listing.published_on.year == year else date(year, 12, 31)


def rule_in_force(rule: PointsRule, on: date) -> bool:
    return not ((rule.valid_from and on < rule.valid_from) or (rule.valid_to and on > rule.valid_to))


def key_of(listing: RankingList, entry: RankingEntry, head_id: int) -> str:
    return f"{LIST_KEY_PREFIX}{listing.id}:{entry.id}:{head_id}"


def newest_version(session: Session, listing: RankingList) -> RankingList:
    return _once_per_transaction(session, ("newest", listing.township_id, listing.kind, listing.period),
                                 lambda: session.scalar(select(RankingList).where(
                                     RankingList.township_id == listing.township_id,
                                     RankingList.kind == listing.kind,
                                     RankingList.period == listing.period)
                                     .order_by(RankingList.version.desc()).limit(1)))


def post_intent(session: Session, actor: Actor, intent: PointsIntent) -> str:
    """Post one intent to the head's passbook; returns the reference stored on the intent."""
    entry = session.get(RankingEntry, intent.entry_id)
    listing = session.get(RankingList, entry.list_id)
    newest = newest_version(session, listing)
    head = session.get(Head, intent.head_id)
    on = posting_day(newest)
    try:
        check_entry_day(session, on, newest.published_on)
        if entry.list_id == newest.id:
            posted = _award(session, actor, head, entry.colour, intent, newest, on,
                            key_of(newest, entry, head.id))
        else:
            original = posted_for(session, listing, entry).get(head.id)
            if original is None:
                return "原奖惩未入账或已冲正，无需撤销"
            posted = ledger.reverse(session, actor, original.id, intent.reason,
                                    idempotency_key=key_of(newest, entry, head.id), on=on,
                                    today=newest.published_on)
    except ValidationError as refusal:
        raise ValidationError(f"{parse_period(listing.period).label}红黑榜的积分奖惩"
                              f"（{intent.head_name}）无法记入积分存折：{refusal}") from None
    audit.record(session, actor, "红黑榜积分奖惩", "ledger_entry", posted.id,
                 village_id=head.admin_village_id,
                 after={"head_id": head.id, "points": posted.score_delta, "reason": intent.reason})
    return f"{on.year}年积分存折第{posted.seq}笔"


def _award(session: Session, actor: Actor, head: Head, colour: Colour, intent: PointsIntent,
           listing: RankingList, on: date, key: str) -> LedgerEntry:
    already = ledger.existing(session, key)
    if already is not None:
        return already
    rule = list_rule(session, actor, colour)
    passbook = ledger.passbook_for(session, actor, head, on.year)
    kind = EntryKind.AWARD if rule.points > 0 else EntryKind.DEDUCTION
    return ledger.append(session, actor, passbook, kind, requested=rule.points, occurred_on=on,
                         rule=rule, note=intent.reason, reference=listing.doc_number,
                         idempotency_key=key)


def posted_for(session: Session, listing: RankingList, entry: RankingEntry) -> dict[int, LedgerEntry]:
    """Head id → the standing (not reversed) entry posted when this zone came onto this list:
    walking back through the versions while the zone stays on it, the newest posting per head."""
    found: dict[int, LedgerEntry] = {}
    while listing is not None:
        same = next((e for e in listing.entries
                     if e.colour is entry.colour and e.unit_id == entry.unit_id), None)
        if same is None:
            break
        prefix = f"{LIST_KEY_PREFIX}{listing.id}:{same.id}:"
        for posted in session.scalars(select(LedgerEntry).where(
                LedgerEntry.idempotency_key.startswith(prefix)).order_by(LedgerEntry.id)):
            head_id = int(posted.idempotency_key.rsplit(":", 1)[1])
            if head_id not in found and not _reversed(session, posted):
                found[head_id] = posted
        listing = session.get(RankingList, listing.supersedes_id) if listing.supersedes_id else None
    return found


def _reversed(session: Session, entry: LedgerEntry) -> bool:
    return session.scalar(select(LedgerEntry.id).where(LedgerEntry.reverses_id == entry.id)) is not None
