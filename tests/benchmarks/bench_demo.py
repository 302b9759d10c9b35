"""Generating the demo: one town and the county (`main.py demo --scale 20`), each step timed (wall
and CPU), against a bare sqlite3 executemany of the same rows into the same empty schema.

    PYTHONPATH=. python tests/benchmarks/bench_demo.py [--scales 1,20]

Aim (foundation issue): a town under 2 s, the county well under a minute (< 40 s)."""

from __future__ import annotations

import argparse
import importlib
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from models.core.db import Database
from models.core.schema import migrate
from models.demo import activity


class Clock:
    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def read(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


def generate_timed(path: Path, scale: int) -> dict[str, tuple[float, float]]:
    """generate() with each activity step timed; 'towns' is the rest (org rows and audit)."""
    db = Database(path)
    migrate(db)
    steps: dict[str, tuple[float, float]] = {}

    def run_all(db: Database, seed: int) -> None:
        for name in activity.STEP_MODULES:
            clock = Clock()
            importlib.import_module(name).step(db, seed)
            steps[name.split(".")[1]] = clock.read()

    original, activity.run_all = activity.run_all, run_all
    try:
        clock = Clock()
        activity.generate(db, scale)
        total = clock.read()
    finally:
        activity.run_all = original
        db.dispose()
    steps["towns"] = (total[0] - sum(w for w, _ in steps.values()),
                      total[1] - sum(c for _, c in steps.values()))
    steps["total"] = total
    return steps


def bare_executemany(source: Path, target: Path) -> tuple[float, int]:
    """The same rows into the same tables and indexes (no triggers), one transaction."""
    read = sqlite3.connect(source)
    tables = [name for (name,) in read.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    ddl = [sql for (sql,) in read.execute(
        "SELECT sql FROM sqlite_master WHERE type IN ('table', 'index') AND sql IS NOT NULL "
        "ORDER BY type = 'index'")]
    data = {t: read.execute(f"SELECT * FROM {t}").fetchall() for t in tables}
    read.close()
    write = sqlite3.connect(target, isolation_level=None)
    write.execute("PRAGMA journal_mode = WAL")
    write.execute("PRAGMA synchronous = NORMAL")
    for statement in ddl:
        write.execute(statement)
    started = time.perf_counter()
    write.execute("BEGIN IMMEDIATE")
    for table, rows in data.items():
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            write.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    write.execute("COMMIT")
    seconds = time.perf_counter() - started
    write.close()
    return seconds, sum(len(rows) for rows in data.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,20", help="comma-separated scales (default 1,20)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench_demo_"))
    for scale in (int(s) for s in args.scales.split(",")):
        path = folder / f"demo{scale}.db"
        steps = generate_timed(path, scale)
        bare, rows = bare_executemany(path, folder / f"bare{scale}.db")
        wall, cpu = steps["total"]
        aim = 2 if scale == 1 else 40
        print(f"scale {scale}: {rows:,} rows, {wall:.2f} s wall, {cpu:.2f} s CPU (aim < {aim} s); "
              f"bare executemany {bare:.2f} s; ratio {wall / bare:.1f}×")
        for name, (step_wall, step_cpu) in steps.items():
            if name != "total":
                print(f"  {name:10} {step_wall:6.2f} s wall {step_cpu:6.2f} s CPU")
        for leftover in folder.glob(f"*{scale}.db*"):
            leftover.unlink()


if __name__ == "__main__":
    main()
