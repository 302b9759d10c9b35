"""The year's top scorer(s) of every village of the demo and of the township equal an
independent computation from the raw ledger (its own SQL and its own code), under each stated
tie-break — including none at all, where everyone at the top score shares the prize (并列)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from models.core.access import SYSTEM
from models.people.honours import HonoursService
from models.people.policy import TOP_TIE_BREAK
from models.points.demo import DEMO_YEAR
from models.settings_service import SettingsService


def _ineligible(db, year: int) -> set[int]:  # type: ignore[no-untyped-def]
    """Who may not be honoured: on the 约谈 list, removed as a head that year, or graded 不称职."""
    with db.read() as s:
        return set(s.execute(text(
            "SELECT resident_id FROM passbook WHERE year = :y AND (score < opening OR score = 0) "
            "UNION SELECT resident_id FROM head WHERE dismissed AND ended_on BETWEEN :a AND :b "
            "UNION SELECT g.resident_id FROM assessment_grade g JOIN assessment a "
            "ON a.id = g.assessment_id WHERE a.year = :y AND g.grade = '不称职'"),
            {"y": year, "a": f"{year}-01-01", "b": f"{year}-12-31"}).scalars())


def _books(db, year: int, villages: list[int]) -> dict[int, dict]:  # type: ignore[no-untyped-def]
    """Per passbook: resident, score, when the score last changed, deductions and awards not
    reversed."""
    with db.read() as s:
        books = {r.id: {"resident": r.resident_id, "score": r.score, "reached": None,
                        "deductions": 0, "deducted": 0, "awards": 0}
                 for r in s.execute(text(
                     "SELECT id, resident_id, score FROM passbook WHERE year = :y AND head_id IS NOT "
                     f"NULL AND admin_village_id IN ({','.join(map(str, villages))})"), {"y": year})}
        rows = s.execute(text(
            "SELECT passbook_id, id, kind, score_delta, recorded_at, reverses_id FROM ledger_entry "
            "ORDER BY passbook_id, seq")).all()
    reversed_ids = {r.reverses_id for r in rows if r.reverses_id is not None}
    for r in rows:
        book = books.get(r.passbook_id)
        if book is None:
            continue
        if r.kind == "opening" or r.score_delta:
            moment = r.recorded_at
            if isinstance(moment, str):  # SQLite hands raw text back
                moment = datetime.fromisoformat(moment)
            book["reached"] = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        if r.id in reversed_ids:
            continue
        if r.kind == "deduction":
            book["deductions"] += 1
            book["deducted"] -= r.score_delta
        if r.kind == "award":
            book["awards"] += 1
    return books


def _expected(db, year: int, villages: list[int], keys: list[str]) -> tuple[int, set[int]]:  # type: ignore[no-untyped-def]
    barred = _ineligible(db, year)
    books = [b for b in _books(db, year, villages).values() if b["resident"] not in barred]
    top = max(b["score"] for b in books)
    left = [b for b in books if b["score"] == top]
    measure = {"reached_first": lambda b: b["reached"], "fewer_deductions": lambda b: b["deductions"],
               "fewer_deducted": lambda b: b["deducted"], "more_awards": lambda b: -b["awards"]}
    for key in keys:
        best = min(measure[key](b) for b in left)
        left = [b for b in left if measure[key](b) == best]
    return top, {b["resident"] for b in left}


@pytest.mark.parametrize("rule", ["reached_first,fewer_deductions", "fewer_deductions,more_awards",
                                  "fewer_deducted", ""])
def test_top_scorers_equal_an_independent_computation(demo_db, rule):  # type: ignore[no-untyped-def]
    SettingsService(demo_db, SYSTEM).put(TOP_TIE_BREAK.key, rule)
    keys = [k for k in rule.split(",") if k]
    honours = HonoursService(demo_db, SYSTEM)
    with demo_db.read() as s:
        villages = s.execute(text("SELECT id FROM admin_village ORDER BY sort_order")).scalars().all()
    shared = 0
    for village in villages:
        found = honours.top_scorers(DEMO_YEAR, village)
        top, winners = _expected(demo_db, DEMO_YEAR, [village], keys)
        assert (found.top_score, {w.resident_id for w in found.winners}) == (top, winners)
        assert found.shared == (len(winners) > 1)
        scores = [c.score for c in found.leaders]
        assert scores == sorted(scores, reverse=True) and len(found.leaders) == 10
        assert {c.resident_id for c in found.leaders[:len(winners)]} == winners
        if found.shared:
            shared += 1
            assert "并列" in found.summary and "并列获奖" in found.steps[-1]
        assert found.rule.startswith("积分相同时")
    town = honours.top_scorers(DEMO_YEAR)
    assert (town.top_score, {w.resident_id for w in town.winners}) == \
        _expected(demo_db, DEMO_YEAR, list(villages), keys)
    if not keys:  # with no tie-break, villages with several at the top share the prize
        assert shared >= 1  # the demo has a village whose top is shared: that path is checked


def test_an_ineligible_head_at_the_top_is_passed_over_with_the_reason(demo_db):  # type: ignore[no-untyped-def]
    honours = HonoursService(demo_db, SYSTEM)
    with demo_db.read() as s:
        village = s.execute(text("SELECT id FROM admin_village ORDER BY sort_order")).scalars().first()
    first = honours.top_scorers(DEMO_YEAR, village).winners[0]
    with demo_db.write() as s:  # as if he had been removed as a head this year
        s.execute(text("UPDATE head SET dismissed = :t, ended_on = :d, end_reason = '撤换' "
                       "WHERE id = :h"), {"t": True, "d": f"{DEMO_YEAR}-11-29", "h": first.head_id})
    again = honours.top_scorers(DEMO_YEAR, village)
    assert first.resident_id not in {w.resident_id for w in again.winners}
    passed, = [p for p in again.passed_over if p.contender.resident_id == first.resident_id]
    assert "被撤换" in passed.reason
