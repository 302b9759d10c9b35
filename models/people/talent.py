"""后备人才库: the village's reserve talent pool. Read as three registers (DOMAIN.md §8; the
report's 108 / 65 / 90): the pool of outstanding heads, party members and villagers (优秀典型,
anyone), the reserve cadres (后备干部, party members only) and the recommendations for party
membership (推荐入党, non-members only); a person may be in the pool and in one of the other
two. Entry needs a date and evidence, and the person's eligibility that year (nobody on the
year's 约谈 list). Entries and their status history (入库, 培养, 推荐, 已入党/已任用, 出库 with a
reason) are append-only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.core import audit, clock
from models.core.access import Permission
from models.core.errors import NotFound, ValidationError
from models.core.service import Service
from models.org.tables import (
    AdminVillage,
    Alley,
    Head,
    Household,
    NaturalVillage,
    Resident,
    Township,
    Zone,
)
from models.people.eligibility import Eligibility, require_eligible, resident_village
from models.people.policy import clean_text
from models.people.tables import (
    Assessment,
    AssessmentGrade,
    EvidenceKind,
    HonourEntry,
    HonourList,
    TalentCategory,
    TalentEntry,
    TalentEvent,
    TalentStatus,
)
from models.people.units import head_infos
from models.points.tables import Passbook
from models.ranking.tables import Colour, Period, RankingEntry, RankingList

# Which status may follow which; 出库 may follow any but itself.
NEXT = {
    TalentStatus.ENTERED: {TalentStatus.TRAINING, TalentStatus.RECOMMENDED},
    TalentStatus.TRAINING: {TalentStatus.RECOMMENDED},
    TalentStatus.RECOMMENDED: {TalentStatus.JOINED, TalentStatus.APPOINTED},
    TalentStatus.JOINED: set(),
    TalentStatus.APPOINTED: set(),
}
# The final step of a register: 已入党 for a recommendation, 已任用 for a reserve cadre; a model
# (优秀典型) ends at 推荐.
FINAL_FOR = {TalentCategory.PARTY_CANDIDATE: TalentStatus.JOINED,
             TalentCategory.RESERVE_CADRE: TalentStatus.APPOINTED}


@dataclass(frozen=True)
class TalentRow:
    entry_id: int
    resident_id: int
    name: str
    gender: str
    birth_year: int | None
    party_member: bool  # now
    village_id: int
    village: str
    place: str  # "东庄·南片区·南一胡同"
    role: str  # current head role, or ""
    category: TalentCategory
    entered_on: date
    evidence_kind: EvidenceKind
    evidence: str
    status: TalentStatus
    status_on: date

    @property
    def active(self) -> bool:
        return self.status is not TalentStatus.LEFT


@dataclass(frozen=True)
class EventRow:
    status: TalentStatus
    happened_on: date
    note: str
    recorded_by: str


@dataclass(frozen=True)
class CountRow:
    village_id: int | None  # None: the township's total
    village: str
    pool: int  # 优秀典型 (the pool proper)
    cadres: int  # 后备干部
    candidates: int  # 推荐入党
    people: int  # distinct people in any register


@dataclass(frozen=True)
class FormData:
    row: TalentRow
    record: list[str]
    history: list[str]


@dataclass(frozen=True)
class Suggestion:
    kind: EvidenceKind
    text: str


class TalentService(Service):
    # ---- entering and changing ------------------------------------------------------------------
    def enter(self, resident_id: int, category: TalentCategory, *, entered_on: date | None = None,
              evidence_kind: EvidenceKind, evidence: str) -> int:
        """Enter a person into one register of his village's pool (入库)."""
        entered_on = entered_on or clock.today()
        with self.operation(Permission.PEOPLE) as s:
            village_id = resident_village(s, resident_id)
            self.require(Permission.PEOPLE, village_id)
            entry = enter_person(s, self.actor.name, resident_id, village_id, TalentCategory(category),
                                 entered_on, EvidenceKind(evidence_kind), evidence)
            audit.record(s, self.actor, "人才库入库", "talent_entry", entry.id, village_id=village_id,
                         after={"resident": _name(s, resident_id), "category": entry.category.label,
                                "on": entered_on, "evidence": entry.evidence})
            return entry.id

    def change_status(self, entry_id: int, status: TalentStatus, *, on: date | None = None,
                      note: str = "") -> int:
        """One step of the history: 培养, 推荐, 已入党 / 已任用, or 出库 (with a reason)."""
        on = on or clock.today()
        with self.operation(Permission.PEOPLE) as s:
            entry = s.get(TalentEntry, entry_id)
            if entry is None:
                raise NotFound("这条人才库记录不存在，请刷新后重试。")
            self.require(Permission.PEOPLE, entry.admin_village_id)
            event = change(s, self.actor.name, entry, TalentStatus(status), on, note)
            if event.status is TalentStatus.JOINED:
                person = s.get(Resident, entry.resident_id)
                person.is_party_member = True  # he is a party member from now on
            audit.record(s, self.actor, "人才库状态变更", "talent_entry", entry.id,
                         village_id=entry.admin_village_id,
                         after={"resident": _name(s, entry.resident_id),
                                "category": entry.category.label, "status": event.status.label,
                                "on": on, "note": event.note})
            return event.id

    # ---- reading --------------------------------------------------------------------------------
    def register(self, village_id: int | None = None, category: TalentCategory | None = None,
                 *, with_left: bool = False, township_id: int | None = None) -> list[TalentRow]:
        """The 人才库名册 of a village (or of the township), in the order of the register."""
        with self.db.read() as s:
            villages = self._villages(s, village_id, township_id)
            rows = register_rows(s, villages, category)
        return [r for r in rows if with_left or r.active]

    def counts(self, township_id: int | None = None) -> list[CountRow]:
        """Per village: people in each register now (出库 not counted); for an account that sees
        the township, its total last."""
        with self.db.read() as s:
            villages = self._villages(s, None, township_id)
            rows = [r for r in register_rows(s, villages, None) if r.active]
            names = dict(s.execute(select(AdminVillage.id, AdminVillage.name)
                                   .where(AdminVillage.id.in_(villages))).all())
            town_id = s.scalar(select(AdminVillage.township_id)
                               .where(AdminVillage.id.in_(villages)).limit(1))
            town_name = s.get(Township, town_id).name if town_id else "全镇"
        result = [_count(v, names[v], [r for r in rows if r.village_id == v]) for v in villages]
        if self.actor.may(Permission.VIEW, None):
            result.append(_count(None, f"{town_name}合计", rows))
        return result

    def history(self, entry_id: int) -> list[EventRow]:
        with self.db.read() as s:
            entry = s.get(TalentEntry, entry_id)
            if entry is None:
                raise NotFound("这条人才库记录不存在。")
            self.require_view(entry.admin_village_id)
            return [EventRow(e.status, e.happened_on, e.note, e.recorded_by)
                    for e in s.scalars(select(TalentEvent).where(TalentEvent.entry_id == entry_id)
                                       .order_by(TalentEvent.id))]

    def forms(self, village_id: int, entry_id: int | None = None) -> list[FormData]:
        """What the recommendation form (推荐表) shows of each open entry of the village (or of
        the one entry): the register row, the person's record and the status history."""
        self.require_view(village_id)
        with self.db.read() as s:
            rows = [r for r in register_rows(s, [village_id], None) if r.active
                    and (entry_id is None or r.entry_id == entry_id)]
            if entry_id is not None and not rows:
                raise NotFound("这条人才库记录不存在，或已出库。")
            found = []
            for row in rows:
                entry = s.get(TalentEntry, row.entry_id)
                history = [f"{e.happened_on} {e.status.label}" + (f"（{e.note}）" if e.note else "")
                           for e in s.scalars(select(TalentEvent).where(
                               TalentEvent.entry_id == row.entry_id).order_by(TalentEvent.id))]
                found.append(FormData(row, entry_record(s, entry), history))
            return found

    def suggestions(self, resident_id: int, year: int) -> list[Suggestion]:
        """What speaks for a person this year: points rank, red lists, honours, assessment."""
        with self.db.read() as s:
            self.require_view(resident_village(s, resident_id))
            return evidence_for(s, resident_id, year)

    def _villages(self, s: Session, village_id: int | None, township_id: int | None) -> list[int]:
        if village_id is not None:
            self.require_view(village_id)
            return [village_id]
        stmt = select(AdminVillage.id).order_by(AdminVillage.sort_order, AdminVillage.id)
        if township_id is not None:
            stmt = stmt.where(AdminVillage.township_id == township_id)
        return [v for v in s.scalars(stmt) if self.visible(v)]


