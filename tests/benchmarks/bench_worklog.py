"""三个一 log at county scale (20 demo towns, 7,700 alley heads): a village's month grid opening,
a township's month settlement preview, a clerk's tick saved, and how much the database grows per
town-year — the log's own tables, a clerk's ticks typed one by one, and the ledger entries the
settlement posts. Usage (county scale):
    python main.py demo --db /tmp/county.db --scale 20
    PYTHONPATH=. python tests/benchmarks/bench_worklog.py /tmp/county.db"""

from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable

os.environ.setdefault("CUNZHI_TODAY", "2026-12-01")  # the demo's log runs to November 2026

from sqlalchemy import select

from models.core.access import SYSTEM
from models.core.db import Database
from models.org.tables import AdminVillage, Township
from models.worklog.calendar import Month, bit
from models.worklog.log import WorkLogService
from models.worklog.settlement import SettlementService

MONTH = Month(2026, 11)
TICKS = 2000


def timed(action: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def sizes(path: str) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        return dict(connection.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"))


def table_bytes(found: dict[str, int], table: str) -> int:
    """A table with its indexes (SQLite names them after it, or ix_/sqlite_autoindex_ + it)."""
    return sum(size for name, size in found.items()
               if name == table or name.startswith((f"ix_{table}", f"sqlite_autoindex_{table}_")))


def grid_figures(db: Database, path: str, villages: list[int]) -> None:
    service = WorkLogService(db, SYSTEM)
    service.grid(villages[0], MONTH)  # warm the mappers and the statement cache
    turn = iter(villages * 10)
    program = timed(lambda: service.grid(next(turn), MONTH), 40)
    connection = sqlite3.connect(path)
    heads = [r[0] for r in connection.execute(
        "SELECT id FROM head WHERE admin_village_id = ? AND role = 'alley'", (villages[0],))]
    marks = ",".join("?" * len(heads))
    bare = timed(lambda: connection.execute(
        f"SELECT head_id, days FROM worklog_patrol WHERE month = ? AND head_id IN ({marks})",
        (MONTH.key, *heads)).fetchall(), 40)
    rows = len(service.grid(villages[0], MONTH).rows)
    print(f"village month grid ({rows} alley heads × {MONTH.days} days, summaries, visits): "
          f"{program * 1000:.1f} ms (aim < 100 ms); bare sqlite3 read of the masks "
          f"{bare * 1000:.2f} ms; ratio {program / bare:.0f}×")


def preview_figures(db: Database, townships: list[int]) -> None:
    service = SettlementService(db, SYSTEM)
    turn = iter(townships * 3)
    program = timed(lambda: service.preview(MONTH, township_id=next(turn)), 5)
    settled = timed(lambda: service.preview(MONTH.previous(), township_id=townships[0]), 3)
    heads = len(service.preview(MONTH, township_id=townships[0]).heads)
    print(f"township month settlement preview ({heads} alley heads, nothing yet settled): "
          f"{program:.2f} s (aim < 2 s); a month already settled: {settled:.2f} s")


def tick_figures(db: Database, path: str, township: int) -> float:
    """Ticks typed one by one through the service: time and bytes per tick."""
    service = WorkLogService(db, SYSTEM)
    with db.read() as s:
        villages = list(s.scalars(select(AdminVillage.id).where(AdminVillage.township_id == township)))
    free = [(row.head_id, day) for village in villages
            for row in service.grid(village, MONTH).rows
            for day in range(1, MONTH.days + 1) if not row.log.patrols & bit(day)][:TICKS]
    before = sizes(path)
    started = time.perf_counter()
    for head_id, day in free:
        service.set_patrol(head_id, MONTH.day(day), True)
    seconds = (time.perf_counter() - started) / len(free)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    grown = sum(table_bytes(sizes(path), t) - table_bytes(before, t)
                for t in ("worklog_patrol_change", "worklog_patrol"))
    per_tick = grown / len(free)
    print(f"a tick saved (one transaction, one journal row): {seconds * 1000:.1f} ms; "
          f"{per_tick:.0f} bytes a tick ({len(free)} ticks typed)")
    return per_tick


def storage_figures(path: str, found: dict[str, int], towns: int, per_tick: float) -> None:
    months = 11  # the demo's log: January to November
    log_tables = [n for n in found if "worklog" in n and not n.startswith(("ix_", "sqlite_auto"))]
    log = sum(table_bytes(found, t) for t in log_tables)
    town_year = log / towns * 12 / months
    with sqlite3.connect(path) as connection:
        settled, entries = connection.execute(
            "SELECT (SELECT COUNT(*) FROM worklog_settlement_line WHERE entry_id IS NOT NULL), "
            "(SELECT COUNT(*) FROM ledger_entry)").fetchone()
        audits = connection.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    ledger_row = table_bytes(found, "ledger_entry") / entries
    audit_row = table_bytes(found, "audit_log") / max(audits, 1)
    typed = 385 * 365 * per_tick
    patrols = table_bytes(found, "worklog_patrol") + table_bytes(found, "worklog_patrol_change")
    print(f"the log's tables: {log / 1e6:.1f} MB for {towns} towns × {months} months = "
          f"{town_year / 1e6:.2f} MB per town-year (aim: a few MB), of which patrols "
          f"{patrols / towns * 12 / months / 1e6:.2f} MB")
    print(f"a town's patrols typed cell by cell all year (385 heads × 365 days, every one a tick): "
          f"{typed / 1e6:.1f} MB per town-year in the journal; as audit rows instead "
          f"({audit_row:.0f} bytes each) it would be {385 * 365 * audit_row / 1e6:.1f} MB")
    print(f"the settlement's ledger entries (one per head, month and rule): "
          f"{settled / towns * 12 / months:.0f} per town-year × {ledger_row:.0f} bytes = "
          f"{settled * ledger_row / towns * 12 / months / 1e6:.1f} MB per town-year "
          f"(one entry per patrol-day would be {385 * 365 * ledger_row / 1e6:.0f} MB)")


def main(path: str) -> None:
    db = Database(path)
    with db.read() as s:
        villages = list(s.scalars(select(AdminVillage.id).order_by(AdminVillage.id)))
        townships = list(s.scalars(select(Township.id).order_by(Township.id)))
    grid_figures(db, path, villages[:: max(len(villages) // 20, 1)])
    preview_figures(db, townships[:3])
    before_ticks = sizes(path)
    storage_figures(path, before_ticks, len(townships), tick_figures(db, path, townships[-1]))


if __name__ == "__main__":
    main(sys.argv[1])
