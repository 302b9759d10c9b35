"""`check` checks the rules, not only the chains (DOMAIN §5, §7): entries written past the
services with a correct hash chain still break the cap, the spendable balance, the opening, the
lists' own rules or the evidence, and check says so in plain Chinese, naming the passbook."""

from __future__ import annotations

from sqlalchemy import select

from models.check import run_checks
from models.core import clock
from models.core.access import SYSTEM
from models.org.tables import Head
from models.points.service import PointsService
from models.points.tables import EntryKind, LedgerEntry, Passbook, PointsRule, entry_hash
from models.settings_service import SettingsService
from tests.points.helpers import make_heads, make_rule, recent_day, rule_id

WHO = "韩一0（韩家村·南片区·1号胡同 胡同长）"


def _forge(db, passbook_id: int, kind: EntryKind, *, delta: int = 0, spend: int = 0,  # type: ignore[no-untyped-def]
           rule_code: str = "") -> None:
    """An entry as someone editing the database by hand would add it: figures, chain and the
    passbook's totals all made to agree, no rule of the program applied."""
    with db.write() as s:
        book = s.get(Passbook, passbook_id)
        rule = s.scalar(select(PointsRule).where(PointsRule.code == rule_code)) if rule_code else None
        values = dict(
            passbook_id=book.id, seq=book.last_seq + 1, kind=kind, rule_id=rule.id if rule else None,
            rule_code=rule.code if rule else "", rule_text=rule.text if rule else "",
            rule_points=rule.points if rule else 0, requested=delta, score_delta=delta,
            spend_delta=spend, score_after=book.score + delta, spent_after=book.spent + spend,
            occurred_on=recent_day(), recorded_at=clock.utcnow(),
            operator_name="手工", operator_role="secretary", operator_user_id=None, note="",
            reference="", evidence_path="", evidence_sha256="", idempotency_key=None,
            reverses_id=None, prev_hash=book.last_hash)
        values["hash"] = entry_hash(book.last_hash, values)
        s.add(LedgerEntry(**values))
        book.score, book.spent = values["score_after"], values["spent_after"]
        book.last_seq, book.last_hash = values["seq"], values["hash"]


def _book(db, head: int) -> int:  # type: ignore[no-untyped-def]
    PointsService(db, SYSTEM).post(head, make_rule(db, "T5", 5), recent_day())
    with db.read() as s:
        return s.scalar(select(Passbook.id))


def test_a_score_above_the_cap_and_a_spend_beyond_the_balance_are_reported(db):
    head, = make_heads(db)
    book = _book(db, head)
    assert run_checks(db) == []
    _forge(db, book, EntryKind.AWARD, delta=125)  # 35 → 160
    _forge(db, book, EntryKind.REDEMPTION, spend=140)  # spendable 130
    year = recent_day().year
    problems = run_checks(db)
    assert f"{WHO}{year}年度积分存折第 3 笔后积分 160 分，超过年度积分上限 100 分。" in problems
    assert f"{WHO}{year}年度积分存折第 4 笔兑换 140 分后可兑换积分为 -10 分，兑换超出了可兑换积分。" \
        in problems
    assert not any("前后不相连" in p or "改动" in p for p in problems)  # the chain itself holds


def test_the_cap_as_it_was_set_at_the_time(db):
    head, = make_heads(db)
    book = _book(db, head)
    SettingsService(db, SYSTEM).put("points_cap", 200)
    _forge(db, book, EntryKind.AWARD, delta=125)  # allowed by the cap of its day
    assert not any("超过年度积分上限" in p for p in run_checks(db))


def test_an_opening_other_than_the_setting_is_reported(db):
    head, = make_heads(db)
    with db.write() as s:  # a passbook opened by hand at 80
        holder = s.get(Head, head)
        s.add(Passbook(resident_id=holder.resident_id, year=recent_day().year - 5, head_id=head,
                       admin_village_id=holder.admin_village_id, opening=0, opened_on=recent_day(),
                       score=0, spent=0, last_seq=0, last_hash="0" * 64, created_at=clock.utcnow()))
    with db.read() as s:
        book = s.scalar(select(Passbook.id))
    _forge(db, book, EntryKind.OPENING, delta=80)
    with db.write() as s:
        s.get(Passbook, book).opening = 80
    assert any(p.endswith("开户存入 80 分（存折记为 80 分），与当时设置的初始积分 30 分不符。")
               for p in run_checks(db))


def test_a_black_list_rule_posted_by_hand_and_missing_evidence_are_reported(db):
    head, = make_heads(db)
    book = _book(db, head)
    _forge(db, book, EntryKind.DEDUCTION, delta=-5, rule_code="D06")
    _forge(db, book, EntryKind.AWARD, delta=10, rule_code="A08")
    year = recent_day().year
    problems = run_checks(db)
    assert f"{WHO}{year}年度积分存折第 3 笔以“D06 所负责片区（胡同）上黑榜”登记，但不是由红黑榜公示记入的。" \
        in problems
    assert f"{WHO}{year}年度积分存折第 4 笔“A08 受到镇（街道）通报表彰”要求附证据，但没有证据。" in problems
    assert rule_id(db, "A08")