# ---- inside a transaction (the service and the demo) ------------------------------------------------
def enter_person(s: Session, by: str, resident_id: int, village_id: int, category: TalentCategory,
                 entered_on: date, evidence_kind: EvidenceKind, evidence: str,
                 known: dict[int, Eligibility] | None = None) -> TalentEntry:
    person = s.get(Resident, resident_id)
    if person is None or person.removed_on is not None:
        raise NotFound("所选的居民不存在或已注销。")
    if entered_on > clock.today():
        raise ValidationError(f"入库日期 {entered_on} 不能晚于今天。")
    evidence = clean_text(evidence, 1000)
    if not evidence:
        raise ValidationError(f"“{person.name}”入库必须写明依据（如积分排名、红黑榜、荣誉、测评结果）。")
    if category is TalentCategory.RESERVE_CADRE and not person.is_party_member:
        raise ValidationError(f"“{person.name}”不是党员，后备干部只从党员中储备；"
                              "群众可列入“推荐入党”或“优秀典型”。")
    if category is TalentCategory.PARTY_CANDIDATE and person.is_party_member:
        raise ValidationError(f"“{person.name}”已是党员，不能列入“推荐入党”；"
                              "党员可列入“后备干部”或“优秀典型”。")
    require_eligible(s, entered_on.year, resident_id, "纳入后备人才库", known)
    if _active_entry(s, resident_id, category) is not None:
        raise ValidationError(f"“{person.name}”已在人才库的“{category.label}”名册中。")
    entry = TalentEntry(resident_id=resident_id, admin_village_id=village_id, category=category,
                        entered_on=entered_on, evidence_kind=evidence_kind, evidence=evidence,
                        party_member=person.is_party_member, entered_by=by)
    s.add(entry)
    s.flush()
    s.add(TalentEvent(entry_id=entry.id, status=TalentStatus.ENTERED, happened_on=entered_on,
                      note=f"依据：{entry.evidence_kind.label}", recorded_by=by))
    s.flush()
    return entry


