"""The print centre from the database: the demo town's 578 work IDs (< 10 s) and 3,070 pledge
forms (< 30 s) through PrintService (load, render, atomic write, audit), each against the bare
reportlab loop drawing the same pages (bench_print.py's baselines).

    python tests/benchmarks/bench_print_demo.py [--db demo.db]   (a fresh demo town by default)
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_print import bare_pledges, bare_work_ids

from models.core import clock
from models.core.access import SYSTEM
from models.core.db import Database
from models.core.schema import migrate
from models.demo.activity import generate
from models.printing.service import PrintService
from reports.core import fonts
from reports.printing import print_document


def timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing demo-town database")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    if args.db:
        db = Database(args.db)
    else:
        db = Database(folder / "demo.db", must_exist=False)
        migrate(db)
        generate(db)
    font = fonts.primary_font("hei")  # registered outside the timings, for both sides
    fonts.primary_font("song"), fonts.primary_font("title")
    service = PrintService(db, SYSTEM)
    everything, year = service.scope("all"), clock.today().year
    cards, forms = service.work_ids(everything, year), service.pledges(everything, year)
    for kind, limit, bare in (("work-ids", 10, lambda: bare_work_ids(cards, font)),
                              ("pledges", 30, lambda: bare_pledges(forms, font))):
        target = folder / f"{kind}.pdf"
        ours, result = timed(lambda kind=kind, target=target: print_document(
            service, kind, everything, target, year=year))
        floor, _ = timed(bare)
        verdict = "ok" if ours < limit else "TOO SLOW"
        print(f"{result.kind}: {result.pages} pages from the database in {ours:.2f} s "
              f"(limit {limit} s) {verdict}; bare reportlab loop {floor:.2f} s, "
              f"ratio {ours / floor:.2f}")


if __name__ == "__main__":
    main()
