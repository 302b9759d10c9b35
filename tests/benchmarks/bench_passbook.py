"""Opening the passbook of a head with 2,000 entries, against a bare sqlite3 loop over the same
rows. Usage (county scale):
    python main.py demo --db /tmp/county.db --scale 20
    PYTHONPATH=. python tests/benchmarks/bench_passbook.py /tmp/county.db"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import time
from datetime import date

from sqlalchemy import select

from models.core.access import SYSTEM
from models.core.db import Database
from models.org.tables import Head
from models.points import ledger
from models.points.demo import DEMO_YEAR
from models.points.service import PointsService
from models.points.tables import EntryKind, Passbook

ENTRIES = 2000


def fill(db: Database) -> int:
    """Give the first head 2,000 entries (once) and return its id."""
    with db.write() as s:
        head = s.scalars(select(Head).where(Head.ended_on.is_(None)).order_by(Head.id)).first()
        book = ledger.passbook_for(s, SYSTEM, head, DEMO_YEAR)
        for index in range(ENTRIES - book.last_seq):
            ledger.append(s, SYSTEM, book, EntryKind.AWARD if index % 2 else EntryKind.DEDUCTION,
                          requested=1 if index % 2 else -1, occurred_on=date(DEMO_YEAR, 6, 1),
                          note="基准测试")
        return head.id


def timed(action, rounds: int = 20) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(path: str) -> None:
    db = Database(path)
    head_id = fill(db)
    service = PointsService(db, SYSTEM)
    with db.read() as s:
        book_id = s.scalar(select(Passbook.id).join(Head, Head.resident_id == Passbook.resident_id)
                           .where(Head.id == head_id, Passbook.year == DEMO_YEAR))
    program = timed(lambda: service.passbook(head_id, DEMO_YEAR))
    connection = sqlite3.connect(path)
    bare = timed(lambda: connection.execute(
        "SELECT * FROM ledger_entry WHERE passbook_id = ? ORDER BY seq", (book_id,)).fetchall())
    rows = len(service.passbook(head_id, DEMO_YEAR).entries)
    print(f"passbook with {rows} entries: {program * 1000:.1f} ms (aim < 100 ms); "
          f"bare sqlite3 loop {bare * 1000:.1f} ms; ratio {program / bare:.1f}×")


if __name__ == "__main__":
    main(sys.argv[1])
