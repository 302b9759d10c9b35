"""Benchmark: one redemption at the counter on SQLite at county scale (20 towns), against a bare
loop of the essential work (a conditional relative UPDATE and a commit per iteration).

    PYTHONPATH=. python tests/benchmarks/bench_redeem.py [--db county.db] [--scale 20] [-n 300]

Prints the mean and median time per redemption, the ratio to the bare loop, and the time of the
counter's search per keystroke. A --db file is reused between runs (each run uses a fresh head)."""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import func, select

from models.core.access import SYSTEM
from models.core.db import Database
from models.core.schema import migrate
from models.demo.activity import generate
from models.org.tables import Head
from models.store.counter import CounterService
from models.store.tables import Goods
from tests.store.counter_setup import give_points, make_goods


def county(path: Path, scale: int) -> Database:
    db = Database(path)
    migrate(db)
    with db.read() as s:
        empty = s.scalar(select(Head.id).limit(1)) is None
    if empty:
        started = time.perf_counter()
        generate(db, scale)
        print(f"县级演示数据（{scale} 个镇）生成用时 {time.perf_counter() - started:.1f} 秒")
    return db


def bare_loop(folder: Path, n: int) -> list[float]:
    """The floor: the same durability settings, one conditional UPDATE and a commit per round."""
    connection = sqlite3.connect(folder / "bare.db", isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute("CREATE TABLE IF NOT EXISTS stock (id INTEGER PRIMARY KEY, qty INTEGER)")
    connection.execute("INSERT OR REPLACE INTO stock VALUES (1, ?)", (n,))
    times = []
    for _ in range(n):
        started = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        changed = connection.execute(
            "UPDATE stock SET qty = qty - 1 WHERE id = 1 AND qty >= 1").rowcount
        connection.execute("COMMIT")
        assert changed == 1
        times.append(time.perf_counter() - started)
    connection.close()
    return times


def redemptions(db: Database, n: int) -> list[float]:
    with db.read() as s:
        # A head not used by an earlier run on the same database.
        runs = s.scalar(select(func.count(Goods.id)).where(Goods.name.startswith("基准测试")))
        head = s.scalars(select(Head).where(Head.ended_on.is_(None)).order_by(Head.id)
                         .offset(runs)).first()
        village_id, head_id = head.admin_village_id, head.id
    give_points(db, head_id, n + 100)
    goods_id = make_goods(db, village_id, f"基准测试肥皂{time.time_ns()}", 1, stock=n + 20, unit="块")
    counter = CounterService(db, SYSTEM)
    for _ in range(10):  # warm: statement caches, the passbook
        counter.redeem(head_id, {goods_id: 1})
    times = []
    for _ in range(n):
        started = time.perf_counter()
        counter.redeem(head_id, {goods_id: 1})
        times.append(time.perf_counter() - started)
    return times


def searches(db: Database) -> list[float]:
    """The counter's search box, one keystroke at a time, in the county's busiest village."""
    with db.read() as s:
        village_id = s.scalar(select(Head.admin_village_id).order_by(Head.id))
    counter = CounterService(db, SYSTEM)
    times = []
    for typed in ("z", "zh", "zha", "w", "wa", "l", "li", "1", "13", "138", "1380"):
        started = time.perf_counter()
        counter.find_heads(village_id, typed, limit=8)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="an existing county database to reuse (SQLite file)")
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("-n", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = county(Path(args.db) if args.db else folder / "county.db", args.scale)
        program = redemptions(db, args.n)
        bare = bare_loop(folder, args.n)
        typing = searches(db)
        db.dispose()
    ms = 1000
    print(f"一次兑换（{args.n} 次）：平均 {statistics.mean(program) * ms:.2f} ms，"
          f"中位数 {statistics.median(program) * ms:.2f} ms，最慢 {max(program) * ms:.2f} ms")
    print(f"裸循环（条件 UPDATE + 提交）：平均 {statistics.mean(bare) * ms:.3f} ms")
    print(f"比值：{statistics.mean(program) / statistics.mean(bare):.1f} ×（目标：一次兑换 < 20 ms）")
    print(f"柜台搜索每次按键：平均 {statistics.mean(typing) * ms:.2f} ms，最慢 {max(typing) * ms:.2f} ms"
          "（目标 ≤ 50 ms）")


if __name__ == "__main__":
    main()