def change(s: Session, by: str, entry: TalentEntry, status: TalentStatus, on: date,
           note: str) -> TalentEvent:
    last = s.scalar(select(TalentEvent).where(TalentEvent.entry_id == entry.id)
                    .order_by(TalentEvent.id.desc()).limit(1))
    name = _name(s, entry.resident_id)
    note = clean_text(note, 200)
    if last.status is TalentStatus.LEFT:
        raise ValidationError(f"“{name}”已于{last.happened_on}出库，不能再变更状态。")
    if status is TalentStatus.LEFT:
        if not note:
            raise ValidationError(f"“{name}”出库必须写明原因。")
    elif status not in _following(entry.category, last.status):
        allowed = [x.label for x in _following(entry.category, last.status)]
        raise ValidationError(f"“{name}”（{entry.category.label}）现为“{last.status.label}”，"
                              f"不能改为“{status.label}”；可改为：{'、'.join([*allowed, '出库'])}。")
    if on < last.happened_on or on > clock.today():
        raise ValidationError(f"日期 {on} 应在上一步（{last.happened_on}）与今天之间。")
    event = TalentEvent(entry_id=entry.id, status=status, happened_on=on, note=note, recorded_by=by)
    s.add(event)
    s.flush()
    return event


def _following(category: TalentCategory, status: TalentStatus) -> list[TalentStatus]:
    """The steps that may follow `status` in this register (出库 aside)."""
    return [x for x in TalentStatus if x in NEXT.get(status, set())
            and (x not in FINAL_FOR.values() or FINAL_FOR.get(category) is x)]


def _active_entry(s: Session, resident_id: int, category: TalentCategory) -> int | None:
    for entry_id in s.scalars(select(TalentEntry.id).where(TalentEntry.resident_id == resident_id,
                                                            TalentEntry.category == category)):
        last = s.scalar(select(TalentEvent.status).where(TalentEvent.entry_id == entry_id)
                        .order_by(TalentEvent.id.desc()).limit(1))
        if last is not TalentStatus.LEFT:
            return entry_id
    return None


def register_rows(s: Session, villages: list[int], category: TalentCategory | None) -> list[TalentRow]:
    stmt = (select(TalentEntry, Resident, AdminVillage.name, NaturalVillage.name, Zone.name,
                   Alley.name)
            .join(Resident, Resident.id == TalentEntry.resident_id)
            .join(Household, Household.id == Resident.household_id)
            .join(Alley, Alley.id == Household.alley_id).join(Zone, Zone.id == Alley.zone_id)
            .join(NaturalVillage, NaturalVillage.id == Zone.natural_village_id)
            .join(AdminVillage, AdminVillage.id == TalentEntry.admin_village_id)
            .where(TalentEntry.admin_village_id.in_(villages))
            .order_by(AdminVillage.sort_order, AdminVillage.id, TalentEntry.entered_on,
                      TalentEntry.id))
    if category is not None:
        stmt = stmt.where(TalentEntry.category == category)
    found = s.execute(stmt).all()
    last_ids = select(func.max(TalentEvent.id)).group_by(TalentEvent.entry_id)
    status = {e.entry_id: (e.status, e.happened_on) for e in s.scalars(
        select(TalentEvent).where(TalentEvent.id.in_(last_ids),
                                  TalentEvent.entry_id.in_([r[0].id for r in found])))}
    roles = _serving_roles(s, [r[1].id for r in found])
    order = list(TalentCategory)  # the pool first, then the reserve cadres and recommendations
    found = sorted(found, key=lambda r: (villages.index(r[0].admin_village_id),
                                         order.index(r[0].category)))
    return [TalentRow(entry.id, person.id, person.name, person.gender, person.birth_year,
                      person.is_party_member, entry.admin_village_id, village,
                      f"{natural}·{zone}·{alley}", roles.get(person.id, ""), entry.category,
                      entry.entered_on, entry.evidence_kind, entry.evidence,
                      *status[entry.id])
            for entry, person, village, natural, zone, alley in found]


