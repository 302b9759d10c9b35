"""Run every benchmark script in this folder and print a summary table.

    python tests/benchmarks/run.py [--county PATH] [--only WORD] [--keep]

Every *.py file here except this one (and names starting with "_") is a script that prints its
figures and the ratio to a bare baseline. The county (`main.py demo --scale 20`) is built once into
a temporary folder, or taken from --county. A script whose usage line in its docstring names a
county database (`bench_x.py /tmp/county.db`) is given its own copy of the county as its first
argument, since some scripts add rows; the others run without arguments. Exit status 1 when a
script fails."""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
COUNTY_USAGE = re.compile(r"\S+\.py\s+\S*county\S*\.db")
FIGURE = re.compile(r"×|倍|比值|目标|\bratio\b|\baim\b", re.IGNORECASE)


def scripts(only: str | None) -> list[Path]:
    found = sorted(p for p in HERE.glob("*.py") if p.name != Path(__file__).name
                   and not p.name.startswith("_"))
    return [p for p in found if only is None or only in p.stem]


def wants_county(script: Path) -> bool:
    docstring = ast.get_docstring(ast.parse(script.read_text(encoding="utf-8"))) or ""
    return bool(COUNTY_USAGE.search(docstring))


def build_county(folder: Path, env: dict[str, str]) -> Path:
    path = folder / "county.db"
    print(f"building the county (main.py demo --scale 20) into {path} …", flush=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "main.py"), "demo", "--db", str(path), "--scale", "20"],
                   cwd=ROOT, env=env, check=True)
    print(f"county built in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def copy_database(source: Path, target: Path) -> Path:
    """A consistent copy of a SQLite file, WAL included (the backup API, not a file copy)."""
    import sqlite3

    with sqlite3.connect(source) as reading, sqlite3.connect(target) as writing:
        reading.backup(writing)
    return target


def run(script: Path, args: list[str], env: dict[str, str]) -> tuple[int, float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(script), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    output = done.stdout + (f"\n{done.stderr}" if done.returncode else "")
    return done.returncode, seconds, output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--county", type=Path, help="an existing county database to reuse")
    parser.add_argument("--only", help="run only the scripts whose name contains this word")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    folder = Path(tempfile.mkdtemp(prefix="cunzhi_bench_"))
    chosen = scripts(args.only)
    county = args.county
    results = []
    try:
        if county is None and any(wants_county(s) for s in chosen):
            county = build_county(folder, env)
        for script in chosen:
            given = [str(copy_database(county, folder / f"{script.stem}.db"))] \
                if wants_county(script) else []
            print(f"\n=== {script.name} {' '.join(given)}", flush=True)
            code, seconds, output = run(script, given, env)
            print(output.rstrip(), flush=True)
            results.append((script.name, code, seconds, output))
            for leftover in folder.glob(f"{script.stem}.db*"):
                leftover.unlink()
    finally:
        if args.keep:
            print(f"\ntemporary folder kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print("\n" + summary(results))
    return 1 if any(code for _, code, _, _ in results) else 0


def summary(results: list[tuple[str, int, float, str]]) -> str:
    lines = [f"{'script':24} {'result':7} {'time':>8}  figures (lines with a ratio or an aim)",
             "-" * 100]
    for name, code, seconds, output in results:
        figures = [line.strip() for line in output.splitlines() if FIGURE.search(line)]
        if code:
            figures = [f"exit status {code}", *figures[:1]]
        first, *rest = figures or ["(no figure printed)"]
        lines.append(f"{name:24} {'ok' if code == 0 else 'FAILED':7} {seconds:7.1f}s  {first}")
        lines += [f"{'':42}{line}" for line in rest]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
