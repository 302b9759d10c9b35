"""A killed program loses at most the cell being typed: a clerk types into the grid in another
process, which is killed (SIGKILL) in the middle of the typing; every cell it reported saved is
in the database, at most one more, and the log's journal still replays to its masks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from models.check import run_checks
from models.core.access import SYSTEM
from models.worklog.calendar import Month, bit
from models.worklog.log import WorkLogService
from tests.worklog.helpers import make_village

ROOT = Path(__file__).resolve().parents[2]
KILL_AFTER = 40  # cells reported saved


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_killed_clerk_loses_at_most_the_cell_being_typed(db):  # type: ignore[no-untyped-def]
    if not db.is_sqlite:
        pytest.skip("the program's own file: a PostgreSQL server keeps what it committed")
    village = make_village(db, heads=3, households=1)
    db.dispose()
    typist = subprocess.Popen(
        [sys.executable, "-m", "tests.worklog.grid_typist", str(db.path), str(village.id)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"})
    saved = []
    for line in typist.stdout:
        saved.append(tuple(int(x) for x in line.split()[1:]))
        if len(saved) == KILL_AFTER:
            typist.send_signal(signal.SIGKILL)
            break
    typist.wait(timeout=30)
    assert len(saved) == KILL_AFTER, typist.stderr.read()
    month = Month(2026, 11)
    rows = WorkLogService(db, SYSTEM).grid(village.id, month).rows
    stored = {(row, day) for row, log in enumerate(rows) for day in range(1, 31)
              if log.log.patrols & bit(day)}
    assert set(saved) <= stored
    assert len(stored - set(saved)) <= 1  # the cell being typed when the process died
    assert run_checks(db) == []