def _serving_roles(s: Session, resident_ids: list[int]) -> dict[int, str]:
    roles: dict[int, str] = {}
    for start in range(0, len(resident_ids), 500):
        for resident_id, role in s.execute(select(Head.resident_id, Head.role).where(
                Head.resident_id.in_(resident_ids[start:start + 500]), Head.ended_on.is_(None))):
            roles[resident_id] = role.label
    return roles


def _count(village_id: int | None, name: str, rows: list[TalentRow]) -> CountRow:
    def of(category: TalentCategory) -> int:
        return sum(r.category is category for r in rows)

    return CountRow(village_id, name, of(TalentCategory.MODEL), of(TalentCategory.RESERVE_CADRE),
                    of(TalentCategory.PARTY_CANDIDATE), len({r.resident_id for r in rows}))


def evidence_for(s: Session, resident_id: int, year: int) -> list[Suggestion]:
    """Points rank in the village, red lists of his zone, honours and the assessment grade."""
    found: list[Suggestion] = []
    book = s.scalar(select(Passbook).where(Passbook.resident_id == resident_id,
                                           Passbook.year == year))
    if book is not None:
        above = s.scalar(select(func.count()).select_from(Passbook).where(
            Passbook.year == year, Passbook.admin_village_id == book.admin_village_id,
            Passbook.score > book.score)) or 0
        total = s.scalar(select(func.count()).select_from(Passbook).where(
            Passbook.year == year, Passbook.admin_village_id == book.admin_village_id)) or 0
        found.append(Suggestion(EvidenceKind.POINTS,
                                f"{year}年度积分{book.score}分，全村第{above + 1}名（共{total}人）"))
    zones = [h.zone_id for h in s.scalars(select(Head).where(Head.resident_id == resident_id,
                                                              Head.zone_id.is_not(None)))]
    if zones:
        months = s.scalars(select(RankingList.period).join(RankingEntry).where(
            RankingEntry.unit_id.in_(zones), RankingEntry.colour == Colour.RED,
            RankingList.kind == Period.MONTH, RankingList.period.like(f"{year}-%"))
            .distinct().order_by(RankingList.period)).all()
        if months:
            listed = "、".join(f"{int(m[5:])}月" for m in months)
            found.append(Suggestion(EvidenceKind.RANKING,
                                    f"所负责片区{year}年{listed}上月度红榜，共{len(months)}次"))
    current = select(func.max(HonourList.id)).group_by(HonourList.township_id, HonourList.year)
    for kind_name in s.scalars(select(HonourEntry.kind_name).join(HonourList).where(
            HonourEntry.resident_id == resident_id, HonourList.year == year,
            HonourList.id.in_(current)).order_by(HonourEntry.sort_order)):
        found.append(Suggestion(EvidenceKind.HONOUR, f"获{year}年度“{kind_name}”"))
    for level, total_score in s.execute(
            select(AssessmentGrade.grade, AssessmentGrade.total).join(Assessment)
            .where(AssessmentGrade.resident_id == resident_id, Assessment.year == year)):
        found.append(Suggestion(EvidenceKind.ASSESSMENT,
                                f"{year}年度综合测评{level}（{total_score:.2f}分）"))
    return found


def entry_record(s: Session, entry: TalentEntry) -> list[str]:
    """The person's record for the recommendation form: each year's evidence, and his
    appointments as a head."""
    years = sorted(set(s.scalars(select(Passbook.year).where(
        Passbook.resident_id == entry.resident_id))) | {entry.entered_on.year})
    lines = [f"{x.kind.label}：{x.text}" for year in years
             for x in evidence_for(s, entry.resident_id, year)]
    heads = head_infos(s, s.scalars(select(Head.id).where(Head.resident_id == entry.resident_id)
                                    .order_by(Head.started_on)).all())
    lines += [f"任职：{h.started_on}起任{h.unit}{h.role_label}"
              + (f"，{h.ended_on}离任" if h.ended_on else "") for h in heads.values()]
    return lines


def _name(s: Session, resident_id: int) -> str:
    return s.scalar(select(Resident.name).where(Resident.id == resident_id)) or ""


