"""The text in a work ID's QR code, read back at the counter by a USB scanner (a keyboard that
types the code and Enter).

`CZT-<village id>-<head id>-<check>`: the village and the appointment (head) identify the holder
for this program without anything private (no name, phone or ID number); the check is a hash of
the card number printed on the card, so a card whose number was changed, or one belonging to an
ended appointment, is told apart. Only capital letters, digits and "-": a scanner types them on
any keyboard layout, and a Chinese input method lets capitals through."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

PREFIX = "CZT"
_CODE = re.compile(rf"{PREFIX}-(\d{{1,9}})-(\d{{1,9}})-([0-9A-F]{{8}})")


@dataclass(frozen=True)
class WorkIdCode:
    village_id: int
    head_id: int
    check: str

    def matches(self, card_number: str) -> bool:
        return self.check == card_check(card_number)


def card_check(card_number: str) -> str:
    return f"{zlib.crc32(card_number.strip().encode('utf-8')):08X}"


def work_id_code(village_id: int, head_id: int, card_number: str) -> str:
    return f"{PREFIX}-{village_id}-{head_id}-{card_check(card_number)}"


def parse_work_id_code(text: str) -> WorkIdCode | None:
    """The code in `text` (spaces around it and lower case, as some scanners send, allowed);
    None when the text is not a work ID's code."""
    found = _CODE.fullmatch(text.strip().upper())
    if found is None:
        return None
    return WorkIdCode(int(found[1]), int(found[2]), found[3])
