"""The demo county's red/black lists, every township on its own: the whole year 2025 (twelve
monthly, four quarterly and the yearly list, March corrected after publication as version 2,
the black villages' secretaries' pay deductions) and 2026 up to October (monthly lists, the first
three quarters), so the page opens on recent months next to the points demo's 2026.
Deterministic; a few months have ties on purpose (a full tie decided by the register order, and
equal totals decided by the villagers' score)."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models.core import audit
from models.core.access import Actor, Role
from models.core.audit import AuditLog
from models.core.db import Database
from models.demo.bulk import insert_rows
from models.org.tables import AdminVillage, NaturalVillage
from models.ranking.service import RankingService, parse_score
from models.ranking.tables import Colour, Evaluation, Period

FIRST_YEAR, LAST_MONTH = 2025, (2026, 10)  # evaluations Jan 2025 – Oct 2026
CORRECTED = "2025-03"
OFFICE = Actor(name="镇人居环境整治办公室", role=Role.TOWNSHIP_ADMIN)
REASONS = ("垃圾清运不及时，路边有积存垃圾", "柴草乱堆乱放，整改不彻底", "门前三包落实不到位",
           "巡查发现污水乱排，群众反映较多", "胡同内杂物堆放，影响通行")


def _scores(rng: random.Random) -> list[Decimal]:
    return [Decimal(rng.randrange(1400, 1960, 5)) / 20 for _ in range(3)]  # 70.0–97.75 → .0/.5 steps


def _next_month(year: int, month: int, day: int) -> date:
    return date(year + month // 12, month % 12 + 1, day)


def step(db: Database, seed: int) -> None:
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
        town = units.setdefault(town_of[av], {"month": [], "quarter": [], "year": []})
        town["month"] += [z for z, _ in named]
        town["quarter"].append(nv)
        if av not in town["year"]:
            town["year"].append(av)
    towns = sorted(units)
    year, month, counter = FIRST_YEAR, 1, 0
    while (year, month) <= LAST_MONTH:
        counter += 1
        code = f"{year}-{month:02d}"
        _enter_month(db, code, [(nv, av, named, _month_scores(index, counter, [z for z, _ in named], rng))
                                for index, (nv, av, named) in enumerate(villages)])
        for town in towns:
            _publish(service, town, code, _reasons(units[town]["month"], rng), _next_month(year, month, 5))
            if code == CORRECTED:
                _correct_march(service, town, rng)
            if month % 3 == 0:
                _publish(service, town, f"{year}Q{month // 3}", _reasons(units[town]["quarter"], rng),
                         _next_month(year, month, 8))
            if month == 12:
                _publish(service, town, str(year), _reasons(units[town]["year"], rng), date(year + 1, 1, 15))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    for town in towns:
        _deduct_pay(service, town)


def _deduct_pay(service: RankingService, town: int) -> None:
    """The yearly black village's secretary loses pay (DOMAIN §7: the quarterly lists carry no
    deduction unless the township's setting says so, and the demo keeps the default)."""
    for summary in service.published_lists(town):
        if summary.kind is Period.YEAR and summary.current:
            for entry in service.published_list(summary.id).entries:
                if entry.colour is Colour.BLACK:
                    month = f"{summary.published_on.year}-{summary.published_on.month:02d}"
                    service.record_pay_deduction(entry.id, month, "500.00")


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
        insert_rows(session, AuditLog.__table__, audits)


def _total(values: list[Decimal]) -> Decimal:
    return values[0] * 5 + values[1] * 3 + values[2] * 2


def _reasons(unit_ids: list[int], rng: random.Random) -> dict[int, str]:
    return {unit_id: rng.choice(REASONS) for unit_id in unit_ids}


def _publish(service: RankingService, town: int, period: str, reasons: dict[int, str], on: date) -> None:
    service.publish(period, reasons, township_id=town, published_on=on)


def _correct_march(service: RankingService, town: int, rng: random.Random) -> None:
    """The villagers' score of one black zone was entered wrong; the list is corrected."""
    listed = service.latest_list(CORRECTED, town)
    black = next(e for e in listed.entries if e.colour is Colour.BLACK)
    nv_id = black.group_id
    rows = service.grid(nv_id, CORRECTED)
    fixed = [(r.zone_id, Decimal(98) if r.zone_id == black.unit_id else r.villagers, r.heads, r.secretary)
             for r in rows]
    service.enter_scores(nv_id, CORRECTED, fixed)
    selection = service.selection(CORRECTED, town)
    old = {e.unit_id: e.reason for e in listed.entries if e.colour is Colour.BLACK}
    reasons = {m.unit_id: old.get(m.unit_id) or rng.choice(REASONS)
               for g in selection.groups for m in g.black}
    service.publish(CORRECTED, reasons, township_id=town,
                    change_note=f"{black.group_name}{black.unit_name}群众评议分录入有误，已核实更正",
                    published_on=date(FIRST_YEAR, 4, 9))
