"""Starting the program on an existing demo town, whole process, to the main window shown and
closed, against a bare PySide6 main window shown and closed (PERFORMANCE.md: 0.20 s, 50 MiB;
aim ≤ 2× the time, ≤ 150 MiB); and, in the same run, the CPU time of `main.py --help` and
`main.py stats` against a bare `python -c 'import sqlalchemy'` (a command that needs neither Qt,
reportlab nor openpyxl imports none of them).

    PYTHONPATH=. python tests/benchmarks/bench_startup.py [DEMO.db] [--repeat N]

The program's child runs ui.app's own steps (open_database: check, migrate; the start backup
in the background; the MainWindow; close_database: waits for it, backup on exit) with one
difference: it signs in as the demo secretary without the login dialog (argon2 and a human are
not start-up). Without DEMO.db a demo town is generated first (not timed). Peak RSS is each
child's own, from os.wait4. It also prints how long leaving takes and one backup of the file."""

from __future__ import annotations

import argparse
import compileall
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

# The first thing on screen: a bare window, and the program's splash as main.py shows it (its
# own imports and the parsed command line first). Each prints a line once painted.
BARE_SHOWN = """
import sys
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("村治通"))
window.show()
app.processEvents()
print("shown", flush=True)
"""

SPLASH_SHOWN = """
import sys
import main
main.build_parser([]).parse_args([])
from ui.splash import start
start()
print("shown", flush=True)
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

# The main window on screen, the start's own part: PROGRAM up to its window painted (leaving
# and the process's exit aside, which PROGRAM's whole-process time includes).
MAIN_SHOWN = PROGRAM.replace("window.show()\n",
                             "window.show()\napp.processEvents()\nprint('shown', flush=True)\n")
assert MAIN_SHOWN != PROGRAM, "PROGRAM no longer shows its window with window.show()"


def run_child(code: str, args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(seconds, peak MiB, what it printed) of one whole child process."""
    seconds, mib, _cpu, printed = run_process([sys.executable, "-c", code, *args], env)
    return seconds, mib, printed


def run_process(command: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """(wall seconds, peak MiB, CPU seconds, what it printed) of one whole child process."""
    with tempfile.TemporaryFile() as errors, tempfile.TemporaryFile() as output:
        started = time.perf_counter()  # stderr: the offscreen plugin's chatter, shown on failure
        child = subprocess.Popen(command, cwd=ROOT, env=env, stderr=errors, stdout=output)
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise SystemExit(f"child failed ({status}):\n{errors.read().decode(errors='replace')}")
        output.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        return seconds, usage.ru_maxrss / 1024, cpu, output.read().decode()


def until_shown(code: str, env: dict[str, str], args: list[str] | None = None) -> float:
    """Seconds from starting a child process to its first line (printed once it has painted)."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, *(args or [])], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = child.stdout.readline()
    seconds = time.perf_counter() - started
    child.wait()
    if line.strip() != b"shown":
        raise SystemExit(f"child did not show its window ({child.returncode})")
    return seconds


def first_window(env: dict[str, str], repeat: int, database: Path) -> None:
    bare = statistics.median(until_shown(BARE_SHOWN, env) for _ in range(repeat))
    splash = statistics.median(until_shown(SPLASH_SHOWN, env) for _ in range(repeat))
    main = statistics.median(until_shown(MAIN_SHOWN, env, [str(database)]) for _ in range(repeat))
    print(f"first window on screen: bare PySide6 {bare:.2f} s, main.py's start window "
          f"{splash:.2f} s (aim ≤ 2×); ratio {splash / bare:.1f}×")
    print(f"the main window on screen, on the demo town: {main:.2f} s; ratio {main / bare:.1f}× "
          "the bare window")


def cli_cpu(database: Path, env: dict[str, str], repeat: int) -> None:
    """Median CPU seconds of each command line against the bare SQLAlchemy import."""
    commands = {
        "bare python -c 'import sqlalchemy'": [sys.executable, "-c", "import sqlalchemy"],
        "main.py --help": [sys.executable, str(ROOT / "main.py"), "--help"],
        "main.py stats": [sys.executable, str(ROOT / "main.py"), "stats", "--db", str(database)],
    }
    cpu = {name: statistics.median(run_process(command, env)[2] for _ in range(repeat))
           for name, command in commands.items()}
    bare = cpu.pop("bare python -c 'import sqlalchemy'")
    print(f"bare python -c 'import sqlalchemy': {bare:.2f} s CPU")
    for name, seconds in cpu.items():
        print(f"{name}: {seconds:.2f} s CPU, ratio {seconds / bare:.1f}× the bare import")


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


def compile_the_program() -> None:
    """Bytecode for the program's own modules, as an installed program has it (pip compiles
    what it installs, the frozen build ships it): where PYTHONDONTWRITEBYTECODE is set, every
    start would otherwise compile them again, which no office PC does."""
    for package in ("commands", "models", "reports", "ui"):
        compileall.compile_dir(ROOT / package, quiet=1)
    compileall.compile_file(ROOT / "main.py", quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", nargs="?", help="an existing demo database (copied first)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each, median (default 5)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench_startup_"))
    compile_the_program()
    source = Path(args.database) if args.database else demo_town(folder)
    target = folder / "cunzhi.db"
    target.write_bytes(source.read_bytes())
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               XDG_DATA_HOME=str(folder / "data"), HOME=str(folder),
               CUNZHI_DATA=str(folder / "data"))  # never the machine's own data folder
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
    first_window(env, args.repeat, target)
    cli_cpu(target, env, args.repeat)


if __name__ == "__main__":
    main()
