"""Tampering behind the program's back (triggers dropped, rows edited with SQL) is found by
`check`, each kind with its own plain Chinese message naming the passbook (head, unit, year),
the entry's number and date; a chain re-computed after an edit, or cut short with every trace
wound back, is found against the verification code printed on paper. On both engines."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import create_engine, func, select, text, update
from sqlalchemy.orm import Session

from models.check import run_checks
from models.core import anchors
from models.core.access import SYSTEM
from models.core.audit import CHAINED as AUDIT_CHAIN
from models.core.audit import AuditLog
from models.core.chain import ChainHead
from models.core.db import Database
from models.org.tables import Head, Resident
from models.points.service import PointsService
from models.points.tables import HASHED_FIELDS, EntryKind, LedgerEntry, Passbook, entry_hash
from models.printing.scope import Scope, ScopeKind
from models.printing.service import PrintService
from models.ranking.rules import PAY_QUARTER_BLACK
from models.ranking.service import RankingService
from models.ranking.tables import PayDeduction, RankingEntry, RankingList
from models.settings_service import SettingsService
from models.store.tables import Goods, MovementKind, Redemption, StockMovement
from models.worklog.calendar import Month
from models.worklog.settlement import SettlementService
from models.worklog.tables import Settlement, SettlementExclusion, SettlementLine

DAY = date(2026, 11, 30)


@contextmanager
def behind_the_programs_back(db: Database) -> Iterator[Session]:
    """One transaction with the append-only triggers out of the way, as someone with the file
    (or the server's superuser) could do. On SQLite that is a plain connection, as the sqlite3
    tool makes (foreign keys not enforced), the triggers put back afterwards word for word."""
    if not db.is_sqlite:
        with db.write() as s:
            s.execute(text("SET LOCAL session_replication_role = replica"))
            yield s
        return
    db.dispose()
    engine = create_engine(f"sqlite:///{db.path}")
    try:
        with Session(engine, expire_on_commit=False) as s, s.begin():
            triggers = s.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
            for name, _sql in triggers:
                s.execute(text(f'DROP TRIGGER "{name}"'))
            yield s
            for _name, sql in triggers:
                s.execute(text(sql))
    finally:
        engine.dispose()


def problems_of(db: Database, codes: dict[str, str] | None = None) -> list[str]:
    return run_checks(db, codes)


def posted_head(db: Database) -> tuple[int, int, str]:
    """A head of the home village with two fresh awards posted through the program (so audit
    rows record them): head id, passbook id, the head's name."""
    with db.read() as s:
        head_id, name = s.execute(select(Head.id, Resident.name).join(Resident)
                                  .where(Head.ended_on.is_(None)).order_by(Head.id)).first()
        rule = s.scalar(select(func.min(LedgerEntry.rule_id)).where(LedgerEntry.kind == "award",
                                                                    LedgerEntry.rule_code == "A04"))
    service = PointsService(db, SYSTEM)
    service.post(head_id, rule, DAY, "走访")
    service.post(head_id, rule, DAY, "巡查")
    with db.read() as s:
        book = s.scalar(select(Passbook.id).join(Head, Head.resident_id == Passbook.resident_id)
                        .where(Head.id == head_id, Passbook.year == 2026))
    return head_id, book, name


def entries(s: Session, book: int) -> list[dict]:
    columns = [getattr(LedgerEntry, f) for f in HASHED_FIELDS]
    rows = s.execute(select(LedgerEntry.id, *columns, LedgerEntry.hash)
                     .where(LedgerEntry.passbook_id == book).order_by(LedgerEntry.seq)).mappings()
    return [dict(row) for row in rows]


def rehash_from(s: Session, book: int, seq: int) -> None:
    """What a careful tamperer does after editing entry `seq`: every hash from there on is
    computed anew and the passbook row made to agree, so the file agrees with itself."""
    rows = entries(s, book)
    last = rows[seq - 2]["hash"] if seq > 1 else "0" * 64
    score = spent = 0
    for row in rows:
        if row["seq"] >= seq:
            new = entry_hash(last, row)
            s.execute(update(LedgerEntry).where(LedgerEntry.id == row["id"])
                      .values(prev_hash=last, hash=new))
            row["hash"] = new
        last, score, spent = row["hash"], row["score_after"], row["spent_after"]
    s.execute(update(Passbook).where(Passbook.id == book)
              .values(last_seq=rows[-1]["seq"], last_hash=last, score=score, spent=spent))


def printed_code(db: Database, head_id: int) -> dict[str, str]:
    """The code the passbook print-out carries, as someone would type it back."""
    service = PrintService(db, SYSTEM)
    scope = Scope(ScopeKind.HEAD, head_id, "", None)
    reference, code = service.passbook(scope, 2026).verification.split()
    return anchors.parse([f"{reference}={code}"])


# ---- the tamperings ------------------------------------------------------------------------
def edited_entry(db: Database) -> tuple[str, ...]:
    _head, book, name = posted_head(db)
    with behind_the_programs_back(db) as s:
        s.execute(update(LedgerEntry).where(LedgerEntry.passbook_id == book, LedgerEntry.seq == 2)
                  .values(note="改过的备注"))
    return name, "第2笔（", "内容与登记时不符"


def swapped_amounts(db: Database) -> tuple[str, ...]:
    """An award's and a deduction's amounts exchanged (their running totals left alone)."""
    _head, book, name = posted_head(db)
    with behind_the_programs_back(db) as s:
        rows = entries(s, book)
        award = next(r for r in rows if r["kind"] is EntryKind.AWARD)
        deduction = next(r for r in rows if r["score_delta"] not in (0, award["score_delta"])
                         and r["kind"] is not EntryKind.OPENING)
        for row, other in ((award, deduction), (deduction, award)):
            s.execute(update(LedgerEntry).where(LedgerEntry.id == row["id"])
                      .values(score_delta=other["score_delta"]))
    return name, f"第{award['seq']}笔（", "内容与登记时不符"


def deleted_tail(db: Database) -> tuple[str, ...]:
    _head, book, name = posted_head(db)
    with behind_the_programs_back(db) as s:
        last = s.scalar(select(Passbook.last_seq).where(Passbook.id == book))
        s.execute(LedgerEntry.__table__.delete().where(LedgerEntry.passbook_id == book,
                                                       LedgerEntry.seq == last))
    return name, "2026年", "末尾的流水被删除过"


def deleted_tail_rolled_back(db: Database) -> tuple[str, ...]:
    """The last two entries deleted and the passbook row wound back to the new last one: the
    chain agrees with itself; the audit rows of the two postings still name them."""
    _head, book, name = posted_head(db)
    with behind_the_programs_back(db) as s:
        last = s.scalar(select(Passbook.last_seq).where(Passbook.id == book))
        s.execute(LedgerEntry.__table__.delete().where(LedgerEntry.passbook_id == book,
                                                       LedgerEntry.seq >= last - 1))
        rehash_from(s, book, last - 1)
    return name, f"第{last}笔", "所记的积分流水", "已不存在"


def deleted_passbook(db: Database) -> tuple[str, ...]:
    with db.read() as s:
        spent = select(LedgerEntry.passbook_id).where(LedgerEntry.kind == "redemption")
        book = s.scalar(select(Passbook.id).where(Passbook.id.not_in(spent)).order_by(Passbook.id))
    with behind_the_programs_back(db) as s:
        s.execute(LedgerEntry.__table__.delete().where(LedgerEntry.passbook_id == book))
        s.execute(Passbook.__table__.delete().where(Passbook.id == book))
    return "开立积分存折", f"积分存折（编号 {book}", "积分存折被删除过"


def _movement(s: Session, kind: MovementKind) -> StockMovement:
    return s.scalars(select(StockMovement).where(StockMovement.kind == kind)
                     .order_by(StockMovement.id)).first()


def edited_stock_movement(db: Database) -> tuple[str, ...]:
    with behind_the_programs_back(db) as s:
        purchase = _movement(s, MovementKind.PURCHASE)
        s.execute(update(StockMovement).where(StockMovement.id == purchase.id)
                  .values(quantity=purchase.quantity + 10))
        s.execute(update(Goods).where(Goods.id == purchase.goods_id)
                  .values(stock=Goods.stock + 10))  # the shelf made to agree
    return "出入库台账第1条", "采购入库", "与登记时不符"


def deleted_stock_movement(db: Database) -> tuple[str, ...]:
    with behind_the_programs_back(db) as s:
        write_off = _movement(s, MovementKind.WRITE_OFF)
        s.execute(StockMovement.__table__.delete().where(StockMovement.id == write_off.id))
        s.execute(update(Goods).where(Goods.id == write_off.goods_id)
                  .values(stock=Goods.stock - write_off.quantity))
    return "面粉", f"缺少第{write_off.chain_seq}条", "记录被删除过"


def edited_audit_row(db: Database) -> tuple[str, ...]:
    with behind_the_programs_back(db) as s:
        row = s.scalars(select(AuditLog).where(AuditLog.chain_key != 0)
                        .order_by(AuditLog.id)).first()
        s.execute(update(AuditLog).where(AuditLog.id == row.id).values(user_name="别人"))
    return "操作记录（", f"第{row.chain_seq}条", "在程序之外被改动过"


def deleted_audit_row(db: Database) -> tuple[str, ...]:
    with behind_the_programs_back(db) as s:
        row = s.scalars(select(AuditLog).where(AuditLog.chain_key != 0, AuditLog.chain_seq == 5)
                        .order_by(AuditLog.id)).first()
        s.execute(AuditLog.__table__.delete().where(AuditLog.id == row.id))
    return "操作记录（", "缺少第5条", "操作记录被删除过"


def audit_rows_out_of_sequence(db: Database) -> tuple[str, ...]:
    """Two audit rows swapped in the sequence (their numbers exchanged)."""
    with behind_the_programs_back(db) as s:
        key = s.scalar(select(AuditLog.chain_key).where(AuditLog.chain_key != 0).limit(1))
        first, second = s.scalars(select(AuditLog).where(AuditLog.chain_key == key,
                                                         AuditLog.chain_seq.in_([3, 4]))
                                  .order_by(AuditLog.chain_seq)).all()
        ids = (first.id, second.id)
        s.execute(update(AuditLog).where(AuditLog.id == ids[0]).values(chain_seq=-1))
        s.execute(update(AuditLog).where(AuditLog.id == ids[1]).values(chain_seq=3))
        s.execute(update(AuditLog).where(AuditLog.id == ids[0]).values(chain_seq=4))
    return "操作记录（", "第3条", "与前一条接不上"


def pay_deducted(db: Database) -> PayDeduction:
    """A quarterly black village's secretary's pay deducted through the program (the township's
    setting on): the demo's year has no yearly list yet."""
    SettingsService(db, SYSTEM).put(PAY_QUARTER_BLACK.key, True)
    with db.read() as s:
        black = s.scalar(select(RankingEntry.id).join(RankingList).where(
            RankingEntry.colour == "black", RankingList.kind == "quarter",
            RankingList.version == 1).order_by(RankingEntry.id))
    deduction = RankingService(db, SYSTEM).record_pay_deduction(black, "2026-11", "300")
    with db.read() as s:
        return s.get(PayDeduction, deduction)


def edited_pay_deduction(db: Database) -> tuple[str, ...]:
    """The money deducted from a secretary's pay lowered, behind the program's back."""
    row = pay_deducted(db)
    with behind_the_programs_back(db) as s:
        s.execute(update(PayDeduction).where(PayDeduction.id == row.id).values(amount=1))
    return f"扣发绩效补贴（{row.secretary_name}）", "登记的是 2026-11 300 元", "在程序之外被改动过"


def deleted_pay_deduction(db: Database) -> tuple[str, ...]:
    row = pay_deducted(db)
    with behind_the_programs_back(db) as s:
        s.execute(PayDeduction.__table__.delete().where(PayDeduction.id == row.id))
    return "所记的扣发绩效补贴", f"编号 {row.id}", "扣发绩效补贴被删除过"


def deleted_settlement(db: Database) -> tuple[str, ...]:
    """November's settlement of the 三个一 log confirmed through the program, then removed with
    its lines (the demo writes its earlier months in bulk, without audit rows)."""
    with db.read() as s:
        village = s.scalar(select(func.min(Settlement.admin_village_id)))
    settled = SettlementService(db, SYSTEM).confirm(village, Month(2026, 11))
    with behind_the_programs_back(db) as s:
        row = s.get(Settlement, settled.settlement_id)
        for table in (SettlementLine, SettlementExclusion):
            s.execute(table.__table__.delete().where(table.settlement_id == row.id))
        s.execute(Settlement.__table__.delete().where(Settlement.id == row.id))
    return "所记的三个一月结", f"编号 {row.id}", "三个一月结被删除过"


TAMPERINGS: dict[str, Callable[[Database], tuple[str, ...]]] = {
    "edited entry": edited_entry,
    "swapped amounts": swapped_amounts,
    "deleted tail": deleted_tail,
    "deleted tail, passbook rolled back": deleted_tail_rolled_back,
    "deleted passbook": deleted_passbook,
    "edited stock movement": edited_stock_movement,
    "deleted stock movement": deleted_stock_movement,
    "edited audit row": edited_audit_row,
    "deleted audit row": deleted_audit_row,
    "audit rows out of sequence": audit_rows_out_of_sequence,
    "edited pay deduction": edited_pay_deduction,
    "deleted pay deduction": deleted_pay_deduction,
    "deleted month-end settlement": deleted_settlement,
}


def test_the_demo_is_clean(demo_db: Database) -> None:
    assert problems_of(demo_db) == []


@pytest.mark.parametrize("tampering", TAMPERINGS)
def test_check_finds_the_tampering_with_its_own_message(demo_db: Database, tampering: str) -> None:
    words = TAMPERINGS[tampering](demo_db)
    problems = problems_of(demo_db)
    assert any(all(w in p for w in words) for p in problems), (words, problems)


def test_a_rehashed_chain_passes_alone_but_not_against_the_printed_code(demo_db: Database) -> None:
    head, book, name = posted_head(demo_db)
    code = printed_code(demo_db, head)
    assert problems_of(demo_db, code) == []
    with behind_the_programs_back(demo_db) as s:
        s.execute(update(LedgerEntry).where(LedgerEntry.passbook_id == book, LedgerEntry.seq == 3)
                  .values(note="改过的备注"))
        rehash_from(s, book, 3)
    assert [p for p in problems_of(demo_db) if name in p] == []  # the file agrees with itself
    problems = problems_of(demo_db, code)
    assert any(name in p and "校验码" in p and "改动" in p for p in problems), problems


def test_a_tail_cut_with_every_trace_wound_back_is_found_against_the_code(demo_db: Database) -> None:
    """The last entries, their audit rows and both chains' heads all wound back."""
    head, book, name = posted_head(demo_db)
    code = printed_code(demo_db, head)
    with behind_the_programs_back(demo_db) as s:
        last = s.scalar(select(Passbook.last_seq).where(Passbook.id == book))
        s.execute(LedgerEntry.__table__.delete().where(LedgerEntry.passbook_id == book,
                                                       LedgerEntry.seq >= last - 1))
        rehash_from(s, book, last - 1)
        gone = s.scalars(select(AuditLog).where(AuditLog.entity == "ledger_entry")
                         .order_by(AuditLog.id.desc()).limit(2)).all()
        key = gone[0].chain_key
        s.execute(AuditLog.__table__.delete().where(AuditLog.id.in_([g.id for g in gone])))
        top = s.execute(select(AuditLog.chain_seq, AuditLog.hash).where(AuditLog.chain_key == key)
                        .order_by(AuditLog.chain_seq.desc()).limit(1)).one()
        s.execute(update(ChainHead).where(ChainHead.ledger == AUDIT_CHAIN.ledger,
                                          ChainHead.chain_key == key)
                  .values(seq=top.chain_seq, hash=top.hash))
    assert [p for p in problems_of(demo_db) if name in p or "操作记录" in p] == []
    problems = problems_of(demo_db, code)
    assert any(name in p and f"第{last}笔已经登记" in p for p in problems), problems


def test_a_receipt_carries_the_code_of_its_entry(demo_db: Database) -> None:
    with demo_db.read() as s:
        number, village = s.execute(select(Redemption.number, Redemption.admin_village_id)
                                    .order_by(Redemption.id)).first()
    reference, code = PrintService(demo_db, SYSTEM).receipt(number, village).verification.split()
    assert reference.startswith("P") and problems_of(demo_db, anchors.parse([f"{reference}={code}"])) == []


def test_codes_are_read_back_leniently_and_refused_plainly() -> None:
    import models.areas  # noqa: F401  (the ledgers' letters)

    assert anchors.parse(["p12-3=k7qf3 m9x2a"]) == {"P12-3": "K7QF3M9X2A"}
    assert anchors.parse(["P12-3=K7QF3-M9X2O"]) == {"P12-3": "K7QF3M9X20"}  # O read as 0
    for bad in ("P12=K7QF3-M9X2A", "X1-1=K7QF3-M9X2A", "P1-1=K7QF3"):
        with pytest.raises(Exception, match="校验码"):
            anchors.parse([bad])


def test_a_backups_codes_file_finds_what_was_rewritten_since(demo_db: Database, capsys) -> None:  # type: ignore[no-untyped-def]
    """The command line: `check --codes` with the codes a backup wrote beside itself."""
    from main import main
    from models.backup import files as backup

    if demo_db.path is None:
        pytest.skip("备份校验码文件随 SQLite 备份写出。")
    _head, book, name = posted_head(demo_db)
    made = backup.make_backup(demo_db.path, "手动")
    codes = backup.codes_file(made)
    assert main(["check", "--db", str(demo_db.path), "--codes", str(codes)]) == 0
    assert "个校验码全部相符" in capsys.readouterr().out
    with behind_the_programs_back(demo_db) as s:
        s.execute(update(LedgerEntry).where(LedgerEntry.passbook_id == book, LedgerEntry.seq == 2)
                  .values(note="改过的备注"))
        rehash_from(s, book, 2)
    demo_db.dispose()
    assert main(["check", "--db", str(demo_db.path)]) == 0  # alone, the file agrees with itself
    assert main(["check", "--db", str(demo_db.path), "--codes", str(codes)]) == 1
    said = capsys.readouterr().err
    assert name in said and "校验码" in said, said
