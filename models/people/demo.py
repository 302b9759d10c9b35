"""The demo's people: for the points demo's year, every village's yearly assessment (results from
the survey, questionnaire and villagers' meeting, drawn in line with each head's score, then
confirmed: 优秀 proposed for honours, 不称职 flagged for the village to replace; the demo replaces
nobody, so the heads of the work log's demo stay as they are), the top scorers and each village's
best-assessed zone head nominated, every nomination approved by the township with its reward and
the list published; and the reserve talent pool of
the report (108 in the pool, 65 reserve cadres, 90 recommended for party membership, DOMAIN.md
§8), with a status history and a few who left. Nobody who may not be honoured that year is
honoured or entered. Deterministic."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.core import audit
from models.core.access import Actor, Role
from models.core.db import Database
from models.org.tables import (
    AdminVillage,
    Alley,
    Head,
    Household,
    NaturalVillage,
    Resident,
    Zone,
)
from models.people.assessment import AssessmentService, assessed_heads
from models.people.eligibility import Eligibility, eligibility
from models.people.honours import HonoursService, decide_nomination
from models.people.tables import (
    Assessment,
    AssessmentGrade,
    EvidenceKind,
    HonourNomination,
    NominationStatus,
    TalentCategory,
    TalentStatus,
)
from models.people.talent import change, enter_person
from models.points.demo import DEMO_YEAR
from models.points.tables import LedgerEntry, Passbook
from models.ranking.tables import Colour, Period, RankingEntry, RankingList

OFFICE = Actor(name="镇人居环境整治办公室", role=Role.TOWNSHIP_ADMIN)
CONFIRMED_ON = date(DEMO_YEAR, 11, 28)  # the points demo's year runs to 27 November
DECIDED_ON = PUBLISHED_ON = date(DEMO_YEAR, 11, 30)
# The report's pool, per town: the pool proper (优秀典型), reserve cadres, recommendations.
POOL = {TalentCategory.MODEL: 108, TalentCategory.RESERVE_CADRE: 65,
        TalentCategory.PARTY_CANDIDATE: 90}
LEAVERS = 3  # entries per town that left the pool again (出库), not counted
REWARDS = {"年度优秀片区长": ("荣誉证书、米面油", "200.00"),
           "年度优秀胡同长": ("荣誉证书、米面油", "150.00"),
           "年度积分最高奖": ("荣誉证书、电水壶", "300.00"),
           "全镇年度积分最高奖": ("荣誉证书、奖金", "500.00")}
LEAVING_REASONS = ("迁居外地，本人申请出库", "外出务工，难以参加培养", "身体原因，本人申请退出")


def step(db: Database, seed: int) -> None:
    with db.read() as s:
        towns: dict[int, list[tuple[int, str]]] = {}
        for village_id, township_id, secretary in s.execute(
                select(AdminVillage.id, AdminVillage.township_id, AdminVillage.secretary_name)
                .order_by(AdminVillage.township_id, AdminVillage.sort_order, AdminVillage.id)):
            towns.setdefault(township_id, []).append((village_id, secretary or "村党支部书记"))
    for town, villages in towns.items():
        rng = random.Random(f"{seed}-people-{town}")
        for village_id, secretary in villages:
            _assess(db, village_id, Actor(secretary, Role.SECRETARY, village_id=village_id), rng)
        for village_id, secretary in villages:
            actor = Actor(secretary, Role.SECRETARY, village_id=village_id)
            HonoursService(db, actor).nominate_top_scorers(DEMO_YEAR, village_id, on=CONFIRMED_ON)
            _nominate_zone_heads(db, village_id, actor)
        HonoursService(db, OFFICE).nominate_top_scorers(DEMO_YEAR, township_id=town, on=CONFIRMED_ON)
        _approve_all(db, [v for v, _ in villages])
        HonoursService(db, OFFICE).publish(DEMO_YEAR, township_id=town, published_on=PUBLISHED_ON)
        _pool(db, villages, rng)


# ---- the assessment -------------------------------------------------------------------------------
def _assess(db: Database, village_id: int, secretary: Actor, rng: random.Random) -> None:
    with db.read() as s:
        heads = assessed_heads(s, village_id, DEMO_YEAR)
        scores = dict(s.execute(select(Passbook.resident_id, Passbook.score).where(
            Passbook.year == DEMO_YEAR, Passbook.admin_village_id == village_id)).all())
    rows = [(h.head_id, _votes(scores.get(h.resident_id, 30), rng)) for h in heads]
    service = AssessmentService(db, secretary)
    service.enter_results(village_id, DEMO_YEAR, rows)
    service.confirm(village_id, DEMO_YEAR, on=CONFIRMED_ON)


def _votes(score: int, rng: random.Random) -> list[int]:
    """Nine counts: villagers see what the passbook says, and each head's standing with them."""
    standing = rng.random() ** 2
    counts = []
    for low, high in ((30, 50), (20, 40)):  # households surveyed, questionnaires returned
        n = rng.randint(low, high)
        pleased = min(0.99, max(0.2, 0.5 + 0.25 * score / 100 + 0.3 * standing
                                + rng.uniform(-0.03, 0.03)))
        satisfied = round(n * pleased)
        fair = round((n - satisfied) * rng.uniform(0.55, 0.8))
        counts += [satisfied, fair, n - satisfied - fair]
    voters = rng.randint(40, 80)
    share = min(0.99, max(0.3, 0.52 + 0.25 * score / 100 + 0.3 * standing
                          + rng.uniform(-0.03, 0.03)))
    votes_for = round(voters * share)
    against = round((voters - votes_for) * rng.uniform(0.4, 0.8))
    return [*counts, votes_for, against, voters - votes_for - against]


