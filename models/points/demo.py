"""The demo's year of the points bank: every head's passbook of DEMO_YEAR up to late November,
with the three duties' points settled month by month from the demo's 三个一 log (through the
settlement's own arithmetic, models.worklog.demo.DutySettler), a few commendations, deductions
and redemptions. Most heads land between 50 and 90, a few above 90, a few on the 约谈 list.
Written as bulk inserts with the hash chain computed here, so a county still generates in
seconds."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import func, select, text

from models.core import settings
from models.core.db import Database
from models.demo.bulk import insert_checks_suspended, insert_rows
from models.org.tables import AdminVillage, Head
from models.worklog.demo import DutySettler
from models.points.tables import (
    ANNUAL_CAP,
    FLOOR,
    GENESIS,
    OPENING_POINTS,
    EntryKind,
    LedgerEntry,
    Passbook,
    PointsRule,
    entry_hash,
)

DEMO_YEAR = 2026
LAST_DAY = date(DEMO_YEAR, 11, 27)
CHUNK = 1000  # passbooks per insert: a county's 470,000 entries never sit in memory at once
SETTLE = "三个一月结"


class _Rule(NamedTuple):
    """What an entry copies from its rule (plain attributes: read half a million times)."""

    id: int
    code: str
    text: str
    points: int


class _Book:
    """One passbook being written: keeps score, spent and the chain as entries are added."""

    def __init__(self, book_id: int, opening: int, cap: int, floor: int, operator: str,
                 ids, rows: list[dict]):  # type: ignore[no-untyped-def]
        self.id, self.cap, self.floor, self.operator = book_id, cap, floor, operator
        self.ids, self.rows = ids, rows
        self.score = self.spent = self.seq = 0
        self.last_hash = GENESIS
        self.opening = opening

    def add(self, kind: EntryKind, on: date, *, rule=None, requested: int = 0,  # type: ignore[no-untyped-def]
            spend: int = 0, note: str = "", reference: str = "",
            idempotency_key: str | None = None) -> int:
        after = requested if kind is EntryKind.OPENING else \
            min(self.cap, max(self.floor, self.score + requested))
        counted = after - self.score
        if kind is not EntryKind.OPENING and counted != requested:
            said = (f"已达年度积分上限，申报 {requested} 分，只计 {counted} 分" if requested > 0
                    else f"积分已到最低分，应扣 {-requested} 分，只扣 {-counted} 分")
            note = f"{note}（{said}）" if note else said
        self.seq += 1
        values = dict(
            passbook_id=self.id, seq=self.seq, kind=kind, rule_id=rule.id if rule else None,
            rule_code=rule.code if rule else "", rule_text=rule.text if rule else "",
            rule_points=rule.points if rule else 0, requested=requested, score_delta=counted,
            spend_delta=spend, score_after=after, spent_after=self.spent + spend,
            occurred_on=on, recorded_at=datetime(on.year, on.month, on.day, 9, 30, tzinfo=UTC),
            operator_name=self.operator, operator_role="secretary", operator_user_id=None,
            note=note, reference=reference, evidence_path="", evidence_sha256="",
            idempotency_key=idempotency_key, reverses_id=None)
        values["prev_hash"] = self.last_hash
        values["hash"] = self.last_hash = entry_hash(self.last_hash, values)
        values["id"] = next(self.ids)
        self.rows.append(values)
        self.score, self.spent = after, values["spent_after"]
        return values["id"]


def _year_of(book: _Book, rules: dict[str, _Rule], rng: random.Random, resident_id: int,
             duties: DutySettler) -> None:
    diligence = rng.choices([0.25, 0.6, 0.8, 0.95], weights=[4, 30, 50, 16])[0]
    events: list[tuple[date, int, str, str]] = []
    if not duties.month_ends(resident_id):
        # A zone head has no 三个一 log: his year is the zone's clean-ups and problems fixed.
        day = date(DEMO_YEAR, 1, 5)
        while day <= LAST_DAY:
            if rng.random() < diligence * 0.35:
                events.append((day + timedelta(days=rng.randint(0, 4)), 0,
                               rng.choice(["A04", "A06"]), ""))
            day += timedelta(days=7)
    for month in range(1, 12):
        visit = date(DEMO_YEAR, month, rng.randint(10, 25))
        if rng.random() < 0.15 * diligence:
            events.append((visit + timedelta(days=2), 0, rng.choice(["A04", "A05", "A06"]), ""))
        if rng.random() < 0.12 * (1 - diligence) + 0.01:
            events.append((visit + timedelta(days=3), 0, rng.choice(["D01", "D06"]),
                           "街道巡查发现门前垃圾未清理"))
    if rng.random() < 0.04 * diligence:
        events.append((date(DEMO_YEAR, 7, 1), 0, "A08", "镇优秀胡同长"))
    # The three duties' points: each month's log settled at the month's end (models.worklog).
    events += [(month_end, 1, SETTLE, "") for month_end in duties.month_ends(resident_id)]
    for on, _order, code, note in sorted(events):
        if code == SETTLE:
            duties.settle(resident_id, on, lambda line, text, key, on=on: book.add(
                EntryKind.AWARD if line.rule.points > 0 else EntryKind.DEDUCTION, on,
                rule=rules[line.rule.code], requested=line.requested, note=text,
                reference=f"三个一月结 {on:%Y-%m}", idempotency_key=key))
        else:
            rule = rules[code]
            duties.by_hand(resident_id, code, on)
            book.add(EntryKind.AWARD if rule.points > 0 else EntryKind.DEDUCTION, on, rule=rule,
                     requested=rule.points, note=note)
        if on.month in (6, 10) and on.day > 20 and book.score - book.opening - book.spent >= 20 \
                and rng.random() < 0.2:
            cost = rng.choice([10, 15, 20])
            # The goods are the store step's: it turns each spend into a redemption with goods.
            book.add(EntryKind.REDEMPTION, on, spend=cost, note=f"兑换支出 {cost} 分")


def _counter(start: int):  # type: ignore[no-untyped-def]
    value = start
    while True:
        yield value
        value += 1


def _write(session, books: list[dict], entries: list[dict]) -> None:  # type: ignore[no-untyped-def]
    """Passbooks first (the entries refer to them), then their entries; both lists emptied."""
    insert_rows(session, Passbook.__table__, books)
    insert_rows(session, LedgerEntry.__table__, entries)
    books.clear()
    entries.clear()


def step(db: Database, seed: int) -> None:
    with db.write() as session:
        if session.scalar(select(Passbook.id).where(Passbook.year == DEMO_YEAR).limit(1)):
            return
        rules = {r.code: _Rule(r.id, r.code, r.text, r.points)
                 for r in session.scalars(select(PointsRule))}
        opening, cap, floor = (settings.get(session, spec)
                               for spec in (OPENING_POINTS, ANNUAL_CAP, FLOOR))
        heads = session.execute(
            select(Head.id, Head.resident_id, Head.admin_village_id, Head.started_on,
                   AdminVillage.secretary_name).join(AdminVillage)
            .where(Head.ended_on.is_(None)).order_by(Head.id)).all()
        duties = DutySettler(session)
        book_ids = _counter((session.scalar(select(func.max(Passbook.id))) or 0) + 1)
        entry_ids = _counter((session.scalar(select(func.max(LedgerEntry.id))) or 0) + 1)
        books, entries, seen = [], [], set()
        with insert_checks_suspended(session, LedgerEntry.__table__):
            for head_id, resident_id, village_id, started_on, secretary in heads:
                if resident_id in seen:
                    continue
                seen.add(resident_id)
                rng = random.Random(f"{seed}-points-{head_id}")
                book = _Book(next(book_ids), opening, cap, floor, secretary or "村文书", entry_ids,
                             entries)
                opened_on = max(date(DEMO_YEAR, 1, 1), started_on)
                book.add(EntryKind.OPENING, opened_on, requested=opening,
                         note=f"{DEMO_YEAR}年度存折开户，存入初始积分 {opening} 分")
                _year_of(book, rules, rng, resident_id, duties)
                books.append(dict(id=book.id, resident_id=resident_id, year=DEMO_YEAR,
                                  head_id=head_id, admin_village_id=village_id, opening=opening,
                                  opened_on=opened_on, closed_on=None, score=book.score,
                                  spent=book.spent, last_seq=book.seq, last_hash=book.last_hash,
                                  created_at=datetime(DEMO_YEAR, 1, 1, tzinfo=UTC)))
                if len(books) == CHUNK:
                    _write(session, books, entries)
            _write(session, books, entries)
        duties.write(session)
        if not db.is_sqlite:
            for table in ("passbook", "ledger_entry"):
                session.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
