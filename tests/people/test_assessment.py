"""The yearly assessment: grades equal an independent computation from the entered results and
the stated weights (the demo's year, and a year confirmed here under other settings); a 不称职
head's replacement goes through the organisation with the assessment as its reason and the
history stays with the person; confirmed grades are frozen and checked."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from models.check import run_checks
from models.core import clock
from models.core.access import SYSTEM, Actor, Role
from models.core.errors import ValidationError
from models.org.directory import Level
from models.org.service import OrganisationService
from models.people.assessment import AssessmentService
from models.people.eligibility import EligibilityService
from models.points.demo import DEMO_YEAR
from models.problems.service import ProblemsService
from models.problems.tables import Responsible
from models.problems.workflow import Assignment, ProblemInput
from models.settings_service import SettingsService
from tests.people.helpers import build_village, year

DEFAULTS = {"survey": 20, "questionnaire": 20, "meeting": 20, "score": 20, "duties": 10,
            "rectification": 10}
LINES = (90, 75, 60)


def _independent(counts, score: int, weights: dict[str, int], values=(100, 60),  # type: ignore[no-untyped-def]
                 lines=LINES, cap: int = 100, problems=(0, 0, 0), duties: str = "") -> tuple[Decimal, str]:
    """Its own arithmetic: each method 0–100, the weighted mean of the counted ones. The 三个一
    rate (the log area's figure, kept on the grade) counts for alley heads only."""
    s1, f1, u1, s2, f2, u2, yes, no, abstain = counts
    responsible, on_time, late = problems
    if not duties:
        weights = {k: w for k, w in weights.items() if k != "duties"}
    parts = {"survey": Fraction(s1 * values[0] + f1 * values[1], s1 + f1 + u1),
             "questionnaire": Fraction(s2 * values[0] + f2 * values[1], s2 + f2 + u2),
             "meeting": Fraction(100 * yes, yes + no + abstain),
             "score": Fraction(100 * min(score, cap), cap),
             "rectification": Fraction(100 * (2 * on_time + late), 2 * responsible)
             if responsible else Fraction(100),
             "duties": 100 * Fraction(duties) if duties else None}
    used = {k: w for k, w in weights.items() if w}
    exact = sum(parts[k] * w for k, w in used.items()) / sum(used.values())
    grade = "优秀" if exact >= lines[0] else "称职" if exact >= lines[1] else \
        "基本称职" if exact >= lines[2] else "不称职"
    shown = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP)
    return shown, grade


def _grades(db, year_: int) -> list:  # type: ignore[no-untyped-def]
    """Per confirmed grade: the nine counts, the score, the head's problems of the year
    (responsible, closed on time, closed late), the stored total and grade."""
    with db.read() as s:
        return s.execute(text(
            "SELECT r.survey_satisfied, r.survey_fair, r.survey_unsatisfied, "
            "r.questionnaire_satisfied, r.questionnaire_fair, r.questionnaire_unsatisfied, "
            "r.meeting_for, r.meeting_against, r.meeting_abstain, COALESCE(p.score, 30), "
            "(SELECT COUNT(*) FROM problem q WHERE q.responsible_head_id = g.head_id "
            " AND q.year = a.year), "
            "(SELECT COUNT(*) FROM problem q WHERE q.responsible_head_id = g.head_id "
            " AND q.year = a.year AND q.status = 'closed' AND q.outcome = 'on_time'), "
            "(SELECT COUNT(*) FROM problem q WHERE q.responsible_head_id = g.head_id "
            " AND q.year = a.year AND q.status = 'closed' AND q.outcome = 'late'), "
            "g.duties, g.total, g.grade FROM assessment_grade g "
            "JOIN assessment a ON a.id = g.assessment_id "
            "JOIN assessment_result r ON r.head_id = g.head_id AND r.year = a.year "
            "LEFT JOIN passbook p ON p.resident_id = g.resident_id AND p.year = a.year "
            "WHERE a.year = :y ORDER BY g.id"), {"y": year_}).all()


def test_the_demo_grades_equal_an_independent_computation(demo_db):  # type: ignore[no-untyped-def]
    rows = _grades(demo_db, DEMO_YEAR)
    assert len(rows) == 578
    for *counts, score, responsible, on_time, late, duties, stored, grade in rows:
        assert (Decimal(str(stored)).quantize(Decimal("0.01")), grade) == \
            _independent(counts, score, DEFAULTS, problems=(responsible, on_time, late),
                         duties=duties)
    assert {r[-1] for r in rows} == {"优秀", "称职", "基本称职", "不称职"}
    with demo_db.read() as s:  # the 三个一 rate is the alley heads' only, from the demo's log
        kept = dict(s.execute(text("SELECT role, COUNT(*) FROM assessment_grade WHERE duties <> '' "
                                   "GROUP BY role")).all())
    assert kept == {"胡同长": 385}