def _nominate_zone_heads(db: Database, village_id: int, secretary: Actor) -> None:
    """The village also puts forward its best-assessed zone head for 年度优秀片区长 (an 优秀
    zone head is proposed already by the assessment)."""
    honours = HonoursService(db, secretary)
    kind = next(k.id for k in honours.kinds() if k.name == "年度优秀片区长")
    with db.read() as s:
        best = s.execute(select(AssessmentGrade.resident_id, AssessmentGrade.total)
                         .join(Assessment, Assessment.id == AssessmentGrade.assessment_id)
                         .where(Assessment.admin_village_id == village_id,
                                Assessment.year == DEMO_YEAR, AssessmentGrade.role == "片区长")
                         .order_by(AssessmentGrade.total.desc(), AssessmentGrade.id)).first()
        done = s.scalar(select(HonourNomination.id).where(
            HonourNomination.year == DEMO_YEAR, HonourNomination.kind_id == kind,
            HonourNomination.admin_village_id == village_id))
        allowed = eligibility(s, DEMO_YEAR, [best.resident_id])[best.resident_id].eligible
    if done is None and allowed:
        honours.nominate(DEMO_YEAR, kind, best.resident_id,
                         f"带领片区开展人居环境整治，群众满意度高，综合测评{best.total:.2f}分，全村片区长第一。",
                         on=CONFIRMED_ON)


# ---- honours ---------------------------------------------------------------------------------------
def _approve_all(db: Database, villages: list[int]) -> None:
    with db.write() as s:
        pending = list(s.scalars(select(HonourNomination).where(
            HonourNomination.year == DEMO_YEAR, HonourNomination.admin_village_id.in_(villages),
            HonourNomination.status == NominationStatus.NOMINATED).order_by(HonourNomination.id)))
        known = eligibility(s, DEMO_YEAR, [n.resident_id for n in pending])
        for nomination in pending:
            what, value = REWARDS[nomination.kind.name]
            decide_nomination(s, OFFICE, nomination, True, note="经镇党委研究同意",
                              reward_what=what, reward_value=value, on=DECIDED_ON, known=known)


