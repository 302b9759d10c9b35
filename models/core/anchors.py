"""Verification codes 校验码: the anchor of a hash chain outside the database file.

A code is ten characters (two groups of five, Crockford base-32: no I, L, O, U) of a SHA-256 over
a row's reference and its chain hash. The hash covers that row and, through the chain, every row
before it; so a code printed on a passbook, on a receipt or written with a backup proves what the
chain held up to that row. Someone who edits an entry and re-computes every hash after it can make
the file agree with itself, but not with the paper: `check --code P123-12=…` then finds it.

A reference is the ledger's letter, the chain's key and the row's number: P123-12 is passbook
123's entry 12 (S: a goods item's stock ledger, A: a village's audit trail, R: a published list).
Each ledger registers how to read its heads and a row's hash (`register`, from its checks module)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from models.core.errors import ValidationError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: nothing to misread
LENGTH = 10
_REF = re.compile(r"([A-Z])(\d{1,10})-(\d{1,10})")
_CODE = re.compile(r"[0-9A-Z]{10}")
_MISREAD = str.maketrans({"I": "1", "L": "1", "O": "0"})


def code(ref: str, chain_hash: str) -> str:
    """The code of one row's chain hash, e.g. "K7QF3-M9X2A"."""
    digest = hashlib.sha256(f"cunzhi-anchor|{ref}|{chain_hash}".encode()).digest()
    number = int.from_bytes(digest[:8], "big") >> (64 - 5 * LENGTH)
    letters = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(LENGTH)))
    return f"{letters[:5]}-{letters[5:]}"


def ref(prefix: str, key: int, seq: int) -> str:
    return f"{prefix}{key}-{seq}"


@dataclass(frozen=True)
class Anchor:
    """One chain head as written down: reference, code and what it is in words."""

    ref: str
    code: str
    label: str

    @property
    def line(self) -> str:
        return f"{self.ref}  {self.code}  {self.label}"


@dataclass(frozen=True)
class Point:
    """What the database holds at a reference: the chain's name in words, how many rows it
    has, and the stored hash of the row asked for (None when the chain or row is missing)."""

    name: str
    length: int
    chain_hash: str | None
    exists: bool = True


@dataclass(frozen=True)
class Ledger:
    prefix: str
    label: str   # e.g. "积分存折"
    unit: str    # what one row is called: "笔", "条"
    heads: Callable[[Session], Iterable[tuple[int, int, str, str]]]  # key, seq, hash, words
    point: Callable[[Session, int, int], Point]


LEDGERS: dict[str, Ledger] = {}


def register(ledger: Ledger) -> Ledger:
    LEDGERS[ledger.prefix] = ledger
    return ledger


def current(session: Session) -> list[Anchor]:
    """The code of every chain's head, ledger by ledger (what a backup writes down)."""
    found = []
    for ledger in LEDGERS.values():
        for key, seq, chain_hash, words in ledger.heads(session):
            if seq > 0:
                where = ref(ledger.prefix, key, seq)
                found.append(Anchor(where, code(where, chain_hash),
                                    f"{ledger.label} {words} 第{seq}{ledger.unit}"))
    return found


# ---- codes given back to `check` -----------------------------------------------------------
def _normalised_code(text: str) -> str:
    return re.sub(r"[\s\-－]", "", text).upper().translate(_MISREAD)


def _reference(text: str) -> tuple[str, int, int]:
    match = _REF.fullmatch(text.strip().upper())
    if match is None or match.group(1) not in LEDGERS:
        known = "、".join(f"{p}（{ledger.label}）" for p, ledger in LEDGERS.items())
        raise ValidationError(f"校验码编号“{text[:30]}”写法不对，应为字母加编号，例如 P123-12；"
                              f"字母可以是 {known}。")
    return match.group(1), int(match.group(2)), int(match.group(3))


def parse(pairs: Iterable[str], file: Path | None = None) -> dict[str, str]:
    """References and codes from `--code REF=CODE` pairs and from a codes file (lines
    "REF CODE words…"; blank lines and lines starting with # are skipped)."""
    entries = [(f"--code {pair[:40]}", pair.partition("=")[0], pair.partition("=")[2])
               for pair in pairs]
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(f"校验码文件“{file.name}”不是文本文件（UTF-8）。") from None
        for number, line in enumerate(text.splitlines(), start=1):
            words = line.split()
            if words and not words[0].startswith("#"):
                entries.append((f"校验码文件第{number}行", words[0], words[1] if len(words) > 1 else ""))
    codes: dict[str, str] = {}
    for where, reference, given in entries:
        prefix, key, seq = _reference(reference)
        value = _normalised_code(given)
        if not _CODE.fullmatch(value):
            raise ValidationError(f"{where}：校验码“{given[:20]}”应为 10 位字母和数字，"
                                  "例如 K7QF3-M9X2A。")
        codes[ref(prefix, key, seq)] = value
    return codes


def verify(session: Session, codes: dict[str, str]) -> list[str]:
    """Each code that the database no longer agrees with, in plain Chinese."""
    problems = []
    for where, given in codes.items():
        prefix, key, seq = _reference(where)
        ledger = LEDGERS[prefix]
        point = ledger.point(session, key, seq)
        if not point.exists:
            problems.append(f"校验码 {where} 所指的{ledger.label}（编号 {key}）在数据库中不存在："
                            "整个被删除过。")
        elif point.chain_hash is None:
            problems.append(f"{point.name}：校验码 {where} 证明第{seq}{ledger.unit}已经登记，"
                            f"数据库中却只有 {point.length} {ledger.unit}：其后的记录被删除过。")
        elif _normalised_code(code(where, point.chain_hash)) != given:
            problems.append(f"{point.name}第{seq}{ledger.unit}的校验码与纸面（或备份）上的 "
                            f"{given[:5]}-{given[5:]} 不符：第{seq}{ledger.unit}及以前的记录在校验码"
                            "记下之后被改动过（如果不是校验码抄错了）。")
    return problems


def write(path: Path, anchors: list[Anchor], heading: str) -> Path:
    """A codes file `check --codes` reads back: one line per chain head."""
    lines = [f"# 村治通校验码：{heading}",
             "# 核对方法：python main.py check --db 数据库 --codes 本文件",
             *(anchor.line for anchor in anchors)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
