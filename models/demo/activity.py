"""The demo town and its year: the organisation's towns first, then each area's demo step
(`step(db, seed)` in models/<area>/demo.py) in this order, deterministically."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from models.core.db import Database
from models.org.demo import write_towns

# The points year settles the three duties from the worklog step's log, so it runs after it,
# The points year settles the three duties from the worklog step's log, so it runs after it,
# interleaved with the red/black lists and the problems' closings (models.demo.year); the store
# turns the year's spends into redemptions; the people step assesses and honours the year's
# heads from all of that.
STEP_MODULES = ("models.accounts.demo", "models.worklog.demo", "models.demo.year",
                "models.store.demo", "models.people.demo")


def generate(db: Database, scale: int = 1, seed: int = 2023,
             progress: Callable[[int, int], None] | None = None) -> None:
    """Write `scale` demo towns into `db` in one transaction, then their year of activity.
    progress(steps done, steps in all) is called after each step."""
    write_towns(db, scale, seed)
    run_all(db, seed, progress)


def run_all(db: Database, seed: int, progress: Callable[[int, int], None] | None = None) -> None:
    # Imported when the demo is made, not at the start: the steps load every area's services.
    total = len(STEP_MODULES) + 1
    if progress:
        progress(1, total)
    for done, name in enumerate(STEP_MODULES, 2):
        importlib.import_module(name).step(db, seed)
        if progress:
            progress(done, total)