# ---- the talent pool ------------------------------------------------------------------------------
ENTERED_ON = date(DEMO_YEAR, 7, 1)  # the mid-year review
TRAINING_ON, RECOMMENDED_ON, APPOINTED_ON = (date(DEMO_YEAR, 9, 1), date(DEMO_YEAR, 10, 15),
                                             date(DEMO_YEAR, 11, 30))
LEFT_ON = date(DEMO_YEAR, 10, 10)
VOLUNTEER = "积极参加人居环境整治义务劳动，带动邻里清理房前屋后，群众评价好（村党支部推荐）"


@dataclass(frozen=True)
class _Person:
    resident_id: int
    village_id: int
    party_member: bool
    head: bool


def _pool(db: Database, villages: list[tuple[int, str]], rng: random.Random) -> None:
    """Each register's town total shared among the villages by their number of heads; in each
    village the best-scoring eligible heads, then other adults who fit the register."""
    ids = [v for v, _ in villages]
    with db.write() as s:
        people, known = _candidates(s, ids)
        heads = [sum(p.head for p in people if p.village_id == v) for v in ids]
        evidence = _mid_year_evidence(s, ids)
        made = []
        for category, total in POOL.items():
            for index, (village_id, quota) in enumerate(zip(ids, _shares(total, heads), strict=True)):
                extra = 1 if category is TalentCategory.MODEL and index < LEAVERS else 0
                fits = [p for p in people if p.village_id == village_id and _fits(p, category)]
                # Three in four from the heads, the rest from the village's other people.
                from_heads = [p for p in fits if p.head][:quota * 3 // 4]
                chosen = from_heads + [p for p in fits if not p.head][:quota + extra - len(from_heads)]
                made += [(p, category, n >= quota) for n, p in enumerate(chosen)]
        for person, category, leaves in made:
            by = dict(villages)[person.village_id]
            kind, text = evidence.get(person.resident_id, (EvidenceKind.OTHER, VOLUNTEER))
            entry = enter_person(s, by, person.resident_id, person.village_id, category,
                                 ENTERED_ON, kind, text, known)
            audit.record(s, Actor(by, Role.SECRETARY, village_id=person.village_id), "人才库入库",
                         "talent_entry", entry.id, village_id=person.village_id,
                         after={"category": category.label, "on": ENTERED_ON, "evidence": text})
            for status, on, note in _history(category, leaves, rng):
                change(s, by, entry, status, on, note)


def _fits(person: _Person, category: TalentCategory) -> bool:
    if category is TalentCategory.RESERVE_CADRE:
        return person.party_member
    if category is TalentCategory.PARTY_CANDIDATE:
        return not person.party_member
    return True


def _history(category: TalentCategory, leaves: bool, rng: random.Random) -> list[tuple]:  # type: ignore[type-arg]
    if leaves:
        return [(TalentStatus.LEFT, LEFT_ON, rng.choice(LEAVING_REASONS))]
    steps = []
    if category is TalentCategory.MODEL:
        if rng.random() < 0.3:
            steps.append((TalentStatus.RECOMMENDED, RECOMMENDED_ON, "推荐为镇级人居环境整治优秀典型人选"))
        return steps
    if rng.random() < 0.5:
        steps.append((TalentStatus.TRAINING, TRAINING_ON, "参加村党支部组织的培养学习"))
        if rng.random() < 0.35:
            steps.append((TalentStatus.RECOMMENDED, RECOMMENDED_ON, "村党支部推荐"))
            if category is TalentCategory.RESERVE_CADRE and rng.random() < 0.3:
                steps.append((TalentStatus.APPOINTED, APPOINTED_ON, "任村“两委”委员助理"))
    return steps


def _shares(total: int, weights: list[int]) -> list[int]:
    """`total` split in proportion to `weights`, largest remainders first (deterministic)."""
    whole = sum(weights)
    shares = [total * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in order[:total - sum(shares)]:
        shares[i] += 1
    return shares


def _candidates(s: Session, villages: list[int]) -> tuple[list[_Person], dict[int, Eligibility]]:
    """Everyone who may be honoured this year: serving heads by their score (best first), then
    the other adults of the villages, in register order."""
    heads = s.execute(select(Head.resident_id, Head.admin_village_id, Resident.is_party_member)
                      .join(Resident, Resident.id == Head.resident_id)
                      .outerjoin(Passbook, (Passbook.resident_id == Head.resident_id)
                                 & (Passbook.year == DEMO_YEAR))
                      .where(Head.admin_village_id.in_(villages), Head.ended_on.is_(None))
                      .order_by(Passbook.score.desc(), Head.id)).all()
    others = s.execute(select(Resident.id, NaturalVillage.admin_village_id, Resident.is_party_member)
                       .join(Household, Household.id == Resident.household_id)
                       .join(Alley, Alley.id == Household.alley_id)
                       .join(Zone, Zone.id == Alley.zone_id)
                       .join(NaturalVillage, NaturalVillage.id == Zone.natural_village_id)
                       .where(NaturalVillage.admin_village_id.in_(villages),
                              Resident.removed_on.is_(None), Household.removed_on.is_(None),
                              Resident.birth_year.between(DEMO_YEAR - 55, DEMO_YEAR - 20))
                       .order_by(Resident.id)).all()
    seen = {h[0] for h in heads}
    people = [_Person(r, v, bool(m), True) for r, v, m in heads] + \
        [_Person(r, v, bool(m), False) for r, v, m in others if r not in seen]
    allowed = eligibility(s, DEMO_YEAR, [p.resident_id for p in people])
    return [p for p in people if allowed[p.resident_id].eligible], allowed


def _mid_year_evidence(s: Session, villages: list[int]) -> dict[int, tuple[EvidenceKind, str]]:
    """Each head's standing at the mid-year review: his score on 30 June and his rank in the
    village, or the red lists his zone was on in the first half."""
    half = date(DEMO_YEAR, 6, 30)
    last = (select(LedgerEntry.passbook_id, func.max(LedgerEntry.seq).label("seq"))
            .where(LedgerEntry.occurred_on <= half).group_by(LedgerEntry.passbook_id).subquery())
    rows = s.execute(select(Passbook.resident_id, Passbook.admin_village_id, LedgerEntry.score_after)
                     .join(last, last.c.passbook_id == Passbook.id)
                     .join(LedgerEntry, (LedgerEntry.passbook_id == Passbook.id)
                           & (LedgerEntry.seq == last.c.seq))
                     .where(Passbook.year == DEMO_YEAR, Passbook.admin_village_id.in_(villages))).all()
    found: dict[int, tuple[EvidenceKind, str]] = {}
    for resident_id, village_id, score in rows:
        rank = 1 + sum(1 for _, v, other in rows if v == village_id and other > score)
        count = sum(1 for _, v, _ in rows if v == village_id)
        found[resident_id] = (EvidenceKind.POINTS,
                              f"{DEMO_YEAR}年上半年积分{score}分，全村第{rank}名（共{count}人）")
    red = s.execute(select(Head.resident_id, RankingList.period)
                    .join(RankingEntry, RankingEntry.unit_id == Head.zone_id)
                    .join(RankingList, RankingList.id == RankingEntry.list_id)
                    .where(Head.admin_village_id.in_(villages), Head.ended_on.is_(None),
                           RankingEntry.colour == Colour.RED, RankingList.kind == Period.MONTH,
                           RankingList.period.between(f"{DEMO_YEAR}-01", f"{DEMO_YEAR}-06"))
                    .distinct().order_by(Head.resident_id, RankingList.period)).all()
    months: dict[int, list[str]] = {}
    for resident_id, period in red:
        months.setdefault(resident_id, []).append(f"{int(period[5:])}月")
    for resident_id, listed in months.items():
        found[resident_id] = (EvidenceKind.RANKING, f"所负责片区{DEMO_YEAR}年{'、'.join(listed)}"
                                                    f"上月度红榜，共{len(listed)}次")
    return found
