"""The demo county's red/black lists of DEMO_YEAR, every township on its own: the monthly lists
January – October and the first three quarters, each published early in the next month, March
corrected after publication as version 2 before the first quarter was published. `schedule`
hands the publications to models.demo.year in date order, which writes the passbooks up to each
day first: a list reads the points as they stood (the points component, the 约谈 list) and its
awards and deductions join the passbooks that day. The year has no yearly list yet (it is
published in January), so no secretary loses pay. Deterministic."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models.core import audit
from models.core.access import Actor, Role
from models.core.db import Database
from models.demo.bulk import insert_rows
from models.org.tables import AdminVillage, NaturalVillage
from models.points.demo import DEMO_YEAR
from models.ranking.service import RankingService, parse_score
from models.ranking.tables import Colour, Evaluation

LAST_MONTH = 10  # evaluations January – October of DEMO_YEAR
CORRECTED = f"{DEMO_YEAR}-03"
OFFICE = Actor(name="镇人居环境整治办公室", role=Role.TOWNSHIP_ADMIN)
REASONS = ("垃圾清运不及时，路边有积存垃圾", "柴草乱堆乱放，整改不彻底", "门前三包落实不到位",
           "巡查发现污水乱排，群众反映较多", "胡同内杂物堆放，影响通行")


def _scores(rng: random.Random) -> list[Decimal]:
    return [Decimal(rng.randrange(1400, 1960, 5)) / 20 for _ in range(3)]  # 70.0–97.75 → .0/.5 steps


def _next_month(month: int, day: int) -> date:
    return date(DEMO_YEAR + month // 12, month % 12 + 1, day)


def schedule(db: Database, seed: int) -> Iterator[tuple[date, Callable[[], None]]]:
    """The months' evaluations are written at once; then each publication, in date order, as
    (day, what to do that day)."""
    rng = random.Random(f"{seed}-ranking")
    service = RankingService(db, OFFICE)
    with db.read() as s:
        villages = [(nv.id, nv.admin_village_id, [(z.id, z.name) for z in nv.zones])
                    for nv in s.scalars(select(NaturalVillage).order_by(NaturalVillage.id)
                                        .options(selectinload(NaturalVillage.zones)))]
        town_of = dict(s.execute(select(AdminVillage.id, AdminVillage.township_id)).all())
    # Every unit that could be black, per township and kind: a reason is drawn for each, so a
    # period is computed once (by publish), not once more to learn which units came last.
    units: dict[int, dict[str, list[int]]] = {}
    for nv, av, named in villages:
        town = units.setdefault(town_of[av], {"month": [], "quarter": []})
        town["month"] += [z for z, _ in named]
        town["quarter"].append(nv)
    towns = sorted(units)
    for month in range(1, LAST_MONTH + 1):
        _enter_month(db, f"{DEMO_YEAR}-{month:02d}", [
            (nv, av, named, _month_scores(index, month, [z for z, _ in named], rng))
            for index, (nv, av, named) in enumerate(villages)])
    for month in range(1, LAST_MONTH + 1):
        code = f"{DEMO_YEAR}-{month:02d}"
        for town in towns:
            yield _next_month(month, 5), lambda town=town, code=code, month=month: _publish(
                service, town, code, _reasons(units[town]["month"], rng), _next_month(month, 5))
        if code == CORRECTED:
            for town in towns:
                yield _next_month(month, 7), lambda town=town, month=month: _correct(
                    service, town, rng, _next_month(month, 7))
        if month % 3 == 0:
            for town in towns:
                yield _next_month(month, 8), lambda town=town, month=month: _publish(
                    service, town, f"{DEMO_YEAR}Q{month // 3}", _reasons(units[town]["quarter"], rng),
                    _next_month(month, 8))


def _month_scores(index: int, month: int, zones: list[int], rng: random.Random) -> dict[int, list[Decimal]]:
    rows = {z: [Decimal(int(v * 2)) / 2 for v in _scores(rng)] for z in zones}
    if (index + month) % 11 == 0:  # full tie at the top: the register order decides
        best = max(zones, key=lambda z: (_total(rows[z]), -zones.index(z)))
        rows[next(z for z in zones if z != best)] = list(rows[best])
    elif (index + month) % 13 == 0:  # equal totals at the bottom, villagers' score decides
        worst = min(zones, key=lambda z: _total(rows[z]))
        v, h, sec = rows[worst]
        rows[next(z for z in zones if z != worst)] = [v + 3, h - 5, sec] if v <= 97 else [v - 3, h + 5, sec]
    return rows


def _enter_month(db: Database, month: str, villages: list) -> None:  # type: ignore[type-arg]
    """Every natural village's scores of a month, written as RankingService.enter_scores writes
    them (the same rows, one audit line per natural village), in bulk: the county has 640."""
    evaluations, audits = [], []
    for nv_id, av_id, named, rows in villages:
        names = dict(named)
        before, after = {}, {}
        for zone_id, values in rows.items():
            scores = [parse_score(v, "") for v in values]
            evaluations.append(dict(zone_id=zone_id, month=month, villagers=scores[0], heads=scores[1],
                                    secretary=scores[2], entered_by=OFFICE.name))
            before[names[zone_id]], after[names[zone_id]] = [None] * 3, scores
        if after:
            audits.append(audit.row(OFFICE, "录入评议分", "natural_village", nv_id, village_id=av_id,
                                    before={"month": month, **before}, after={"month": month, **after}))
    with db.write() as session:
        insert_rows(session, Evaluation.__table__, evaluations)
        audit.add_rows(session, audits)


def _total(values: list[Decimal]) -> Decimal:
    return values[0] * 5 + values[1] * 3 + values[2] * 2


def _reasons(unit_ids: list[int], rng: random.Random) -> dict[int, str]:
    return {unit_id: rng.choice(REASONS) for unit_id in unit_ids}


def _publish(service: RankingService, town: int, period: str, reasons: dict[int, str], on: date) -> None:
    service.publish(period, reasons, township_id=town, published_on=on)


def _correct(service: RankingService, town: int, rng: random.Random, on: date) -> None:
    """One red zone's scores had been entered far too high; the list is corrected (before the
    quarter containing the month is published, so nothing published reflects a correction
    made after it)."""
    listed = service.latest_list(CORRECTED, town)
    red = next(e for e in listed.entries if e.colour is Colour.RED)
    rows = service.grid(red.group_id, CORRECTED)
    fixed = [(r.zone_id, *((Decimal(60),) * 3 if r.zone_id == red.unit_id
                           else (r.villagers, r.heads, r.secretary))) for r in rows]
    service.enter_scores(red.group_id, CORRECTED, fixed)
    selection = service.selection(CORRECTED, town)
    old = {e.unit_id: e.reason for e in listed.entries if e.colour is Colour.BLACK}
    reasons = {m.unit_id: old.get(m.unit_id) or rng.choice(REASONS)
               for g in selection.groups for m in g.black}
    service.publish(CORRECTED, reasons, township_id=town,
                    change_note=f"{red.group_name}{red.unit_name}评议分录入有误，已核实更正",
                    published_on=on)
