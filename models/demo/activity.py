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

from models.demo import ranking as _ranking  # noqa: E402  (each feature appends its step)

STEPS.append(_ranking.step)
