"""The real print path against the bare loops, side by side in one run: `main.py print work-ids`
and `main.py print pledges` for the whole demo town (578 cards, 3,070 forms) as processes, and
bench_print.py's bare reportlab loops as processes of their own on the same cards and forms,
the same shipped fonts. CPU time (user + system) of each child process from
resource.getrusage(RUSAGE_CHILDREN); best of --repeat runs. Aims (PERFORMANCE.md, issue #18):
work IDs ≤ 2× and pledges ≤ 1.5× the bare loop's CPU time, the pledges' PDF ≤ 1.5× the bare one.

    python tests/benchmarks/bench_print_demo.py [--db demo.db] [--repeat N]

Exit status 1 when an aim is missed.
"""

import argparse
import dataclasses
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from models.core import clock  # noqa: E402
from models.core.access import SYSTEM  # noqa: E402
from models.core.db import Database  # noqa: E402
from models.printing.service import PrintService  # noqa: E402

AIMS = {"work-ids": 2.0, "pledges": 1.5}
SIZE_AIM = 1.5
LABELS = {"work-ids": "578 work IDs", "pledges": "3,070 pledges"}


def child_cpu(command: list[str]) -> float:
    """CPU seconds (user + system) the command's process took."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def export(db_path: Path, kind: str, target: Path) -> int:
    """The documents the program will print, saved for the bare loop (not timed)."""
    service = PrintService(Database(db_path), SYSTEM)
    everything, year = service.scope("all"), clock.today().year
    documents = service.work_ids(everything, year) if kind == "work-ids" else \
        service.pledges(everything, year)
    fields = [{k: v for k, v in dataclasses.asdict(d).items() if not isinstance(v, bytes)}
              for d in documents]
    target.write_text(json.dumps(fields, ensure_ascii=False), "utf-8")
    return len(documents)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing demo-town database")
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs of each side")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cunzhi_print_"))
    db = args.db or folder / "demo.db"
    if args.db is None:
        subprocess.run([sys.executable, "main.py", "demo", "--db", str(db)], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    missed = False
    for kind, aim in AIMS.items():
        data = folder / f"{kind}.json"
        count = export(db, kind, data)
        ours_pdf, bare_pdf = folder / f"{kind}.pdf", folder / f"{kind}-bare.pdf"
        program = [sys.executable, "main.py", "print", kind, "--scope", "all", "--db", str(db),
                   "-o", str(ours_pdf)]
        bare = [sys.executable, str(HERE / "bench_print.py"), "--bare", kind, str(data),
                str(bare_pdf)]
        ours = min(child_cpu(program) for _ in range(args.repeat))
        floor = min(child_cpu(bare) for _ in range(args.repeat))
        ratio = ours / floor
        missed |= ratio > aim
        print(f"{LABELS[kind]} ({count}, whole command): program {ours:.2f} s CPU, "
              f"bare loop {floor:.2f} s CPU, ratio {ratio:.2f} (aim ≤ {aim}) "
              f"{'ok' if ratio <= aim else 'MISSED'}")
        if kind == "pledges":
            size = ours_pdf.stat().st_size / bare_pdf.stat().st_size
            missed |= size > SIZE_AIM
            print(f"{LABELS[kind]} PDF: program {ours_pdf.stat().st_size / 1e6:.2f} MB, bare "
                  f"{bare_pdf.stat().st_size / 1e6:.2f} MB, size ratio {size:.2f} "
                  f"(aim ≤ {SIZE_AIM}) {'ok' if size <= SIZE_AIM else 'MISSED'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
