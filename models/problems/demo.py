"""The demo's year of problems: in every village two dozen problems found from January to late
November, from every source (the street office's inspections, the WeChat group's 随手拍, the
heads' patrols, villagers' complaints, a notice from above), with photos the demo draws. Most are
fixed and closed on time, some late, a few go to the street office (街道督办), a few are sent
back or reopened, and the latest are still open, some of them overdue. Every step goes through
the same workflow as a user's, so the points are posted by the ledger's own posting, once per
problem. Also the 门前三包 pledges that came back, at a plausible rate. Deterministic."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.accounts.tables import Account, CadreVillage
from models.core.access import Actor, Role
from models.core.db import Database
from models.core.files import FileContent
from models.core.images import prepare_image
from models.demo.bulk import insert_rows
from models.org.tables import AdminVillage, Alley, Household, NaturalVillage, PledgeReturn, Zone
from models.points.demo import DEMO_YEAR, LAST_DAY
from models.problems import workflow
from models.problems.demo_photos import drawn
from models.problems.tables import Problem, ProblemCategory, ProblemSource, Responsible, Status
from models.problems.workflow import Assignment, ProblemInput

PER_VILLAGE = 24
OPEN_FROM = LAST_DAY - timedelta(days=40)  # problems found since then are partly still open
# Where the latest problems stand on the demo's last day, in turn, so that a town shows each.
STANDING = ("assigned", "verified", "closed", "rectified", "registered", "closed", "escalated",
            "assigned", "closed")
DESCRIPTIONS = {
    "垃圾乱堆乱放": ("门前堆放生活垃圾未及时清运", "建筑垃圾堆在路边", "垃圾桶外散落垃圾"),
    "柴草乱堆": ("柴草垛占用街道", "玉米秸秆堆放在房前", "树枝柴火堆放杂乱"),
    "污水乱排": ("生活污水直排街面", "洗衣水排到胡同里", "排水沟堵塞、污水外溢"),
    "私搭乱建": ("房前私搭彩钢棚", "占用公共空间搭建棚屋", "院墙外私自加盖"),
    "畜禽散养": ("鸡鸭散养在街道上", "羊在胡同里散放", "畜禽粪便未清理"),
    "门前卫生": ("门前卫生未打扫", "门前杂物未清理", "门前落叶、纸屑较多"),
    "设施损坏": ("路灯损坏不亮", "垃圾箱破损", "排水沟盖板缺失"),
    "秩序维护": ("农用车占道停放", "杂物占用胡同通道", "门前晾晒粮食占道"),
}
FIXES = {
    "垃圾乱堆乱放": "垃圾已清运，地面已清扫", "柴草乱堆": "柴草已挪进院内，码放整齐",
    "污水乱排": "已接入排水管，路面已冲洗", "私搭乱建": "棚子已拆除",
    "畜禽散养": "畜禽已圈养，粪便已清理", "门前卫生": "门前已打扫干净",
    "设施损坏": "已维修更换", "秩序维护": "车辆、杂物已挪走，通道畅通",
}
HEARD = {"街道巡查": "街道巡查办", "随手拍（拍客群）": "拍客群村民", "片区长胡同长巡查": "胡同长",
         "群众反映": "村民来电", "上级通报": "区人居办通报"}
SOURCE_WEIGHTS = {"街道巡查": 25, "随手拍（拍客群）": 30, "片区长胡同长巡查": 25, "群众反映": 14,
                  "上级通报": 6}
# What becomes of a problem found before OPEN_FROM, and how often.
FATES = {"on_time": 76, "late": 11, "sent_back": 5, "escalated": 3, "returned": 2,
         "reopened": 2, "overdue": 1}


@dataclass(frozen=True)
class _People:
    """Who does what in one village."""

    secretary: Actor
    clerk: Actor
    cadre: Actor
    patrol: Actor

    def registrar(self, source: str) -> Actor:
        return {"街道巡查": self.patrol, "随手拍（拍客群）": self.cadre, "上级通报": self.secretary,
                }.get(source, self.clerk)


def step(db: Database, seed: int) -> None:
    with db.read() as s:
        if s.scalar(select(Problem.id).limit(1)) is not None:
            return
        villages = list(s.scalars(select(AdminVillage).order_by(AdminVillage.id)))
    standing = _Standing()
    for village in villages:
        with db.write() as s:
            _village_year(s, village, random.Random(f"{seed}-problems-{village.id}"), standing)
    with db.write() as s:
        _pledge_returns(s, random.Random(f"{seed}-pledges"))


class _Standing:
    """The latest problems' standings in turn; an escalation waits for a problem a household or
    head answers for (the village does not refuse to mend its own facilities)."""

    def __init__(self) -> None:
        self.turn, self.waiting = 0, False

    def take(self, responsible: Responsible) -> str:
        if self.waiting and responsible is not Responsible.VILLAGE:
            self.waiting = False
            return "escalated"
        fate = STANDING[self.turn % len(STANDING)]
        self.turn += 1
        if fate == "escalated" and responsible is Responsible.VILLAGE:
            self.waiting = True
            return "assigned"
        return fate


def _village_year(s: Session, village: AdminVillage, rng: random.Random,
                  standing: _Standing) -> None:
    people = _people(s, village)
    categories = {c.name: c for c in s.scalars(select(ProblemCategory))}
    sources = {c.name: c for c in s.scalars(select(ProblemSource))}
    places = s.execute(select(Household.id, Household.alley_id).join(Alley).join(Zone)
                       .join(NaturalVillage).where(NaturalVillage.admin_village_id == village.id,
                                                   Household.removed_on.is_(None))
                       .order_by(Household.id)).all()
    if not places:
        return
    photos = _Photos(village.id)
    days = sorted(date(DEMO_YEAR, 1, 5) + timedelta(days=rng.randrange(
        (LAST_DAY - date(DEMO_YEAR, 1, 5)).days)) for _ in range(PER_VILLAGE))
    source_names = list(SOURCE_WEIGHTS)
    for index, found_on in enumerate(days):
        # The first five cycle through the sources, so every village has every one.
        source = source_names[index] if index < len(source_names) else \
            rng.choices(source_names, weights=list(SOURCE_WEIGHTS.values()))[0]
        category = rng.choice(list(DESCRIPTIONS))
        household_id, alley_id = rng.choice(places)
        at_door = category not in ("设施损坏", "秩序维护") or rng.random() < 0.5
        data = ProblemInput(
            found_on, sources[source].id, categories[category].id,
            rng.choice(DESCRIPTIONS[category]),
            household_id=household_id if at_door else None, alley_id=None if at_door else alley_id,
            place=rng.choice(("门前", "屋后", "院墙外")) if at_door else rng.choice(("胡同口", "胡同中段")),
            reporter=HEARD[source])
        before = [photos.before(category)] if source in ("街道巡查", "随手拍（拍客群）") \
            or rng.random() < 0.5 else []
        recorded = found_on + timedelta(days=1 if source == "随手拍（拍客群）" else 0)
        problem = workflow.register(s, people.registrar(source), data, before,
                                    on=min(recorded, LAST_DAY))
        responsible = Responsible.VILLAGE if category == "设施损坏" else \
            Responsible.HOUSEHOLD if at_door else Responsible.HEAD
        fate = rng.choices(list(FATES), weights=list(FATES.values()))[0] \
            if found_on < OPEN_FROM else standing.take(responsible)
        if responsible is Responsible.VILLAGE and fate in ("escalated", "returned"):
            fate = "late"  # the village's own facility: fixed late, not refused
        _Life(s, problem, people, rng, photos, FIXES[category]).live(responsible, fate)


class _Life:
    """One problem's steps after 登记, dated as an office would date them; a step that would
    fall after the demo's last day is not taken, so the latest problems stay open."""

    def __init__(self, s: Session, problem: Problem, people: _People, rng: random.Random,
                 photos: _Photos, fix: str):
        self.s, self.problem, self.people, self.rng = s, problem, people, rng
        self.photos, self.fix = photos, fix
        self.day = problem.found_on + timedelta(days=1 if problem.reporter == "拍客群村民" else 0)

    def on(self, days: int) -> date | None:
        self.day = self.day + timedelta(days=days)
        return self.day if self.day <= LAST_DAY else None

    def live(self, responsible: Responsible, fate: str) -> None:
        """Take the problem as far as its fate says (a recent one: to where it stands now)."""
        s, p, people, rng = self.s, self.problem, self.people, self.rng
        if fate == "registered":
            return  # not yet handed on
        workflow.assign(s, people.registrar("") if rng.random() < 0.5 else people.secretary, p,
                        Assignment(responsible), self.day)
        allowed = (p.deadline - self.day).days
        if fate in ("overdue", "assigned"):
            return  # nobody has fixed it yet: overdue once the deadline passes
        if fate in ("escalated", "returned"):
            if not self.escalate(allowed) or (fate == "escalated" and p.found_on >= OPEN_FROM):
                return
            if fate == "returned":
                workflow.return_escalation(s, people.patrol, p, self.day, "户主已表态整改，退回村里继续督促")
                allowed = (p.deadline - self.day).days
        late = fate == "late"
        if not self.rectify(rng.randint(allowed + 1, allowed + 9) if late else rng.randint(0, allowed)):
            return
        if fate == "sent_back" and not (self.verify(False) and self.rectify(rng.randint(0, 2))):
            return
        if fate == "rectified" or not self.verify(True) or fate == "verified":
            return
        self.close()
        if fate == "reopened" and (day := self.on(rng.randint(10, 30))):
            workflow.reopen(s, people.cadre, p, day, "群众反映问题复发")
            if self.rectify(rng.randint(0, 2)) and self.verify(True):
                self.close()

    def escalate(self, allowed: int) -> bool:
        """Reported once the deadline has passed, or (a recent one) before the demo's last day."""
        day = self.on(min(allowed + self.rng.randint(1, 4), max((LAST_DAY - self.day).days, 0)))
        if day is None:
            return False
        workflow.escalate(self.s, self.people.cadre, self.problem, day,
                          "多次督促仍拒不整改，报街道督办")
        return True

    def rectify(self, after: int) -> bool:
        day = self.on(after)
        if day is None:
            return False
        after_photos = [self.photos.after()] if self.rng.random() < 0.6 else []
        workflow.rectify(self.s, self.people.clerk, self.problem, day, self.fix, after_photos)
        return True

    def verify(self, passed: bool) -> bool:
        day = self.on(self.rng.randint(0, 2))
        if day is None:
            return False
        who = self.people.patrol if self.problem.escalated else self.people.secretary
        workflow.verify(self.s, who, self.problem, passed, day, "" if passed else "清理不彻底，重新整改")
        return True

    def close(self) -> None:
        day = self.on(self.rng.randint(0, 1))
        if day is not None and self.problem.status is Status.VERIFIED:
            who = self.people.patrol if self.problem.escalated else self.people.cadre
            workflow.close(self.s, who, self.problem, day)


