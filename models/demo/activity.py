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


def _points(db: Database, seed: int) -> None:
    from models.demo import points  # imported late: models.demo.points imports the models

    points.step(db, seed)


STEPS.append(_points)


def _store(db: Database, seed: int) -> None:
    from models.demo import store  # after the points step: it turns its spends into redemptions

    store.step(db, seed)


STEPS.append(_store)
