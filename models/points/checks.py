"""`check` for the points bank: every passbook's hash chain, sequence and stored figures must
agree with its entries, so an entry changed behind the program's back is found."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core.checks import invariant
from models.points.evidence import entries_without_file
from models.points.tables import GENESIS, HASHED_FIELDS, LedgerEntry, Passbook, entry_hash

_COLUMNS = [getattr(LedgerEntry, name) for name in HASHED_FIELDS]


@invariant
def evidence_in_database(session: Session) -> list[str]:
    """Every entry's evidence is in the database, so any PC (and the township) can open it."""
    return [f"积分证据“{recorded}”还没有存入数据库，仍在当初登记的电脑上："
            "请在那台电脑上运行 import-evidence。"
            for _village, recorded, _sha in entries_without_file(session.connection())[:20]]


@invariant
def ledger_chains(session: Session) -> list[str]:
    books = {b.id: b for b in session.scalars(select(Passbook))}
    problems: list[str] = []
    state: dict[int, tuple[int, str, int, int]] = {}  # passbook → seq, hash, score, spent
    stmt = select(*_COLUMNS, LedgerEntry.prev_hash, LedgerEntry.hash).order_by(
        LedgerEntry.passbook_id, LedgerEntry.seq)
    for row in session.execute(stmt).yield_per(5000):
        values = dict(zip(HASHED_FIELDS, row, strict=False))
        book_id = values["passbook_id"]
        seq, last_hash, score, spent = state.get(book_id, (0, GENESIS, 0, 0))
        where = f"积分存折 {book_id} 第 {values['seq']} 笔"
        if values["seq"] != seq + 1 or row.prev_hash != last_hash:
            problems.append(f"{where}：前后不相连（缺笔、插笔或被改动）。")
        elif entry_hash(last_hash, values) != row.hash:
            problems.append(f"{where}：内容与登记时不符，已被程序以外的方式改动。")
        elif values["kind"] != "opening" and (
                values["score_after"] != score + values["score_delta"]
                or values["spent_after"] != spent + values["spend_delta"]):
            problems.append(f"{where}：累计积分与前一笔对不上。")
        state[book_id] = (values["seq"], row.hash, values["score_after"], values["spent_after"])
    for book_id, book in books.items():
        seq, last_hash, score, spent = state.get(book_id, (0, GENESIS, 0, 0))
        if (book.last_seq, book.last_hash, book.score, book.spent) != (seq, last_hash, score, spent):
            problems.append(f"积分存折 {book_id}（{book.year}年）记载的积分与流水合计不符。")
    return problems[:50]
