"""A stateful property test of the ledger on SQLite: awards, deductions, redemptions, reversals
and year ends in any order keep the score within [floor, cap], the spendable balance honest and
closed years untouched. More examples: CUNZHI_LEDGER_EXAMPLES=1000 pytest …"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import select

from models.core import clock
from models.core.access import SYSTEM
from models.core.db import Database
from models.core.errors import ValidationError
from models.core.schema import migrate
from models.org.tables import Head
from models.points import ledger
from models.points.service import PointsService
from models.points.tables import EntryKind, LedgerEntry, Passbook, PointsRule
from tests.points.helpers import make_heads, make_rule

POINTS = (1, 5, 10, 25, 60)
EXAMPLES = int(os.environ.get("CUNZHI_LEDGER_EXAMPLES", "30"))
_TEMPLATE: dict[str, Path] = {}
_TEMPLATE_FOLDER: list[tempfile.TemporaryDirectory] = []  # removed when the session ends


def template() -> Path:
    """One migrated database with a head and the test rules, copied for every example."""
    if "path" not in _TEMPLATE:
        _TEMPLATE_FOLDER.append(tempfile.TemporaryDirectory(prefix="ledger-template-"))
        folder = Path(_TEMPLATE_FOLDER[0].name)
        db = Database(folder / "template.db")
        migrate(db)
        make_heads(db)
        for points in POINTS:
            make_rule(db, f"P{points}", points)
            make_rule(db, f"M{points}", -points)
        db.dispose()
        _TEMPLATE["path"] = folder / "template.db"
    return _TEMPLATE["path"]


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="ledger-"))
        shutil.copyfile(template(), self.folder / "cunzhi.db")
        self.db = Database(self.folder / "cunzhi.db")
        self.service = PointsService(self.db, SYSTEM)
        with self.db.read() as s:
            self.head_id = s.scalar(select(Head.id))
            self.rules = {r.points: r.id for r in s.scalars(select(PointsRule))}
        # The machine lives through the years: the program's clock follows it (30 June of the
        # year being worked in, 1 January when a year is closed).
        self.clock_before = os.environ.get(clock.ENVIRONMENT_VARIABLE)
        self.year = 2020
        self.set_clock(date(self.year, 6, 30))
        self.closed: dict[int, list[str]] = {}  # year → hashes at close
        self.entries: list[int] = []  # ids of reversible entries of the open year
        self.reversed: set[int] = set()
        self.counter = 0

    def set_clock(self, day: date) -> None:
        os.environ[clock.ENVIRONMENT_VARIABLE] = day.isoformat()

    def teardown(self) -> None:
        if self.clock_before is None:
            os.environ.pop(clock.ENVIRONMENT_VARIABLE, None)
        else:
            os.environ[clock.ENVIRONMENT_VARIABLE] = self.clock_before
        self.db.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)

    def on(self) -> date:
        return date(self.year, 6, 1)

    @rule(points=st.sampled_from(POINTS), award=st.booleans())
    def award_or_deduct(self, points: int, award: bool) -> None:
        signed = points if award else -points
        entry = self.service.post(self.head_id, self.rules[signed], self.on(), "测试")
        self.entries.append(entry)

    @rule(points=st.integers(1, 80))
    def redeem(self, points: int) -> None:
        before = self.view()
        self.counter += 1
        try:
            with self.db.write() as s:
                entry = ledger.spend(s, SYSTEM, s.get(Head, self.head_id), points,
                                     reference="兑换", idempotency_key=f"r{self.counter}",
                                     on=self.on())
                self.entries.append(entry.id)
        except ValidationError:
            assert points > before.balance
            assert self.view().balance == before.balance
            return
        assert points <= before.balance
        assert self.view().balance >= 0

    @precondition(lambda self: self.entries)
    @rule(pick=st.integers(0, 10_000), twice=st.booleans())
    def reverse(self, pick: int, twice: bool) -> None:
        target = self.entries[pick % len(self.entries)]
        if target in self.reversed:
            try:
                self.service.reverse(target, "重复")
            except ValidationError:
                return
            raise AssertionError("an entry was reversed twice")
        reversal = self.service.reverse(target, "更正")
        self.reversed.add(target)
        with self.db.read() as s:
            original, made = s.get(LedgerEntry, target), s.get(LedgerEntry, reversal)
            assert made.reverses_id == target and made.kind is EntryKind.REVERSAL
            assert made.requested == -original.score_delta
            assert made.spend_delta == -original.spend_delta

    @rule()
    def close_year(self) -> None:
        if not self.has_passbook(self.year):
            try:
                self.service.close_year(self.year, today=date(self.year + 1, 1, 1))
            except ValidationError as refusal:
                assert "没有任何积分存折" in str(refusal)
                return
            raise AssertionError("a year without passbooks was closed")
        result = self.service.close_year(self.year, today=date(self.year + 1, 1, 1))
        assert result.closed == 1 and result.opened == 1
        assert self.service.close_year(self.year, today=date(self.year + 1, 1, 1)).closed == 0
        self.closed[self.year] = self.hashes(self.year)
        try:
            self.service.post(self.head_id, self.rules[1], self.on(), "结转后")
        except ValidationError:
            pass
        else:
            raise AssertionError("a closed year took an entry")
        self.year += 1
        self.set_clock(date(self.year, 6, 30))
        self.entries, self.reversed = [], set()

    def has_passbook(self, year: int) -> bool:
        with self.db.read() as s:
            return s.scalar(select(Passbook.id).where(Passbook.year == year)) is not None

    def hashes(self, year: int) -> list[str]:
        with self.db.read() as s:
            return list(s.scalars(select(LedgerEntry.hash).join(Passbook)
                                  .where(Passbook.year == year).order_by(LedgerEntry.seq)))

    def view(self):  # type: ignore[no-untyped-def]
        return self.service.passbook(self.head_id, self.year)

    @invariant()
    def score_is_the_sum_of_counted_entries(self) -> None:
        view = self.view()
        if view.passbook_id is None:
            return
        counted = sum(e.score_delta for e in view.entries if e.kind is not EntryKind.OPENING)
        assert view.score == view.opening + counted
        assert 0 <= view.score <= 100
        assert all(0 <= e.score_after <= 100 for e in view.entries)
        spent = sum(e.spend_delta for e in view.entries)
        assert view.balance == view.score - view.opening - spent
        reversed_targets = [e.reverses_seq for e in view.entries if e.reverses_seq is not None]
        assert len(reversed_targets) == len(set(reversed_targets))

    @invariant()
    def closed_years_never_change(self) -> None:
        for year, hashes in self.closed.items():
            assert self.hashes(year) == hashes


LedgerMachine.TestCase.settings = settings(
    max_examples=EXAMPLES, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
TestLedgerMachine = LedgerMachine.TestCase
