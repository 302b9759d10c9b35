"""门前三包 pledges that came back signed (DOMAIN.md §4): per household and year, the day and
which of the three copies (township, village, household); the list of households still missing
per alley, for the heads to chase; and the return rate of a village."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core import audit, clock
from models.core.access import Permission
from models.core.errors import NotFound, ValidationError
from models.core.service import Service
from models.org.service import village_of_alley
from models.org.naming import unit_label
from models.org.tables import (
    AdminVillage,
    Alley,
    Head,
    HeadRole,
    Household,
    NaturalVillage,
    PledgeReturn,
    Resident,
    Zone,
)


@dataclass(frozen=True)
class PledgeRow:
    """One household of an alley and its pledge of the year (returned_on None: not back)."""

    household_id: int
    householder: str
    address: str
    returned_on: date | None
    township_copy: bool
    village_copy: bool
    household_copy: bool

    @property
    def copies(self) -> str:
        kept = [label for label, on in (("镇", self.township_copy), ("村", self.village_copy),
                                        ("户", self.household_copy)) if on]
        return "、".join(kept) if self.returned_on else ""


@dataclass(frozen=True)
class MissingAlley:
    """An alley's households whose signed pledge has not come back, and who chases them."""

    alley_id: int
    alley: str  # 自然村·片区·胡同
    alley_head: str
    households: tuple[PledgeRow, ...]


@dataclass(frozen=True)
class ReturnRate:
    households: int
    returned: int

    @property
    def rate(self) -> float:
        return self.returned / self.households if self.households else 0.0


class PledgeService(Service):
    def record_return(self, household_id: int, year: int, returned_on: date, *,
                      township: bool = True, village: bool = True, household: bool = True) -> int:
        """The household's signed pledge of `year` came back on `returned_on` with these copies;
        recording it again corrects the day or the copies."""
        if not (township or village or household):
            raise ValidationError("请至少勾选一联（镇、村或户）已签回。")
        if returned_on > clock.today():
            raise ValidationError(f"回收日期 {returned_on:%Y-%m-%d} 还没有到，请核对。")
        if returned_on.year < year:
            raise ValidationError(f"{year}年的责任书不会在 {returned_on:%Y-%m-%d} 签回，请核对年度。")
        with self.operation(Permission.PLEDGE_RETURNS) as s:
            home = s.get(Household, household_id)
            if home is None or home.removed_on is not None:
                raise NotFound(f"农户（编号 {household_id}）不存在或已注销。")
            village_id = _village_of(s, home.alley_id)
            self.require(Permission.PLEDGE_RETURNS, village_id)
            values = dict(returned_on=returned_on, township_copy=township, village_copy=village,
                          household_copy=household)
            row = s.scalar(select(PledgeReturn).where(PledgeReturn.household_id == household_id,
                                                      PledgeReturn.year == year).with_for_update())
            before = None
            if row is None:
                row = PledgeReturn(household_id=household_id, year=year,
                                   recorded_by=self.actor.name, **values)
                s.add(row)
            else:
                before = {k: getattr(row, k) for k in values}
                for key, value in values.items():
                    setattr(row, key, value)
                row.recorded_by = self.actor.name
            s.flush()
            audit.record(s, self.actor, "登记责任书回收", "pledge_return", row.id,
                         village_id=village_id, before=before,
                         after={"householder": home.householder_name, "year": year, **values})
            return row.id

    def alley_pledges(self, alley_id: int, year: int) -> list[PledgeRow]:
        """Every present household of the alley with its pledge of the year, by door."""
        with self.db.read() as s:
            self.require_view(_village_of(s, alley_id))
            return _rows(s, year, Household.alley_id == alley_id)

    def missing(self, village_id: int, year: int) -> list[MissingAlley]:
        """Per alley of the village, the households without a recorded return, with the alley
        head who chases them; alleys where every pledge is back are left out."""
        self.require_view(village_id)
        with self.db.read() as s:
            rows = _rows(s, year, _in_village(village_id), with_alley=True)
            heads = dict(s.execute(select(Head.alley_id, Resident.name)
                                   .join(Resident, Resident.id == Head.resident_id)
                                   .where(Head.role == HeadRole.ALLEY, Head.ended_on.is_(None),
                                          Head.admin_village_id == village_id)).all())
        by_alley: dict[tuple[int, str], list[PledgeRow]] = defaultdict(list)
        for alley_key, row in rows:
            if row.returned_on is None:
                by_alley[alley_key].append(row)
        return [MissingAlley(alley_id, name, heads.get(alley_id, "（未设胡同长）"), tuple(missing))
                for (alley_id, name), missing in by_alley.items()]

    def return_rate(self, village_id: int, year: int) -> ReturnRate:
        self.require_view(village_id)
        with self.db.read() as s:
            rows = _rows(s, year, _in_village(village_id))
        return ReturnRate(len(rows), sum(1 for r in rows if r.returned_on is not None))


def _village_of(s: Session, alley_id: int) -> int:
    if s.get(Alley, alley_id) is None:
        raise NotFound(f"胡同（编号 {alley_id}）不存在。")
    return village_of_alley(s, alley_id)


def _in_village(village_id: int):  # type: ignore[no-untyped-def]
    return Household.alley_id.in_(select(Alley.id).join(Zone).join(NaturalVillage)
                                  .where(NaturalVillage.admin_village_id == village_id))


def _rows(s: Session, year: int, where, with_alley: bool = False):  # type: ignore[no-untyped-def]
    stmt = (select(Household.id, Household.householder_name, Household.address,
                   PledgeReturn.returned_on, PledgeReturn.township_copy, PledgeReturn.village_copy,
                   PledgeReturn.household_copy, Alley.id, NaturalVillage.name, Zone.name, Alley.name)
            .join(Alley, Alley.id == Household.alley_id)
            .join(Zone, Zone.id == Alley.zone_id)
            .join(NaturalVillage, NaturalVillage.id == Zone.natural_village_id)
            .join(AdminVillage, AdminVillage.id == NaturalVillage.admin_village_id)
            .outerjoin(PledgeReturn, (PledgeReturn.household_id == Household.id)
                       & (PledgeReturn.year == year))
            .where(Household.removed_on.is_(None), where)
            .order_by(NaturalVillage.sort_order, Zone.sort_order, Alley.sort_order, Alley.id,
                      Household.id))
    found = []
    for hid, name, address, on, township, village, household, alley_id, nv, zone, alley in s.execute(stmt):
        row = PledgeRow(hid, name, address, on, bool(township), bool(village), bool(household))
        found.append(((alley_id, unit_label(nv, zone, alley)), row) if with_alley else row)
    return found