def test_a_year_confirmed_under_other_settings_follows_them(demo_db):  # type: ignore[no-untyped-def]
    settings = SettingsService(demo_db, SYSTEM)
    weights = {"survey": 30, "questionnaire": 10, "meeting": 40, "score": 20, "rectification": 5}
    for key, value in [*((f"assessment_weight_{k}", w) for k, w in weights.items()),
                       ("assessment_value_fair", 50), ("assessment_grade_excellent", 85),
                       ("assessment_grade_competent", 70), ("assessment_grade_basic", 55)]:
        settings.put(key, value)
    with demo_db.read() as s:
        village = s.execute(text("SELECT id FROM admin_village ORDER BY sort_order")).scalars().first()
    service = AssessmentService(demo_db, SYSTEM)
    last = DEMO_YEAR - 1
    sheet = service.sheet(village, last)
    votes = [[30 - i % 20, 6 + i % 5, i % 9, 20, 4 + i % 7, i % 4, 40 - i % 30, i % 6, 1]
             for i in range(len(sheet.rows))]
    service.enter_results(village, last, [(r.head.head_id, v) for r, v in
                                          zip(sheet.rows, votes, strict=True)])
    outcome = service.confirm(village, last, on=date(last, 12, 20))
    rows = _grades(demo_db, last)
    assert len(rows) == len(sheet.rows) == sum(outcome.by_grade.values())
    for *counts, score, responsible, on_time, late, duties, stored, grade in rows:
        assert (Decimal(str(stored)).quantize(Decimal("0.01")), grade) == \
            _independent(counts, score, weights, (100, 50), (85, 70, 55),
                         problems=(responsible, on_time, late), duties=duties)
    lines = service.sheet(village, last).confirmed.method.lines()
    assert "民意调研30%" in lines[0] and "“三个一”完成率10%" in lines[0]
    assert any("“三个一”完成率" in line and "此项不计入" in line and "折算" in line
               for line in lines)  # the demo keeps no log for the year before
    assert any(line.startswith("问题整改得分") for line in lines)
    assert "85分及以上为优秀" in lines[-1]
    with pytest.raises(ValidationError, match=r"已于.*确认"):
        service.enter_results(village, last, [(sheet.rows[0].head.head_id, votes[0])])
    assert run_checks(demo_db) == []


def test_confirming_needs_every_result(db):  # type: ignore[no-untyped-def]
    world = build_village(db)
    service = AssessmentService(db, SYSTEM)
    heads = service.sheet(world.village_id, year()).rows
    service.enter_results(world.village_id, year(),
                          [(r.head.head_id, [10, 2, 1, 10, 2, 1, 20, 1, 0]) for r in heads[:-1]])
    with pytest.raises(ValidationError, match="没有录全"):
        service.confirm(world.village_id, year())
    with pytest.raises(ValidationError, match="三项票数都填写"):
        service.enter_results(world.village_id, year(), [(heads[-1].head.head_id,
                                                           [10, "", 1, 10, 2, 1, 20, 1, 0])])
    with pytest.raises(ValidationError, match="整数"):
        service.enter_results(world.village_id, year(), [(heads[-1].head.head_id,
                                                           [10, -2, 1, 10, 2, 1, 20, 1, 0])])
    with db.read() as s:
        assert s.execute(text("SELECT COUNT(*) FROM assessment")).scalar_one() == 0


