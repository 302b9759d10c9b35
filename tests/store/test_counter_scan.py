"""A work ID scanned at the counter: the QR code's text names the holder unambiguously."""

from __future__ import annotations

from datetime import date

import pytest

from models.core.access import SYSTEM, Actor, Role
from models.core.errors import DomainError
from models.org.service import HouseholdInput, OrganisationService
from models.org.tables import Head, HeadRole, Resident
from models.org.work_id_code import parse_work_id_code, work_id_code
from models.printing.scope import ALL
from models.printing.service import PrintService
from models.store.counter import CounterService
from tests.store.queue_setup import make_queue


def test_codes_carry_village_head_and_card_and_nothing_else():
    code = work_id_code(3, 386, "WZ000386")
    assert code.startswith("CZT-3-386-") and set(code) <= set("CZT-0123456789ABCDEF")
    parsed = parse_work_id_code(f" {code.lower()}\n")
    assert (parsed.village_id, parsed.head_id) == (3, 386) and parsed.matches("WZ000386")
    assert not parsed.matches("WZ000385")
    assert work_id_code(3, 386, "韩家村第001号").isascii()
    for other in ("WZ000386", "wz", "CZT-3-386", "CZT-3-386-12345678X", ""):
        assert parse_work_id_code(other) is None


def test_the_printed_code_finds_its_holder_among_repeated_initials(db):
    queue = make_queue(db)
    counter = CounterService(db, SYSTEM)
    village = queue.village.village_id
    assert {h.name for h in counter.find_heads(village, "wz")} == {"吴珍山", "汪志云"}
    cards = {c.name: c for c in PrintService(db, SYSTEM).work_ids(ALL, 2026)}
    assert "汪志云" not in cards["汪志云"].qr and "WZ000386" not in cards["汪志云"].qr
    for name, head in (("吴珍山", queue.wu_head), ("汪志云", queue.wang_head)):
        hit = counter.head_by_code(parse_work_id_code(cards[name].qr))
        assert (hit.head_id, hit.name) == (head, name)


def test_an_old_card_and_an_ended_appointment_are_refused(db):
    queue = make_queue(db)
    org = OrganisationService(db, SYSTEM)
    counter = CounterService(db, SYSTEM)
    village = queue.village.village_id
    old = parse_work_id_code(work_id_code(village, queue.wang_head, "WZ000386"))
    org.record_issue(queue.wang_head, work_id_number="WZ000999")
    with pytest.raises(DomainError, match="旧证"):
        counter.head_by_code(old)
    with pytest.raises(DomainError, match="不是本程序登记的"):
        counter.head_by_code(parse_work_id_code(work_id_code(village + 1, queue.wang_head, "X")))
    wu = parse_work_id_code(work_id_code(village, queue.wu_head, "WZ000385"))
    with db.read() as s:
        alley_id = s.get(Head, queue.wu_head).alley_id
    org.add_household(alley_id, HouseholdInput("吴新来", "二胡同2号", ""))
    with db.read() as s:
        successor = s.query(Resident.id).filter(Resident.name == "吴新来").scalar()
    org.appoint_head(HeadRole.ALLEY, alley_id, successor, chosen_on=date(2026, 6, 1))
    with pytest.raises(DomainError, match="已作废"):
        counter.head_by_code(wu)


def test_another_villages_clerk_cannot_look_a_card_up(db):
    queue = make_queue(db)
    village = queue.village.village_id
    stranger = Actor("外村文书", Role.CLERK, village_id=village + 100)
    code = parse_work_id_code(work_id_code(village, queue.wu_head, "WZ000385"))
    with pytest.raises(DomainError):
        CounterService(db, stranger).head_by_code(code)
