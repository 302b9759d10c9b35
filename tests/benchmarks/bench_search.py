"""Search at county scale: the time per keystroke of PeopleSearch.find, against a bare loop that
prefix-scans every precomputed initials string once (PERFORMANCE.md: 9 ms per 100,000).

    PYTHONPATH=. python tests/benchmarks/bench_search.py [--db county.db]

Without --db a county (20 demo towns, ~148,000 residents) is generated in a temporary folder."""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from models.core.access import SYSTEM
from models.core.db import Database
from models.core.schema import migrate
from models.demo.activity import generate
from models.org.search import PeopleSearch
from models.org.tables import Resident


def timed(work, repeat: int = 20) -> float:  # type: ignore[no-untyped-def]
    """Median milliseconds of `work()`."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    if args.db:
        db = Database(args.db)
    else:
        db = Database(Path(folder.name) / "county.db")
        migrate(db)
        print("正在生成 20 个镇的演示数据…")
        generate(db, 20)
    with db.read() as s:
        initials = list(s.scalars(select(Resident.name_initials)))
    started = time.perf_counter()
    PeopleSearch(db, SYSTEM).find("han", village_id=1)
    print(f"只载入一个村并查第一个字：{1000 * (time.perf_counter() - started):.0f} ms")
    PeopleSearch.invalidate(db)
    search = PeopleSearch(db, SYSTEM)
    started = time.perf_counter()
    search.find("h")
    print(f"居民 {len(initials)} 人；全县第一次按键（载入索引）{time.perf_counter() - started:.2f} s，"
          "之后常驻内存，人员变动后重新载入")

    baseline = timed(lambda: [k for k in initials if k.startswith("h")])
    print(f"基准：对 {len(initials)} 个首字母做一次前缀扫描 {baseline:.1f} ms")

    han = next(h for h in search.find("han", limit=200) if h.name.startswith("韩") and h.phone)
    zeng = next(h for h in search.find("zeng", limit=50) if h.name.startswith("曾"))
    started = time.perf_counter()
    search.warm(han.village_id)
    print(f"本村索引（{han.village}）建立 {1000 * (time.perf_counter() - started):.0f} ms")
    cases = [("h", han), ("han", han), (han.phone[-4:], han), ("韩", han), ("z", zeng),
             ("zeng", zeng), ("ceng", zeng), (zeng.name, zeng), ("zsf", None)]
    print(f"{'输入':<8}{'范围':<6}{'用时 ms':>9}{'与基准之比':>10}  结果")
    worst = 0.0
    for text, person in cases:
        for scope, label in ((None, "全县"), (person and person.village_id, "本村")):
            hits = search.find(text, scope, limit=30)
            if person is None:
                ok = True
            elif text[:1].isdigit():
                ok = any(h.resident_id == person.resident_id for h in hits)
            else:
                ok = any(h.name[0] == person.name[0] for h in hits)
            ms = timed(lambda t=text, v=scope: search.find(t, v, limit=30))
            worst = max(worst, ms)
            print(f"{text:<10}{label:<6}{ms:>9.3f}{ms / baseline:>10.3f}  "
                  f"{len(hits)} 人{'' if ok else '  ✗ 没有找到应有的人'}")
    print(f"最慢一次按键 {worst:.3f} ms（目标 ≤ 50 ms），为基准的 {worst / baseline:.3f} 倍")
    folder.cleanup()


if __name__ == "__main__":
    main()
