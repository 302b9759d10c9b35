"""后备人才库: the registers refuse a non-member as 后备干部 and a member as 推荐入党; the status
history is append-only and follows its steps (出库 with a reason); the demo town's pool counts
match the report (108 / 65 / 90, DOMAIN.md §8), recounted here with raw SQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from models.check import run_checks
from models.core.access import SYSTEM
from models.core.errors import ValidationError
from models.people.tables import EvidenceKind, TalentCategory, TalentStatus
from models.people.talent import TalentService
from tests.people.helpers import build_village, year


def _people(db, world):  # type: ignore[no-untyped-def]
    with db.read() as s:
        members = dict(s.execute(text("SELECT id, is_party_member FROM resident")).all())
    member = next(r for r in world.people.values() if members[r])
    villager = next(r for r in world.people.values() if not members[r])
    return member, villager


def test_registers_refuse_who_does_not_fit(db):  # type: ignore[no-untyped-def]
    world = build_village(db)
    member, villager = _people(db, world)
    pool = TalentService(db, SYSTEM)
    with pytest.raises(ValidationError, match="不是党员，后备干部只从党员中储备"):
        pool.enter(villager, TalentCategory.RESERVE_CADRE, evidence_kind=EvidenceKind.OTHER,
                   evidence="积极")
    with pytest.raises(ValidationError, match="已是党员，不能列入“推荐入党”"):
        pool.enter(member, TalentCategory.PARTY_CANDIDATE, evidence_kind=EvidenceKind.OTHER,
                   evidence="积极")
    with pytest.raises(ValidationError, match="写明依据"):
        pool.enter(member, TalentCategory.RESERVE_CADRE, evidence_kind=EvidenceKind.OTHER,
                   evidence="  ")
    cadre = pool.enter(member, TalentCategory.RESERVE_CADRE, evidence_kind=EvidenceKind.OTHER,
                       evidence="党员示范岗，带头整治")
    pool.enter(member, TalentCategory.MODEL, evidence_kind=EvidenceKind.OTHER, evidence="带头整治")
    pool.enter(villager, TalentCategory.PARTY_CANDIDATE, evidence_kind=EvidenceKind.OTHER,
               evidence="主动清理公共区域")
    with pytest.raises(ValidationError, match="已在人才库的“后备干部”名册中"):
        pool.enter(member, TalentCategory.RESERVE_CADRE, evidence_kind=EvidenceKind.OTHER,
                   evidence="再次")
    with db.read() as s:
        assert s.execute(text("SELECT COUNT(*) FROM talent_entry")).scalar_one() == 3
    counts = {c.village: (c.pool, c.cadres, c.candidates, c.people) for c in pool.counts()}
    assert counts["韩家村"] == (1, 1, 1, 2)
    assert [r.entry_id for r in pool.register(world.village_id, TalentCategory.RESERVE_CADRE)] == [cadre]


def test_status_history_follows_its_steps(db):  # type: ignore[no-untyped-def]
    world = build_village(db)
    _member, villager = _people(db, world)
    pool = TalentService(db, SYSTEM)
    today = date(year(), 1, 1)
    candidate = pool.enter(villager, TalentCategory.PARTY_CANDIDATE, entered_on=today,
                           evidence_kind=EvidenceKind.OTHER, evidence="主动清理公共区域")
    with pytest.raises(ValidationError, match="不能改为“已入党”"):
        pool.change_status(candidate, TalentStatus.JOINED, on=today)
    pool.change_status(candidate, TalentStatus.TRAINING, on=today)
    pool.change_status(candidate, TalentStatus.RECOMMENDED, on=today)
    with pytest.raises(ValidationError, match="不能改为“已任用”"):
        pool.change_status(candidate, TalentStatus.APPOINTED, on=today)
    pool.change_status(candidate, TalentStatus.JOINED, on=today, note="经党支部大会通过")
    with db.read() as s:  # he is a party member from now on; the entry keeps how it was
        assert s.execute(text("SELECT is_party_member FROM resident WHERE id = :r"),
                         {"r": villager}).scalar_one()
    with pytest.raises(ValidationError, match="出库必须写明原因"):
        pool.change_status(candidate, TalentStatus.LEFT, on=today)
    pool.change_status(candidate, TalentStatus.LEFT, on=today, note="调任外村")
    with pytest.raises(ValidationError, match=r"已于.*出库"):
        pool.change_status(candidate, TalentStatus.TRAINING, on=today)
    assert [e.status.label for e in pool.history(candidate)] == \
        ["入库", "培养", "推荐", "已入党", "出库"]
    assert pool.register(world.village_id) == []
    assert [r.status for r in pool.register(world.village_id, with_left=True)] == [TalentStatus.LEFT]
    assert run_checks(db) == []
    with pytest.raises(DBAPIError, match="只能追加"):
        with db.write() as s:
            s.execute(text("UPDATE talent_event SET note = '改过' WHERE entry_id = :e"), {"e": candidate})


def test_the_demo_pool_matches_the_report(demo_db):  # type: ignore[no-untyped-def]
    """Recounted from the raw tables: an entry counts while its last event is not 出库."""
    with demo_db.read() as s:
        rows = s.execute(text(
            "SELECT e.category, COUNT(*), COUNT(DISTINCT e.resident_id) FROM talent_entry e "
            "JOIN talent_event v ON v.id = (SELECT MAX(id) FROM talent_event WHERE entry_id = e.id) "
            "WHERE v.status <> 'left' GROUP BY e.category")).all()
        people = s.execute(text(
            "SELECT COUNT(DISTINCT e.resident_id) FROM talent_entry e JOIN talent_event v ON v.id = "
            "(SELECT MAX(id) FROM talent_event WHERE entry_id = e.id) WHERE v.status <> 'left'"))
        both = s.execute(text(
            "SELECT COUNT(*) FROM talent_entry a JOIN talent_entry b ON a.resident_id = b.resident_id "
            "AND a.category = 'cadre' AND b.category = 'candidate'")).scalar_one()
        left = s.execute(text("SELECT COUNT(*) FROM talent_event WHERE status = 'left'")).scalar_one()
        wrong = s.execute(text(
            "SELECT COUNT(*) FROM talent_entry WHERE (category = 'cadre' AND NOT party_member) "
            "OR (category = 'candidate' AND party_member)")).scalar_one()
        barred = s.execute(text(
            "SELECT COUNT(*) FROM talent_entry e JOIN passbook p ON p.resident_id = e.resident_id "
            "AND p.year = 2026 WHERE p.score < p.opening OR p.score = 0")).scalar_one()
        people_count = people.scalar_one()
    assert {c: n for c, n, _ in rows} == {"model": 108, "cadre": 65, "candidate": 90}
    assert all(n == distinct for _, n, distinct in rows)
    assert 108 < people_count < 108 + 65 + 90  # some are in the pool and in one other register
    assert both == 0 and wrong == 0 and barred == 0 and left == 3
    counts = TalentService(demo_db, SYSTEM).counts()
    assert (counts[-1].pool, counts[-1].cadres, counts[-1].candidates, counts[-1].people) == \
        (108, 65, 90, people_count)
    assert sum(c.pool for c in counts[:-1]) == 108 and len(counts) == 7
