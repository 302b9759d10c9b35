"""The red/black list rules as pure functions: periods, weighted scores, the ranking order with its
tie-break, and which units go on the lists. Policy numbers are settings with the report's values."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from math import lcm

from models.core.errors import ValidationError
from models.core.validation import shown
from models.core.settings import SettingSpec, register
from models.ranking.tables import Period

GROUP = "红黑榜"
WEIGHT_POINTS = register(SettingSpec(
    "ranking_weight_points", "积分量化权重（%）", 30, 0, 100, GROUP,
    "报告“通过积分量化和群众评议”：单位得分 = 积分量化分×此权重 + 群众评议综合分×（100−此权重），再除以100"))
WEIGHT_VILLAGERS = register(SettingSpec(
    "ranking_weight_villagers", "群众评议权重（%）", 50, 0, 100, GROUP,
    "群众评议综合分中三项评议的权重，按比例折算"))
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
    help="用逗号分隔：villagers 群众评议、heads 片区长观摩评议、secretary 书记评议、points 积分量化；"
         "最后按名册顺序"))
PAY_QUARTER_BLACK = register(SettingSpec(
    "ranking_pay_quarter_black", "季度黑榜村也扣发书记绩效补贴", False, group=GROUP,
    help="报告“扣发黑榜村党支部书记绩效补贴”按年度黑榜行政村执行；选“是”时季度黑榜自然村"
         "所在行政村的书记也扣发"))
COMPONENTS = {"villagers": "群众评议分", "heads": "片区长观摩评议分", "secretary": "书记评议分"}
# Every part a unit's score is made of, averaged up the levels like the total; tie-break keys.
PARTS = {**COMPONENTS, "points": "积分量化分"}
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
    raise ValidationError(
        f"评议期间“{shown(text)}”无法识别：月度写作 2024-03，季度写作 2024Q1，年度写作 2024。")


def parse_tie_break(value: str) -> list[str]:
    keys = [k.strip() for k in str(value).split(",") if k.strip()]
    unknown = [k for k in keys if k not in PARTS]
    if unknown or len(set(keys)) != len(keys):
        raise ValidationError(f"设置“{TIE_BREAK.label}”只能由 villagers、heads、secretary、points 组成，"
                              f"且不能重复，现在是“{shown(value)}”。")
    return keys


@dataclass(frozen=True)
class Weights:
    """The three evaluation sources' weights and the points component's share (all in %)."""

    villagers: int
    heads: int
    secretary: int
    points: int = 0

    def __post_init__(self) -> None:
        if self.villagers + self.heads + self.secretary <= 0:
            raise ValidationError("红黑榜三项评议权重不能都为 0，请在设置中修改。")

    def evaluation(self, villagers: Fraction, heads: Fraction, secretary: Fraction) -> Fraction:
        return (self.villagers * villagers + self.heads * heads + self.secretary * secretary) / (
            self.villagers + self.heads + self.secretary)

    def total(self, evaluation: Fraction, points: Fraction) -> Fraction:
        return (self.points * points + (100 - self.points) * evaluation) / 100


@dataclass(frozen=True)
class PointsScale:
    """How a zone's month of points becomes a 0–100 component: the mean net points its heads
    gained in the month over the month's share of what a year can add (cap − opening) / 12."""

    cap: int
    opening: int

    @property
    def month_share(self) -> Fraction:
        if self.cap <= self.opening:
            raise ValidationError(f"年度积分上限（{self.cap}）必须高于初始积分（{self.opening}），"
                                  "否则无法计算红黑榜的积分量化分，请在设置中修改。")
        return Fraction(self.cap - self.opening, 12)

    def component(self, nets: Sequence[int]) -> Fraction:
        mean_net = Fraction(sum(nets), len(nets))
        return min(Fraction(100), max(Fraction(0), 100 * mean_net / self.month_share))


