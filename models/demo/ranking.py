"""The demo town's year 2024 of evaluations and published red/black lists. Deterministic; a few
months have ties on purpose (a full tie decided by the register order, and equal totals decided by
the villagers' score), and March is corrected after publication (version 2)."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import audit
from models.access import Actor, Role
from models.audit import AuditLog
from models.db import Database
from models.demo.bulk import insert_rows
from models.org import NaturalVillage
from models.ranking import Colour, Evaluation
from models.services.ranking import RankingService, parse_score

YEAR = 2024
OFFICE = Actor(name="镇人居环境整治办公室", role=Role.TOWNSHIP_ADMIN)
REASONS = ("垃圾清运不及时，路边有积存垃圾", "柴草乱堆乱放，整改不彻底", "门前三包落实不到位",
           "巡查发现污水乱排，群众反映较多", "胡同内杂物堆放，影响通行")


def _scores(rng: random.Random) -> list[Decimal]:
    return [Decimal(rng.randrange(1400, 1960, 5)) / 20 for _ in range(3)]  # 70.0–97.75 → .0/.5 steps


def step(db: Database, seed: int) -> None:
    rng = random.Random(f"{seed}-ranking")
    service = RankingService(db, OFFICE)
    with db.read() as s:
        villages = [(nv.id, nv.admin_village_id, [(z.id, z.name) for z in nv.zones])
                    for nv in s.scalars(select(NaturalVillage).order_by(NaturalVillage.id)
                                        .options(selectinload(NaturalVillage.zones)))]
    for month in range(1, 13):
        code = f"{YEAR}-{month:02d}"
        _enter_month(db, code, [(nv, av, named, _month_scores(index, month, [z for z, _ in named], rng))
                                for index, (nv, av, named) in enumerate(villages)])
        _publish(service, code, rng, date(YEAR + month // 12, month % 12 + 1, 5))
        if month == 3:
            _correct_march(service, rng)
    for quarter in range(1, 5):
        _publish(service, f"{YEAR}Q{quarter}", rng, date(YEAR + quarter // 4, quarter * 3 % 12 + 1, 8))
    _publish(service, str(YEAR), rng, date(YEAR + 1, 1, 15))
    for summary in service.published_lists():
        if summary.kind.value != "month" and summary.current:
            for entry in service.published_list(summary.id).entries:
                if entry.colour is Colour.BLACK:
                    month = f"{summary.published_on.year}-{summary.published_on.month:02d}"
                    service.record_pay_deduction(entry.id, month, "200.00" if summary.kind.value == "quarter" else "500.00")


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


def _publish(service: RankingService, period: str, rng: random.Random, on: date) -> None:
    selection = service.selection(period)
    reasons = {m.unit_id: rng.choice(REASONS) for g in selection.groups for m in g.black}
    service.publish(period, reasons, published_on=on)


def _correct_march(service: RankingService, rng: random.Random) -> None:
    """The villagers' score of one black zone was entered wrong; the list is corrected."""
    listed = service.latest_list(f"{YEAR}-03")
    black = next(e for e in listed.entries if e.colour is Colour.BLACK)
    nv_id = black.group_id
    rows = service.grid(nv_id, f"{YEAR}-03")
    fixed = [(r.zone_id, Decimal(98) if r.zone_id == black.unit_id else r.villagers, r.heads, r.secretary)
             for r in rows]
    service.enter_scores(nv_id, f"{YEAR}-03", fixed)
    selection = service.selection(f"{YEAR}-03")
    old = {e.unit_id: e.reason for e in listed.entries if e.colour is Colour.BLACK}
    reasons = {m.unit_id: old.get(m.unit_id) or rng.choice(REASONS) for g in selection.groups for m in g.black}
    service.publish(f"{YEAR}-03", reasons, change_note=f"{black.group_name}{black.unit_name}群众评议分录入有误，已核实更正",
                    published_on=date(YEAR, 4, 9))
