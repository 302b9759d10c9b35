"""A year of activity for the demo town. Each feature adds its step here; steps run in order
after the towns are written, each in its own transactions, deterministically from the seed."""

from __future__ import annotations

from collections.abc import Callable

from models.db import Database

Step = Callable[[Database, int], None]
STEPS: list[Step] = []


def run_all(db: Database, seed: int) -> None:
    for step in STEPS:
        step(db, seed)

# Each feature registers its step below, in the order the steps must run.
from models.demo import accounts as _accounts

STEPS.append(_accounts.step)
