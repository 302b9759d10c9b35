"""Points that follow a problem: closing it on time, late, or after escalation posts the points
catalogue's matching rule to the responsible head's passbook, through the ledger's own posting
(`models.points.ledger.post_rule`), inside the closing's transaction. At most one entry per
problem and outcome: the ledger's idempotency key and `problem_points`' UNIQUE constraint both
say so, so neither a retry, a second PC nor a reopened and re-closed problem posts twice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core import audit
from models.core.access import Actor
from models.org.tables import Head
from models.points import ledger
from models.points.ledger import Evidence
from models.points.tables import PointsRule
from models.problems.tables import Outcome, Problem, ProblemPhoto, ProblemPoints, ProblemSource
from models.core.files import StoredFile

# The default catalogue's rules (migration 0002); recreated with the same text if missing.
RULES = {
    Outcome.ON_TIME: ("A04", "发现问题并按期整改销号", 2),
    Outcome.LATE: ("D04", "发现的问题未按期整改", -3),
    Outcome.REFUSED: ("D05", "拒不整改，被街道督办", -5),
}
CATEGORY = "问题整改"


def key(problem_id: int, outcome: Outcome) -> str:
    return f"整改:{problem_id}:{outcome.value}"


@dataclass(frozen=True)
class Posting:
    """What a closing posts, for a poster other than the ledger's own (the demo's year)."""

    problem_id: int
    village_id: int
    number: str
    outcome: Outcome
    head_id: int
    rule_code: str
    on: date
    note: str
    evidence: Evidence
    actor: Actor


# Takes a Posting, returns the ledger entry id it will have. None: the ledger's own posting.
DeferredPoster = Callable[[Posting], int]
_deferred_poster: DeferredPoster | None = None


def connect_deferred_posting(poster: DeferredPoster | None) -> DeferredPoster | None:
    """The demo writes its year's passbooks in time order in bulk (models.demo.year): while a
    poster is connected, a closing hands its entry to it, and the poster writes the entry,
    this module's `problem_points` row and audit later (`record_posted`). Returns the previous."""
    global _deferred_poster
    previous, _deferred_poster = _deferred_poster, poster
    return previous


def post(session: Session, actor: Actor, problem: Problem, outcome: Outcome, on: date) -> int | None:
    """The ledger entry for this problem and outcome: posted now, or the one posted before.
    None when nobody's passbook answers for it (a village's own problem)."""
    if problem.responsible_head_id is None:
        return None
    posted = session.scalar(select(ProblemPoints.ledger_entry_id).where(
        ProblemPoints.problem_id == problem.id, ProblemPoints.outcome == outcome))
    if posted is not None:
        return posted
    head = session.get(Head, problem.responsible_head_id)
    rule = _rule(session, actor, outcome)
    source = session.get(ProblemSource, problem.source_id).name
    note = f"整改问题{problem.number}（{source}）：{problem.description[:40]}，{outcome.label}"
    evidence = _evidence(session, problem)
    if _deferred_poster is not None:
        return _deferred_poster(Posting(problem.id, problem.admin_village_id, problem.number,
                                        outcome, head.id, rule.code, on, note, evidence, actor))
    entry = ledger.post_rule(session, actor, head, rule, on=on, note=note, evidence=evidence,
                             idempotency_key=key(problem.id, outcome))
    record_posted(session, actor, problem.id, problem.admin_village_id, problem.number, outcome,
                  head.id, rule.code, entry.id, entry.score_delta)
    return entry.id


def record_posted(session: Session, actor: Actor, problem_id: int, village_id: int, number: str,
                  outcome: Outcome, head_id: int, rule_code: str, entry_id: int,
                  points: int) -> None:
    """The problem's link to its ledger entry, and the audit row."""
    session.add(ProblemPoints(problem_id=problem_id, outcome=outcome, ledger_entry_id=entry_id,
                              head_id=head_id))
    session.flush()
    audit.record(session, actor, "整改积分", "ledger_entry", entry_id, village_id=village_id,
                 after={"problem": number, "head_id": head_id, "rule": rule_code,
                        "points": points})


def _evidence(session: Session, problem: Problem) -> Evidence:
    """The problem's first photo, else its hash-chained history, stands as the evidence."""
    photo = session.execute(select(StoredFile.id, StoredFile.sha256).join(
        ProblemPhoto, ProblemPhoto.stored_file_id == StoredFile.id)
        .where(ProblemPhoto.problem_id == problem.id)
        .order_by(ProblemPhoto.id).limit(1)).first()
    if photo is not None:
        return Evidence(f"stored_file/{photo.id}", photo.sha256)
    return Evidence(f"整改台账/{problem.number}", problem.last_hash)


def _rule(session: Session, actor: Actor, outcome: Outcome) -> PointsRule:
    code, text, points = RULES[outcome]
    rule = session.scalar(select(PointsRule).where(PointsRule.code == code))
    if rule is None:
        rule = PointsRule(code=code, text=text, points=points, category=CATEGORY,
                          evidence_required=points < 0, sort_order=0)
        session.add(rule)
        session.flush()
        audit.record(session, actor, "保存积分细则", "points_rule", rule.id,
                     after={"code": code, "text": text, "points": points, "category": CATEGORY})
    return rule
