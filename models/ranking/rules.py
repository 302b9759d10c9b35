"""The red/black list rules as pure functions: periods, weighted scores, the ranking order with its
tie-break, and which units go on the lists. Policy numbers are settings with the report's values."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from math import lcm

from models.core.errors import ValidationError
from models.core.settings import SettingSpec, register
from models.ranking.tables import Period

GROUP = "红黑榜"
WEIGHT_VILLAGERS = register(SettingSpec(
    "ranking_weight_villagers", "群众评议权重（%）", 50, 0, 100, GROUP, "三项权重按比例折算"))
WEIGHT_HEADS = register(SettingSpec(
    "ranking_weight_heads", "片区长观摩评议权重（%）", 30, 0, 100, GROUP))
WEIGHT_SECRETARY = register(SettingSpec(
    "ranking_weight_secretary", "党组织书记评议权重（%）", 20, 0, 100, GROUP))
MONTH_RED = register(SettingSpec("ranking_month_red", "每个自然村月度红榜片区数", 1, 0, 10, GROUP,
                                 "报告：每月每个自然村各评选一个红榜、黑榜片区"))
MONTH_BLACK = register(SettingSpec("ranking_month_black", "每个自然村月度黑榜片区数", 1, 0, 10, GROUP))
QUARTER_RED = register(SettingSpec("ranking_quarter_red", "每个行政村季度红榜自然村数", 1, 0, 10, GROUP,
                                   "报告：每季度每个行政村评选一个红榜村、一个黑榜村"))
QUARTER_BLACK = register(SettingSpec("ranking_quarter_black", "每个行政村季度黑榜自然村数", 1, 0, 10, GROUP))
YEAR_RED = register(SettingSpec("ranking_year_red", "全镇年度红榜行政村数", 2, 0, 10, GROUP,
                                "报告：年度内评选2个红榜行政村、1个黑榜行政村"))
YEAR_BLACK = register(SettingSpec("ranking_year_black", "全镇年度黑榜行政村数", 1, 0, 10, GROUP))
TIE_BREAK = register(SettingSpec(
    "ranking_tie_break", "同分时依次比较", "villagers,heads,secretary", group=GROUP,
    help="用逗号分隔：villagers 群众评议、heads 片区长观摩评议、secretary 书记评议；最后按名册顺序"))
PAY_QUARTER_BLACK = register(SettingSpec(
    "ranking_pay_quarter_black", "季度黑榜村也扣发书记绩效补贴", False, group=GROUP,
    help="报告“扣发黑榜村党支部书记绩效补贴”按年度黑榜行政村执行；选“是”时季度黑榜自然村"
         "所在行政村的书记也扣发"))
RED_HEAD_POINTS = register(SettingSpec(
    "ranking_red_head_points", "红榜片区长加分（0 为不加分）", 0, 0, 100, GROUP))
BLACK_HEAD_POINTS = register(SettingSpec(
    "ranking_black_head_points", "黑榜片区长扣分（0 为不扣分）", 0, 0, 100, GROUP))

COMPONENTS = {"villagers": "群众评议分", "heads": "片区长观摩评议分", "secretary": "书记评议分"}
QUOTAS = {Period.MONTH: (MONTH_RED, MONTH_BLACK), Period.QUARTER: (QUARTER_RED, QUARTER_BLACK),
          Period.YEAR: (YEAR_RED, YEAR_BLACK)}
QUARTER_NAMES = "一二三四"
UNIT_WORDS = {Period.MONTH: ("片区", "自然村"), Period.QUARTER: ("自然村", "行政村"),
              Period.YEAR: ("行政村", "全镇")}


@dataclass(frozen=True)
class PeriodRef:
    kind: Period
    year: int
    number: int  # month 1–12, quarter 1–4, 0 for the year

    @property
    def code(self) -> str:
        if self.kind is Period.MONTH:
            return f"{self.year}-{self.number:02d}"
        return f"{self.year}Q{self.number}" if self.kind is Period.QUARTER else str(self.year)

    @property
    def label(self) -> str:
        if self.kind is Period.MONTH:
            return f"{self.year}年{self.number}月"
        if self.kind is Period.QUARTER:
            return f"{self.year}年第{QUARTER_NAMES[self.number - 1]}季度"
        return f"{self.year}年度"

    def months(self) -> list[str]:
        """The months ("2024-03") this period is computed from."""
        if self.kind is Period.MONTH:
            return [self.code]
        first, count = ((self.number - 1) * 3 + 1, 3) if self.kind is Period.QUARTER else (1, 12)
        return [f"{self.year}-{m:02d}" for m in range(first, first + count)]

    def quarters(self) -> list[PeriodRef]:
        return [PeriodRef(Period.QUARTER, self.year, q) for q in range(1, 5)]


def parse_period(text: str) -> PeriodRef:
    """"2024-03" (month), "2024Q1" (quarter) or "2024" (year)."""
    value = text.strip().upper()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
        if 1 <= int(m[2]) <= 12:
            return PeriodRef(Period.MONTH, int(m[1]), int(m[2]))
    elif m := re.fullmatch(r"(\d{4})Q([1-4])", value):
        return PeriodRef(Period.QUARTER, int(m[1]), int(m[2]))
    elif re.fullmatch(r"\d{4}", value):
        return PeriodRef(Period.YEAR, int(value), 0)
    raise ValidationError(f"评议期间“{text}”无法识别：月度写作 2024-03，季度写作 2024Q1，年度写作 2024。")


def parse_tie_break(value: str) -> list[str]:
    keys = [k.strip() for k in str(value).split(",") if k.strip()]
    unknown = [k for k in keys if k not in COMPONENTS]
    if unknown or len(set(keys)) != len(keys):
        raise ValidationError(f"设置“{TIE_BREAK.label}”只能由 villagers、heads、secretary 组成，"
                              f"且不能重复，现在是“{value}”。")
    return keys


@dataclass(frozen=True)
class Weights:
    villagers: int
    heads: int
    secretary: int

    def __post_init__(self) -> None:
        if self.villagers + self.heads + self.secretary <= 0:
            raise ValidationError("红黑榜三项评议权重不能都为 0，请在设置中修改。")

    def total(self, villagers: Fraction, heads: Fraction, secretary: Fraction) -> Fraction:
        return (self.villagers * villagers + self.heads * heads + self.secretary * secretary) / (
            self.villagers + self.heads + self.secretary)

    def describe(self) -> str:
        return (f"片区月度得分 =（群众评议分×{self.villagers} + 片区长观摩评议分×{self.heads} + "
                f"书记评议分×{self.secretary}）÷ {self.villagers + self.heads + self.secretary}")


def formula_text(weights: Weights) -> str:
    steps = [
        weights.describe(),
        "自然村月度得分 = 其各片区月度得分的平均数",
        "自然村季度得分 = 该季度三个月自然村月度得分的平均数",
        "行政村季度得分 = 其各自然村季度得分的平均数",
        "行政村年度得分 = 四个季度行政村季度得分的平均数",
        "三项分项分按同样方法逐级平均，用于同分比较",
    ]
    return "；".join(steps) + "。"


def tie_break_text(keys: Sequence[str]) -> str:
    steps = "，再比".join(f"{COMPONENTS[k]}（高者在前）" for k in keys)
    first = f"总分相同的，先比{steps}，" if keys else "总分相同的，"
    return (f"按总分从高到低排名；{first}仍相同的按名册顺序靠前者在前。"
            "红榜取排名最前者，黑榜取排名最后者。")


@dataclass(frozen=True)
class Scored:
    """A unit with its (possibly averaged) scores; `order` is its place in the register."""

    unit_id: int
    name: str
    order: tuple[int, ...]
    total: Fraction
    parts: dict[str, Fraction] = field(compare=False)


def ranking_order(members: Sequence[Scored], tie_keys: Sequence[str]) -> list[Scored]:
    """Highest total first, then the tie-break components; a descending sort is stable, so
    units still equal keep the register order of the first sort."""
    by_register = sorted(members, key=lambda m: m.order)
    return sorted(by_register, key=lambda m: (m.total, *(m.parts[k] for k in tie_keys)), reverse=True)


def mean(values: Sequence[Fraction]) -> Fraction:
    """Exact mean, over a common denominator (one Fraction made, not one per addition)."""
    common = lcm(*(v.denominator for v in values))
    return Fraction(sum(v.numerator * (common // v.denominator) for v in values), common * len(values))


def average(unit_id: int, name: str, order: tuple[int, ...], parts: Sequence[Scored]) -> Scored:
    """A unit whose scores are the means of its parts' scores (each component likewise)."""
    return Scored(unit_id, name, order, mean([p.total for p in parts]),
                  {k: mean([p.parts[k] for p in parts]) for k in COMPONENTS})


