"""The ledger: cap and floor, spendable balance, reversals, idempotency, append-only, check."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from models.check import run_checks
from models.core.access import SYSTEM
from models.core.errors import ValidationError
from models.org.tables import Head
from models.points import ledger
from models.points.service import PointsService
from models.points.tables import EntryKind, LedgerEntry
from tests.points.helpers import make_heads, make_rule, recent_day, rule_id

DAY = recent_day()


def test_award_opens_passbook_at_30_and_caps_at_100(db, system):
    head, = make_heads(db)
    big = make_rule(db, "T50", 50)
    service = PointsService(db, system)
    service.post(head, big, DAY)
    service.post(head, big, DAY)
    view = service.passbook(head, DAY.year)
    assert [e.kind for e in view.entries] == [EntryKind.OPENING, EntryKind.AWARD, EntryKind.AWARD]
    assert view.score == 100
    assert [e.score_delta for e in view.entries] == [30, 50, 20]
    assert "只计 20 分" in view.entries[-1].text
    assert view.spendable == 70
    assert run_checks(db) == []


def test_deduction_stops_at_zero_and_needs_a_reason(db, system):
    head, = make_heads(db)
    heavy = rule_id(db, "D08")
    service = PointsService(db, system)
    with pytest.raises(ValidationError, match="证据"):
        service.post(head, heavy, DAY, "县里通报")
    minus = make_rule(db, "T-20", -20)
    with pytest.raises(ValidationError, match="原因"):
        service.post(head, minus, DAY)
    service.post(head, minus, DAY, "卫生差")
    service.post(head, minus, DAY, "又差")
    view = service.passbook(head, DAY.year)
    assert view.score == 0 and view.entries[-1].score_delta == -10
    assert "只扣 10 分" in view.entries[-1].text
    assert [w.head.head_id for w in service.talk_list(DAY.year)] == [head]


def test_spend_refuses_more_than_balance_and_deduction_leaves_owing(db, system):
    head, = make_heads(db)
    service = PointsService(db, system)
    service.post(head, make_rule(db, "T20", 20), DAY)
    with db.write() as s:
        h = s.get(Head, head)
        with pytest.raises(ValidationError, match="只有 20 分"):
            ledger.spend(s, SYSTEM, h, 21, reference="兑换单1", idempotency_key="r1", on=DAY)
    with db.write() as s:
        h = s.get(Head, head)
        first = ledger.spend(s, SYSTEM, h, 15, reference="兑换单1", idempotency_key="r1", on=DAY)
        again = ledger.spend(s, SYSTEM, h, 15, reference="兑换单1", idempotency_key="r1", on=DAY)
        assert again.id == first.id
    service.post(head, make_rule(db, "T-10", -10), DAY, "未巡查")
    view = service.passbook(head, DAY.year)
    assert (view.score, view.spendable, view.owed) == (40, 0, 5)
    assert service.talk_list(DAY.year) == []


def test_reversal_once_and_cancel_spend(db, system):
    head, = make_heads(db)
    service = PointsService(db, system)
    award = service.post(head, make_rule(db, "T20", 20), DAY)
    with db.write() as s:
        spent = ledger.spend(s, SYSTEM, s.get(Head, head), 10, reference="兑换单7",
                             idempotency_key="k7", on=DAY).id
    with db.write() as s:
        with pytest.raises(ValidationError, match="不是兑换"):
            ledger.cancel_spend(s, SYSTEM, award, "错")
        ledger.cancel_spend(s, SYSTEM, spent, "顾客退货")
    with pytest.raises(ValidationError, match="不能重复冲正"):
        service.reverse(spent, "再退")
    service.reverse(award, "登记错人")
    view = service.passbook(head, DAY.year)
    assert (view.score, view.balance) == (30, 0)
    assert view.entries[1].reversed_by_seq == 5
    assert run_checks(db) == []


def test_retried_save_posts_once(db, system):
    head, = make_heads(db)
    service = PointsService(db, system)
    rule = make_rule(db, "T5", 5)
    assert service.post(head, rule, DAY, idempotency_key="save-1") == \
        service.post(head, rule, DAY, idempotency_key="save-1")
    assert service.passbook(head, DAY.year).score == 35


def test_rule_limit_per_day(db, system):
    head, = make_heads(db)
    service = PointsService(db, system)
    daily = rule_id(db, "A01")
    service.post(head, daily, DAY)
    with pytest.raises(ValidationError, match="每天最多登记 1 次"):
        service.post(head, daily, DAY)
    service.post(head, daily, DAY + timedelta(days=1))


def test_database_refuses_update_and_delete(db, system):
    head, = make_heads(db)
    PointsService(db, system).post(head, make_rule(db, "T5", 5), DAY)
    for statement in ("UPDATE ledger_entry SET score_delta = 99", "DELETE FROM ledger_entry"):
        with pytest.raises(Exception, match="只能追加"):
            with db.write() as s:
                s.execute(text(statement))
    with db.read() as s:
        assert s.scalar(select(LedgerEntry.score_delta).where(LedgerEntry.seq == 2)) == 5


def test_check_finds_an_entry_changed_behind_the_program(db, system):
    head, = make_heads(db)
    PointsService(db, system).post(head, make_rule(db, "T5", 5), DAY)
    with db.write() as s:
        if db.is_sqlite:
            s.execute(text("DROP TRIGGER ledger_entry_no_update"))
        else:
            s.execute(text("DROP TRIGGER ledger_entry_append_only ON ledger_entry"))
        s.execute(text("UPDATE ledger_entry SET score_delta = 50, score_after = 80 WHERE seq = 2"))
    problems = run_checks(db)
    assert any("第2笔" in p and "改动" in p for p in problems), problems


def test_closed_year_takes_no_entries(db, system):
    head, = make_heads(db, 2)[:1]
    service = PointsService(db, system)
    service.post(head, make_rule(db, "T20", 20), DAY)
    year = DAY.year
    result = service.close_year(year, today=date(year + 1, 1, 2))
    assert (result.closed, result.opened) == (1, 2)
    assert service.close_year(year, today=date(year + 1, 1, 2)).closed == 0
    with pytest.raises(ValidationError, match="已结转"):
        service.post(head, make_rule(db, "T1", 1), DAY)
    assert service.passbook(head, year + 1).score == 30
    assert "未兑换的 20 分作废" in service.passbook(head, year).entries[-1].text
