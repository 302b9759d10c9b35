"""A stateful property test of the rectification workflow on SQLite and PostgreSQL: any sequence
of 登记, 交办, 整改, 复核 (passed or sent back, by the same or another person), 拒不整改, 督办退回,
销号 and reopening, on several problems, as days pass. An independent model says which step may
follow; the service must do exactly the allowed ones and refuse the rest writing nothing. After
every step the stored state, the derived overdue days and the points posted agree with the model
and `check` finds the histories intact.

More examples: CUNZHI_PROBLEM_EXAMPLES=500 pytest tests/problems/test_stateful.py"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from models.core import clock
from models.core.access import Actor, Role
from models.core.db import Database
from models.core.errors import DomainError
from models.points.tables import LedgerEntry
from models.problems.checks import problem_histories
from models.problems.service import Assignment, ProblemFilter, ProblemInput, ProblemsService
from models.problems.tables import Outcome, Problem, ProblemPoints, Responsible, Status
from tests.problems.helpers import Town, make_town

EXAMPLES = int(os.environ.get("CUNZHI_PROBLEM_EXAMPLES", "15"))
STEPS = int(os.environ.get("CUNZHI_PROBLEM_STEPS", "25"))
PEOPLE = (Actor("甲", Role.TOWNSHIP_ADMIN, user_id=1), Actor("乙", Role.TOWNSHIP_ADMIN, user_id=2))
DEFAULT_DAYS = 3  # 垃圾乱堆乱放


@dataclass
class Model:
    """What the office expects of one problem, written without the program's lifecycle."""

    status: Status = Status.REGISTERED
    deadline: date | None = None
    rectified_on: date | None = None
    rectifier: int | None = None
    escalated: bool = False
    posted: set[Outcome] = field(default_factory=set)

    def overdue_days(self, today: date) -> int:
        owed = self.status in (Status.ASSIGNED, Status.ESCALATED)
        return max((today - self.deadline).days, 0) if owed and self.deadline else 0


