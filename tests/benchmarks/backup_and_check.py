"""Start-up costs of the accounts issue on the demo town (and a county with --scale 20):
quick_check, full integrity_check, a checked backup, one argon2 login. Prints each figure and
its ratio to a bare file copy of the same database."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from models.accounts.demo import DEMO_PASSWORD
from models.accounts.service import login
from models.backup import files as backup
from models.core.db import Database
from models.core.schema import migrate
from models.demo.activity import generate


def timed(action) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main(scale: int) -> None:
    folder = Path(tempfile.mkdtemp())
    path = folder / "cunzhi.db"
    db = Database(path)
    migrate(db)
    generate(db, scale)
    db.dispose()
    size_mb = path.stat().st_size / 1e6
    baseline = timed(lambda: shutil.copyfile(path, folder / "bare-copy.db"))
    figures = {
        "quick_check": timed(lambda: backup.file_problems(path)),
        "integrity_check": timed(lambda: backup.file_problems(path, full=True)),
        "checked backup": timed(lambda: backup.make_backup(path, "启动")),
        "login (argon2)": timed(lambda: login(Database(path), "hanjia", DEMO_PASSWORD)),
    }
    print(f"scale {scale}: {size_mb:.1f} MB, bare file copy {baseline * 1000:.0f} ms")
    for name, seconds in figures.items():
        print(f"  {name:16} {seconds * 1000:7.0f} ms   ×{seconds / baseline:6.1f} of the bare copy")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
