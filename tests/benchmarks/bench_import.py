"""Roster import against the floor in PERFORMANCE.md: openpyxl read-only iteration over the same
file (“import ≤ 2 ×”). Exports N demo towns, then imports the file into an empty database.

    PYTHONPATH=. python tests/benchmarks/bench_import.py [--towns 2]"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import openpyxl

from models.core.access import SYSTEM
from models.core.db import Database
from models.core.schema import migrate
from models.demo.activity import generate
from models.org.roster import RosterService
from reports.org.roster_xlsx import write_roster


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--towns", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source = Database(Path(folder) / "source.db")
        migrate(source)
        generate(source, args.towns)
        path = Path(folder) / "roster.xlsx"
        started = time.perf_counter()
        rows = write_roster(path, RosterService(source, SYSTEM).export_rows())
        print(f"导出 {rows} 行：{time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        book = openpyxl.load_workbook(path, read_only=True)
        bare = sum(1 for _ in book.active.iter_rows(values_only=True))
        book.close()
        baseline = time.perf_counter() - started
        print(f"基准：openpyxl 只读遍历 {bare} 行 {baseline:.1f} s")

        target = Database(Path(folder) / "target.db")
        migrate(target)
        started = time.perf_counter()
        result = RosterService(target, SYSTEM).import_file(path)
        took = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"导入 {result.households} 户 {result.residents} 人：{took:.1f} s，"
              f"为基准的 {took / baseline:.2f} 倍；进程内存峰值 {peak:.0f} MB"
              + ("" if result.ok else f"；问题 {len(result.problems)} 个"))


if __name__ == "__main__":
    main()
