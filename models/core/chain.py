"""Hash chains: what makes a ledger's rows tamper-evident, for every ledger alike.

Each row of a chained ledger carries its chain's key (a passbook, a goods item, a village's audit
trail), its number in that chain (`seq`, from 1, no gaps), the hash of the row before it
(`prev_hash`) and its own `hash`: SHA-256 over that previous hash and every stored field. A
chain's head (the last seq and hash) is kept apart from the rows, so that a missing last row is
found too; a short code of a head printed on paper or written with a backup (models.core.anchors)
is what finds a chain re-hashed from an edited row onwards.

Writing: `Chained.link` gives one row its place; ledgers whose head lives in `chain_head` (the
audit trail, and any ledger a new area adds) use `append` under the head's row lock. Checking: `walk`
goes through a ledger's rows in chain order and returns each `Break` in plain terms; the ledger's
own check names its rows in Chinese (`describe`)."""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from operator import attrgetter
from typing import Any

from sqlalchemy import Connection, Integer, String, Table, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.core.base import Base
from models.core.together import together

GENESIS = "0" * 64

_PLAIN = (int, str, type(None))  # exact types: a StrEnum or a bool goes through _canonical
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # built once


def _canonical(value: object) -> object:
    if isinstance(value, date):
        return _canonical_time(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value


@lru_cache(maxsize=4096)  # a year's ledger has a few hundred distinct days and times
def _canonical_time(value: date) -> str:
    if isinstance(value, datetime):
        # SQLite hands back naive UTC, PostgreSQL aware times in the session zone: compare in UTC.
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    return value.isoformat()


def link_hash(prev_hash: str, fields: Iterable[object]) -> str:
    """The chain link: SHA-256 over the previous hash and a row's stored fields, the same
    whichever engine the values were read from."""
    values = [value if type(value) in _PLAIN else _canonical(value) for value in fields]
    return hashlib.sha256(_encode([prev_hash, *values]).encode("utf-8")).hexdigest()


# ---- chains whose head is a row of chain_head ----------------------------------------------
class ChainHead(Base):
    """The last seq and hash of one chain of a ledger kept here (the audit trail per village;
    a passbook or a goods item keeps its own head on its row)."""

    __tablename__ = "chain_head"
    ledger: Mapped[str] = mapped_column(String(30), primary_key=True)
    chain_key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64), default=GENESIS)


@dataclass(frozen=True)
class Chained:
    """How a ledger's rows form chains: its name in chain_head, the column holding the chain
    key, the columns of the link, and the stored fields the hash covers (key and seq among
    them, so a row moved to another place no longer matches)."""

    ledger: str
    key: str
    fields: tuple[str, ...]
    seq: str = "chain_seq"
    prev: str = "prev_hash"
    hash: str = "hash"

    def link(self, values: dict[str, Any], seq: int, prev_hash: str) -> dict[str, Any]:
        """`values` with its place in the chain and its hash filled in."""
        values[self.seq], values[self.prev] = seq, prev_hash
        values[self.hash] = link_hash(prev_hash, (values[f] for f in self.fields))
        return values


def append(session: Session, chained: Chained, rows: Sequence[dict[str, Any]],
           table: Table) -> None:
    """Give rows (dicts of column values, in the order they happened) their links, insert them
    into `table` and move their chains' heads on, inside the caller's transaction. Each head is
    locked (an upsert taking the row's lock, which returns the head) in key order, so two
    writers never wait for each other crosswise; the heads' updates and the rows then go to the
    server together: two round trips for an operation's rows of one chain. Call it last in a
    transaction: the lock is held to commit."""
    by_key: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_key.setdefault(row[chained.key], []).append(row)
    moved = []
    for key in sorted(by_key):
        seq, last = locked_head(session, chained.ledger, key)
        for row in by_key[key]:
            seq += 1
            last = chained.link(row, seq, last)[chained.hash]
        moved.append(update(ChainHead).where(ChainHead.ledger == chained.ledger,
                                             ChainHead.chain_key == key)
                     .values(seq=seq, hash=last))
    if session.get_bind().dialect.name == "postgresql" and len(rows) <= _TOGETHER:
        together(session, [*moved, insert(table).values(list(rows))])
        return
    for statement in moved:
        session.execute(statement)
    session.execute(insert(table), list(rows))


_TOGETHER = 500  # rows sent in one statement; a bulk writer's thousands go as executemany