def formula_text(weights: Weights, scale: PointsScale) -> str:
    w = weights
    steps = [
        f"片区月度得分 = 积分量化分×{w.points}% + 群众评议综合分×{100 - w.points}%",
        f"群众评议综合分 =（群众评议分×{w.villagers} + 片区长观摩评议分×{w.heads} + "
        f"书记评议分×{w.secretary}）÷ {w.villagers + w.heads + w.secretary}",
        "积分量化分 = 该月片区内在任片区长、胡同长实际计入积分存折的净得分（加分减扣分，"
        "不含年初存入和红黑榜本身的奖惩）的平均数 ÷ 月度分摊分 × 100，低于0按0、高于100按100计；"
        f"月度分摊分 =（年度积分上限{scale.cap} − 初始积分{scale.opening}）÷ 12 = "
        f"{score_text(scale.month_share)}分",
        "自然村月度得分 = 其各片区月度得分的平均数",
        "自然村季度得分 = 该季度三个月自然村月度得分的平均数",
        "行政村季度得分 = 其各自然村季度得分的平均数",
        "行政村年度得分 = 四个季度行政村季度得分的平均数",
        "各分项分按同样方法逐级平均，用于同分比较",
        "得分按四舍五入保留两位小数公布，排名按未经舍入的得分",
        "评分不全的单位不参加本期评选，在通报中列明；"
        "片区长、胡同长在当年约谈名单上的片区不列入红榜，由下一名递补",
    ]
    return "；".join(steps) + "。"


def tie_break_text(keys: Sequence[str]) -> str:
    steps = "，再比".join(f"{PARTS[k]}（高者在前）" for k in keys)
    first = f"总分相同的，先比{steps}，" if keys else "总分相同的，"
    return (f"按总分从高到低排名；{first}仍相同的按名册顺序靠前者在前。"
            "红榜取排名最前者，黑榜取排名最后者。")


def rounded(value: Fraction) -> Decimal:
    """A score as shown: 四舍五入 to two decimals (ROUND_HALF_UP, on the exact value)."""
    hundredths = Fraction(value) * 100
    whole = (hundredths.numerator * 2 + hundredths.denominator) // (2 * hundredths.denominator) \
        if hundredths >= 0 else -((-hundredths.numerator * 2 + hundredths.denominator)
                                  // (2 * hundredths.denominator))
    return (Decimal(whole) / 100).quantize(Decimal("0.01"))


def score_text(value: Fraction | Decimal) -> str:
    return f"{rounded(Fraction(value))}"


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
                  {k: mean([p.parts[k] for p in parts]) for k in PARTS})


@dataclass
class GroupResult:
    """One group's selection (a natural village's zones, an administrative village's natural
    villages, or the township's administrative villages). `excluded` names the units left out
    for incomplete scores, `passed_over` the units not red-listed for their heads' 约谈, and
    `problem` says why the group was not ranked at all."""

    group_id: int
    group_name: str
    admin_village_id: int
    ranked: list[Scored]
    red: list[Scored]
    black: list[Scored]
    problem: str = ""
    excluded: list[str] = field(default_factory=list)
    passed_over: list[str] = field(default_factory=list)

    def notes(self) -> list[str]:
        """What the notice states about this group, one line each."""
        lines = [f"{self.group_name}：{self.problem}"] if self.problem else []
        if self.excluded:
            lines.append(f"{self.group_name}：{'；'.join(self.excluded)}，评分不全，不参加本期评选")
        lines += [f"{self.group_name}：{line}" for line in self.passed_over]
        return lines


def select(group_id: int, group_name: str, admin_village_id: int, members: Sequence[Scored],
           excluded: Sequence[str], quotas: tuple[int, int], tie_keys: Sequence[str],
           member_word: str, not_red: Mapping[int, str] | None = None) -> GroupResult:
    """Rank the members with complete scores; black from the bottom; red from the top, passing
    over a unit in `not_red` (unit id → why) for the next one, never a black one."""
    red_quota, black_quota = quotas
    result = GroupResult(group_id, group_name, admin_village_id, [], [], [], "", list(excluded))
    if len(members) < red_quota + black_quota:
        result.problem = (f"参评的{member_word}只有{len(members)}个，不足以评出{red_quota}个红榜、"
                          f"{black_quota}个黑榜，本期不评选")
        return result
    ranked = ranking_order(members, tie_keys)
    result.ranked = ranked
    result.black = list(reversed(ranked[len(ranked) - black_quota:])) if black_quota else []
    not_red = not_red or {}
    for place, member in enumerate(ranked[:len(ranked) - black_quota], start=1):
        if len(result.red) == red_quota:
            break
        if member.unit_id in not_red:
            result.passed_over.append(f"{member.name}（第{place}名）{not_red[member.unit_id]}，"
                                      "不列入红榜，由下一名递补")
        else:
            result.red.append(member)
    if len(result.red) < red_quota:
        result.passed_over.append(f"其余{member_word}均不符合红榜条件，本期红榜空缺"
                                  f"{red_quota - len(result.red)}个")
    return result
