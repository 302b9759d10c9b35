"""A small village for the people tests: one natural village, two zones of two alleys, two
households an alley; every zone and alley has a head; a few party members."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from models.core import clock
from models.core.access import SYSTEM
from models.core.db import Database
from models.org.service import HouseholdInput, OrganisationService, ResidentInput
from models.org.tables import HeadRole, Resident
from models.points.service import PointsService, RuleInput

APPOINTED = date(2020, 3, 1)


@dataclass
class Village:
    township_id: int
    village_id: int
    natural_id: int
    zones: list[int] = field(default_factory=list)
    alleys: list[int] = field(default_factory=list)
    heads: dict[str, int] = field(default_factory=dict)  # "zone0", "alley3" → head id
    people: dict[str, int] = field(default_factory=dict)  # resident name → resident id


def build_village(db: Database, name: str = "韩家村", township: str = "测试镇") -> Village:
    org = OrganisationService(db, SYSTEM)
    town = org.create_township(township)
    village_id = org.create_admin_village(town, name, secretary_name="韩书记")
    natural = org.create_natural_village(village_id, "东庄")
    world = Village(town, village_id, natural)
    for z in range(2):
        zone = org.create_zone(natural, f"{'南北'[z]}片区")
        world.zones.append(zone)
        for a in range(2):
            alley = org.create_alley(zone, f"{'南北'[z]}{a + 1}胡同")
            world.alleys.append(alley)
            for _household in range(2):
                number = len(world.people) // 2
                householder = f"{'赵钱孙李周吴郑王'[number]}{'甲乙丙丁'[z * 2 + a]}"
                member = f"{householder}子"
                org.add_household(alley, HouseholdInput(householder, residents=[
                    ResidentInput(householder, relation="户主", is_party_member=number % 3 == 0),
                    ResidentInput(member, relation="子女", birth_year=1995)]))
                with db.read() as s:
                    for person in (householder, member):
                        world.people[person] = s.scalar(select(Resident.id).where(
                            Resident.name == person).order_by(Resident.id.desc()))
    people = list(world.people.values())
    for index, alley in enumerate(world.alleys):
        world.heads[f"alley{index}"] = org.appoint_head(HeadRole.ALLEY, alley, people[index * 4],
                                                        chosen_on=APPOINTED)
    for index, zone in enumerate(world.zones):
        world.heads[f"zone{index}"] = org.appoint_head(HeadRole.ZONE, zone, people[index * 8 + 2],
                                                       chosen_on=APPOINTED)
    return world


def post(db: Database, head_id: int, points: int, note: str = "测试", code: str = "") -> int:
    """An award or deduction of `points` today, by a rule made for it."""
    service = PointsService(db, SYSTEM)
    code = code or f"P{points:+d}".replace("+", "A").replace("-", "D")
    found = [r.id for r in service.rules() if r.code == code]
    rule = found[0] if found else service.save_rule(None, RuleInput(code, f"测试细则{code}", points))
    return service.post(head_id, rule, clock.today(), note)


def year() -> int:
    return clock.today().year
