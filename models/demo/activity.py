"""A year of activity for the demo town. Each feature has a module models/demo/<name>.py with
`step(db, seed)`; the steps run in this order after the towns are written, deterministically."""

from __future__ import annotations

import importlib

from models.db import Database

STEP_MODULES = ("accounts", "points", "store", "ranking")  # store turns spends into redemptions


def run_all(db: Database, seed: int) -> None:
    # Imported here, not at the top: the step modules import the models, which import this one.
    for name in STEP_MODULES:
        importlib.import_module(f"models.demo.{name}").step(db, seed)
