"""The people area's policy numbers: settings with the report's (or common practice's) values."""

from __future__ import annotations

from models.core.settings import SettingSpec, register

HONOURS, ASSESSMENT = "评先树优", "综合测评"

# ---- eligibility ------------------------------------------------------------------------------
BAR_DISMISSED = register(SettingSpec(
    "people_bar_dismissed", "当年被撤换的负责人不得评先树优", True, group=HONOURS,
    help="报告：列入约谈名单的取消当年评先树优资格；被撤换者是否同样取消，由本设置决定"))
BAR_UNFIT = register(SettingSpec(
    "people_bar_unfit", "当年综合测评不称职者不得评先树优", True, group=HONOURS))

# ---- the top scorer ---------------------------------------------------------------------------
TOP_TIE_BREAK = register(SettingSpec(
    "people_top_tie_break", "积分最高奖同分时依次比较", "reached_first,fewer_deductions",
    group=HONOURS,
    help="用逗号分隔：reached_first 先达到最终得分者优先（以登记时间为准）、fewer_deductions 扣分次数"
         "少者优先、fewer_deducted 扣分分值少者优先、more_awards 加分次数多者优先；比完仍相同的并列获奖"))

# ---- the yearly assessment ----------------------------------------------------------------------
W_SURVEY = register(SettingSpec(
    "assessment_weight_survey", "民意调研权重（%）", 20, 0, 100, ASSESSMENT,
    help="报告：通过民意调研、问卷调查、群众大会等形式进行综合测评；各项权重按比例折算"))
W_QUESTIONNAIRE = register(SettingSpec(
    "assessment_weight_questionnaire", "问卷调查权重（%）", 20, 0, 100, ASSESSMENT))
W_MEETING = register(SettingSpec(
    "assessment_weight_meeting", "群众大会投票权重（%）", 20, 0, 100, ASSESSMENT))
W_SCORE = register(SettingSpec(
    "assessment_weight_score", "年度积分权重（%）", 20, 0, 100, ASSESSMENT))
W_DUTIES = register(SettingSpec(
    "assessment_weight_duties", "“三个一”完成率权重（%）", 10, 0, 100, ASSESSMENT))
W_RECTIFICATION = register(SettingSpec(
    "assessment_weight_rectification", "问题整改权重（%）", 10, 0, 100, ASSESSMENT))
VALUE_SATISFIED = register(SettingSpec(
    "assessment_value_satisfied", "“满意”每票折合分", 100, 0, 100, ASSESSMENT))
VALUE_FAIR = register(SettingSpec(
    "assessment_value_fair", "“基本满意”每票折合分", 60, 0, 100, ASSESSMENT))
GRADE_EXCELLENT = register(SettingSpec(
    "assessment_grade_excellent", "综合得分达到多少为优秀", 90, 0, 100, ASSESSMENT))
GRADE_COMPETENT = register(SettingSpec(
    "assessment_grade_competent", "综合得分达到多少为称职", 75, 0, 100, ASSESSMENT))
GRADE_BASIC = register(SettingSpec(
    "assessment_grade_basic", "综合得分达到多少为基本称职（以下为不称职）", 60, 0, 100, ASSESSMENT))


def clean_text(value: object, limit: int) -> str:
    """Chinese prose as typed (full-width punctuation kept), white space folded, cut at `limit`."""
    return " ".join(str(value or "").split())[:limit]
