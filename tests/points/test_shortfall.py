"""欠分 versus 低于初始积分: only spent points left uncovered are owed; a head who never redeemed
and fell below the opening owes nothing (DOMAIN §5)."""

from __future__ import annotations


from hypothesis import given
from hypothesis import strategies as st

from models.core.access import SYSTEM
from models.org.tables import Head
from models.points import ledger
from models.points.service import PointsService
from models.points.tables import Shortfall
from models.printing.scope import Scope, ScopeKind
from models.printing.service import PrintService
from models.store.counter import CounterService, standing_of
from tests.points.helpers import make_heads, make_rule, recent_day

DAY = recent_day()


@given(opening=st.integers(0, 100), score=st.integers(0, 100), spent=st.integers(0, 300))
def test_shortfall_splits_into_owed_and_below_opening(opening, score, spent):
    short = Shortfall.of(score, opening, spent)
    total = max(0, -(score - opening - spent))
    assert short.owed + short.below_opening == total
    assert 0 <= short.owed <= spent
    assert 0 <= short.below_opening <= max(0, opening - score)
    assert ("欠" in short.note) == (short.owed > 0)
    assert ("低于初始积分" in short.note) == (short.below_opening > 0)


def test_never_redeemed_head_below_opening_owes_nothing(db, system):
    head, = make_heads(db)
    service = PointsService(db, system)
    service.post(head, make_rule(db, "T-8", -8), DAY, "未巡查")
    view = service.passbook(head, DAY.year)
    assert (view.score, view.spendable, view.owed, view.below_opening) == (22, 0, 0, 8)
    with db.read() as s:
        standing = standing_of(s, s.get(Head, head).resident_id, DAY.year)
    assert (standing.spendable, standing.owed, standing.below_opening) == (0, 0, 8)
    printed = PrintService(db, system).passbook(Scope(ScopeKind.HEAD, head), DAY.year)
    assert printed.entries[-1].note == "低于初始积分8分"
    assert "欠" not in "".join(e.note for e in printed.entries)


def test_spent_then_deducted_below_opening_owes_only_what_was_spent(db, system):
    head, = make_heads(db)
    service = PointsService(db, system)
    service.post(head, make_rule(db, "T10", 10), DAY)
    with db.write() as s:
        ledger.spend(s, SYSTEM, s.get(Head, head), 10, reference="兑换单1", idempotency_key="r1",
                     on=DAY)
    service.post(head, make_rule(db, "T-15", -15), DAY, "未巡查")
    view = service.passbook(head, DAY.year)
    assert (view.score, view.spendable, view.owed, view.below_opening) == (25, 0, 10, 5)
    printed = PrintService(db, system).passbook(Scope(ScopeKind.HEAD, head), DAY.year)
    assert printed.entries[-1].note == "欠10分；低于初始积分5分"
    card = CounterService(db, system).head_card(head, DAY)
    assert (card.standing.owed, card.standing.below_opening) == (10, 5)
