"""A village with two alley heads sharing the initials "wz" (吴珍山, 汪志云), both with work IDs
numbered, for the counter's queue tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models.core.access import SYSTEM
from models.core.db import Database
from models.org.service import HouseholdInput, OrganisationService
from models.org.tables import HeadRole, Resident, Zone
from tests.store.counter_setup import Village, give_points, make_village


@dataclass(frozen=True)
class Queue:
    village: Village
    wu_head: int
    wang_head: int


def _head(db: Database, alley_id: int, name: str, number: str) -> int:
    org = OrganisationService(db, SYSTEM)
    org.add_household(alley_id, HouseholdInput(name, f"{name}家", ""))
    with db.read() as s:
        resident_id = s.query(Resident.id).filter(Resident.name == name).scalar()
    head = org.appoint_head(HeadRole.ALLEY, alley_id, resident_id, chosen_on=date(2024, 1, 1))
    org.record_issue(head, work_id_issued_on=date(2024, 2, 1), work_id_number=number)
    give_points(db, head, 50)
    return head


def make_queue(db: Database) -> Queue:
    """韩家村 with 韩立新 (the counter tests' head) and two more alleys: 吴珍山 and 汪志云."""
    village = make_village(db)
    org = OrganisationService(db, SYSTEM)
    org.record_issue(village.head_id, work_id_issued_on=date(2024, 2, 1), work_id_number="WZ000001")
    give_points(db, village.head_id, 50)
    with db.read() as s:
        zone = s.query(Zone.id).scalar()
    wu = _head(db, org.create_alley(zone, "二胡同"), "吴珍山", "WZ000385")
    wang = _head(db, org.create_alley(zone, "三胡同"), "汪志云", "WZ000386")
    return Queue(village, wu, wang)
