"""The demo's year of the points bank: every head's passbook of DEMO_YEAR up to late November,
with the three duties' points settled month by month from the demo's 三个一 log (through the
settlement's own arithmetic, models.worklog.demo.DutySettler), a few commendations (with the
township's notice as evidence), deductions and redemptions. Most heads land between 50 and 90,
a few above 90, a few on the 约谈 list.

`PointsYear` writes the year in time order (`write_until`), so that the red/black lists
published on the way (models.demo.year) read the passbooks as they stood that day, and their
awards and deductions join the passbooks in date order (`post_intent`, the demo's stand-in for
models.ranking.posting.post_intent, writing the same entry). Bulk inserts with the hash chain
computed here, so a county still generates in seconds."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from models.core import audit, files, settings
from models.core.access import Actor, Role
from models.core.db import Database
from models.core.files import FileContent
from models.demo.bulk import insert_checks_suspended, insert_rows
from models.org.tables import AdminVillage, Head, Township
from models.points.ledger import opened
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
from models.worklog.demo import DutySettler

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
            idempotency_key: str | None = None, reverses_id: int | None = None,
            evidence: tuple[str, str] = ("", ""), entry_id: int | None = None) -> int:
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
            note=note, reference=reference, evidence_path=evidence[0], evidence_sha256=evidence[1],
            idempotency_key=idempotency_key, reverses_id=reverses_id)
        values["prev_hash"] = self.last_hash
        values["hash"] = self.last_hash = entry_hash(self.last_hash, values)
        values["id"] = entry_id or next(self.ids)
        self.rows.append(values)
        self.score, self.spent = after, values["spent_after"]
        return values["id"]


@dataclass
class OutsideEntry:
    """An entry another step of the demo posts on its day (a problem's closing: models.demo.year),
    with the ledger id reserved for it; `score_delta` is what it counted once written."""

    on: date
    rule_code: str
    note: str
    key: str
    entry_id: int
    evidence: tuple[str, str]
    score_delta: int | None = None


OUTSIDE = "outside"


def _year_of(book: _Book, rules: dict[str, _Rule], rng: random.Random, resident_id: int,
             duties: DutySettler, commendation: tuple[str, str],
             outside: list[OutsideEntry]) -> Iterator[date]:
    """The head's year, event by event: yields each event's day before adding it, so that the
    writer can stop the whole town's year at a day and go on later."""
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
            # A patrol the street's inspection found missing (D01: the daily patrol), not a
            # black list (D06 is the red/black lists' own and only they post it).
            events.append((visit + timedelta(days=3), 0, "D01", "街道巡查发现门前垃圾未清理，当日未巡查"))
    if rng.random() < 0.04 * diligence:
        events.append((COMMENDED_ON, 0, "A08", "镇优秀胡同长"))
    # The three duties' points: each month's log settled at the month's end (models.worklog).
    events += [(month_end, 1, SETTLE, "") for month_end in duties.month_ends(resident_id)]
    events += [(entry.on, 0, OUTSIDE, str(index)) for index, entry in enumerate(outside)]
    for on, _order, code, note in sorted(events):
        yield on
        if code == OUTSIDE:
            entry, rule = outside[int(note)], rules[outside[int(note)].rule_code]
            book.add(EntryKind.AWARD if rule.points > 0 else EntryKind.DEDUCTION, on, rule=rule,
                     requested=rule.points, note=entry.note, idempotency_key=entry.key,
                     evidence=entry.evidence, entry_id=entry.entry_id)
            entry.score_delta = book.rows[-1]["score_delta"]
        elif code == SETTLE:
            duties.settle(resident_id, on, lambda line, text, key, on=on: book.add(
                EntryKind.AWARD if line.rule.points > 0 else EntryKind.DEDUCTION, on,
                rule=rules[line.rule.code], requested=line.requested, note=text,
                reference=f"三个一月结 {on:%Y-%m}", idempotency_key=key))
        else:
            rule = rules[code]
            duties.by_hand(resident_id, code, on)
            book.add(EntryKind.AWARD if rule.points > 0 else EntryKind.DEDUCTION, on, rule=rule,
                     requested=rule.points, note=note,
                     evidence=commendation if code == "A08" else ("", ""))
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


class PointsYear:
    """The demo's passbooks of DEMO_YEAR, written in time order. Create it, call `write_until`
    with each day something else happens (a list published), `finish` at the end."""

    def __init__(self, db: Database, seed: int,
                 outside: Mapping[int, list[OutsideEntry]] | None = None):
        """`outside`: head id → entries other steps post into his passbook on their days."""
        self.db = db
        outside = outside or {}
        with db.write() as session:
            self.done = session.scalar(select(Passbook.id).where(Passbook.year == DEMO_YEAR)
                                       .limit(1)) is not None
            if self.done:
                return
            self.rules = {r.code: _Rule(r.id, r.code, r.text, r.points)
                          for r in session.scalars(select(PointsRule))}
            opening, cap, floor = (settings.get(session, spec)
                                   for spec in (OPENING_POINTS, ANNUAL_CAP, FLOOR))
            heads = session.execute(
                select(Head.id, Head.resident_id, Head.admin_village_id, Head.started_on,
                       AdminVillage.secretary_name, AdminVillage.township_id).join(AdminVillage)
                .where(Head.ended_on.is_(None)).order_by(Head.id)).all()
            self.duties = DutySettler(session)
            notices = _commendation_notices(session)
            book_ids = _counter((session.scalar(select(func.max(Passbook.id))) or 0) + 1)
            reserved = [e.entry_id for entries in outside.values() for e in entries]
            self.entry_ids = _counter(max([session.scalar(select(func.max(LedgerEntry.id))) or 0,
                                           *reserved]) + 1)
            serving = {head_id for head_id, *_ in heads}
            if strays := sorted(set(outside) - serving):
                raise LookupError(f"entries for heads not serving: {strays[:5]}")
        self.entries: list[dict] = []
        self.new_books: list[dict] = []
        self.opened: list[dict] = []  # the audit rows of the passbooks' openings
        self.books: dict[int, _Book] = {}  # resident → his passbook
        self.by_head: dict[int, _Book] = {}
        self.pending: list[tuple[date, _Book, Iterator[date]]] = []
        outside_of: dict[int, list[OutsideEntry]] = {}  # resident → his heads' outside entries
        for head_id, resident_id, *_ in heads:
            outside_of.setdefault(resident_id, []).extend(outside.get(head_id, ()))
        for head_id, resident_id, village_id, started_on, secretary, _town in heads:
            if resident_id in self.books:
                self.by_head[head_id] = self.books[resident_id]
                continue
            book = _Book(next(book_ids), opening, cap, floor, secretary or "村文书", self.entry_ids,
                         self.entries)
            opened_on = max(date(DEMO_YEAR, 1, 1), started_on)
            book.add(EntryKind.OPENING, opened_on, requested=opening,
                     note=f"{DEMO_YEAR}年度存折开户，存入初始积分 {opening} 分")
            self.books[resident_id] = self.by_head[head_id] = book
            self.opened.append(audit.row(
                Actor(book.operator, Role.SECRETARY), "开立积分存折", "passbook", book.id,
                village_id=village_id, after=opened(head_id, DEMO_YEAR, opening)))
            self.new_books.append(dict(
                id=book.id, resident_id=resident_id, year=DEMO_YEAR, head_id=head_id,
                admin_village_id=village_id, opening=opening, opened_on=opened_on, closed_on=None,
                score=book.score, spent=book.spent, last_seq=book.seq, last_hash=book.last_hash,
                created_at=datetime(DEMO_YEAR, 1, 1, tzinfo=UTC)))
            rng = random.Random(f"{seed}-points-{head_id}")
            events = _year_of(book, self.rules, rng, resident_id, self.duties, notices[village_id],
                              outside_of[resident_id])
            first = next(events, None)
            if first is not None:
                self.pending.append((first, book, events))

    def write_until(self, day: date) -> None:
        """Every entry dated before `day`, written (the passbooks' figures with them)."""
        if self.done:
            return
        waiting = []
        for next_on, book, events in self.pending:
            on: date | None = next_on
            while on is not None and on < day:
                on = next(events, None)
            if on is not None:
                waiting.append((on, book, events))
        self.pending = waiting
        self._flush()

    def finish(self) -> None:
        if self.done:
            return
        self.write_until(date(DEMO_YEAR + 1, 1, 1))
        with self.db.write() as session:
            self.duties.write(session)
            if not self.db.is_sqlite:
                for table in ("passbook", "ledger_entry"):
                    session.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
        self.done = True

    def add(self, head_id: int, on: date, *, rule: PointsRule | None = None, requested: int,
            note: str, reference: str, key: str, reverses_id: int | None = None) -> dict:
        """One entry written by something else of the demo year (a published list), into the
        head's passbook as it stands; it reaches the database with the next `write_until`.
        Returns the entry's values (id, seq, score_delta …)."""
        book = self.by_head[head_id]
        kind = EntryKind.REVERSAL if reverses_id else \
            EntryKind.AWARD if requested > 0 else EntryKind.DEDUCTION
        book.add(kind, on, rule=_Rule(rule.id, rule.code, rule.text, rule.points) if rule else None,
                 requested=requested, note=note, reference=reference, idempotency_key=key,
                 reverses_id=reverses_id)
        return self.entries[-1]

    def _flush(self) -> None:
        with self.db.write() as session, insert_checks_suspended(session, LedgerEntry.__table__):
            insert_rows(session, Passbook.__table__, self.new_books)
            audit.add_rows(session, self.opened)
            for start in range(0, len(self.entries), 20000):
                insert_rows(session, LedgerEntry.__table__, self.entries[start:start + 20000])
            if self.entries:
                touched = {row["passbook_id"] for row in self.entries}
                session.execute(
                    text("UPDATE passbook SET score = :score, spent = :spent, last_seq = :seq, "
                         "last_hash = :hash WHERE id = :id"),
                    [dict(id=b.id, score=b.score, spent=b.spent, seq=b.seq, hash=b.last_hash)
                     for b in {b.id: b for b in self.books.values()}.values() if b.id in touched])
        self.new_books.clear()
        self.opened.clear()
        self.entries.clear()


COMMENDED_ON = date(DEMO_YEAR, 7, 1)


def _commendation_notices(session: Session) -> dict[int, tuple[str, str]]:
    """Each township's notice commending its outstanding alley heads, stored in each village as
    the evidence the commendation rule (A08) asks for (a village's files move with it to a
    township server): village id → (evidence path, SHA-256)."""
    found = {}
    for village_id, name in session.execute(select(AdminVillage.id, Township.name).join(Township)
                                            .order_by(AdminVillage.id)):
        text_ = (f"{name}党委\n关于表彰{DEMO_YEAR}年上半年优秀胡同长的通报\n"
                 f"{COMMENDED_ON:%Y年%m月%d日}\n各村党支部：经各村推荐、镇党委研究，"
                 "对人居环境整治工作中表现突出的胡同长予以通报表彰，记入积分存折。").encode()
        stored = files.store(session, FileContent(f"{name}优秀胡同长表彰通报.txt", text_, "text/plain"),
                             village_id, f"{name}党委")
        found[village_id] = (f"stored_file/{stored.id}", stored.sha256)
    return found
