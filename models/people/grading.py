"""The yearly assessment's arithmetic (综合测评), as pure functions over exact fractions: each
method's score 0–100, the weighted total over the components that have data (weights
renormalised over those), and the grade. The stated method (weights, vote values, grade lines,
components left out and why) is stored with every confirmed assessment as JSON, so `check` and
the paper say exactly what was used."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from models.core.errors import ValidationError
from models.people.tables import Grade

COMPONENTS = {"survey": "民意调研", "questionnaire": "问卷调查", "meeting": "群众大会投票",
              "score": "年度积分", "duties": "“三个一”完成率", "rectification": "问题整改"}
SHORT = {"survey": "民意调研", "questionnaire": "问卷调查", "meeting": "群众大会", "score": "年度积分",
         "duties": "三个一", "rectification": "问题整改"}  # narrow table headers
VOTES = ("满意", "基本满意", "不满意")
MEETING_VOTES = ("赞成", "反对", "弃权")


@dataclass(frozen=True)
class Method:
    weights: dict[str, int]  # component → weight (%), every component
    satisfied: int  # points of one 满意 vote
    fair: int  # points of one 基本满意 vote
    excellent: int
    competent: int
    basic: int
    cap: int  # the points bank's annual cap
    absent: dict[str, str] = field(default_factory=dict)  # component → why it has no data

    def counted(self) -> dict[str, int]:
        """The components that count, in the order of COMPONENTS."""
        return {k: self.weights[k] for k in COMPONENTS
                if k in self.weights and k not in self.absent and self.weights[k] > 0}

    def to_json(self) -> str:
        return json.dumps({"weights": self.weights, "satisfied": self.satisfied,
                           "fair": self.fair, "excellent": self.excellent,
                           "competent": self.competent, "basic": self.basic, "cap": self.cap,
                           "absent": self.absent}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Method:
        return cls(**json.loads(text))

    def lines(self) -> list[str]:
        """The method in words, for the page and the paper."""
        counted = self.counted()
        shares = "、".join(f"{label}{self.weights[k]}%" for k, label in COMPONENTS.items()
                          if k in self.weights)
        lines = [
            f"权重（设置）：{shares}；综合得分 = Σ(各项得分 × 权重) ÷ 计入各项的权重之和"
            f"（本次计入：{'、'.join(COMPONENTS[k] for k in counted)}）。",
            f"民意调研、问卷调查得分 = (满意票 × {self.satisfied} + 基本满意票 × {self.fair}"
            " + 不满意票 × 0) ÷ 总票数；群众大会投票得分 = 赞成票 ÷ 总票数 × 100；"
            f"年度积分得分 = 年度积分 ÷ 年度上限{self.cap}分 × 100。",
        ]
        if "duties" in counted:
            lines.append("“三个一”完成率 = (全年巡查完成率 + 每周汇总完成率 + 每月走访完成率) ÷ 3，各率为"
                         "已完成数 ÷ 应完成数（当年截至今天）；只适用于胡同长，片区长不计此项，"
                         "其权重按比例折算到其余各项。")
        if "rectification" in counted:
            lines.append("问题整改得分 = (按期整改销号的问题数 + 逾期整改销号的问题数 × 0.5) ÷ "
                         "当年负责整改的问题数 × 100；当年没有负责整改的问题计100分。")
        lines += [f"{COMPONENTS[k]}：{self.absent[k]}，其权重按比例折算到其余各项。"
                  for k in COMPONENTS if k in self.absent]
        lines.append(f"等次：{self.excellent}分及以上为优秀，{self.competent}分及以上为称职，"
                     f"{self.basic}分及以上为基本称职，{self.basic}分以下为不称职；"
                     "得分四舍五入保留两位小数显示，定等次按未舍入的得分。")
        return lines


@dataclass(frozen=True)
class Inputs:
    """One head's inputs: the nine vote counts (survey ×3, questionnaire ×3, meeting ×3), the
    year's score and, where the program keeps them, the two rates (0–1)."""

    counts: tuple[int, ...]
    year_score: int
    duties: Fraction | None = None
    rectification: Fraction | None = None


def _votes(satisfied: int, fair: int, unsatisfied: int, method: Method) -> Fraction:
    return Fraction(satisfied * method.satisfied + fair * method.fair, satisfied + fair + unsatisfied)


def component_scores(inputs: Inputs, method: Method) -> dict[str, Fraction]:
    """Each counted component's score, 0–100."""
    c = inputs.counts
    every = {
        "survey": _votes(c[0], c[1], c[2], method),
        "questionnaire": _votes(c[3], c[4], c[5], method),
        "meeting": Fraction(100 * c[6], c[6] + c[7] + c[8]),
        "score": Fraction(100 * min(inputs.year_score, method.cap), method.cap),
        "duties": None if inputs.duties is None else 100 * inputs.duties,
        "rectification": None if inputs.rectification is None else 100 * inputs.rectification,
    }
    return {k: every[k] for k in method.counted() if every[k] is not None}


def total(scores: dict[str, Fraction], method: Method) -> Fraction:
    weights = {k: w for k, w in method.counted().items() if k in scores}
    if not weights:
        raise ValidationError("综合测评没有任何计入的项目（各项权重都为 0），请先在设置中调整权重。")
    return sum((scores[k] * w for k, w in weights.items()), Fraction(0)) / sum(weights.values())


def grade(value: Fraction, method: Method) -> Grade:
    if value >= method.excellent:
        return Grade.EXCELLENT
    if value >= method.competent:
        return Grade.COMPETENT
    if value >= method.basic:
        return Grade.BASIC
    return Grade.UNFIT


def half_up(value: Fraction) -> Decimal:
    """四舍五入 to two decimals, exactly (scores are never negative)."""
    return (Decimal(math.floor(value * 100 + Fraction(1, 2))) / 100).quantize(Decimal("0.01"))


def fraction_text(value: Fraction | None) -> str:
    return "" if value is None else f"{value.numerator}/{value.denominator}"


def parse_fraction(text: str) -> Fraction | None:
    return Fraction(text) if text else None


def validate_counts(values: list[object], where: str) -> tuple[int | None, ...]:
    """Nine vote counts as whole numbers ≥ 0 (blank: not entered); a method entered must have
    at least one vote, and must be entered whole (all three numbers)."""
    labels = [f"民意调研{v}" for v in VOTES] + [f"问卷调查{v}" for v in VOTES] + \
        [f"群众大会{v}" for v in MEETING_VOTES]
    counts: list[int | None] = []
    for value, label in zip(values, labels, strict=True):
        text = str(value).strip() if value is not None else ""
        if not text:
            counts.append(None)
            continue
        if not text.isdigit() or int(text) > 100000:
            raise ValidationError(f"{where}的“{label}”票数“{text}”应为 0 到 100000 之间的整数。")
        counts.append(int(text))
    for start, name in ((0, "民意调研"), (3, "问卷调查"), (6, "群众大会投票")):
        part = counts[start:start + 3]
        if any(v is None for v in part) and any(v is not None for v in part):
            raise ValidationError(f"{where}的{name}要三项票数都填写（没有的填 0）。")
        if all(v is not None for v in part) and sum(part) == 0:  # type: ignore[arg-type]
            raise ValidationError(f"{where}的{name}总票数为 0，请核对。")
    return tuple(counts)