def test_an_unfit_heads_replacement_carries_the_assessment_as_reason(db):  # type: ignore[no-untyped-def]
    world = build_village(db)
    service = AssessmentService(db, SYSTEM)
    heads = service.sheet(world.village_id, year()).rows
    poor = heads[1].head  # an alley head the villagers are unhappy with
    service.enter_results(world.village_id, year(), [
        (r.head.head_id, [2, 3, 25, 1, 4, 15, 8, 30, 2] if r.head.head_id == poor.head_id
         else [28, 2, 0, 19, 1, 0, 40, 0, 0]) for r in heads])
    outcome = service.confirm(world.village_id, year())
    assert outcome.unfit == [f"{poor.unit}{poor.role_label}{poor.name}"]
    confirmed = service.sheet(world.village_id, year()).confirmed
    grade = next(g for g in confirmed.grades if g.head_id == poor.head_id)
    assert grade.grade.value == "不称职"
    successor = list(world.people.values())[5]
    with pytest.raises(ValidationError, match="只有不称职"):
        service.replace_unfit(next(g.id for g in confirmed.grades if g.grade.value != "不称职"),
                              successor, chosen_on=confirmed.confirmed_on)
    new_head = service.replace_unfit(grade.id, successor, chosen_on=confirmed.confirmed_on,
                                     chosen_method="村民代表会议推选")
    history = OrganisationService(db, SYSTEM).head_history(
        Level.ALLEY if poor.role.value == "alley" else Level.ZONE,
        world.alleys[0] if poor.role.value == "alley" else world.zones[0])
    assert history[0].head_id == new_head and history[0].resident_id == successor
    ended = next(h for h in history if h.head_id == poor.head_id)
    assert ended.ended_on == confirmed.confirmed_on
    assert f"{year()}年度综合测评不称职" in ended.end_reason and "依测评结果撤换" in ended.end_reason
    assert f"{grade.total:.2f}" in ended.end_reason
    with db.read() as s:
        assert s.execute(text("SELECT dismissed FROM head WHERE id = :h"),
                         {"h": poor.head_id}).scalar_one()
    with pytest.raises(ValidationError, match="已按"):
        service.replace_unfit(grade.id, successor, chosen_on=confirmed.confirmed_on)
    # The history stays with the person: his grade, and why he may not be honoured this year.
    (when, _village, kept), = service.history(poor.resident_id)
    assert when == year() and kept.grade.value == "不称职" and "接任" in kept.replaced
    bars = EligibilityService(db, SYSTEM).of(poor.resident_id, year()).bars
    assert {b.kind for b in bars} == {"dismissed", "unfit"}
    assert run_checks(db) == []


@pytest.mark.parametrize("statement", [
    "UPDATE assessment_grade SET grade = '优秀' WHERE id = :id",
    "DELETE FROM assessment_grade WHERE id = :id",
])
def test_the_database_refuses_changing_a_confirmed_grade(demo_db, statement):  # type: ignore[no-untyped-def]
    with demo_db.read() as s:
        grade = s.execute(text("SELECT id FROM assessment_grade ORDER BY id LIMIT 1")).scalar_one()
    with pytest.raises(DBAPIError, match="只能追加"):
        with demo_db.write() as s:
            s.execute(text(statement), {"id": grade})


def test_check_finds_a_grade_changed_behind_the_programs_back(demo_db):  # type: ignore[no-untyped-def]
    with demo_db.write() as s:
        if demo_db.is_sqlite:
            s.execute(text("DROP TRIGGER assessment_grade_no_update"))
        else:
            s.execute(text("DROP TRIGGER assessment_grade_no_change ON assessment_grade"))
        s.execute(text("UPDATE assessment_grade SET grade = '优秀' WHERE id = "
                       "(SELECT MIN(id) FROM assessment_grade WHERE grade = '不称职')"))
    problem, = run_checks(demo_db)
    assert "综合测评" in problem and "记为" in problem and "复算为" in problem


def test_the_rectification_record_counts_by_the_stated_rule(db):  # type: ignore[no-untyped-def]
    """Two problems the alley head answers for, one closed on time and one still open: his
    rectification component is 50, and his grade follows."""
    world = build_village(db)
    head = world.heads["alley0"]
    register = ProblemsService(db, SYSTEM)
    fixer = ProblemsService(db, Actor("整改登记人", Role.TOWNSHIP_ADMIN, user_id=9001))
    checker = ProblemsService(db, Actor("复核人", Role.TOWNSHIP_ADMIN, user_id=9002))
    source, category = register.sources()[0].id, register.categories()[0].id
    made = [register.register(ProblemInput(clock.today(), source, category, text,
                                           alley_id=world.alleys[0]),
                              assign=Assignment(Responsible.HEAD, head_id=head)).problem_id
            for text in ("胡同口柴草乱堆", "排水沟堵塞")]
    fixer.rectify(made[0], "已清理")
    checker.verify(made[0], True)
    checker.close(made[0])
    service = AssessmentService(db, SYSTEM)
    rows = service.sheet(world.village_id, year()).rows
    votes = [20, 5, 1, 15, 3, 1, 30, 2, 1]
    service.enter_results(world.village_id, year(), [(r.head.head_id, votes) for r in rows])
    mine = next(r for r in service.sheet(world.village_id, year()).rows if r.head.head_id == head)
    assert mine.scores["rectification"] == 50
    service.confirm(world.village_id, year())
    for *counts, score, responsible, on_time, late, duties, stored, grade in _grades(db, year()):
        assert (Decimal(str(stored)).quantize(Decimal("0.01")), grade) == \
            _independent(counts, score, DEFAULTS, problems=(responsible, on_time, late),
                         duties=duties)
    assert (2, 1) in {(r[10], r[11]) for r in _grades(db, year())}
