"""The program outlives a long day of Qt calls: PySide6 6.12 loses a reference to None on each
call that returns it, which on Python 3.11 aborts the interpreter after a few thousand calls
(ui/__init__.py). A child process, as the program runs, makes far more than a day's worth."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

A_LONG_DAY = """
import ui
from PySide6.QtWidgets import QApplication, QComboBox, QLabel
app = QApplication([])
label, box = QLabel(), QComboBox()
box.addItem("韩家村", None)
for count in range(200_000):
    label.setText(str(count))
    box.currentData()
print("done")
"""


def test_two_hundred_thousand_qt_calls_returning_none_leave_the_program_running():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    child = subprocess.run([sys.executable, "-c", A_LONG_DAY], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=300, check=False)
    assert (child.returncode, child.stdout.strip()) == (0, "done"), child.stderr[-2000:]
