"""Benchmark: SQL round trips per operation on PostgreSQL, and their time on a line with a 30 ms
round trip (a village office on the township's network), through a relay that delays what the
program sends and counts the turns (tests/server/relay.py).

    PYTHONPATH=. python tests/benchmarks/bench_round_trips.py [--delay 0.03] [-n 10]

Prints, per operation, its round trips and the median time, and the ratio of that time to the
line's round trip (what the clerk waits for, in round trips). Aim: a redemption in at most 6
round trips; a batch post of ten heads in as many as of one. Before this (1 December 2026):
a redemption 20 statements (826 ms at 30 ms), a ten-head batch 111 (4.3 s)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("CUNZHI_TODAY", "2026-12-01")

from tests.pgserver import PostgresServer, find_bindir
from tests.server.round_trips import Bench

AIMS = {"兑换（3种物品）": 6}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--delay", type=float, default=0.03, help="the line's round trip, seconds")
    parser.add_argument("-n", type=int, default=10, help="runs per operation")
    args = parser.parse_args()
    bindir = find_bindir()
    if bindir is None:
        print("没有找到 PostgreSQL 服务器程序，无法测量。")
        return 1
    server = PostgresServer(bindir).start()
    try:
        bench = Bench(server, delay=args.delay)
        print(f"线路往返时间 {args.delay * 1000:.0f} ms，每项 {args.n} 次取中位数：")
        print(f"{'操作':<16}{'往返次数':>8}{'用时':>10}{'用时/往返':>12}")
        results = [bench.measure(name, call, args.n) for name, call in bench.operations().items()]
        for m in results:
            aim = f"（目标 ≤ {AIMS[m.name]} 次）" if m.name in AIMS else ""
            print(f"{m.name:<16}{m.round_trips:>8}{m.seconds * 1000:>9.0f} ms"
                  f"{m.seconds / args.delay:>10.1f} ×{aim}")
        one, ten = (next(m for m in results if m.name == n)
                    for n in ("批量登记积分（1人）", "批量登记积分（10人）"))
        print(f"批量登记：10 人 {ten.round_trips} 次往返，1 人 {one.round_trips} 次往返"
              f"（比值 {ten.round_trips / one.round_trips:.1f}，目标 1.0：与人数无关）")
        bench.close()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
