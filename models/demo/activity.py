"""The demo town and its year: the organisation's towns first, then each area's demo step
(`step(db, seed)` in models/<area>/demo.py) in this order, deterministically."""

from __future__ import annotations

import importlib

from models.core.db import Database
from models.org.demo import write_towns

# The points year settles the three duties from the worklog step's log, so it runs after it,
# interleaved with the red/black lists and the problems' closings (models.demo.year); the store
# turns the year's spends into redemptions, so it runs last.
STEP_MODULES = ("models.accounts.demo", "models.worklog.demo", "models.demo.year",
                "models.store.demo")


def generate(db: Database, scale: int = 1, seed: int = 2023) -> None:
    """Write `scale` demo towns into `db` in one transaction, then their year of activity."""
    write_towns(db, scale, seed)
    run_all(db, seed)


def run_all(db: Database, seed: int) -> None:
    # Imported when the demo is made, not at the start: the steps load every area's services.
    for name in STEP_MODULES:
        importlib.import_module(name).step(db, seed)