class _Photos:
    """The village's drawings, prepared by the core importer once and stored (de-duplicated)
    with every problem that shows them."""

    def __init__(self, village_id: int):
        self.lane, self.made = village_id, {}

    def before(self, category: str) -> FileContent:
        return self._made(category, False)

    def after(self) -> FileContent:
        return self._made("", True)

    def _made(self, category: str, fixed: bool) -> FileContent:
        if (category, fixed) not in self.made:
            stamp = f"{self.lane:03d}{len(self.made):02d}"
            self.made[(category, fixed)] = prepare_image(
                drawn(category, self.lane, fixed=fixed), f"mmexport_{stamp}.jpg")
        return self.made[(category, fixed)]


def _people(s: Session, village: AdminVillage) -> _People:
    accounts = {a.username: a for a in s.scalars(select(Account))}
    assigned = {c.admin_village_id for c in s.scalars(select(CadreVillage).where(
        CadreVillage.ended_on.is_(None)))} if "baocun" in accounts else set()

    def user(name: str) -> int | None:
        return accounts[name].id if name in accounts else None

    first = user("hanjia") is not None and accounts["hanjia"].village_id == village.id
    secretary = Actor(village.secretary_name or f"{village.name}书记", Role.SECRETARY,
                      user("hanjia") if first else None, village.id)
    clerk = Actor(f"{village.name}文书", Role.CLERK, user("hanjia-wenshu") if first else None,
                  village.id)
    if village.id in assigned:
        cadre = accounts["baocun"].actor()
    else:
        cadre = Actor(f"{village.name}包村干部", Role.CADRE, None, village_ids=frozenset({village.id}))
    return _People(secretary, clerk, cadre, Actor("街道巡查办", Role.PATROL, user("xunchaban")))


def _pledge_returns(s: Session, rng: random.Random) -> None:
    """About nine in ten households returned the year's signed pledge in spring; most with all
    three copies, some without the household's or township's."""
    households = s.scalars(select(Household.id).where(Household.removed_on.is_(None))
                           .order_by(Household.id)).all()
    rows = []
    for household_id in households:
        if rng.random() >= 0.9:
            continue
        roll = rng.random()
        rows.append(dict(household_id=household_id, year=DEMO_YEAR,
                         returned_on=date(DEMO_YEAR, 2, 20) + timedelta(days=int(rng.expovariate(1 / 18))),
                         township_copy=roll < 0.96, village_copy=True, household_copy=roll < 0.9,
                         recorded_by="村文书", created_at=datetime(DEMO_YEAR, 3, 31)))
    for row in rows:
        row["returned_on"] = min(row["returned_on"], LAST_DAY)
    insert_rows(s, PledgeReturn.__table__, rows)
