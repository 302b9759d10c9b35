"""七个管理员: the matters heads handle as the seven officers — an opinion passed on, a policy
explained, a dispute mediated, a hazard reported — each tagged with its officer role; disputes
and hazards followed through 处理中 / 已办结 / 已上报. Monthly counts per role per village."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.core import audit, clock
from models.core.access import Permission
from models.core.errors import NotFound, ValidationError
from models.core.service import Service
from models.org.tables import AdminVillage, Alley, Head, Household, NaturalVillage, Resident, Zone
from models.worklog.calendar import Month
from models.worklog.log import free_text
from models.worklog.tables import OFFICER_LABELS, Matter, MatterStatus, OfficerRole

TEXT_LIMIT = 300
_NO_STATUS = "{role}的事项不跟踪办理状态，只有矛盾纠纷和安全隐患需要。"


@dataclass(frozen=True)
class MatterInput:
    head_id: int
    occurred_on: date
    role: OfficerRole
    text: str
    status: MatterStatus | None = None
    household_id: int | None = None


@dataclass(frozen=True)
class MatterRow:
    id: int
    occurred_on: date
    head_name: str
    unit: str
    role: OfficerRole
    text: str
    status: MatterStatus | None
    household: str
    recorded_by: str


@dataclass(frozen=True)
class RoleCounts:
    """One village's month: matters per officer role, and disputes and hazards still open."""

    village_id: int
    village: str
    counts: dict[OfficerRole, int]
    open: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class MatterService(Service):
    def record(self, data: MatterInput) -> int:
        text = free_text(data.text)
        if not text:
            raise ValidationError("请写明事项内容。")
        if len(text) > TEXT_LIMIT:
            raise ValidationError(f"事项内容最多 {TEXT_LIMIT} 个字，现在有 {len(text)} 个字。")
        role = OfficerRole(data.role)
        status = _status_for(role, data.status)
        if data.occurred_on > clock.today():
            raise ValidationError(f"{data.occurred_on:%Y-%m-%d} 还没有到，不能登记。")
        with self.operation(Permission.EDIT_WORKLOG) as s:
            head = s.get(Head, data.head_id)
            if head is None:
                raise NotFound(f"负责人（编号 {data.head_id}）不存在。")
            self.require(Permission.EDIT_WORKLOG, head.admin_village_id)
            household = _household_name(s, data.household_id, head.admin_village_id)
            matter = Matter(admin_village_id=head.admin_village_id, head_id=head.id,
                            household_id=data.household_id, occurred_on=data.occurred_on,
                            role=role, text=text, status=status, user_name=self.actor.name)
            s.add(matter)
            s.flush()
            audit.record(s, self.actor, "登记七个管理员事项", "worklog_matter", matter.id,
                         village_id=head.admin_village_id,
                         after={"head_id": head.id, "officer": role.label, "matter": text,
                                "status": status.label if status else "", "household": household,
                                "on": data.occurred_on})
            return matter.id

    def set_status(self, matter_id: int, status: MatterStatus) -> None:
        status = MatterStatus(status)
        with self.operation(Permission.EDIT_WORKLOG) as s:
            matter = s.get(Matter, matter_id)
            if matter is None:
                raise NotFound(f"事项（编号 {matter_id}）不存在。")
            self.require(Permission.EDIT_WORKLOG, matter.admin_village_id)
            if not matter.role.has_status:
                raise ValidationError(_NO_STATUS.format(role=matter.role.label))
            if matter.status is status:
                return
            before = matter.status.label if matter.status else ""
            matter.status = status
            audit.record(s, self.actor, "更新事项办理状态", "worklog_matter", matter.id,
                         village_id=matter.admin_village_id, before={"status": before},
                         after={"status": status.label})

    def matters(self, village_id: int, month: Month) -> list[MatterRow]:
        self.require_view(village_id)
        with self.db.read() as s:
            rows = s.execute(
                select(Matter, Resident.name, Zone.name, Alley.name, Household.householder_name)
                .join(Head, Head.id == Matter.head_id)
                .join(Resident, Resident.id == Head.resident_id)
                .outerjoin(Alley, Alley.id == Head.alley_id)
                .outerjoin(Zone, Zone.id == func.coalesce(Alley.zone_id, Head.zone_id))
                .outerjoin(Household, Household.id == Matter.household_id)
                .where(Matter.admin_village_id == village_id,
                       Matter.occurred_on.between(month.first, month.last))
                .order_by(Matter.occurred_on, Matter.id)).all()
        return [MatterRow(m.id, m.occurred_on, name, f"{zone}·{alley}" if alley else zone or "",
                          m.role, m.text, m.status, household or "", m.user_name)
                for m, name, zone, alley, household in rows]

    def role_counts(self, month: Month, township_id: int | None = None) -> list[RoleCounts]:
        """Per village the account may see: how many matters of each role this month."""
        with self.db.read() as s:
            stmt = select(AdminVillage.id, AdminVillage.name).order_by(
                AdminVillage.township_id, AdminVillage.sort_order, AdminVillage.id)
            if township_id is not None:
                stmt = stmt.where(AdminVillage.township_id == township_id)
            villages = [(i, n) for i, n in s.execute(stmt) if self.visible(i)]
            counts = s.execute(
                select(Matter.admin_village_id, Matter.role, func.count(Matter.id))
                .where(Matter.occurred_on.between(month.first, month.last))
                .group_by(Matter.admin_village_id, Matter.role)).all()
            still_open = dict(s.execute(
                select(Matter.admin_village_id, func.count(Matter.id))
                .where(Matter.occurred_on <= month.last,
                       Matter.status == MatterStatus.IN_PROGRESS)
                .group_by(Matter.admin_village_id)).all())
        by_village: dict[int, dict[OfficerRole, int]] = {}
        for village_id, role, count in counts:
            by_village.setdefault(village_id, {})[OfficerRole(role)] = count
        return [RoleCounts(i, n, {r: by_village.get(i, {}).get(r, 0) for r in OFFICER_LABELS},
                           still_open.get(i, 0)) for i, n in villages]


def _status_for(role: OfficerRole, status: MatterStatus | None) -> MatterStatus | None:
    if role.has_status:
        return MatterStatus(status) if status else MatterStatus.IN_PROGRESS
    if status is not None:
        raise ValidationError(_NO_STATUS.format(role=role.label))
    return None


def _household_name(s: Session, household_id: int | None, village_id: int) -> str:
    if household_id is None:
        return ""
    row = s.execute(select(Household.householder_name, NaturalVillage.admin_village_id)
                    .join(Alley, Alley.id == Household.alley_id).join(Zone)
                    .join(NaturalVillage).where(Household.id == household_id)).first()
    if row is None or row[1] != village_id:
        raise ValidationError(f"农户（编号 {household_id}）不在这位负责人所在的村。")
    return row[0]
