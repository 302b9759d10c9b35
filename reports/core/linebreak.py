"""Chinese line breaking shared by the notice grid, table cells and card texts.

Chinese breaks between any two characters, with three exceptions kept here: a person's name
(or any other word the document names as unbreakable) stays on one line, a run of digits or
Latin letters (2026, 85.20, 138****5678) is never cut, and the line-start and line-end
prohibitions (no "，" at the start of a line, no "（" at its end) hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

CHINESE_CANNOT_START = "，。、：；！？”’》〉）】…%·"
CHINESE_CANNOT_END = "“‘《〈（【"
_LATIN_RUN = re.compile(r"[0-9A-Za-z][0-9A-Za-z.*+\-/:%]*")
_SPACE_BESIDE_CJK = re.compile(r"(?<=[^\x00-\x7f]) +| +(?=[^\x00-\x7f])")

Measure = Callable[[str], float]


def clean(text: str) -> str:
    """No stray spaces: trimmed, and no space next to a Chinese character or mark."""
    return _SPACE_BESIDE_CJK.sub("", text.strip())


def tokens(text: str, atoms: Iterable[str] = ()) -> list[str]:
    """Cut text into unbreakable pieces: the given atoms (longest first), Latin/digit runs and
    single characters; a closing mark joins the piece before it, an opening mark the next."""
    ordered = sorted({a for a in atoms if len(a) > 1}, key=len, reverse=True)
    pieces: list[str] = []
    index = 0
    while index < len(text):
        piece = next((a for a in ordered if text.startswith(a, index)), None)
        if piece is None:
            latin = _LATIN_RUN.match(text, index)
            piece = latin.group() if latin else text[index]
        if pieces and (piece[0] in CHINESE_CANNOT_START or pieces[-1][-1] in CHINESE_CANNOT_END):
            pieces[-1] += piece
        else:
            pieces.append(piece)
        index += len(piece)
    return pieces


def break_lines(text: str, width: float, measure: Measure, atoms: Iterable[str] = (),
                first_width: float | None = None) -> list[str]:
    """Greedy lines no wider than `width` (the first no wider than `first_width`); "\\n" breaks.

    A piece wider than a whole line is cut by characters, as nothing else can be done."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        limit = width if lines or first_width is None else first_width
        line, used = "", 0.0
        for piece in tokens(paragraph, atoms):
            advance = measure(piece)
            if line and used + advance > limit + 0.01:
                lines.append(line)
                line, used, limit = "", 0.0, width
            if advance > limit + 0.01 and len(piece) > 1:
                *whole, line = _by_characters(piece, limit, measure)
                lines += whole
                used = measure(line)
                continue
            line += piece
            used += advance
        lines.append(line)
    return lines


def _by_characters(piece: str, width: float, measure: Measure) -> list[str]:
    lines, line = [], ""
    for char in piece:
        if line and measure(line + char) > width + 0.01:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line]
