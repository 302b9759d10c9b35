"""The demo town's year finished as the township finishes it in January: November's and
December's evaluations entered, then the fourth quarter's and the year's lists published."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models.core import clock
from models.core.access import Actor, Role
from models.org.tables import NaturalVillage
from models.ranking.service import RankingService

OFFICE = Actor(name="镇人居环境整治办公室", role=Role.TOWNSHIP_ADMIN)
YEAR = 2026


@contextmanager
def on_day(day: str) -> Iterator[None]:
    """The program's clock on `day` for the block (CUNZHI_TODAY), as it was after."""
    before = os.environ.get(clock.ENVIRONMENT_VARIABLE)
    os.environ[clock.ENVIRONMENT_VARIABLE] = day
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(clock.ENVIRONMENT_VARIABLE, None)
        else:
            os.environ[clock.ENVIRONMENT_VARIABLE] = before


def close_the_year(db) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(the 2026Q4 list id, the 2026 yearly list id), published on 15 January 2027."""
    service = RankingService(db, OFFICE)
    with db.read() as s:
        villages = [(nv.id, [z.id for z in nv.zones]) for nv in s.scalars(
            select(NaturalVillage).order_by(NaturalVillage.id)
            .options(selectinload(NaturalVillage.zones)))]
    for month in (11, 12):
        for number, (nv, zones) in enumerate(villages):
            service.enter_scores(nv, f"{YEAR}-{month}", [
                (zone, Decimal(70 + (number * 7 + index * 3 + month) % 25), 80, 85)
                for index, zone in enumerate(zones)])
    ids = []
    with on_day(f"{YEAR + 1}-01-15"):
        for period in (f"{YEAR}Q4", str(YEAR)):
            reasons = {m.unit_id: "人居环境整治排名靠后，群众满意度低"
                       for g in service.selection(period).groups for m in g.black}
            ids.append(service.publish(period, reasons))
    return ids[0], ids[1]