class ProblemMachine(RuleBasedStateMachine):
    db: Database
    town: Town

    def __init__(self) -> None:
        super().__init__()
        self.day = date(2026, 1, 5)
        self.problems: list[tuple[int, Model]] = []

    # ---- the steps -------------------------------------------------------------------------
    @rule(assign=st.booleans(), household=st.integers(0, 3))
    def register(self, assign: bool, household: int) -> None:
        data = ProblemInput(self.day, self.town.source_id, self.town.category_id, "门前堆放杂物",
                            household_id=self.town.home.households[household])
        registered = ProblemsService(self.db, PEOPLE[0]).register(
            data, assign=Assignment(Responsible.HOUSEHOLD) if assign else None, on=self.day)
        model = Model()
        if assign:
            model.status, model.deadline = Status.ASSIGNED, self.day + timedelta(days=DEFAULT_DAYS)
        self.problems.append((registered.problem_id, model))

    @precondition(lambda self: self.problems)
    @rule(pick=st.integers(0, 99), days=st.integers(0, 12))
    def assign(self, pick: int, days: int) -> None:
        problem_id, model = self.pick(pick)
        deadline = self.day + timedelta(days=days)
        self.attempt(problem_id, model.status is Status.REGISTERED,
                     lambda s: s.assign(problem_id, Assignment(Responsible.HOUSEHOLD,
                                                               deadline=deadline), on=self.day))
        if model.status is Status.REGISTERED:
            model.status, model.deadline = Status.ASSIGNED, deadline

    @precondition(lambda self: self.problems)
    @rule(pick=st.integers(0, 99), who=st.sampled_from(PEOPLE))
    def rectify(self, pick: int, who: Actor) -> None:
        problem_id, model = self.pick(pick)
        allowed = model.status in (Status.ASSIGNED, Status.ESCALATED)
        self.attempt(problem_id, allowed, lambda s: s.rectify(problem_id, "已清理", on=self.day), who)
        if allowed:
            model.status, model.rectified_on, model.rectifier = Status.RECTIFIED, self.day, who.user_id

    @precondition(lambda self: self.problems)
    @rule(pick=st.integers(0, 99), who=st.sampled_from(PEOPLE), passed=st.booleans())
    def verify(self, pick: int, who: Actor, passed: bool) -> None:
        problem_id, model = self.pick(pick)
        allowed = model.status is Status.RECTIFIED and model.rectifier != who.user_id
        self.attempt(problem_id, allowed,
                     lambda s: s.verify(problem_id, passed, "" if passed else "没清干净",
                                        on=self.day), who)
        if allowed and passed:
            model.status = Status.VERIFIED
        elif allowed:
            model.status = Status.ESCALATED if model.escalated else Status.ASSIGNED
            model.rectified_on = model.rectifier = None

    @precondition(lambda self: self.problems)
    @rule(pick=st.integers(0, 99))
    def escalate(self, pick: int) -> None:
        problem_id, model = self.pick(pick)
        allowed = model.status is Status.ASSIGNED
        self.attempt(problem_id, allowed, lambda s: s.escalate(problem_id, "拒不整改", on=self.day))
        if allowed:
            model.status, model.escalated = Status.ESCALATED, True

    @precondition(lambda self: self.problems)
    @rule(pick=st.integers(0, 99), days=st.integers(0, 12))
    def return_escalation(self, pick: int, days: int) -> None:
        problem_id, model = self.pick(pick)
        allowed, deadline = model.status is Status.ESCALATED, self.day + timedelta(days=days)
        self.attempt(problem_id, allowed, lambda s: s.return_escalation(
            problem_id, "退回村里", deadline=deadline, on=self.day))
        if allowed:
            model.status, model.escalated, model.deadline = Status.ASSIGNED, False, deadline

    @precondition(lambda self: self.problems)
    @rule(pick=st.integers(0, 99), who=st.sampled_from(PEOPLE))
    def close(self, pick: int, who: Actor) -> None:
        problem_id, model = self.pick(pick)
        if model.status is Status.CLOSED:  # closing again changes nothing
            before = self.last_seq(problem_id)
            assert ProblemsService(self.db, who).close(problem_id, on=self.day).already
            assert self.last_seq(problem_id) == before
            return
        allowed = model.status is Status.VERIFIED
        closing = self.attempt(problem_id, allowed, lambda s: s.close(problem_id, on=self.day), who)
        if allowed:
            expected = Outcome.REFUSED if model.escalated else \
                Outcome.ON_TIME if model.rectified_on <= model.deadline else Outcome.LATE
            assert closing.outcome is expected and not closing.already
            model.status = Status.CLOSED
            model.posted.add(expected)

    @precondition(lambda self: self.problems)
    @rule(pick=st.integers(0, 99), days=st.integers(0, 12))
    def reopen(self, pick: int, days: int) -> None:
        problem_id, model = self.pick(pick)
        allowed, deadline = model.status is Status.CLOSED, self.day + timedelta(days=days)
        self.attempt(problem_id, allowed,
                     lambda s: s.reopen(problem_id, "问题复发", deadline=deadline, on=self.day))
        if allowed:
            model.status, model.deadline, model.escalated = Status.ASSIGNED, deadline, False
            model.rectified_on = model.rectifier = None

    @rule(days=st.integers(0, 6))
    def days_pass(self, days: int) -> None:
        self.day = min(self.day + timedelta(days=days), clock.today())

    # ---- helpers ---------------------------------------------------------------------------
    def pick(self, index: int) -> tuple[int, Model]:
        return self.problems[index % len(self.problems)]

    def last_seq(self, problem_id: int) -> int:
        with self.db.read() as s:
            return s.get(Problem, problem_id).last_seq

    def attempt(self, problem_id: int, allowed: bool, call, who: Actor = PEOPLE[1]):  # type: ignore[no-untyped-def]
        before = self.last_seq(problem_id)
        try:
            result = call(ProblemsService(self.db, who))
        except DomainError as refusal:
            assert not allowed, f"refused a step the model allows: {refusal}"
            assert self.last_seq(problem_id) == before, "a refused step wrote an event"
            return None
        assert allowed, "did a step the model refuses"
        assert self.last_seq(problem_id) == before + 1
        return result

    # ---- what must always hold ---------------------------------------------------------------
    @invariant()
    def stored_state_is_the_models(self) -> None:
        today = clock.today()
        with self.db.read() as s:
            for problem_id, model in self.problems:
                problem = s.get(Problem, problem_id)
                assert (problem.status, problem.deadline, problem.escalated) == \
                    (model.status, model.deadline, model.escalated)
                assert problem.rectified_on == model.rectified_on
        rows = {r.id: r for r in ProblemsService(self.db, PEOPLE[0]).problems(ProblemFilter())}
        for problem_id, model in self.problems:
            assert rows[problem_id].overdue_days == model.overdue_days(today)

    @invariant()
    def points_are_posted_once_per_outcome(self) -> None:
        with self.db.read() as s:
            for problem_id, model in self.problems:
                posted = set(s.scalars(select(ProblemPoints.outcome)
                                       .where(ProblemPoints.problem_id == problem_id)))
                assert posted == model.posted
                entries = s.scalar(select(func.count(LedgerEntry.id)).where(
                    LedgerEntry.idempotency_key.like(f"整改:{problem_id}:%")))
                assert entries == len(model.posted)

    @invariant()
    def histories_are_intact(self) -> None:
        with self.db.read() as s:
            assert problem_histories(s) == []


def test_any_sequence_of_steps_keeps_the_ledger_honest(db):  # type: ignore[no-untyped-def]
    ProblemMachine.db, ProblemMachine.town = db, make_town(db)
    run_state_machine_as_test(ProblemMachine, settings=settings(
        max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))


@pytest.fixture(autouse=True)
def _forget_the_database():  # type: ignore[no-untyped-def]
    yield
    for name in ("db", "town"):
        if name in vars(ProblemMachine):
            delattr(ProblemMachine, name)
