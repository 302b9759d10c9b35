"""Red/black list consequences in the passbooks: the poster `models.ranking.service` calls inside
the publishing transaction for every PointsIntent.

An award or deduction is posted under the catalogue's rule for red or black zones (its text and
category go on the entry); the amount is the ranking setting the intent carries. The list itself
allows one red and one black zone per natural village and month, so the rule's per-period limit
is not applied (two months published on the same day must both count). A correction that takes a
zone off a list reverses the entry posted for it, once; if nothing was posted there is nothing to
undo. Keys on the entries make a retried posting return the entry already there."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core import audit
from models.core.access import Actor
from models.core.errors import ValidationError
from models.org.tables import Head
from models.points import ledger
from models.points.tables import EntryKind, LedgerEntry, PointsRule
from models.ranking.tables import Colour, PointsIntent, RankingEntry, RankingList

# The default catalogue's rules (migration 0002); recreated with the same text if missing.
RULES = {
    Colour.RED: ("A07", "所负责片区（胡同）上红榜", 5),
    Colour.BLACK: ("D06", "所负责片区（胡同）上黑榜", -5),
}
CATEGORY = "红黑榜"


def post_intent(session: Session, actor: Actor, intent: PointsIntent) -> str:
    """Post one intent to the zone head's passbook; returns the reference stored on the intent."""
    entry = session.get(RankingEntry, intent.entry_id)
    listing = session.get(RankingList, entry.list_id)
    newest = session.scalar(select(RankingList).where(
        RankingList.township_id == listing.township_id, RankingList.kind == listing.kind,
        RankingList.period == listing.period).order_by(RankingList.version.desc()).limit(1))
    head = session.get(Head, intent.head_id)
    key = f"红黑榜:{newest.id}:{entry.id}"
    if entry.list_id == newest.id:
        posted = _award(session, actor, head, entry.colour, intent, newest, key)
    else:
        original = _posted_for(session, listing, entry)
        if original is None or _reversed(session, original):
            return "原奖惩未入账或已冲正，无需撤销"
        posted = ledger.reverse(session, actor, original.id, intent.reason, idempotency_key=key,
                                on=newest.published_on, today=newest.published_on)
    audit.record(session, actor, "红黑榜积分奖惩", "ledger_entry", posted.id,
                 village_id=head.admin_village_id,
                 after={"head_id": head.id, "points": posted.score_delta, "reason": intent.reason})
    return f"{newest.published_on.year}年积分存折第{posted.seq}笔"


def _award(session: Session, actor: Actor, head: Head, colour: Colour, intent: PointsIntent,
           listing: RankingList, key: str) -> LedgerEntry:
    already = ledger.existing(session, key)
    if already is not None:
        return already
    rule = _rule(session, actor, colour)
    on = listing.published_on
    if (rule.valid_from and on < rule.valid_from) or (rule.valid_to and on > rule.valid_to):
        raise ValidationError(
            f"积分细则“{rule.code} {rule.text}”在 {on:%Y-%m-%d} 已停用，红黑榜的片区长积分无法记入。"
            "请先在积分细则中启用它，或在设置中把红黑榜片区长加（扣）分改为 0。")
    passbook = ledger.passbook_for(session, actor, head, on.year)
    kind = EntryKind.AWARD if intent.points > 0 else EntryKind.DEDUCTION
    return ledger.append(session, actor, passbook, kind, requested=intent.points, occurred_on=on,
                         rule=rule, note=intent.reason, reference=listing.doc_number,
                         idempotency_key=key)


def _rule(session: Session, actor: Actor, colour: Colour) -> PointsRule:
    code, text, points = RULES[colour]
    rule = session.scalar(select(PointsRule).where(PointsRule.code == code))
    if rule is None:
        rule = PointsRule(code=code, text=text, points=points, category=CATEGORY,
                          evidence_required=False, sort_order=0)
        session.add(rule)
        session.flush()
        audit.record(session, actor, "保存积分细则", "points_rule", rule.id,
                     after={"code": code, "text": text, "points": points, "category": CATEGORY})
    return rule


def _posted_for(session: Session, listing: RankingList, entry: RankingEntry) -> LedgerEntry | None:
    """The entry posted when this zone came onto this list: walk back through the versions while
    the zone stays on it and take the newest posting found."""
    while listing is not None:
        same = next((e for e in listing.entries
                     if e.colour is entry.colour and e.unit_id == entry.unit_id), None)
        if same is None:
            return None
        found = session.scalar(select(LedgerEntry).where(
            LedgerEntry.idempotency_key == f"红黑榜:{listing.id}:{same.id}"))
        if found is not None:
            return found
        listing = session.get(RankingList, listing.supersedes_id) if listing.supersedes_id else None
    return None


def _reversed(session: Session, entry: LedgerEntry) -> bool:
    return session.scalar(select(LedgerEntry.id).where(LedgerEntry.reverses_id == entry.id)) is not None
