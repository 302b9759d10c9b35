"""May this person be honoured this year, and if not, why. Every honour, every talent-pool
entry and the red list ask here (DOMAIN.md §5, §7, §8, §13; the red list through
`models.ranking.eligibility`):
- on the year's 约谈 list (the points bank's own rule: score below the opening, or 0), with
  since when and the deductions that put him there — the report's 取消当年评先树优资格;
- removed as a head that year (撤换), when the setting says so (default on);
- graded 不称职 in that year's confirmed assessment, when the setting says so (default on)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core import settings
from models.core.errors import NotFound, ValidationError
from models.core.service import Service
from models.org.service import village_of_alley
from models.org.tables import Head, Household, Resident
from models.people.policy import BAR_DISMISSED, BAR_UNFIT
from models.people.tables import Assessment, AssessmentGrade, Grade
from models.points.service import talk_standings
from models.points.wording import TALK_HOLDER
from models.points.tables import Passbook


@dataclass(frozen=True)
class Bar:
    """One reason a person may not be honoured this year."""

    kind: str  # "talk", "dismissed" or "unfit"
    text: str
    since: str = ""  # "2026年3月5日": from when the reason holds
    entries: tuple[str, ...] = ()  # the ledger entries behind it, for the talk list


@dataclass(frozen=True)
class Eligibility:
    resident_id: int
    name: str
    year: int
    bars: tuple[Bar, ...]

    @property
    def eligible(self) -> bool:
        return not self.bars

    @property
    def reason(self) -> str:
        return "；".join(bar.text for bar in self.bars)

    def refusal(self, what: str) -> str:
        """The Chinese sentence a refused nomination or entry shows."""
        return f"“{self.name}”{self.year}年度不能{what}：{self.reason}。"


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def eligibility(s: Session, year: int, resident_ids: Collection[int]) -> dict[int, Eligibility]:
    """Each person's eligibility for the year's honours, inside the caller's session."""
    ids = list(dict.fromkeys(resident_ids))
    if not ids:
        return {}
    bars: dict[int, list[Bar]] = {i: [] for i in ids}
    for person, talk in talk_standings(s, year, ids).items():
        level = "已降为0分" if talk.at_zero else f"低于初始积分{talk.opening}分"
        bars[person].append(Bar(
            "talk", f"自{_day(talk.since)}起列入{year}年度约谈名单（积分{talk.score}分，{level}，"
            f"由{TALK_HOLDER}约谈），取消当年评先树优资格", _day(talk.since), tuple(talk.reasons)))
    if settings.get(s, BAR_DISMISSED):
        for head in s.scalars(select(Head).where(
                Head.resident_id.in_(ids), Head.dismissed.is_(True),
                Head.ended_on >= date(year, 1, 1), Head.ended_on <= date(year, 12, 31))
                .order_by(Head.ended_on)):
            bars[head.resident_id].append(Bar(
                "dismissed", f"{_day(head.ended_on)}被撤换{head.role.label}职务（{head.end_reason}）",
                _day(head.ended_on)))
    if settings.get(s, BAR_UNFIT):
        for grade, confirmed_on in s.execute(
                select(AssessmentGrade, Assessment.confirmed_on)
                .join(Assessment, Assessment.id == AssessmentGrade.assessment_id)
                .where(Assessment.year == year, AssessmentGrade.resident_id.in_(ids),
                       AssessmentGrade.grade == Grade.UNFIT.value)):
            bars[grade.resident_id].append(Bar(
                "unfit", f"{year}年度综合测评为“不称职”（综合得分{grade.total:.2f}）",
                _day(confirmed_on)))
    names = dict(s.execute(select(Resident.id, Resident.name).where(Resident.id.in_(ids))).all())
    return {i: Eligibility(i, names.get(i, ""), year, tuple(bars[i])) for i in ids}


def require_eligible(s: Session, year: int, resident_id: int, what: str,
                     known: dict[int, Eligibility] | None = None) -> None:
    """Refuse, with the reasons, when the person may not be honoured this year. `known`: the
    answers already read in this transaction for many people at once."""
    found = (known or {}).get(resident_id) or eligibility(s, year, [resident_id])[resident_id]
    if found.year != year:
        found = eligibility(s, year, [resident_id])[resident_id]
    if not found.eligible:
        raise ValidationError(found.refusal(what))


@dataclass(frozen=True)
class BarredRow:
    """A person of a village who may not be honoured this year, for the page's list."""

    resident_id: int
    name: str
    role: str
    reason: str
    since: str
    entries: tuple[str, ...]


class EligibilityService(Service):
    def of(self, resident_id: int, year: int) -> Eligibility:
        with self.db.read() as s:
            self.require_view(resident_village(s, resident_id))
            return eligibility(s, year, [resident_id])[resident_id]

    def barred(self, village_id: int, year: int) -> list[BarredRow]:
        """Everyone of the village barred from the year's honours, with the reasons."""
        self.require_view(village_id)
        with self.db.read() as s:
            people = set(s.scalars(select(Passbook.resident_id).where(
                Passbook.year == year, Passbook.admin_village_id == village_id)))
            people |= set(s.scalars(select(Head.resident_id).where(
                Head.admin_village_id == village_id, Head.dismissed.is_(True))))
            people |= set(s.scalars(select(AssessmentGrade.resident_id).join(Assessment).where(
                Assessment.admin_village_id == village_id, Assessment.year == year)))
            found = [e for e in eligibility(s, year, people).values() if not e.eligible]
            roles = _roles(s, [e.resident_id for e in found])
        return sorted((BarredRow(e.resident_id, e.name, roles.get(e.resident_id, ""), e.reason,
                                 e.bars[0].since, tuple(x for b in e.bars for x in b.entries))
                       for e in found), key=lambda r: (r.since, r.name))


def _roles(s: Session, resident_ids: list[int]) -> dict[int, str]:
    """A person's current (or last) head role, for showing."""
    roles: dict[int, str] = {}
    for head in s.scalars(select(Head).where(Head.resident_id.in_(resident_ids))
                          .order_by(Head.ended_on.is_(None), Head.started_on)):
        roles[head.resident_id] = head.role.label if head.ended_on is None else \
            f"原{head.role.label}"
    return roles


def resident_village(s: Session, resident_id: int) -> int:
    """The administrative village a resident lives in."""
    alley = s.scalar(select(Household.alley_id).join(Resident).where(Resident.id == resident_id))
    if alley is None:
        raise NotFound("这位居民不存在。")
    return village_of_alley(s, alley)
