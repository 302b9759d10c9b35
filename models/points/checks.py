"""`check` for the points bank: every passbook's chain of entries is walked (a missing, edited or
re-ordered entry, a passbook row that no longer matches its chain) and every stored figure is
reconciled with the entries, each said in plain Chinese with the passbook's head, unit and year,
the entry's number and date. The passbooks' heads are also the anchors `P<passbook>-<entry>` that
the passbook print-out and the receipts carry (models.core.anchors)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core import anchors
from models.core.chain import Break, BreakKind, walk
from models.core.checks import invariant
from models.org.tables import Resident
from models.points.evidence import entries_without_file
from models.points.service import head_hits
from models.points.tables import CHAINED, LedgerEntry, Passbook

LIMIT = 50  # problems reported per check: enough to see the pattern, not a flood
_COLUMNS = [getattr(LedgerEntry, name) for name in CHAINED.fields]


def passbook_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """积分存折（张三，韩家村 南片区·一胡同 胡同长，2026年） for each passbook id."""
    wanted, rows = list(ids), []
    for start in range(0, len(wanted), 1000):
        rows += session.execute(
            select(Passbook.id, Passbook.year, Passbook.head_id, Resident.name)
            .join(Resident, Resident.id == Passbook.resident_id)
            .where(Passbook.id.in_(wanted[start:start + 1000]))).all()
    hits = head_hits(session, [row.head_id for row in rows if row.head_id is not None])
    names = {}
    for row in rows:
        hit = hits.get(row.head_id)
        who = f"{hit.name}，{hit.village} {hit.unit} {hit.role}" if hit else row.name
        names[row.id] = f"积分存折（{who}，{row.year}年）"
    return names


def _entry(row) -> str:  # type: ignore[no-untyped-def]
    return f"第{row.seq}笔（{row.occurred_on:%Y-%m-%d}）"


def describe(brk: Break, book: str) -> str:
    """One break of a passbook's chain in plain Chinese."""
    span = f"第{brk.first}笔" if brk.first == brk.last else f"第{brk.first}至{brk.last}笔"
    after = f"，在{_entry(brk.before)}之后" if brk.before is not None else ""
    if brk.kind is BreakKind.MISSING:
        return f"{book}缺少{span}{after}、{_entry(brk.row)}之前：流水被删除过。"
    if brk.kind is BreakKind.EDITED:
        return f"{book}{_entry(brk.row)}的内容与登记时不符：这一笔在程序之外被改动过。"
    if brk.kind is BreakKind.OUT_OF_ORDER:
        return (f"{book}{_entry(brk.row)}与前一笔接不上：流水的顺序被打乱，"
                "或前一笔的校验值被改动过。")
    if brk.kind is BreakKind.TAIL_MISSING:
        return (f"{book}记载已登记到第{brk.last}笔，流水中找不到{span}{after}："
                "末尾的流水被删除过。")
    if brk.kind is BreakKind.BEYOND_HEAD:
        return (f"{book}记载只登记到第{brk.first - 1}笔，流水中却还有{span}：存折的记录被改回过，"
                "或这些流水是在程序之外添加的。")
    return f"{book}记载的最后一笔校验值与流水第{brk.last}笔不符：存折的记录被改动过。"


class _Figures:
    """Each passbook's running score and points spent, entry by entry."""

    def __init__(self) -> None:
        self.state: dict[int, tuple[int, int]] = {}
        self.problems: list[tuple[int, str]] = []

    def see(self, row) -> None:  # type: ignore[no-untyped-def]
        score, spent = self.state.get(row.passbook_id, (0, 0))
        if row.kind != "opening" and (row.score_after != score + row.score_delta
                                      or row.spent_after != spent + row.spend_delta):
            self.problems.append((row.passbook_id, f"{_entry(row)}的累计积分与前一笔对不上。"))
        self.state[row.passbook_id] = (row.score_after, row.spent_after)


@invariant
def evidence_in_database(session: Session) -> list[str]:
    """Every entry's evidence is in the database, so any PC (and the township) can open it."""
    return [f"积分证据“{recorded}”还没有存入数据库，仍在当初登记的电脑上："
            "请在那台电脑上运行 import-evidence。"
            for _village, recorded, _sha in entries_without_file(session.connection())[:20]]


@invariant
def ledger_chains(session: Session) -> list[str]:
    books = {b.id: b for b in session.scalars(select(Passbook))}
    heads = {book_id: (b.last_seq, b.last_hash) for book_id, b in books.items()}
    figures = _Figures()
    stmt = select(*_COLUMNS, LedgerEntry.prev_hash, LedgerEntry.hash).order_by(
        LedgerEntry.passbook_id, LedgerEntry.seq)
    breaks = walk(session.execute(stmt).yield_per(5000), CHAINED, heads, figures.see)
    found = [(brk.key, brk) for brk in breaks] + figures.problems
    for book_id, book in books.items():
        score, spent = figures.state.get(book_id, (0, 0))
        if (book.score, book.spent) != (score, spent):
            found.append((book_id, f"记载的积分 {book.score} 分、已兑换 {book.spent} 分与流水合计"
                                   f"（积分 {score} 分、已兑换 {spent} 分）不符。"))
    found = found[:LIMIT]
    names = passbook_names(session, {book_id for book_id, _ in found})
    return [describe(what, names.get(book_id, f"积分存折 {book_id}")) if isinstance(what, Break)
            else f"{names.get(book_id, f'积分存折 {book_id}')}{what}" for book_id, what in found]


def _heads(session: Session):  # type: ignore[no-untyped-def]
    books = session.execute(select(Passbook.id, Passbook.last_seq, Passbook.last_hash)
                            .order_by(Passbook.id)).all()
    names = passbook_names(session, [b.id for b in books])
    return [(b.id, b.last_seq, b.last_hash, names.get(b.id, "")) for b in books]


def _point(session: Session, passbook_id: int, seq: int) -> anchors.Point:
    book = session.get(Passbook, passbook_id)
    if book is None:
        return anchors.Point("", 0, None, exists=False)
    stored = session.scalar(select(LedgerEntry.hash).where(
        LedgerEntry.passbook_id == passbook_id, LedgerEntry.seq == seq))
    length = session.scalar(select(LedgerEntry.seq).where(LedgerEntry.passbook_id == passbook_id)
                            .order_by(LedgerEntry.seq.desc()).limit(1)) or 0
    return anchors.Point(passbook_names(session, [passbook_id])[passbook_id], length, stored)


anchors.register(anchors.Ledger("P", "积分存折", "笔", _heads, _point))