@dataclass
class GroupResult:
    """One group's selection (a natural village's zones, an administrative village's natural
    villages, or the township's administrative villages). `problem` says why it was not ranked."""

    group_id: int
    group_name: str
    admin_village_id: int
    ranked: list[Scored]
    red: list[Scored]
    black: list[Scored]
    problem: str = ""


def select(group_id: int, group_name: str, admin_village_id: int, members: Sequence[Scored],
           missing: Sequence[str], quotas: tuple[int, int], tie_keys: Sequence[str],
           member_word: str) -> GroupResult:
    red_quota, black_quota = quotas
    if missing:
        shown = "、".join(missing[:5]) + ("等" if len(missing) > 5 else "")
        return GroupResult(group_id, group_name, admin_village_id, [], [], [],
                           f"缺少评分（{shown}），本期不评选")
    if len(members) < red_quota + black_quota:
        return GroupResult(group_id, group_name, admin_village_id, [], [], [],
                           f"只有{len(members)}个{member_word}，不足以评出{red_quota}个红榜、"
                           f"{black_quota}个黑榜，本期不评选")
    ranked = ranking_order(members, tie_keys)
    black = ranked[len(ranked) - black_quota:] if black_quota else []
    return GroupResult(group_id, group_name, admin_village_id, ranked, ranked[:red_quota],
                       list(reversed(black)))
