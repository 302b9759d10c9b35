"""Starting the program on an existing demo town, whole process, to the main window shown and
closed, against a bare PySide6 main window shown and closed (PERFORMANCE.md: 0.20 s, 50 MiB;
aim ≤ 2× the time, ≤ 150 MiB).

    PYTHONPATH=. python tests/benchmarks/bench_startup.py [DEMO.db] [--repeat N]

The program's child runs ui.app's own steps (open_database: check, migrate; the start backup
in the background; the MainWindow; close_database: waits for it, backup on exit) with one
difference: it signs in as the demo secretary without the login dialog (argon2 and a human are
not start-up). Without DEMO.db a demo town is generated first (not timed). Peak RSS is each
child's own, from os.wait4. It also prints how long leaving takes and one backup of the file."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("村治通"))
window.resize(1200, 760)
window.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""

PROGRAM = """
import argparse, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from commands.common import data_folder
from models.core.data_folder import APP_NAME
from models.core import logs
from models.accounts.demo import DEMO_SECRETARY
from models.accounts.service import actor_for
from ui import app as program, style
from ui.context import AppContext
from ui.main_window import MainWindow
app = QApplication(sys.argv[:1])
app.setApplicationName(APP_NAME)
style.apply(app)
folder = data_folder()
program.install_crash_hook(logs.configure(folder))
db = program.open_database(argparse.Namespace(demo=False, db=sys.argv[1]), folder)
started = program.StartBackup(db)
window = MainWindow(AppContext(db, actor_for(db, DEMO_SECRETARY), folder))
window.show()
QTimer.singleShot(0, app.quit)
app.exec()
import time
leaving = time.perf_counter()
program.close_database(db, folder, False, started)
print(time.perf_counter() - leaving)
"""


def run_child(code: str, args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(seconds, peak MiB, what it printed) of one whole child process."""
    with tempfile.TemporaryFile() as errors, tempfile.TemporaryFile() as output:
        started = time.perf_counter()  # stderr: the offscreen plugin's chatter, shown on failure
        child = subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, env=env,
                                 stderr=errors, stdout=output)
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise SystemExit(f"child failed ({status}):\n{errors.read().decode(errors='replace')}")
        output.seek(0)
        return seconds, usage.ru_maxrss / 1024, output.read().decode()


def backup_seconds(database: Path) -> float:
    """One backup of the file as start and exit take it (copy, check of the copy, rotation)."""
    from models.backup import files as backup

    started = time.perf_counter()
    backup.make_backup(database, "测试", database.parent / "bench-backups", live=True)
    return time.perf_counter() - started


def demo_town(folder: Path) -> Path:
    """In a child of its own: a parent grown by the generator would inflate the peak RSS that
    the timed children report (a forked child starts with its parent's pages)."""
    path = folder / "demo.db"
    subprocess.run([sys.executable, str(ROOT / "main.py"), "demo", "--db", str(path)],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", nargs="?", help="an existing demo database (copied first)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each, median (default 5)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench_startup_"))
    source = Path(args.database) if args.database else demo_town(folder)
    target = folder / "cunzhi.db"
    target.write_bytes(source.read_bytes())
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               XDG_DATA_HOME=str(folder / "data"), HOME=str(folder))
    bare = [run_child(BARE, [], env) for _ in range(args.repeat)]
    program = [run_child(PROGRAM, [str(target)], env) for _ in range(args.repeat)]
    bare_s, bare_mib = statistics.median(s for s, _, _ in bare), max(m for _, m, _ in bare)
    prog_s = statistics.median(s for s, _, _ in program)
    prog_mib = max(m for _, m, _ in program)
    leaving = statistics.median(float(out) for _, _, out in program)
    one_backup = statistics.median(backup_seconds(target) for _ in range(args.repeat))
    size = target.stat().st_size / 2**20
    print(f"bare PySide6 window: {bare_s:.2f} s, {bare_mib:.0f} MiB")
    print(f"start on the demo town: {prog_s:.2f} s, {prog_mib:.0f} MiB (aim ≤ 2×, ≤ 150 MiB); "
          f"ratio {prog_s / bare_s:.1f}× time, {prog_mib / bare_mib:.1f}× memory")
    print(f"of which leaving (waiting for the start backup, exit backup): {leaving * 1000:.0f} ms; "
          f"one backup of the {size:.1f} MiB file: {one_backup * 1000:.0f} ms "
          "(the start backup runs beside the window)")


if __name__ == "__main__":
    main()
