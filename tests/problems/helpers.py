"""A small township for the problem tests: two villages, each with a zone, two alleys, their
heads and a few households; the actors who register, fix, verify and supervise."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from models.core.access import SYSTEM, Actor, Role
from models.core.db import Database
from models.org.service import HouseholdInput, OrganisationService
from models.org.tables import HeadRole, Resident
from models.problems.service import Assignment, ProblemInput, ProblemsService
from models.problems.tables import Responsible


@dataclass(frozen=True)
class Village:
    village_id: int
    natural_id: int
    zone_id: int
    alleys: tuple[int, ...]
    households: tuple[int, ...]  # two per alley
    zone_head: int
    alley_heads: tuple[int, ...]


@dataclass(frozen=True)
class Town:
    home: Village
    other: Village
    source_id: int  # 随手拍（拍客群）
    category_id: int  # 垃圾乱堆乱放 (3 days)


def make_village(db: Database, org: OrganisationService, town: int, name: str, surname: str) -> Village:
    village = org.create_admin_village(town, name)
    natural = org.create_natural_village(village, name.removesuffix("村"))
    zone = org.create_zone(natural, "南片区")
    alleys, households, heads = [], [], []
    for number in (1, 2):
        alley = org.create_alley(zone, f"南{number}胡同")
        alleys.append(alley)
        for door in (1, 2):
            households.append(org.add_household(alley, HouseholdInput(
                f"{surname}{'甲乙丙丁'[len(households)]}{number}", f"南{number}胡同{door}号")))
        heads.append(org.appoint_head(HeadRole.ALLEY, alley, _resident(db, households[-1]),
                                      chosen_on=date(2024, 1, 1)))
    zone_head = org.appoint_head(HeadRole.ZONE, zone, _resident(db, households[0]),
                                 chosen_on=date(2024, 1, 1))
    return Village(village, natural, zone, tuple(alleys), tuple(households), zone_head, tuple(heads))


def make_town(db: Database) -> Town:
    org = OrganisationService(db, SYSTEM)
    town = org.create_township("整改镇")
    home = make_village(db, org, town, "韩家村", "韩")
    other = make_village(db, org, town, "李庄村", "李")
    service = ProblemsService(db, SYSTEM)
    source = next(s.id for s in service.sources() if s.name.startswith("随手拍"))
    category = next(c.id for c in service.categories() if c.name == "垃圾乱堆乱放")
    return Town(home, other, source, category)


def _resident(db: Database, household_id: int) -> int:
    with db.read() as s:
        return s.scalar(select(Resident.id).where(Resident.household_id == household_id))


def register(db: Database, town: Town, actor: Actor = SYSTEM, *, household: int | None = None,
             found_on: date = date(2026, 11, 2), assign: bool = True,
             deadline: date | None = None, photos: Sequence[Path] = ()) -> int:
    """A 随手拍 problem at a household of the home village, 交办 to the household."""
    data = ProblemInput(found_on, town.source_id, town.category_id, "门前堆放建筑垃圾",
                        household_id=household or town.home.households[0], place="门前",
                        reporter="村民（拍客群）")
    assignment = Assignment(Responsible.HOUSEHOLD, deadline=deadline) if assign else None
    return ProblemsService(db, actor).register(data, photos, assign=assignment,
                                               on=found_on).problem_id


FIXER = Actor("整改登记人", Role.TOWNSHIP_ADMIN, user_id=9001)
CHECKER = Actor("复核人", Role.TOWNSHIP_ADMIN, user_id=9002)


def fix_and_verify(db: Database, problem_id: int, fixed_on: date, verified_on: date) -> None:
    ProblemsService(db, FIXER).rectify(problem_id, "已清理干净", on=fixed_on)
    ProblemsService(db, CHECKER).verify(problem_id, True, on=verified_on)
