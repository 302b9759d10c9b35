"""The demo town's year of problems is plausible: every village has problems from every source
with photos the demo drew (a few hundred KB at most), most closed on time, some late, a few
escalated, some still open and overdue, their points posted once each through the ledger; and
about nine in ten 门前三包 pledges came back."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from models.core.access import SYSTEM
from models.core.files import StoredFile
from models.org.pledges import PledgeService
from models.org.tables import AdminVillage
from models.points.tables import LedgerEntry
from models.problems.service import ProblemFilter, ProblemsService
from models.problems.tables import Outcome, Problem, ProblemPhoto, ProblemPoints, ProblemSource, Status


def test_every_village_has_a_year_of_problems_from_every_source(demo_db):
    with demo_db.read() as s:
        villages = s.scalars(select(AdminVillage.id)).all()
        sources = s.scalar(select(func.count(ProblemSource.id)))
        per_village = Counter(s.execute(select(Problem.admin_village_id, Problem.source_id)
                                        .distinct()).scalars())
        months = {m.month for m in s.scalars(select(Problem.found_on))}
        photo_bytes = s.scalar(select(func.sum(StoredFile.byte_size)).where(
            StoredFile.id.in_(select(ProblemPhoto.stored_file_id))))
        photographed = s.scalar(select(func.count(func.distinct(ProblemPhoto.problem_id))))
        problems = s.scalar(select(func.count(Problem.id)))
    assert all(per_village[v] == sources for v in villages)
    assert months == set(range(1, 12))
    assert photographed > problems / 2 and photo_bytes < 400_000


def test_most_are_closed_on_time_and_some_are_late_escalated_or_still_open(demo_db):
    rows = ProblemsService(demo_db, SYSTEM).problems(ProblemFilter())
    outcomes = Counter(r.outcome for r in rows if r.status is Status.CLOSED)
    closed = sum(outcomes.values())
    assert outcomes[Outcome.ON_TIME] > 0.7 * closed
    assert outcomes[Outcome.LATE] >= 5 and outcomes[Outcome.REFUSED] >= 2
    standing = Counter(r.status for r in rows)
    assert all(standing[status] for status in Status)  # every step has a problem waiting in it
    assert sum(1 for r in rows if r.overdue_days) >= 3


def test_each_closing_with_a_head_posted_its_points_once(demo_db):
    with demo_db.read() as s:
        postings = s.execute(select(ProblemPoints.problem_id, ProblemPoints.outcome,
                                    LedgerEntry.rule_code, LedgerEntry.idempotency_key)
                             .join(LedgerEntry, LedgerEntry.id == ProblemPoints.ledger_entry_id)).all()
        closed_with_head = s.scalar(select(func.count(Problem.id)).where(
            Problem.status == Status.CLOSED, Problem.responsible_head_id.is_not(None)))
    codes = {"on_time": "A04", "late": "D04", "refused": "D05"}
    assert all(code == codes[outcome] for _, outcome, code, _ in postings)
    assert all(key == f"整改:{problem}:{outcome}" for problem, outcome, _, key in postings)
    assert len({(p, o) for p, o, _, _ in postings}) == len(postings) >= closed_with_head


def test_about_nine_in_ten_pledges_came_back(demo_db):
    service = PledgeService(demo_db, SYSTEM)
    with demo_db.read() as s:
        villages = s.scalars(select(AdminVillage.id)).all()
    rates = [service.return_rate(v, 2026) for v in villages]
    total = sum(r.returned for r in rates) / sum(r.households for r in rates)
    assert 0.85 < total < 0.95
    assert all(service.missing(v, 2026) for v in villages)  # every village has some to chase