def locked_head(session: Session | Connection, ledger: str, key: int) -> tuple[int, str]:
    """A chain's head (seq, hash), created when missing, locked to the transaction's end."""
    dialect = session.dialect if isinstance(session, Connection) else session.get_bind().dialect
    maker = pg_insert if dialect.name == "postgresql" else sqlite_insert
    upsert = maker(ChainHead).values(ledger=ledger, chain_key=key, seq=0, hash=GENESIS)
    # DO UPDATE (to the same value) locks the existing row and hands it back, in one statement.
    row = session.execute(upsert.on_conflict_do_update(
        index_elements=[ChainHead.ledger, ChainHead.chain_key], set_={"seq": ChainHead.seq})
        .returning(ChainHead.seq, ChainHead.hash)).one()
    return row.seq, row.hash


def heads(session: Session, ledger: str) -> dict[int, tuple[int, str]]:
    """Every chain head of a ledger kept in chain_head: key → (seq, hash)."""
    return {key: (seq, last) for key, seq, last in session.execute(
        select(ChainHead.chain_key, ChainHead.seq, ChainHead.hash)
        .where(ChainHead.ledger == ledger))}


# ---- walking a ledger ----------------------------------------------------------------------
class BreakKind(enum.StrEnum):
    MISSING = "missing"            # rows first..last of a chain are gone (from the middle)
    EDITED = "edited"              # a row's fields no longer give its hash
    OUT_OF_ORDER = "out_of_order"  # a row does not follow the one before it
    TAIL_MISSING = "tail_missing"  # the head says rows first..last exist; they do not
    BEYOND_HEAD = "beyond_head"    # rows after the head's last one: the head was wound back
    HEAD_CHANGED = "head_changed"  # the head's hash is not the last row's
    NO_HEAD = "no_head"            # rows, but their chain's head is gone


@dataclass(frozen=True)
class Break:
    kind: BreakKind
    key: int
    first: int         # the seq it is about (the first missing one for a gap)
    last: int          # the last missing one; `first` otherwise
    row: Any = None    # the row found there (EDITED, OUT_OF_ORDER; the row after a gap)
    before: Any = None  # the last sound row before it, if any


def walk(rows: Iterable[Any], chained: Chained, heads: Mapping[int, tuple[int, str]],
         on_row: Callable[[Any], None] | None = None) -> list[Break]:
    """Every break in a ledger's chains. `rows` (objects or named rows with the chain's
    columns) must come in key and seq order; `heads` maps each key to the (seq, hash) its
    head records. `on_row` sees every row, for a ledger's own running figures."""
    breaks: list[Break] = []
    fields_of = attrgetter(*chained.fields)  # one C call per row, not one per field
    link_of = attrgetter(chained.key, chained.seq, chained.prev, chained.hash)
    current: int | None = None
    seq, last, before = 0, GENESIS, None
    seen: set[int] = set()

    def close(key: int | None) -> None:
        if key is None:
            return
        if key not in heads:
            breaks.append(Break(BreakKind.NO_HEAD, key, seq, seq, before))
            return
        head_seq, head_hash = heads[key]
        if head_seq > seq:
            breaks.append(Break(BreakKind.TAIL_MISSING, key, seq + 1, head_seq, None, before))
        elif head_seq < seq:
            breaks.append(Break(BreakKind.BEYOND_HEAD, key, head_seq + 1, seq, before))
        elif head_hash != last:
            breaks.append(Break(BreakKind.HEAD_CHANGED, key, seq, seq, before))

    for row in rows:
        key, row_seq, prev, stored = link_of(row)
        if key != current:
            close(current)
            current, seq, last, before = key, 0, GENESIS, None
            seen.add(key)
        if row_seq > seq + 1:
            breaks.append(Break(BreakKind.MISSING, key, seq + 1, row_seq - 1, row, before))
        elif prev != last:
            breaks.append(Break(BreakKind.OUT_OF_ORDER, key, row_seq, row_seq, row, before))
        if link_hash(prev, fields_of(row)) != stored:
            breaks.append(Break(BreakKind.EDITED, key, row_seq, row_seq, row, before))
        if on_row is not None:
            on_row(row)
        seq, last, before = row_seq, stored, row
    close(current)
    for key, (head_seq, _hash) in sorted(heads.items()):
        if key not in seen and head_seq > 0:
            breaks.append(Break(BreakKind.TAIL_MISSING, key, 1, head_seq))
    return breaks
