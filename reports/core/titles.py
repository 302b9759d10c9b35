"""Breaking a notice's title into balanced lines (GB/T 9704 7.3.1).

"标题回行时，要做到词意完整，排列对称，长短适宜": a long title is set in two or three lines of
near-equal length (the upper ones not shorter: a trapezoid or a diamond), broken where a phrase
ends ("关于…" / "…的通报", after a year or a quarter), never inside a number or a word.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from itertools import combinations, pairwise

from reports.core.linebreak import CHINESE_CANNOT_END, CHINESE_CANNOT_START

# Words of the program's titles: breaking inside one is avoided, breaking after one is good.
WORDS = (
    "农村人居环境", "人居环境", "红黑榜", "片区长", "胡同长", "约谈名单", "党支部", "农村", "整治", "工作",
    "领导小组", "办公室", "名单", "季度", "年度", "自然村", "行政村", "片区", "胡同", "更正",
    "通报", "通知", "决定", "公告", "负责人", "积分",
)
GOOD_AFTER = ("关于", "年", "月", "度", "、", "，", "：")
GOOD_BEFORE = ("关于", "的通报", "的通知", "的决定", "的公告", "的更正")
INSIDE_WORD, ANYWHERE, WORD_END, PHRASE_END = 10.0, 3.0, 1.0, 0.0
INVERTED = 1.0  # a lower line longer than the one above


def balanced_lines(title: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """The title in as few lines of at most `width` as it needs, balanced and unbroken words."""
    if measure(title) <= width or len(title) < 2:
        return [title]
    em = measure("国")
    least = math.ceil(measure(title) / width)
    for count in range(least, min(least + 2, len(title)) + 1):
        best = _best_breaks(title, count, width, measure, em)
        if best is not None:
            return best
    return [title]


def _best_breaks(title: str, count: int, width: float, measure, em: float) -> list[str] | None:
    costs = {i: _break_cost(title, i) for i in range(1, len(title))}
    usable = [i for i, cost in costs.items() if cost < math.inf]
    best, best_cost = None, math.inf
    for breaks in combinations(usable, count - 1):
        edges = (0, *breaks, len(title))
        lines = [title[a:b] for a, b in pairwise(edges)]
        widths = [measure(line) for line in lines]
        if max(widths) > width + 0.01:
            continue
        cost = sum(costs[i] for i in breaks) + (max(widths) - min(widths)) / em
        cost += INVERTED * (widths[-1] > widths[-2] + em / 2)  # a lower line sticking out
        if cost < best_cost:
            best, best_cost = lines, cost
    return best


def _break_cost(title: str, index: int) -> float:
    before, after = title[:index], title[index:]
    if after[0] in CHINESE_CANNOT_START or before[-1] in CHINESE_CANNOT_END:
        return math.inf
    if before[-1].isascii() and after[0].isascii() and before[-1].isalnum() and after[0].isalnum():
        return math.inf  # inside a number
    if any(_inside(title, index, word) for word in WORDS):
        return INSIDE_WORD
    if (before.endswith(GOOD_AFTER) and not after[0].isdigit()) or after.startswith(GOOD_BEFORE):
        return PHRASE_END
    if before.endswith(WORDS) or after.startswith(WORDS):
        return WORD_END
    return ANYWHERE


def _inside(title: str, index: int, word: str) -> bool:
    start = title.find(word)
    while start != -1:
        if start < index < start + len(word):
            return True
        start = title.find(word, start + 1)
    return False
